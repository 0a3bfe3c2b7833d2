/**
 * URLs in Markdown and raw HTML as a browser will read them: entities decoded, then only http(s),
 * mailto and relative destinations pass (and images only over http(s)). Node-free.
 */

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
export function decodeEntities(value: string): string {
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

export type SafeUrl = { url: string; external: boolean };

/**
 * The stable link of an attached file (`/files/<spaceId>/<page|post>/<ownerId>/<attachmentId>`, see
 * domain/attachments/attachment.ts). Such an image is not fetched from the app: the web client asks the
 * API (which checks the reader) for a short-lived link on the download origin and loads that.
 */
export const ATTACHMENT_PATH =
  /^\/files\/[A-Za-z0-9~._-]{1,64}\/(?:page|post)\/[A-Za-z0-9~._-]{1,64}\/[A-Za-z0-9]{1,64}$/;

/** The attachment path a URL is, or null. */
export function attachmentPathOf(raw: string): string | null {
  const url = canonicalUrl(raw);
  return ATTACHMENT_PATH.test(url) ? url : null;
}

/**
 * The canonical URL if it may appear as a link (`http`, `https`, `mailto`, or relative, `#`/`?`
 * included) or an image (`http`, `https` only); null otherwise. Any remaining control character
 * rejects the URL outright rather than guessing how a browser would read it.
 */
export function safeUrl(raw: string, use: 'link' | 'image'): SafeUrl | null {
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
