/**
 * The Netscape bookmark file: what every browser, linkding and Shaarli export. Parsing is line by
 * line (each `<DT><A …>` one link, an optional `<DD>` after it its description), so an error names the
 * line and the rest still imports. Rendering escapes every value for HTML.
 */
import { escapeHtml } from '../content/escape-html';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_LINKS = 10_000;
/** Per-line errors an import job keeps (its item stays far below 400 KB); its count says how many in all. */
export const MAX_STORED_ERRORS = 200;

export interface NetscapeLink {
  line: number;
  href: string;
  title: string;
  description: string;
  tags: string[];
  /** ISO time from ADD_DATE (epoch seconds), when present and sane. */
  addedAt?: string;
}

/** Null when the text is not a bookmark file at all (no doctype): the import is refused as a whole. */
export function parseNetscape(text: string): NetscapeLink[] | null {
  if (!/<!DOCTYPE\s+NETSCAPE-Bookmark-file-1\s*>/i.test(text.slice(0, 4096))) return null;
  const links: NetscapeLink[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const anchor = /<DT>\s*<A\s([^>]*)>([\s\S]*?)<\/A>/i.exec(line);
    if (anchor) {
      const attributes = parseAttributes(anchor[1]);
      const seconds = Number(attributes.add_date);
      links.push({
        line: i + 1,
        href: attributes.href ?? '',
        title: decodeEntities(anchor[2].replace(/<[^>]*>/g, '')).trim(),
        description: '',
        tags: (attributes.tags ?? '')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        ...(Number.isFinite(seconds) && seconds > 0 && seconds < 32503680000
          ? { addedAt: new Date(Math.floor(seconds) * 1000).toISOString() }
          : {}),
      });
      continue;
    }
    const description = /^\s*<DD>([\s\S]*)$/i.exec(line);
    if (description && links.length && links.at(-1)!.line === i) {
      links.at(-1)!.description = decodeEntities(description[1].replace(/<[^>]*>/g, '')).trim();
    }
  }
  return links;
}

function parseAttributes(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attributes[match[1].toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[entity.toLowerCase()] ?? whole;
  });
}

export interface ExportedLink {
  url: string;
  title: string;
  description: string;
  tags: string[];
  savedAt: string;
  private: boolean;
}

export function renderNetscape(links: readonly ExportedLink[]): string {
  const lines = [
    '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
    '<!-- This is an automatically generated file. It will be read and overwritten. DO NOT EDIT! -->',
    '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
    '<TITLE>Bookmarks</TITLE>',
    '<H1>Bookmarks</H1>',
    '<DL><p>',
  ];
  for (const link of links) {
    const added = Math.floor(Date.parse(link.savedAt) / 1000);
    lines.push(
      `<DT><A HREF="${escapeHtml(link.url)}" ADD_DATE="${added}" PRIVATE="${link.private ? 1 : 0}" TAGS="${escapeHtml(link.tags.join(','))}">${escapeHtml(link.title || link.url)}</A>`,
    );
    // One line: a newline inside would end the description for every parser.
    if (link.description) lines.push(`<DD>${escapeHtml(link.description.replace(/\s*[\r\n]+\s*/g, ' '))}`);
  }
  lines.push('</DL><p>', '');
  return lines.join('\n');
}
