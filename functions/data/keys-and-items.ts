/** One import for domain modules that map records to items. */
export { keys, timeKey } from './keys';
export type { Item, Key } from './table';
