/**
 * The second, trusted layer of rendering: an allow-list sanitizer (`xss`) that rebuilds every tag and
 * attribute marked's HTML may contain, closes every element, and turns images into links. Node-free.
 */
import { FilterXSS, type IWhiteList } from 'xss';
import { escapeHtml } from './escape-html';
import { attachmentPathOf, decodeEntities, safeUrl } from './urls';

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
  // An attached image: no src (nothing loads from the app's origin); the client fills in a signed link.
  const file = src === undefined ? null : attachmentPathOf(src);
  if (file) return `<img data-file="${escapeHtml(file)}" alt="${escapeHtml(alt)}" loading="lazy">`;
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

export function sanitize(html: string): string {
  const { filter, cutRanges } = createFilter();
  return balanceTags(cutRanges(filter.process(html)));
}
