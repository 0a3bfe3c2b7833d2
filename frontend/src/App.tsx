/**
 * Routes. Home is in the first bundle; every other screen is its own chunk, and the editor (which
 * carries the Markdown renderer) loads only when someone writes.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { isApiError } from './api/client';
import { AuthGate } from './auth/AuthContext';
import type { Auth } from './auth/auth';
import { Layout } from './components/Layout';
import { Loading } from './components/States';
import type { RuntimeConfig } from './config';
import { Home } from './routes/Home';
import { NotFoundPage } from './routes/NotFoundPage';
import { SignInCallback } from './routes/SignInCallback';
import { Welcome } from './routes/Welcome';

const Spaces = lazy(() => import('./routes/Spaces'));
const SpacePage = lazy(() => import('./routes/SpacePage'));
const PostPage = lazy(() => import('./routes/PostPage'));
const Editor = lazy(() => import('./routes/Editor'));
const Drafts = lazy(() => import('./routes/Drafts'));
const Search = lazy(() => import('./routes/Search'));
const Person = lazy(() => import('./routes/Person'));
const PeopleDirectory = lazy(() => import('./routes/PeopleDirectory'));
const OrgChart = lazy(() => import('./routes/OrgChart'));
const PeopleImport = lazy(() => import('./routes/PeopleImport'));
const Expertise = lazy(() => import('./routes/Expertise'));
const TagPosts = lazy(() => import('./routes/TagPosts'));
const WikiPage = lazy(() => import('./routes/WikiPage'));
const PageEditor = lazy(() => import('./routes/PageEditor'));
const Notifications = lazy(() => import('./routes/Notifications'));
const Preferences = lazy(() => import('./routes/Preferences'));
const Bookmarks = lazy(() => import('./routes/Bookmarks'));
const SaveBookmark = lazy(() => import('./routes/SaveBookmark'));
const OpenFile = lazy(() => import('./routes/OpenFile'));
const AdminPartners = lazy(() => import('./routes/Admin').then((m) => ({ default: m.PartnerOrganisations })));
const AdminPartner = lazy(() =>
  import('./routes/Admin').then((m) => ({ default: m.PartnerOrganisationPage })),
);
const AdminAudit = lazy(() => import('./routes/Admin').then((m) => ({ default: m.AuditTrail })));

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not change by asking again; network trouble and 5xx might.
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App({ config, auth }: { config: RuntimeConfig; auth: Auth }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route path="/auth/callback" element={<SignInCallback auth={auth} />} />
          <Route
            path="*"
            element={
              <AuthGate
                auth={auth}
                config={config}
                welcome={(signIn, reason) => <Welcome onSignIn={signIn} reason={reason} />}
              >
                <Layout>
                  <Suspense fallback={<Loading label="Loading page" />}>
                    <Routes>
                      <Route index element={<Home />} />
                      <Route path="spaces" element={<Spaces />} />
                      <Route path="spaces/:spaceId" element={<SpacePage tab="posts" />} />
                      <Route path="spaces/:spaceId/pages" element={<SpacePage tab="wiki" />} />
                      <Route path="spaces/:spaceId/new-page" element={<PageEditor />} />
                      <Route path="spaces/:spaceId/pages/:pageId" element={<WikiPage view="page" />} />
                      <Route
                        path="spaces/:spaceId/pages/:pageId/history"
                        element={<WikiPage view="history" />}
                      />
                      <Route path="spaces/:spaceId/pages/:pageId/edit" element={<PageEditor />} />
                      <Route path="spaces/:spaceId/members" element={<SpacePage tab="members" />} />
                      <Route path="spaces/:spaceId/sharing" element={<SpacePage tab="sharing" />} />
                      <Route path="spaces/:spaceId/new" element={<Editor />} />
                      <Route path="spaces/:spaceId/posts/:postId" element={<PostPage />} />
                      <Route path="spaces/:spaceId/posts/:postId/edit" element={<Editor />} />
                      <Route path="drafts" element={<Drafts />} />
                      <Route path="search" element={<Search />} />
                      <Route path="people" element={<PeopleDirectory />} />
                      <Route path="people/import" element={<PeopleImport />} />
                      <Route path="people/expertise" element={<Expertise />} />
                      <Route path="people/:userId" element={<Person />} />
                      <Route path="people/:userId/org" element={<OrgChart />} />
                      <Route path="tags/:tag" element={<TagPosts />} />
                      <Route path="notifications" element={<Notifications />} />
                      <Route path="preferences" element={<Preferences />} />
                      <Route path="bookmarks" element={<Bookmarks />} />
                      <Route path="save" element={<SaveBookmark />} />
                      <Route path="files/:spaceId/:kind/:ownerId/:attachmentId" element={<OpenFile />} />
                      <Route path="admin/partners" element={<AdminPartners />} />
                      <Route path="admin/partners/:orgId" element={<AdminPartner />} />
                      <Route path="admin/audit" element={<AdminAudit />} />
                      <Route path="*" element={<NotFoundPage />} />
                    </Routes>
                  </Suspense>
                </Layout>
              </AuthGate>
            }
          />
        </Routes>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
