import type { BlobStore } from '../../domain/attachments/blob-store';
import { BookmarkService } from '../../domain/bookmarks/bookmark-service';
import { BookmarkTransfer } from '../../domain/bookmarks/bookmark-transfer';
import { BookmarkImports, type ImportJobQueue } from '../../domain/bookmarks/import-job';
import type { ApiModule } from './api-module';
import * as manifests from './route-manifest.generated';

/** Without a port (an app built for its routes only) every import operation fails loudly. */
const missing = <T extends object>(what: string) =>
  new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`No ${what} is configured for the bookmarks module`)),
  });

/** Social bookmarks: one shared basket of links (the metadata fetch runs on the stream, not here). */
export const bookmarksModule: ApiModule = {
  name: 'bookmarks',
  description: 'Commonplace bookmarks: saves, who else saved, lists, tags, bundles, import jobs and export',
  routes: [{ name: 'bookmarks', load: async () => (await import('../routes/bookmarks')).bookmarkRoutes }],
  manifest: manifests.bookmarks,
  services: ({ spaces }, ctx) => ({
    bookmarks: new BookmarkService(ctx, spaces),
    bookmarkTransfer: new BookmarkTransfer(ctx),
    bookmarkImports: new BookmarkImports(
      ctx,
      ctx.blobs ?? missing<BlobStore>('blob store'),
      ctx.bookmarkImportQueue ?? missing<ImportJobQueue>('import queue'),
    ),
  }),
};
