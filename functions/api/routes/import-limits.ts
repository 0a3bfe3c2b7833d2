/**
 * The route that takes a whole file (the HR import), and its body limit (more than the API's usual
 * one). Apart from its route group because the module's shared middleware needs it at start
 * (module-app.ts), before any group is built. Bookmark files go to the blob store, not through the API.
 */
export const PEOPLE_IMPORT_PATH = '/people/import';
export const PEOPLE_IMPORT_BODY_LIMIT = 6 * 1024 * 1024;
