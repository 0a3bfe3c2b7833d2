import { BookmarkService } from '../../domain/bookmarks/bookmark-service';
import { BookmarkTransfer } from '../../domain/bookmarks/bookmark-transfer';
import { bookmarkRoutes, IMPORT_BODY_LIMIT, IMPORT_PATH } from '../routes/bookmarks';
import type { ApiModule } from './api-module';

/** Social bookmarks: one shared basket of links (the metadata fetch runs on the stream, not here). */
export const bookmarksModule: ApiModule = {
  name: 'bookmarks',
  description: 'Commonplace bookmarks: saves, who else saved, lists, tags, bundles, import and export',
  routes: [bookmarkRoutes],
  bodyLimits: { [IMPORT_PATH]: IMPORT_BODY_LIMIT },
  services: ({ spaces }, ctx) => ({
    bookmarks: new BookmarkService(ctx, spaces),
    bookmarkTransfer: new BookmarkTransfer(ctx),
  }),
};
