/**
 * Tag and page-id rules: plain string functions that reads and request validation need, kept apart
 * from the Markdown renderer (markdown.ts) so that nothing but a write loads the parser and sanitizer.
 */

/** A tag: a letter of any script, then up to 49 letters, marks, digits, `-` or `_`. */
export const TAG_BODY = '\\p{L}[\\p{L}\\p{M}\\p{N}_-]{0,49}';
const TAG_EXACT = new RegExp(`^${TAG_BODY}$`, 'u');

/**
 * The id a wiki page gets from its title, and that `[[title]]` links to: accents dropped, lower case,
 * runs of anything but a-z and 0-9 made one `-`, at most 64 characters. Null when nothing is left
 * (a title in a non-Latin script), in which case the page gets a generated id and `[[…]]` stays text.
 */
export function pageSlug(title: string): string | null {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return slug || null;
}

/**
 * Lowercases, trims, drops one leading `#` and NFC-normalises a tag; returns null unless the result
 * is a letter followed by up to 49 letters, digits, `-` or `_`. The explicit tags field of a post
 * goes through this so that `#DevOps`, `devops` and `DevOps` are one tag.
 */
export function normalizeTag(tag: string): string | null {
  const candidate = tag.trim().replace(/^#/, '').toLowerCase().normalize('NFC');
  return TAG_EXACT.test(candidate) ? candidate : null;
}
