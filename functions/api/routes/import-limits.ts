/**
 * The routes that take a whole file, and their body limits (more than the API's usual one). Apart from
 * their route groups because the module's shared middleware needs them at start (module-app.ts), before
 * any group is built.
 */
import { MAX_IMPORT_BYTES } from '../../domain/bookmarks/netscape';

export const IMPORT_PATH = '/me/bookmarks/import';
export const IMPORT_BODY_LIMIT = MAX_IMPORT_BYTES + 512 * 1024;

export const PEOPLE_IMPORT_PATH = '/people/import';
export const PEOPLE_IMPORT_BODY_LIMIT = 6 * 1024 * 1024;
