/**
 * Tag and page-id rules: plain string functions that reads and request validation need, kept apart
 * from the Markdown renderer (markdown.ts) so that nothing but a write loads the parser and sanitizer.
 */

/** A tag: a letter of any script, then up to 49 letters, marks, digits, `-` or `_`. */
export const TAG_BODY = '\\p{L}[\\p{L}\\p{M}\\p{N}_-]{0,49}';
const TAG_CHAR = '[\\p{L}\\p{M}\\p{N}_-]';

/**
 * The white space `String.prototype.trim` removes, spelled out: `\s` means a slightly different set in
 * each regex engine, and these patterns are also read by others through the OpenAPI document.
 */
export const SPACE =
  '[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';
/**
 * A RegExp that is built when first used. V8 expands Unicode property classes (`\\p{L}`…) when a RegExp
 * is constructed, ~0.5 ms for each of the tag and skill patterns; every API Lambda loads them with the
 * request schemas at cold start (the schemas hold them), and most requests never test a tag or a skill.
 * It is a RegExp to everything that uses one (methods, `lastIndex`, `source`, `instanceof`).
 */
function compiledOnFirstUse(source: string, flags: string): RegExp {
  let compiled: RegExp | undefined;
  const regex = () => {
    compiled ??= new RegExp(source, flags);
    return compiled;
  };
  return new Proxy(/(?:)/, {
    get(_, property) {
      const value = Reflect.get(regex(), property);
      return typeof value === 'function' ? value.bind(regex()) : value;
    },
    set: (_, property, value) => Reflect.set(regex(), property, value),
    has: (_, property) => Reflect.has(regex(), property),
  });
}

/** Text with something in it besides white space. */
export const NOT_BLANK = new RegExp(SPACE.replace('[', '[^'), 'u');

/** A tag as written: white space around it and one leading `#` are dropped, any case (normalizeTag). */
export const TAG_INPUT = compiledOnFirstUse(`^${SPACE}*#?${TAG_BODY}${SPACE}*$`, 'u');
/**
 * A skill as written: a tag in which each run of white space stands for one `-`. A run must be followed
 * by a tag character, so the pattern matches in linear time.
 */
export const SKILL_INPUT = compiledOnFirstUse(
  `^${SPACE}*#?\\p{L}(?:${TAG_CHAR}|${SPACE}+(?=${TAG_CHAR})){0,49}${SPACE}*$`,
  'u',
);

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
 * Null unless the tag is written as TAG_INPUT says (the rule the OpenAPI document states); otherwise
 * trimmed, without its leading `#`, lower case and NFC. The explicit tags field of a post goes through
 * this so that `#DevOps`, `devops` and `DevOps` are one tag. The rule is checked as written, so that the
 * document can state it: lower case can lengthen a tag (`İ` becomes `i` and a combining dot).
 */
export function normalizeTag(tag: string): string | null {
  if (!TAG_INPUT.test(tag)) return null;
  return tag.trim().replace(/^#/, '').toLowerCase().normalize('NFC');
}
