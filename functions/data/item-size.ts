/**
 * DynamoDB's 400 KB item limit, checked before writing. DynamoDB counts attribute names and values in
 * UTF-8 bytes; dynalite counts string length, so text in non-Latin scripts (3 bytes a character) that
 * passes locally would be refused in AWS, as a 500. Checking here makes both a 413 that says why.
 */
import { ItemTooLarge } from './errors';

export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** The size DynamoDB gives a value (numbers and nested overheads approximated upwards). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set || Array.isArray(value))
    return 3 + [...value].reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element),
        0,
      )
    );
  return utf8(String(value));
}

export function itemSize(attributes: Record<string, unknown>): number {
  return Object.entries(attributes).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Throws ItemTooLarge when the attributes a write sets would make an item over the limit. */
export function assertItemFits(attributes: Record<string, unknown>): void {
  const bytes = itemSize(attributes);
  if (bytes > MAX_ITEM_BYTES)
    throw new ItemTooLarge(
      `This is too large to store: with its rendering it needs ${Math.ceil(bytes / 1024)} KB and the limit is ${MAX_ITEM_BYTES / 1024} KB. Shorten the text.`,
    );
}
