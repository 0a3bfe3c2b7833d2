/**
 * Which files may be attached, and what a file really is, judged from its first bytes (never from its
 * name or the type the browser claims). A `.png` whose bytes are HTML is refused at confirmation.
 * Pure; the magic numbers are the ones in the formats' specifications (and in `file`'s magic database).
 */

/** What the first bytes say a file is. */
export type Sniffed =
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'webp'
  | 'pdf'
  | 'svg'
  | 'zip'
  | 'ole'
  | 'html'
  | 'text'
  | 'unknown';

export interface AllowedType {
  /** The lower-case extensions a name of this type may end with. */
  extensions: readonly string[];
  /** What its first bytes must be. */
  magic: Sniffed;
  /** Shown in the browser when downloaded (images and PDF); everything else is saved. */
  inline: boolean;
  /** May be shown as an `<img>` in a post or page (and as a profile photo). */
  image: boolean;
}

const OFFICE_ZIP = (extensions: string[]): AllowedType => ({
  extensions,
  magic: 'zip',
  inline: false,
  image: false,
});

export const ALLOWED_TYPES: Readonly<Record<string, AllowedType>> = {
  'image/png': { extensions: ['png'], magic: 'png', inline: true, image: true },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], magic: 'jpeg', inline: true, image: true },
  'image/gif': { extensions: ['gif'], magic: 'gif', inline: true, image: true },
  'image/webp': { extensions: ['webp'], magic: 'webp', inline: true, image: true },
  // SVG can carry script: it is kept, but always served as a download from the download origin.
  'image/svg+xml': { extensions: ['svg'], magic: 'svg', inline: false, image: false },
  'application/pdf': { extensions: ['pdf'], magic: 'pdf', inline: true, image: false },
  'application/zip': OFFICE_ZIP(['zip']),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': OFFICE_ZIP(['docx']),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': OFFICE_ZIP(['xlsx']),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': OFFICE_ZIP(['pptx']),
  'application/vnd.oasis.opendocument.text': OFFICE_ZIP(['odt']),
  'application/vnd.oasis.opendocument.spreadsheet': OFFICE_ZIP(['ods']),
  'application/msword': { extensions: ['doc'], magic: 'ole', inline: false, image: false },
  'application/vnd.ms-excel': { extensions: ['xls'], magic: 'ole', inline: false, image: false },
  'application/vnd.ms-powerpoint': { extensions: ['ppt'], magic: 'ole', inline: false, image: false },
  'text/plain': { extensions: ['txt', 'log', 'md'], magic: 'text', inline: false, image: false },
  'text/csv': { extensions: ['csv'], magic: 'text', inline: false, image: false },
};

/** Profile photos: what the client's square crop produces. */
export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** How many first bytes sniffing reads. */
export const SNIFF_BYTES = 512;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  signature.every((byte, i) => bytes[offset + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** What the first bytes of a file are. */
export function sniff(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  const text = asText(bytes);
  if (text === undefined) return 'unknown';
  // What a browser would render as markup if it ever sniffed: refused whatever the name says.
  const head = text
    .replace(/^\ufeff/, '')
    .trimStart()
    .toLowerCase();
  if (
    /^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head) ||
    /^<svg[\s>]/.test(head)
  )
    return 'svg';
  if (
    /<(!doctype html|html|head|body|script|iframe|object|embed|meta|svg|\?xml)[\s>/]/.test(
      head.slice(0, SNIFF_BYTES),
    )
  )
    return 'html';
  return 'text';
}

/** The bytes as text when they are UTF-8 without NUL or other binary control characters; else undefined. */
function asText(bytes: Uint8Array): string | undefined {
  // A multi-byte character cut at the end of the sample is not a reason to call the file binary.
  let end = bytes.length;
  for (let i = Math.max(0, end - 3); i < end; i++) if (bytes[i] >= 0xc0) end = i;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: binary control characters are what is looked for
    return /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The lower-case extension of a file name ('' when it has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Why a declared name and type are not accepted, or undefined when they are. */
export function declaredTypeProblem(name: string, contentType: string): string | undefined {
  const allowed = ALLOWED_TYPES[contentType];
  if (!allowed)
    return `Files of type ${contentType} cannot be attached; allowed are images (PNG, JPEG, GIF, WebP, SVG), PDF, Office and OpenDocument files, ZIP, plain text and CSV`;
  if (!allowed.extensions.includes(extensionOf(name)))
    return `A ${contentType} file's name must end in .${allowed.extensions.join(' or .')}`;
  return undefined;
}

/** Why the stored bytes do not match the declared type, or undefined when they do. */
export function contentProblem(contentType: string, start: Uint8Array): string | undefined {
  const allowed = ALLOWED_TYPES[contentType];
  const found = sniff(start);
  if (allowed && found === allowed.magic) return undefined;
  const what = found === 'html' ? 'HTML' : found === 'unknown' ? 'of no type we accept' : found.toUpperCase();
  return `The file was declared ${contentType} but its content is ${what}`;
}
