/**
 * The metadata of a bookmarked page: the port the metadata stream consumer calls, and the pure parsing
 * of an HTML head into plain text. The adapter that actually goes to the network — and refuses to be
 * turned against it (DESIGN principle 6) — is functions/safe-fetch/.
 *
 * Nothing parsed here is ever HTML: titles and descriptions come back as plain text (tags dropped,
 * entities decoded, control and bidi-override characters removed, whitespace collapsed, length
 * capped), for the web client to render as text. The icon is the only thing the page names that is
 * ever fetched, and only by the adapter, through the same safe fetcher; `og:image` never is.
 */

export interface PageMetadata {
  title?: string;
  description?: string;
  /** A small `data:image/…;base64,` URL (never a remote URL the browser would fetch). */
  icon?: string;
}

/** The port. Throws when the page cannot or may not be fetched (the adapter's refusal or failure). */
export interface MetadataFetcher {
  fetchPageMetadata(url: string): Promise<PageMetadata>;
}

export const MAX_TITLE_LENGTH = 300;
export const MAX_DESCRIPTION_LENGTH = 1000;

export interface HeadMetadata {
  title?: string;
  description?: string;
  /** Absolute http(s) URL of the icon the page names, or `/favicon.ico` of its origin. */
  iconUrl?: string;
}

/** The part of a document up to the end of its head (or the start of its body). */
export function headOf(html: string): string {
  const end = html.search(/<\/head\s*>|<body[\s>]/i);
  return end === -1 ? html : html.slice(0, end);
}

/** True once `text` holds the end of the head: the fetcher stops reading there. */
export function reachedHeadEnd(text: string): boolean {
  return /<\/head\s*>|<body[\s>]/i.test(text);
}

/**
 * Title, description and icon from a page's HTML. Title: `<title>`, else `og:title`, else
 * `twitter:title`; description: `<meta name=description>`, else `og:description`, else
 * `twitter:description`; icon: the first `<link rel~=icon>` that is not SVG, else `/favicon.ico`.
 */
export function parseHeadMetadata(html: string, pageUrl: string): HeadMetadata {
  const head = headOf(html)
    .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
    .replace(/<(script|style|noscript|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ');

  const metas = new Map<string, string>();
  const icons: string[] = [];
  for (const match of head.matchAll(/<(meta|link)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
    const attrs = attributesOf(match[2]);
    if (match[1].toLowerCase() === 'meta') {
      const key = (attrs.get('property') ?? attrs.get('name'))?.toLowerCase();
      const content = attrs.get('content');
      if (key && content !== undefined && !metas.has(key)) metas.set(key, content);
    } else {
      const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
      const href = attrs.get('href');
      const svg = /svg/i.test(attrs.get('type') ?? '') || /\.svgz?(?:[?#]|$)/i.test(href ?? '');
      if (rel.includes('icon') && href && !svg) icons.push(href);
    }
  }

  const rawTitle = /<title\b[^>]*>([\s\S]*?)(?:<\/title\s*>|$)/i.exec(head)?.[1];
  const title =
    plainText(rawTitle, MAX_TITLE_LENGTH) ??
    plainText(metas.get('og:title'), MAX_TITLE_LENGTH) ??
    plainText(metas.get('twitter:title'), MAX_TITLE_LENGTH);
  const description =
    plainText(metas.get('description'), MAX_DESCRIPTION_LENGTH) ??
    plainText(metas.get('og:description'), MAX_DESCRIPTION_LENGTH) ??
    plainText(metas.get('twitter:description'), MAX_DESCRIPTION_LENGTH);
  const iconUrl = [...icons.map((href) => decodeEntities(href.trim())), '/favicon.ico']
    .map((href) => absoluteHttpUrl(href, pageUrl))
    .find((url) => url !== undefined);
  return {
    ...(title ? { title } : {}),
    ...(description ? { description } : {}),
    ...(iconUrl ? { iconUrl } : {}),
  };
}

function absoluteHttpUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function attributesOf(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/**
 * Markup-free, single-line text of at most `max` characters, or undefined when nothing is left. Tags
 * that came in as markup are dropped before entities are decoded, so `&lt;b&gt;` stays the text `<b>`.
 */
export function plainText(raw: string | undefined, max: number): string | undefined {
  if (raw === undefined) return undefined;
  const text = decodeEntities(raw.replace(/<[^>]*>?/g, ' '))
    // C0/C1 controls, and the bidi overrides that can make a title read backwards.
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  para: '¶',
  shy: '\u00ad',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ccedil: 'ç',
  ntilde: 'ñ',
  oslash: 'ø',
  aring: 'å',
  aelig: 'æ',
  Eacute: 'É',
};

/** Numeric character references and the common named entities; unknown names stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, ref) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\ufffd';
  });
}

/**
 * The character encoding a document declares in its first bytes (`<meta charset>` or the
 * `http-equiv` Content-Type), read from a latin1 view of them; undefined when none.
 */
export function declaredCharset(prefix: string): string | undefined {
  const direct = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(prefix);
  return direct?.[1].toLowerCase();
}
