/**
 * The Bookmarks tab: my links (newest first), everyone's recent, popular and my favourites, each paged
 * with the cursor; a tag cloud of my tags and the company's (sizes by use; my tags filter the list),
 * rename/merge of my tags; bundles; the save dialog; import and export of a Netscape bookmark file;
 * and the bookmarklet. The view, tag and bundle live in the address (`?view=`, `?tag=`, `?bundle=`).
 */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useBookmarkBundles, useBookmarkTags } from '../api/bookmarks';
import { type ApiError, api, enc, get, getText, query } from '../api/client';
import { sendForm } from '../api/files';
import { keys } from '../api/query-keys';
import type {
  Bookmark,
  BookmarkBundle,
  ImportJob,
  ImportUploadGrant,
  Page,
  PopularBookmark,
  TagCount,
  TagRenamed,
} from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { BookmarkForm } from '../components/BookmarkForm';
import { BookmarkItem, searchTag } from '../components/BookmarkItem';
import { FieldError, SaveError, useFieldErrors } from '../components/FormErrors';
import { Empty, ErrorState, Loading } from '../components/States';
import { parseTags } from '../lib/tags';
import { useTitle } from '../lib/useTitle';

const VIEWS = [
  { id: 'mine', label: 'Mine' },
  { id: 'recent', label: 'Everyone’s recent' },
  { id: 'popular', label: 'Popular' },
  { id: 'favourites', label: 'Favourites' },
] as const;
type View = (typeof VIEWS)[number]['id'];
/** Everyone's recent and popular links are the employees' basket; the API refuses them to partners. */
const EMPLOYEE_VIEWS: readonly View[] = ['recent', 'popular'];

const viewLink = (view: View, extra: Record<string, string> = {}) =>
  `/bookmarks${query({ view: view === 'mine' ? undefined : view, ...extra })}`;
const myTagLink = (tag: string) => viewLink('mine', { tag });

export default function Bookmarks() {
  const [params] = useSearchParams();
  const { isPartner } = useAuth();
  const views = isPartner ? VIEWS.filter((v) => !EMPLOYEE_VIEWS.includes(v.id)) : VIEWS;
  const view = (views.find((v) => v.id === params.get('view'))?.id ?? 'mine') as View;
  const tag = view === 'mine' ? (params.get('tag') ?? undefined) : undefined;
  const bundleId = view === 'mine' ? (params.get('bundle') ?? undefined) : undefined;
  const bundles = useBookmarkBundles();
  const bundle = bundles.data?.items.find((b) => b.id === bundleId);
  const [editing, setEditing] = useState<Bookmark | 'new' | null>(null);
  const [said, setSaid] = useState('');
  useTitle('Bookmarks');

  const heading = tag
    ? `My links tagged #${tag}`
    : bundleId
      ? `Bundle: ${bundle?.name ?? '…'}`
      : VIEWS.find((v) => v.id === view)!.label;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Bookmarks</h1>
          <p className="muted">One shared basket of links: yours, and what your colleagues found useful.</p>
        </div>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Save a link
          </button>
        </div>
      </div>
      <p role="status" aria-live="polite" className="visually-hidden">
        {said}
      </p>
      <nav aria-label="Bookmark lists" className="tabs">
        {views.map((v) => (
          <Link
            key={v.id}
            to={viewLink(v.id)}
            aria-current={v.id === view && !tag && !bundleId ? 'page' : undefined}
          >
            {v.label}
          </Link>
        ))}
      </nav>
      <div className="bookmarks-layout">
        <section aria-labelledby="bookmark-list-heading" className="bookmark-list">
          <h2 id="bookmark-list-heading">{heading}</h2>
          {(tag || bundleId) && (
            <p>
              <Link to={viewLink('mine')}>Show all my links</Link>
            </p>
          )}
          <BookmarkList
            view={view}
            tag={tag}
            bundleId={bundleId}
            onEdit={(b) => setEditing(b)}
            onDone={setSaid}
          />
        </section>
        <aside className="bookmark-side" aria-label="Tags, bundles, import and export">
          <TagClouds current={tag} onDone={setSaid} company={!isPartner} />
          <Bundles current={bundleId} />
          <ImportExport toEmployees={!isPartner} />
          <Bookmarklet />
        </aside>
      </div>
      {editing && (
        <SaveDialog
          bookmark={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => setSaid(`Saved “${saved.title || saved.url}”.`)}
        />
      )}
    </div>
  );
}

function listPath(view: View, tag: string | undefined, bundleId: string | undefined, cursor?: string) {
  const page = { limit: 20, cursor };
  if (bundleId) return `/me/bookmark-bundles/${enc(bundleId)}/bookmarks${query(page)}`;
  if (view === 'recent') return `/bookmarks/recent${query(page)}`;
  if (view === 'popular') return `/bookmarks/popular${query(page)}`;
  if (view === 'favourites') return `/me/bookmarks${query({ favourites: 'true', ...page })}`;
  return `/me/bookmarks${query({ tag, ...page })}`;
}

function BookmarkList({
  view,
  tag,
  bundleId,
  onEdit,
  onDone,
}: {
  view: View;
  tag?: string;
  bundleId?: string;
  onEdit: (b: Bookmark) => void;
  onDone: (message: string) => void;
}) {
  const list = useInfiniteQuery({
    queryKey: keys.bookmarkList(view, bundleId ? `bundle:${bundleId}` : `tag:${tag ?? ''}`),
    queryFn: ({ pageParam, signal }) =>
      get<Page<Bookmark | PopularBookmark>>(listPath(view, tag, bundleId, pageParam), signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });
  if (list.isPending) return <Loading label="Loading links" />;
  if (list.isError) return <ErrorState error={list.error} retry={() => void list.refetch()} />;
  const items = list.data.pages.flatMap((page) => page.items);
  return (
    <>
      <p className="muted small" role="status" aria-live="polite">
        {items.length === 0
          ? ''
          : `${items.length} ${items.length === 1 ? 'link' : 'links'}${list.hasNextPage ? ', more below' : ''}`}
      </p>
      {items.length === 0 ? (
        <Empty title="No links here yet">
          <p>
            {view === 'mine' || view === 'favourites'
              ? 'Save a link with the button above, the bookmarklet, or import your browser’s bookmarks.'
              : 'Links saved for all employees show here.'}
          </p>
        </Empty>
      ) : (
        <ul className="plain-list bookmarks">
          {items.map((item) => (
            <BookmarkItem
              key={`${item.id}:${'savedBy' in item ? item.savedBy.userId : ''}`}
              item={item}
              tagLink={'mine' in item && item.mine ? myTagLink : searchTag}
              onEdit={onEdit}
              onDone={onDone}
            />
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'More'}
        </button>
      )}
    </>
  );
}

/** The save dialog: a modal <dialog> (focus kept inside, Escape closes, focus returns to the opener). */
function SaveDialog({
  bookmark,
  onClose,
  onSaved,
}: {
  bookmark?: Bookmark;
  onClose: () => void;
  onSaved: (saved: Bookmark) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`}>{bookmark ? 'Change a link' : 'Save a link'}</h2>
      <BookmarkForm
        bookmark={bookmark}
        onSaved={(saved) => {
          onSaved(saved);
          ref.current?.close();
        }}
        onCancel={() => ref.current?.close()}
      />
    </dialog>
  );
}

/** Font size by use: from 0.85rem for the least used tag to 1.75rem for the most, on a log scale. */
function sizeOf(count: number, min: number, max: number): string {
  const span = Math.log(max) - Math.log(min);
  const share = span > 0 ? (Math.log(count) - Math.log(min)) / span : 0.5;
  return `${(0.85 + share * 0.9).toFixed(2)}rem`;
}

function Cloud({
  label,
  items,
  link,
  current,
}: {
  label: string;
  items: TagCount[];
  link: (tag: string) => string;
  current?: string;
}) {
  if (items.length === 0) return <p className="muted small">No tags yet.</p>;
  const counts = items.map((t) => t.count);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const sorted = [...items].sort((a, b) => a.tag.localeCompare(b.tag));
  return (
    <ul className="tag-cloud" aria-label={label}>
      {sorted.map((t) => (
        <li key={t.tag}>
          <Link
            to={link(t.tag)}
            style={{ fontSize: sizeOf(t.count, min, max) }}
            aria-current={t.tag === current ? 'true' : undefined}
          >
            {t.tag}
            <span className="visually-hidden">
              , {t.count} {t.count === 1 ? 'link' : 'links'}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function TagClouds({
  current,
  onDone,
  company: showCompany,
}: {
  current?: string;
  onDone: (message: string) => void;
  /** The company's cloud: employees only. */
  company: boolean;
}) {
  const mine = useBookmarkTags('mine');
  const company = useBookmarkTags('company', { enabled: showCompany });
  return (
    <section aria-labelledby="bookmark-tags-heading" className="card">
      <h2 id="bookmark-tags-heading">Tags</h2>
      <h3 id="my-tags-heading">My tags</h3>
      {mine.isPending ? (
        <Loading label="Loading my tags" />
      ) : mine.isError ? (
        <ErrorState error={mine.error} retry={() => void mine.refetch()} />
      ) : (
        <Cloud
          label="My tags: show my links with a tag"
          items={mine.data.items}
          link={myTagLink}
          current={current}
        />
      )}
      {showCompany && <h3>The company’s tags</h3>}
      {!showCompany ? null : company.isPending ? (
        <Loading label="Loading the company’s tags" />
      ) : company.isError ? (
        <p className="muted small">{company.error.message}</p>
      ) : (
        <Cloud
          label="The company’s tags: search links with a tag"
          items={company.data.items}
          link={searchTag}
        />
      )}
      {mine.data && mine.data.items.length > 0 && <RenameTag tags={mine.data.items} onDone={onDone} />}
    </section>
  );
}

function RenameTag({ tags, onDone }: { tags: TagCount[]; onDone: (message: string) => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState('');
  const rename = useMutation<TagRenamed, ApiError>({
    mutationFn: () => api<TagRenamed>('POST', '/me/bookmark-tags/rename', { from, to: to.replace(/^#/, '') }),
    onSuccess: (done) => {
      const message = `Renamed #${done.from} to #${done.to} on ${done.renamed} ${done.renamed === 1 ? 'link' : 'links'}${done.merged ? ', merged with the tag you already had' : ''}.`;
      setResult(message);
      onDone(message);
      setFrom('');
      setTo('');
      void queryClient.invalidateQueries({ queryKey: keys.bookmarks() });
      if (params.get('tag') === done.from) navigate(myTagLink(done.to), { replace: true });
    },
  });
  const ids = { from: `${id}-from`, to: `${id}-to` };
  const errors = useFieldErrors(ids, rename.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = [
      ...(from ? [] : [{ field: 'from', message: 'required', detail: 'Choose the tag to rename.' }]),
      ...(to.trim() ? [] : [{ field: 'to', message: 'required', detail: 'The new name cannot be empty.' }]),
    ];
    if (errors.check(found)) rename.mutate();
  };
  return (
    <details className="rename-tag">
      <summary>Rename or merge a tag</summary>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.from}>Tag</label>
          <select
            id={ids.from}
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              errors.changed('from');
            }}
            {...errors.describe('from')}
          >
            <option value="">Choose…</option>
            {tags.map((t) => (
              <option key={t.tag} value={t.tag}>
                {t.tag} ({t.count})
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="from" id={ids.from} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>New name</label>
          <input
            id={ids.to}
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              errors.changed('to');
            }}
            {...errors.describe('to', `${id}-to-hint`)}
          />
          <p id={`${id}-to-hint`} className="muted small">
            A tag you already use merges the two.
          </p>
          <FieldError errors={errors} field="to" id={ids.to} />
        </div>
        <button type="submit" disabled={rename.isPending}>
          {rename.isPending ? 'Renaming…' : 'Rename'}
        </button>
        <SaveError error={rename.error} errors={errors} ids={ids} verb="renamed" />
        <p className="small" role="status">
          {result}
        </p>
      </form>
    </details>
  );
}

const describeBundle = (b: BookmarkBundle) =>
  [
    b.any.length && `any of ${b.any.map((t) => `#${t}`).join(', ')}`,
    b.all.length && `all of ${b.all.map((t) => `#${t}`).join(', ')}`,
    b.none.length && `none of ${b.none.map((t) => `#${t}`).join(', ')}`,
  ]
    .filter(Boolean)
    .join('; ') || 'all my links';

function Bundles({ current }: { current?: string }) {
  const id = useId();
  const queryClient = useQueryClient();
  const bundles = useBookmarkBundles();
  const [fields, setFields] = useState({ name: '', any: '', all: '', none: '' });
  const [result, setResult] = useState('');
  const create = useMutation<BookmarkBundle, ApiError>({
    mutationFn: () =>
      api<BookmarkBundle>('POST', '/me/bookmark-bundles', {
        name: fields.name,
        any: parseTags(fields.any),
        all: parseTags(fields.all),
        none: parseTags(fields.none),
      }),
    onSuccess: (made) => {
      setResult(`Bundle “${made.name}” created.`);
      setFields({ name: '', any: '', all: '', none: '' });
      void queryClient.invalidateQueries({ queryKey: keys.bookmarkBundles() });
    },
  });
  const remove = useMutation<void, ApiError, BookmarkBundle>({
    mutationFn: (b) => api<void>('DELETE', `/me/bookmark-bundles/${enc(b.id)}`),
    onSuccess: (_, b) => {
      setResult(`Bundle “${b.name}” deleted; its links stay.`);
      void queryClient.invalidateQueries({ queryKey: keys.bookmarkBundles() });
    },
  });
  const ids = { name: `${id}-name`, any: `${id}-any`, all: `${id}-all`, none: `${id}-none` };
  const errors = useFieldErrors(ids, create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = fields.name.trim()
      ? []
      : [{ field: 'name', message: 'required', detail: 'The bundle needs a name.' }];
    if (errors.check(found)) create.mutate();
  };
  const field = (name: keyof typeof fields, label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={ids[name]}>{label}</label>
      <input
        id={ids[name]}
        value={fields[name]}
        onChange={(e) => {
          setFields((f) => ({ ...f, [name]: e.target.value }));
          errors.changed(name);
        }}
        {...errors.describe(name, hint && `${ids[name]}-hint`)}
      />
      {hint && (
        <p id={`${ids[name]}-hint`} className="muted small">
          {hint}
        </p>
      )}
      <FieldError errors={errors} field={name} id={ids[name]} />
    </div>
  );
  return (
    <section aria-labelledby="bundles-heading" className="card">
      <h2 id="bundles-heading">Bundles</h2>
      <p className="muted small">Saved tag filters over your links.</p>
      {bundles.isPending ? (
        <Loading label="Loading bundles" />
      ) : bundles.isError ? (
        <ErrorState error={bundles.error} retry={() => void bundles.refetch()} />
      ) : bundles.data.items.length === 0 ? (
        <p className="muted small">No bundles yet.</p>
      ) : (
        <ul className="plain-list bundles">
          {bundles.data.items.map((b) => (
            <li key={b.id}>
              <Link
                to={viewLink('mine', { bundle: b.id })}
                aria-current={b.id === current ? 'true' : undefined}
              >
                {b.name}
              </Link>{' '}
              <span className="muted small">({describeBundle(b)})</span>{' '}
              <button
                type="button"
                className="small-button"
                disabled={remove.isPending}
                onClick={() => remove.mutate(b)}
              >
                Delete<span className="visually-hidden"> bundle {b.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>New bundle</summary>
        <form onSubmit={submit} noValidate>
          {field('name', 'Name')}
          {field('any', 'Any of these tags', 'Separate tags with commas or spaces.')}
          {field('all', 'All of these tags')}
          {field('none', 'None of these tags')}
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create bundle'}
          </button>
          <SaveError error={create.error} errors={errors} ids={ids} verb="created" />
        </form>
      </details>
      <p className="small" role="status">
        {result}
      </p>
    </section>
  );
}

/** How often a running import is asked for its progress. */
const POLL_MS = 700;
const share = (job: ImportJob) => (job.progress.total ? job.progress.done / job.progress.total : 0);

/** `toEmployees`: whether "All employees" is offered (partners import privately). */
function ImportExport({ toEmployees }: { toEmployees: boolean }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [visibility, setVisibility] = useState<'private' | 'employees'>('private');
  const [progress, setProgress] = useState(0);
  const [download, setDownload] = useState<string | null>(null);
  const downloadLink = useRef<HTMLAnchorElement>(null);

  const [job, setJob] = useState<ImportJob | null>(null);
  // Polling stops when the section goes away (the job itself goes on in the worker).
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  // Upload the file straight to the file store, start the job, then poll its progress until it ends.
  const importing = useMutation<ImportJob, ApiError>({
    mutationFn: async () => {
      setProgress(0);
      setJob(null);
      const grant = await api<ImportUploadGrant>('POST', '/me/bookmarks/imports/uploads', {
        size: file!.size,
      });
      await sendForm(grant, file!, setProgress);
      setProgress(1);
      let current = await api<ImportJob>('POST', '/me/bookmarks/imports', {
        uploadId: grant.uploadId,
        visibility,
      });
      setJob(current);
      while ((current.status === 'queued' || current.status === 'running') && mounted.current) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        current = await get<ImportJob>(`/me/bookmarks/imports/${enc(current.id)}`);
        if (mounted.current) setJob(current);
      }
      return current;
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.bookmarks() }),
  });
  const exporting = useMutation<string, ApiError>({
    mutationFn: () => getText('/me/bookmarks/export'),
    onSuccess: (text) => {
      if (download) URL.revokeObjectURL(download);
      setDownload(URL.createObjectURL(new Blob([text], { type: 'text/html' })));
    },
  });
  // A new file is ready: hand it to the browser once; the link stays for another download.
  useEffect(() => {
    if (download) downloadLink.current?.click();
  }, [download]);
  useEffect(() => () => void (download && URL.revokeObjectURL(download)), [download]);

  const report = importing.data;
  return (
    <section aria-labelledby="transfer-heading" className="card">
      <h2 id="transfer-heading">Import and export</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (file) importing.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-file`}>Bookmark file to import</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".html,.htm,text/html"
            aria-describedby={`${id}-file-hint`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <p id={`${id}-file-hint`} className="muted small">
            The HTML bookmark file every browser exports (Netscape format), up to 5 MB. Importing a file twice
            adds nothing.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-visibility`}>Who can see the imported links</label>
          <select
            id={`${id}-visibility`}
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as 'private' | 'employees')}
          >
            <option value="private">Only me</option>
            {toEmployees && <option value="employees">All employees</option>}
          </select>
        </div>
        <button type="submit" disabled={!file || importing.isPending}>
          {importing.isPending ? 'Importing…' : 'Import'}
        </button>
        {importing.isPending && (
          <div className="import-progress">
            <label htmlFor={`${id}-progress`}>
              {!job
                ? progress < 1
                  ? `Uploading… ${Math.round(progress * 100)}%`
                  : 'Uploaded; starting the import…'
                : job.progress.total
                  ? `Importing… ${job.progress.done.toLocaleString()} of ${job.progress.total.toLocaleString()} links`
                  : 'Uploaded; the import is queued…'}
            </label>
            <progress
              id={`${id}-progress`}
              max={1}
              value={
                !job ? (progress < 1 ? progress : undefined) : job.progress.total ? share(job) : undefined
              }
            />
          </div>
        )}
        <div role="status" aria-live="polite" className="import-summary">
          {report?.status === 'done' && (
            <>
              <p>
                Import done: {report.counts.links} {report.counts.links === 1 ? 'link' : 'links'} in the file
                — {report.counts.added} imported, {report.counts.alreadySaved} already saved,{' '}
                {report.counts.duplicates} {report.counts.duplicates === 1 ? 'duplicate' : 'duplicates'} in
                the file, {report.counts.refused} refused.
              </p>
              {report.errors.length > 0 && (
                <ul className="small">
                  {report.errors.slice(0, 50).map((e) => (
                    <li key={`${e.line}:${e.url}`}>
                      Line {e.line}: {e.url || '(no address)'} — {e.message}
                    </li>
                  ))}
                  {report.counts.refused > 50 && <li>… and {report.counts.refused - 50} more.</li>}
                </ul>
              )}
            </>
          )}
        </div>
        {report?.status === 'refused' && (
          <p role="alert" className="error-text">
            Nothing imported: {report.reason?.detail ?? 'the file was refused.'}
          </p>
        )}
        {importing.isError && (
          <p role="alert" className="error-text">
            Nothing imported: {importing.error.message}
          </p>
        )}
      </form>
      <h3>Export</h3>
      <p>
        <button type="button" onClick={() => exporting.mutate()} disabled={exporting.isPending}>
          {exporting.isPending ? 'Preparing…' : 'Export my bookmarks'}
        </button>
      </p>
      {download && (
        <p className="small">
          <a ref={downloadLink} href={download} download="bookmarks.html">
            Download bookmarks.html
          </a>{' '}
          (a Netscape bookmark file any browser imports)
        </p>
      )}
      {exporting.isError && (
        <p role="alert" className="error-text">
          Not exported: {exporting.error.message}
        </p>
      )}
    </section>
  );
}

/** The bookmarklet's code: opens this site's /save page for the page it is clicked on, in a small window. */
export function bookmarkletCode(origin: string): string {
  const save = JSON.stringify(`${origin}/save?url=`);
  return `javascript:(function(){window.open(${save}+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title),'commonplace-save','width=720,height=720');})();`;
}

function Bookmarklet() {
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    // React refuses javascript: URLs in an href prop (it renders one that throws instead), a guard
    // against links injected from data. A bookmarklet has to be one: this code is ours, a constant
    // apart from this site's own origin, so it is set on the element directly, on purpose.
    link.current?.setAttribute('href', bookmarkletCode(window.location.origin));
  }, []);
  return (
    <section aria-labelledby="bookmarklet-heading" className="card">
      <h2 id="bookmarklet-heading">Bookmarklet</h2>
      <p>
        {/* href: the save page itself until the effect above puts the bookmarklet's code there */}
        <a ref={link} href="/save" className="button bookmarklet" aria-describedby="bookmarklet-hint">
          Save to Commonplace
        </a>
      </p>
      <p id="bookmarklet-hint" className="muted small">
        Drag this button to your bookmarks bar, then click it on any page to save that page here.
      </p>
    </section>
  );
}
