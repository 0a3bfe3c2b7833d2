/**
 * @mentions, #tags and [[page links]]: found on marked's token tree, never by regex over the source,
 * so text in code, links and raw HTML is ignored the same way when rendering (markdown.ts links them)
 * and when extracting (what renders as a mention is exactly what notifies). Node-free.
 */
import type { Marked, Token, Tokens } from 'marked';
import { normalizeTag, pageSlug, TAG_BODY } from './names';
import { markdownLexer, withTokens } from './tokens';

// Spelled out in both cases rather than with the `i` flag: under `iu`, `[a-z]` would also match
// the Kelvin sign and the long s, which are not handle characters.
const HANDLE_CHARS = 'a-zA-Z0-9._-';
// The negative lookahead rejects over-long handles, and handles running on into other letters
// (`@zoë`), instead of silently mentioning a prefix of them.
const MENTION = new RegExp(
  `(?<![\\p{L}\\p{N}_])@([a-zA-Z0-9][${HANDLE_CHARS}]{0,39})(?![\\p{L}\\p{M}\\p{N}${HANDLE_CHARS}])`,
  'gu',
);
// Not after a word char (`C#x`, `page#frag`) nor `&` (`&#x41` left as text); headings never reach
// here because `# Title` is a heading token whose text no longer contains the `#`.
// Token text keeps `&` as `&amp;` next to numeric references, hence the second lookbehind.
const TAG = new RegExp(`(?<![\\p{L}\\p{N}_&])(?<!&amp;)#(${TAG_BODY})(?![\\p{L}\\p{M}\\p{N}_-])`, 'gu');

// `[[Page title]]` or `[[Page title|label]]`: a link to the wiki page with that title's slug.
export const PAGE_LINK = /\[\[([^[\]|\n]{1,200})(?:\|([^[\]\n]{1,200}))?\]\]/gu;

export type Hit = {
  index: number;
  end: number;
  kind: 'mention' | 'tag' | 'page';
  display: string;
  value: string;
};

/** Mentions and tags in one run of plain text, in order of appearance. */
export function scan(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(MENTION)) {
    const handle = m[1].replace(/\.+$/, '');
    if (!handle) continue;
    const index = m.index ?? 0;
    hits.push({
      index,
      end: index + 1 + handle.length,
      kind: 'mention',
      display: `@${handle}`,
      value: handle.toLowerCase(),
    });
  }
  for (const m of text.matchAll(TAG)) {
    const index = m.index ?? 0;
    const tag = normalizeTag(m[1]);
    if (tag) hits.push({ index, end: index + m[0].length, kind: 'tag', display: m[0], value: tag });
  }
  for (const m of text.matchAll(PAGE_LINK)) {
    const slug = pageSlug(m[1]);
    const index = m.index ?? 0;
    if (slug)
      hits.push({
        index,
        end: index + m[0].length,
        kind: 'page',
        display: (m[2] ?? m[1]).trim(),
        value: slug,
      });
  }
  return hits.sort((a, b) => a.index - b.index);
}

/**
 * The text tokens that may hold mentions and tags: plain inline text that is not inside a Markdown
 * link or image, nor between a raw-HTML `<a>` and `</a>`, nor in a raw `<pre>`/`<script>`/`<style>`
 * (marked marks those `escaped`). Code spans and code blocks are other token types, so never here.
 */
export function linkableTextTokens(md: Marked, tokens: Token[]): Set<Tokens.Text> {
  const found = new Set<Tokens.Text>();
  const insideLink = new WeakSet<Token>();
  let rawAnchorDepth = 0;
  md.walkTokens(tokens, (token) => {
    // walkTokens visits a parent before its children, so marking descendants here is in time.
    if (token.type === 'link' || token.type === 'image') {
      md.walkTokens(token.tokens ?? [], (child) => {
        insideLink.add(child);
      });
      return;
    }
    if (token.type === 'html') {
      const opens = token.text.match(/<a(?=[\s/>])/gi)?.length ?? 0;
      const closes = token.text.match(/<\/a[\s>]/gi)?.length ?? 0;
      rawAnchorDepth = Math.max(0, rawAnchorDepth + opens - closes);
      return;
    }
    if (
      token.type === 'text' &&
      !token.tokens &&
      !token.escaped &&
      !insideLink.has(token) &&
      rawAnchorDepth === 0
    ) {
      found.add(token as Tokens.Text);
    }
  });
  return found;
}

function collect(markdown: string, kind: Hit['kind']): string[] {
  return withTokens(markdown, (tokens) => {
    const seen = new Set<string>();
    for (const token of linkableTextTokens(markdownLexer, tokens)) {
      for (const hit of scan(token.text)) if (hit.kind === kind) seen.add(hit.value);
    }
    return [...seen];
  });
}

/**
 * Unique lowercase handles mentioned as `@handle` (a letter or digit, then up to 39 of `a-z0-9._-`,
 * trailing dots dropped), in order of first appearance. Not after a word character, so e-mail
 * addresses do not count; text in code, links and raw HTML does not count either.
 */
export function extractMentions(markdown: string): string[] {
  return collect(markdown, 'mention');
}

/**
 * Unique normalised tags written as `#tag` (see normalizeTag), in order of first appearance. Not
 * after a word character or `&` (URL fragments, entities), not headings, not in code, links or raw HTML.
 */
export function extractTags(markdown: string): string[] {
  return collect(markdown, 'tag');
}

/** Unique slugs of the wiki pages a text links to with `[[title]]`, outside code, links and raw HTML. */
export function extractPageLinks(markdown: string): string[] {
  return collect(markdown, 'page');
}
