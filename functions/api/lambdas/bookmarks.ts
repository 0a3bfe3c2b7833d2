/** Lambda entry of the bookmarks module (routes in functions/api/modules/bookmarks.ts). */
import { bookmarksModule } from '../modules/bookmarks';
import { moduleLambda } from './module-lambda';

export const handler = moduleLambda(bookmarksModule);
