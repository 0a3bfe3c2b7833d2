/**
 * URL normalisation: two spellings of one link become one string, so saves de-duplicate and "who else
 * saved this" finds everyone. Scheme and host lower-cased, default ports and a trailing slash dropped,
 * query parameters sorted with known tracking parameters removed; the fragment is kept (it often names
 * the part of a page that was worth saving). Only http and https; at most 2,048 characters.
 */
import { createHash } from 'node:crypto';

export const MAX_URL_LENGTH = 2048;

/** Parameters that only say where a click came from: dropped, so they cannot split one link in two. */
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_eid',
  'mc_cid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_enc_id',
  'oly_anon_id',
  'vero_id',
  'vero_conv',
  'li_fat_id',
  '__s',
  'ref_src',
]);
const isTracking = (name: string) => name.startsWith('utm_') || TRACKING_EXACT.has(name);

export type UrlProblem = { message: string; detail: string };

export type NormalisedUrl = { url: string; host: string; urlHash: string };

/** The normalised form of `input`, or why it is refused (a 400 naming the field at the edge). */
export function normaliseUrl(input: string): NormalisedUrl | UrlProblem {
  const text = input.trim();
  if (text.length > MAX_URL_LENGTH)
    return { message: 'too long', detail: `URLs are limited to ${MAX_URL_LENGTH} characters.` };
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return { message: 'not a URL', detail: 'This is not a URL that can be opened (try https://…).' };
  }
  // URL already lower-cases scheme and host, drops default ports and turns names into punycode.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { message: 'not http(s)', detail: 'Only http and https links can be saved.' };
  if (!parsed.hostname)
    return { message: 'no host', detail: 'The URL needs a host name, such as example.com.' };
  if (parsed.username || parsed.password)
    return {
      message: 'has credentials',
      detail: 'Links with a user name or password in them cannot be saved; remove them first.',
    };
  const path = parsed.pathname.replace(/\/+$/, '');
  // Raw pairs, not URLSearchParams: re-encoding would turn `?flag` into `?flag=` and %20 into +.
  const pairs = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(decodeName(pair.split('=')[0]).toLowerCase()))
    .sort();
  const url = `${parsed.protocol}//${parsed.host}${path}${pairs.length ? `?${pairs.join('&')}` : ''}${parsed.hash}`;
  if (url.length > MAX_URL_LENGTH)
    return { message: 'too long', detail: `URLs are limited to ${MAX_URL_LENGTH} characters.` };
  return { url, host: parsed.hostname, urlHash: urlHash(url) };
}

export const isUrlProblem = (value: NormalisedUrl | UrlProblem): value is UrlProblem => 'message' in value;

/** 128 bits of SHA-256 of the normalised URL: the URL's id in keys and routes. */
export function urlHash(normalisedUrl: string): string {
  return createHash('sha256').update(normalisedUrl).digest('hex').slice(0, 32);
}

export const URL_HASH_PATTERN = /^[0-9a-f]{32}$/;

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
