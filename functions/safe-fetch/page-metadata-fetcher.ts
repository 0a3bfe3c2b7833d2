/**
 * The adapter of the domain's `MetadataFetcher` port (domain/bookmarks/metadata-fetcher.ts): the page
 * through the safe fetcher (1 MB at most, read only up to the end of its head), decoded from its
 * charset (utf-8 unless the response or the document says otherwise), parsed into plain text; then the
 * icon it names (or /favicon.ico), through the same fetcher with its own cap (32 KB), kept only when its
 * bytes are a PNG, ICO, GIF, JPEG or WebP image (never SVG, which can carry script), as a `data:` URL.
 * Nothing else the page names — `og:image` included — is ever fetched.
 */
import {
  declaredCharset,
  type MetadataFetcher,
  type PageMetadata,
  parseHeadMetadata,
  reachedHeadEnd,
} from '../domain/bookmarks/metadata-fetcher';
import {
  FetchFailed,
  FetchRefused,
  SafeFetcher,
  type SafeFetcherOptions,
  safeFetcherOptionsFromEnvironment,
} from './safe-fetcher';

export const MAX_PAGE_BYTES = 1024 * 1024;
export const MAX_ICON_BYTES = 32 * 1024;

export interface PageMetadataLimits {
  maxPageBytes?: number;
  maxIconBytes?: number;
}

export class SafePageMetadataFetcher implements MetadataFetcher {
  private readonly maxPageBytes: number;
  private readonly maxIconBytes: number;

  constructor(
    private readonly fetcher: SafeFetcher,
    limits: PageMetadataLimits = {},
  ) {
    this.maxPageBytes = limits.maxPageBytes ?? MAX_PAGE_BYTES;
    this.maxIconBytes = limits.maxIconBytes ?? MAX_ICON_BYTES;
  }

  async fetchPageMetadata(url: string): Promise<PageMetadata> {
    const page = await this.fetcher.fetch(url, {
      maxBytes: this.maxPageBytes,
      accept: 'text/html,application/xhtml+xml;q=0.9',
      stopWhen: reachedHeadEnd,
    });
    if (page.status < 200 || page.status > 299) throw new FetchFailed(`HTTP ${page.status}`);
    const type = mediaType(page.contentType);
    if (type && type !== 'text/html' && type !== 'application/xhtml+xml') throw new FetchRefused('not HTML');

    const { title, description, iconUrl } = parseHeadMetadata(
      decodeBody(page.body, page.contentType),
      page.url,
    );
    const icon = iconUrl ? await this.icon(iconUrl).catch(() => undefined) : undefined;
    return {
      ...(title ? { title } : {}),
      ...(description ? { description } : {}),
      ...(icon ? { icon } : {}),
    };
  }

  /** The icon as a data: URL, or undefined when it is missing, too large or not a raster image. */
  private async icon(url: string): Promise<string | undefined> {
    const response = await this.fetcher.fetch(url, {
      maxBytes: this.maxIconBytes,
      accept: 'image/png,image/x-icon,image/gif,image/jpeg,image/webp',
    });
    const type = mediaType(response.contentType);
    if (response.status !== 200 || response.truncated || !type?.startsWith('image/') || type.includes('svg'))
      return undefined;
    const sniffed = imageType(response.body);
    return sniffed ? `data:${sniffed};base64,${response.body.toString('base64')}` : undefined;
  }
}

/** The fetcher both runtimes use: the allow-list from the environment, nothing else configurable. */
export function metadataFetcherFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  options: Omit<SafeFetcherOptions, 'allowedPorts' | 'allowedHosts'> = {},
): MetadataFetcher {
  return new SafePageMetadataFetcher(
    new SafeFetcher({ ...options, ...safeFetcherOptionsFromEnvironment(env) }),
  );
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0].trim().toLowerCase() || undefined;
}

/** The response's charset, else a byte order mark, else the document's own declaration, else utf-8. */
export function decodeBody(body: Buffer, contentType: string | undefined): string {
  const fromHeader = /;\s*charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const bom =
    body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf
      ? 'utf-8'
      : body[0] === 0xff && body[1] === 0xfe
        ? 'utf-16le'
        : body[0] === 0xfe && body[1] === 0xff
          ? 'utf-16be'
          : undefined;
  const label = fromHeader ?? bom ?? declaredCharset(body.subarray(0, 1024).toString('latin1')) ?? 'utf-8';
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** The image type by its first bytes; only raster formats a browser shows inertly. */
export function imageType(bytes: Buffer): string | undefined {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x00, 0x00, 0x01, 0x00)) return 'image/x-icon';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  return undefined;
}
