/**
 * User Markdown → safe HTML, plus the @mentions and #tags a text contains.
 *
 * Runs unchanged on the server and in the browser (the editor preview must match what the server
 * stores), so it imports nothing from Node. Rendering is two independent layers: `marked` turns
 * Markdown into HTML (raw HTML in the source passes through it), then an allow-list sanitizer
 * (`xss`) rebuilds every tag and attribute it lets through. Only the second layer is trusted.
 *
 * Mentions and tags are found on marked's token tree, never by regex over the source, so text in
 * code spans, code blocks, raw HTML, links and image alt text is ignored the same way when
 * rendering and when extracting: what renders as a mention link is exactly what notifies.
 */
import { Marked, type Token, type Tokens } from 'marked';
import { FilterXSS, type IWhiteList } from 'xss';
import { escapeHtml } from './escape-html';
import { normalizeTag, pageSlug, TAG_BODY } from './names';

// ---------------------------------------------------------------------------------------------
// Mentions and tags

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
const PAGE_LINK = /\[\[([^[\]|\n]{1,200})(?:\|([^[\]\n]{1,200}))?\]\]/gu;

type Hit = { index: number; end: number; kind: 'mention' | 'tag' | 'page'; display: string; value: string };

/** Mentions and tags in one run of plain text, in order of appearance. */
function scan(text: string): Hit[] {
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
function linkableTextTokens(md: Marked, tokens: Token[]): Set<Tokens.Text> {
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
    for (const token of linkableTextTokens(md, tokens)) {
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

// ---------------------------------------------------------------------------------------------
// URLs

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  tab: '\t',
  newline: '\n',
  colon: ':',
  sol: '/',
  bsol: '\\',
  lpar: '(',
  rpar: ')',
  period: '.',
  comma: ',',
  semi: ';',
  excl: '!',
  quest: '?',
  num: '#',
  percnt: '%',
  equals: '=',
  plus: '+',
  lowbar: '_',
  hyphen: '-',
  commat: '@',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  lcub: '{',
  rcub: '}',
  verbar: '|',
  grave: '`',
  hat: '^',
  dollar: '$',
  ast: '*',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  deg: '°',
  times: '×',
  divide: '÷',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
};

function fromCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
    ? String.fromCodePoint(code)
    : '\ufffd';
}

/**
 * Decodes character references the way a browser would in an attribute or text (numeric ones with
 * or without `;`, the named ones above). Unknown names stay literal; that is safe because every
 * value we emit is re-escaped from the decoded form, so the browser sees exactly what was checked.
 */
function decodeEntities(value: string): string {
  return value.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z][a-z0-9]*));?/gi, (whole, dec, hex, name) => {
    if (dec !== undefined) return fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    const named = NAMED_ENTITIES[String(name).toLowerCase()];
    return named !== undefined && whole.endsWith(';') ? named : whole;
  });
}

/** A URL as the browser's URL parser will see it: decoded, tabs/newlines removed, C0/space trimmed. */
function canonicalUrl(raw: string): string {
  return (
    decodeEntities(raw)
      .replace(/[\t\n\r]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what URL parsing strips
      .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
  );
}

type SafeUrl = { url: string; external: boolean };

/**
 * The canonical URL if it may appear as a link (`http`, `https`, `mailto`, or relative, `#`/`?`
 * included) or an image (`http`, `https` only); null otherwise. Any remaining control character
 * rejects the URL outright rather than guessing how a browser would read it.
 */
function safeUrl(raw: string, use: 'link' | 'image'): SafeUrl | null {
  const url = canonicalUrl(raw);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a control character left here has no safe reading
  if (!url || /[\u0000-\u001f\u007f]/.test(url)) return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
  if (scheme === undefined) {
    // Network-path references (`//host`, and `/\host` which browsers read the same way) leave the site.
    const networkPath = /^[\\/]{2}/.test(url);
    return use === 'link' ? { url, external: networkPath } : null;
  }
  const allowed = use === 'link' ? ['http', 'https', 'mailto'] : ['http', 'https'];
  return allowed.includes(scheme) ? { url, external: true } : null;
}

// ---------------------------------------------------------------------------------------------
// Sanitizer

const EXTERNAL_REL = 'noopener noreferrer nofollow';

/**
 * Everything the sanitizer lets through. Attribute values are further constrained in onTagAttr;
 * `input` is rebuilt from scratch in onTag and survives only as a disabled task-list checkbox.
 */
const ALLOWED_HTML: Readonly<Record<string, readonly string[]>> = Object.freeze({
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  p: [],
  br: [],
  hr: [],
  blockquote: [],
  em: [],
  strong: [],
  b: [],
  i: [],
  del: [],
  s: [],
  code: ['class'],
  pre: [],
  ul: [],
  ol: ['start'],
  li: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
  a: ['href', 'title', 'class'],
  img: ['src', 'alt', 'title'],
  input: ['type', 'checked', 'disabled'],
});

/** Elements removed together with their content; every other disallowed tag loses only its markup. */
const STRIP_WITH_CONTENT = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'object',
  'xmp',
  'textarea',
  'title',
  'svg',
  'math',
  'select',
  'plaintext',
]);

const VOID = new Set(['br', 'hr', 'img', 'input']);

function attr(name: string, value: string): string {
  return `${name}="${escapeHtml(value)}"`;
}

/** Decides each attribute: returns its serialisation, or '' to drop it. */
function sanitizeAttribute(tag: string, name: string, rawValue: string): string {
  if (!ALLOWED_HTML[tag]?.includes(name)) return '';
  const value = decodeEntities(rawValue);
  switch (`${tag}.${name}`) {
    case 'a.href': {
      const safe = safeUrl(rawValue, 'link');
      if (!safe) return '';
      return safe.external ? `${attr('href', safe.url)} rel="${EXTERNAL_REL}"` : attr('href', safe.url);
    }
    case 'img.src': {
      const safe = safeUrl(rawValue, 'image');
      return safe ? attr('src', safe.url) : '';
    }
    case 'a.class':
      // Only the classes this module gives mention, tag and page links, so user HTML cannot borrow app styling.
      return value === 'mention' || value === 'tag' || value === 'page' ? attr('class', value) : '';
    case 'code.class':
      return /^language-[\w+#.-]{1,40}$/.test(value) ? attr('class', value) : '';
    case 'ol.start':
      return /^\d{1,9}$/.test(value.trim()) ? attr('start', value.trim()) : '';
    case 'th.align':
    case 'td.align': {
      const align = value.trim().toLowerCase();
      return ['left', 'center', 'right'].includes(align) ? attr('align', align) : '';
    }
    case 'a.title':
    case 'img.title':
    case 'img.alt':
      return attr(name, value);
    default:
      return '';
  }
}

/**
 * An image from another host would make every reader's browser call that host (a tracking pixel in an
 * internal post), and the Content-Security-Policy (`img-src 'self'`) would show it broken anyway. So an
 * http(s) image becomes a link to it, named by its alt text or its address: nothing loads until the
 * reader follows it. Undefined keeps the tag for the normal attribute filtering.
 */
function imageOrLink(html: string, insideLink: boolean): string | undefined {
  // Only read here: what is written out is escaped again. The first of a repeated attribute counts,
  // as in a browser.
  const value = (name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i')
      .exec(html)
      ?.slice(1)
      .find((part) => part !== undefined);
  const src = value('src');
  const alt = decodeEntities(value('alt') ?? '').trim();
  const safe = src === undefined ? null : safeUrl(src, 'image');
  if (!safe?.external) return undefined;
  // Inside a link (a badge) the image's words are enough: links do not nest.
  if (insideLink) return escapeHtml(alt || safe.url);
  return `<a href="${escapeHtml(safe.url)}" rel="${EXTERNAL_REL}">${escapeHtml(alt || safe.url)}</a>`;
}

const WHITE_LIST = Object.fromEntries(
  Object.entries(ALLOWED_HTML).map(([tag, attrs]) => [tag, [...attrs]]),
) as IWhiteList;

/** A filter for one document: it tracks the element being removed with its content. */
function createFilter(): { filter: FilterXSS; cutRanges: (output: string) => string } {
  const cuts: Array<[number, number]> = [];
  let open: { tag: string; start: number } | null = null;
  let anchorDepth = 0;
  const filter = new FilterXSS({
    whiteList: WHITE_LIST,
    css: false,
    allowCommentTag: false,
    onTag(tag, html, info) {
      const position = info.position ?? 0;
      if (open) {
        // Inside an element removed with its content: everything up to its end tag goes.
        if (info.isClosing && tag === open.tag) {
          cuts.push([open.start, position]);
          open = null;
        }
        return '';
      }
      if (STRIP_WITH_CONTENT.has(tag)) {
        if (!info.isClosing) open = { tag, start: position };
        return '';
      }
      if (tag === 'a') anchorDepth = Math.max(0, anchorDepth + (info.isClosing ? -1 : 1));
      if (tag === 'img') return info.isClosing ? '' : imageOrLink(html, anchorDepth > 0);
      if (tag !== 'input') return undefined;
      if (info.isClosing) return '';
      // A task-list checkbox or nothing: no other input type, never enabled, no other attribute but
      // its name (a form control needs one; the task's words follow it).
      if (!/\stype\s*=\s*["']?checkbox["'\s/>]/i.test(html)) return '';
      return /\schecked(?=[\s=/>])/i.test(html)
        ? '<input type="checkbox" disabled checked aria-label="task">'
        : '<input type="checkbox" disabled aria-label="task">';
    },
    onTagAttr(tag, name, value) {
      return sanitizeAttribute(tag, name, value);
    },
    // Disallowed tags lose their markup and keep their text, as on GitHub.
    onIgnoreTag() {
      return '';
    },
  });
  const cutRanges = (output: string): string => {
    // An element left open swallows the rest, as it would in a browser.
    if (open) cuts.push([open.start, output.length]);
    let result = '';
    let from = 0;
    for (const [start, end] of cuts) {
      result += output.slice(from, start);
      from = end;
    }
    return result + output.slice(from);
  };
  return { filter, cutRanges };
}

/**
 * Closes what is left open and drops stray closing tags, so a post can never extend into the page
 * around it (an unclosed `<a>` or `<table>` otherwise captures whatever follows). The input is the
 * sanitizer's output, where every `<` starts an allowed tag, so a simple tag regex is exact here.
 */
function balanceTags(html: string): string {
  const stack: string[] = [];
  const implicitlyClosed = new Set(['p', 'li', 'tr', 'td', 'th', 'a']);
  const out = html.replace(/<(\/?)([a-z0-9]+)([^>]*)>/g, (whole, closing: string, tag: string) => {
    if (VOID.has(tag)) return closing ? '' : whole;
    if (!closing) {
      const close = implicitlyClosed.has(tag) && stack.at(-1) === tag ? `</${stack.pop()}>` : '';
      stack.push(tag);
      return close + (tag === 'a' ? withoutForgedClass(whole) : whole);
    }
    const at = stack.lastIndexOf(tag);
    if (at === -1) return '';
    return stack
      .splice(at)
      .reverse()
      .map((t) => `</${t}>`)
      .join('');
  });
  return (
    out +
    stack
      .reverse()
      .map((t) => `</${t}>`)
      .join('')
  );
}

/**
 * Keeps class="mention"/"tag" only on a link that really goes to that person or tag page, so raw
 * HTML cannot dress an external link up as a mention.
 */
function withoutForgedClass(anchor: string): string {
  const cls = /\sclass="(mention|tag|page)"/.exec(anchor);
  if (!cls) return anchor;
  const href = /\shref="([^"]*)"/.exec(anchor)?.[1] ?? '';
  const genuine = {
    mention: /^\/people\/[a-z0-9._-]{1,40}$/,
    tag: /^\/tags\/[^/?#&"]{1,200}$/,
    page: /^\/spaces\/[A-Za-z0-9~._-]{1,64}\/pages\/[a-z0-9-]{1,64}$/,
  }[cls[1] as 'mention' | 'tag' | 'page'];
  return genuine.test(href) ? anchor : anchor.replace(cls[0], '');
}

function sanitize(html: string): string {
  const { filter, cutRanges } = createFilter();
  return balanceTags(cutRanges(filter.process(html)));
}

// ---------------------------------------------------------------------------------------------
// Tokens and rendering

/**
 * Runs `use` on the document's tokens. marked recurses once per nesting level, so a hostile
 * document (thousands of nested quotes or lists) overflows the stack; such a document, or any other
 * that marked cannot handle, is treated as one paragraph of plain text instead of failing the request.
 * NUL becomes U+FFFD first, as CommonMark requires.
 */
function withTokens<T>(markdown: string, use: (tokens: Token[]) => T): T {
  const source = markdown.replace(/\0/g, '\ufffd');
  try {
    return use(md.lexer(source));
  } catch {
    const text: Tokens.Text = { type: 'text', raw: source, text: source, escaped: false };
    return use([{ type: 'paragraph', raw: source, text: source, tokens: [text] } satisfies Tokens.Paragraph]);
  }
}

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
      return safeUrl(token.href, 'image') ? false : escapeHtml(token.text);
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

// ---------------------------------------------------------------------------------------------
// Plain text

/** Where one block ends and the next begins; NUL cannot occur in the text (withTokens replaces it). */
const BLOCK_BREAK = '\u0000';

const BLOCK_TOKENS = new Set([
  'paragraph',
  'heading',
  'code',
  'blockquote',
  'list_item',
  'hr',
  'space',
  'table',
  'br',
  'def',
]);

function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
      .replace(/<(script|style|template|noscript|textarea|title)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
      .replace(/<[^>]*>?/g, ' '),
  );
}

/** Text as it reads: `[[Page|label]]` is its label, `[[Page]]` its title. */
function readableText(text: string): string {
  return text.replace(PAGE_LINK, (_whole, title: string, label?: string) => (label ?? title).trim());
}

function tokensToText(tokens: Token[]): string {
  let text = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'code':
      case 'codespan':
        text += token.text;
        break;
      case 'text':
        text += token.tokens ? tokensToText(token.tokens) : readableText(decodeEntities(token.text));
        break;
      case 'escape':
        text += token.text;
        break;
      case 'html':
        text += htmlToText(token.text);
        // Raw HTML on its own lines is a block; inline tags like <b> are not.
        if ((token as Tokens.HTML).block) text += BLOCK_BREAK;
        break;
      case 'image':
        text += decodeEntities(token.text);
        break;
      case 'list':
        // A list nested in an item starts on a line of its own.
        text += BLOCK_BREAK + tokensToText(token.items);
        break;
      case 'table':
        for (const cell of token.header) text += `${tokensToText(cell.tokens)} `;
        for (const row of token.rows) {
          text += BLOCK_BREAK;
          for (const cell of row) text += `${tokensToText(cell.tokens)} `;
        }
        break;
      case 'checkbox':
      case 'def':
        break;
      default:
        if ('tokens' in token && Array.isArray(token.tokens)) text += tokensToText(token.tokens);
    }
    if (BLOCK_TOKENS.has(token.type)) text += BLOCK_BREAK;
  }
  return text;
}

/**
 * The readable text of a document without markup, for excerpts and the search index: blocks
 * (paragraphs, headings, list items, table rows) on lines of their own, whitespace within a line
 * collapsed, Markdown syntax gone (`**bold**` is bold, `[[Page|label]]` is label), code kept, raw
 * HTML tags dropped. With maxLength, the result is at most that many characters, cut at a word
 * boundary where there is one and ended with '…'. It is text, not HTML: escape it before putting it
 * in a page (and show its line breaks, e.g. with `white-space: pre-line`).
 */
export function plainText(markdown: string, maxLength?: number): string {
  const text = withTokens(markdown, tokensToText)
    .replace(/\s+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: BLOCK_BREAK, the marker tokensToText leaves between blocks
    .replace(/ ?\u0000[\s\u0000]*/g, '\n')
    .trim();
  if (maxLength === undefined || text.length <= maxLength) return text;
  if (maxLength < 1) return '';
  let cut = text.slice(0, maxLength - 1);
  const space = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'));
  if (!/\s/.test(text[maxLength - 1]) && space > 0) cut = cut.slice(0, space);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s.,;:!?\-–—]+$/, '')}…`;
}
