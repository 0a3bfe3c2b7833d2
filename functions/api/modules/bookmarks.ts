import { BookmarkService } from '../../domain/bookmarks/bookmark-service';
import { BookmarkTransfer } from '../../domain/bookmarks/bookmark-transfer';
import { IMPORT_BODY_LIMIT, IMPORT_PATH } from '../routes/import-limits';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

/** Social bookmarks: one shared basket of links (the metadata fetch runs on the stream, not here). */
export const bookmarksModule: ApiModule = {
  name: 'bookmarks',
  description: 'Commonplace bookmarks: saves, who else saved, lists, tags, bundles, import and export',
  routes: [{ name: 'bookmarks', load: async () => (await import('../routes/bookmarks')).bookmarkRoutes }],
  manifest: manifests.bookmarks,
  bodyLimits: { [IMPORT_PATH]: IMPORT_BODY_LIMIT },
  services: ({ spaces }, ctx) => ({
    bookmarks: new BookmarkService(ctx, spaces),
    bookmarkTransfer: new BookmarkTransfer(ctx),
  }),
};
