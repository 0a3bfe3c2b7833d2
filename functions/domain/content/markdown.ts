/**
 * User Markdown → safe HTML, plus the @mentions and #tags a text contains.
 *
 * Runs unchanged on the server and in the browser (the editor preview must match what the server
 * stores), so it imports nothing from Node. Rendering is two independent layers: `marked` turns
 * Markdown into HTML (raw HTML in the source passes through it), then an allow-list sanitizer
 * (`xss`) rebuilds every tag and attribute it lets through. Only the second layer is trusted.
 *
 * The parts live beside this file: tokens.ts (the one parse), references.ts (mentions, tags, page
 * links), urls.ts (which destinations pass), sanitize.ts (the allow-list), plain-text.ts (search text
 * and excerpts). Callers import this file (the server through load-markdown.ts, on writes only).
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './escape-html';
import { linkableTextTokens, scan } from './references';
import { sanitize } from './sanitize';
import { withTokens } from './tokens';
import { attachmentPathOf, safeUrl } from './urls';

export { plainText } from './plain-text';
export { extractMentions, extractPageLinks, extractTags } from './references';

/** Tokens of the document being rendered whose mentions and tags become links. */
let linkable: Set<Tokens.Text> = new Set();
/** The space whose wiki `[[title]]` links to, while rendering a wiki page; otherwise they stay text. */
let pageSpace: string | undefined;

function linkify(text: string): string {
  let html = '';
  let from = 0;
  for (const hit of scan(text)) {
    if (hit.index < from || (hit.kind === 'page' && !pageSpace)) continue;
    html += escapeText(text.slice(from, hit.index));
    const href =
      hit.kind === 'mention'
        ? `/people/${encodeURIComponent(hit.value)}`
        : hit.kind === 'tag'
          ? `/tags/${encodeURIComponent(hit.value)}`
          : `/spaces/${encodeURIComponent(pageSpace!)}/pages/${hit.value}`;
    html += `<a href="${href}" class="${hit.kind}">${escapeHtml(hit.display)}</a>`;
    from = hit.end;
  }
  return html + escapeText(text.slice(from));
}

// Like marked's own text escaping: the text of a token keeps named entities such as `&copy;` as
// written, so a `&` that starts one is left alone.
function escapeText(text: string): string {
  return text
    .replace(/&(?!#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const md = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    text(token) {
      return token.type === 'text' && linkable.has(token as Tokens.Text) ? linkify(token.text) : false;
    },
    // Unsafe destinations render as plain text rather than as a dead link; the sanitizer would
    // remove them anyway, this only makes the result read better.
    link(token) {
      return safeUrl(token.href, 'link') ? false : this.parser.parseInline(token.tokens);
    },
    image(token) {
      return safeUrl(token.href, 'image') || attachmentPathOf(token.href) ? false : escapeHtml(token.text);
    },
  },
});

/**
 * GitHub-flavoured Markdown to HTML that is safe to insert into a page: raw HTML in the source is
 * reduced to the allow-list (ALLOWED_HTML), links may only point to http(s), mailto or relative
 * URLs and absolute ones get `rel="noopener noreferrer nofollow"`, http(s) images become links to
 * them (nothing loads from another host),
 * no event handler, style or other attribute survives, and every element is closed.
 * `@handle` becomes `<a href="/people/handle" class="mention">` and `#tag` becomes
 * `<a href="/tags/tag" class="tag">`, outside code, links and raw HTML. With `pageLinksIn` (a space
 * id), `[[Page title]]` and `[[Page title|label]]` become `<a href="/spaces/<id>/pages/<slug>" class="page">`.
 * Pure and deterministic, so the browser preview equals the stored rendering (the one exception is
 * the plain-text fallback for absurdly deep nesting, whose threshold is the engine's stack depth).
 */
export function renderMarkdown(markdown: string, options: { pageLinksIn?: string } = {}): string {
  return withTokens(markdown, (tokens) => {
    linkable = linkableTextTokens(md, tokens);
    pageSpace = options.pageLinksIn;
    try {
      return sanitize(md.parser(tokens));
    } finally {
      linkable = new Set();
      pageSpace = undefined;
    }
  });
}
