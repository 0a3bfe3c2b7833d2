/**
 * Which IP addresses the safe fetcher may connect to. IPv4: everything except the IANA special-purpose
 * ranges (loopback, private, link-local with the cloud metadata address, CGNAT, "this network",
 * documentation, benchmarking, multicast, reserved, broadcast). IPv6: only global unicast (2000::/3),
 * minus the special-purpose and documentation blocks and the transition prefixes that embed an IPv4
 * address we could not vouch for (6to4, Teredo); an IPv4-mapped address (::ffff:a.b.c.d, in any case
 * or spelling) is judged as the IPv4 address it maps to. Allow-listing here (rather than deny-listing
 * the bad IPv6 ranges) means a range nobody thought of is refused, not reached.
 *
 * Addresses are compared as numbers, never as strings, so no spelling (decimal 2130706433, octal
 * 0177.0.0.1, short 127.1, hex 0x7f.1, ::fFFf:7f00:1) slips past: hosts written as IPv4 literals are
 * normalised by the WHATWG URL parser before they get here, and both families are parsed to bytes.
 */

export type AddressClass =
  | 'public'
  /** 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), fc00::/7 (unique local): an allow-listed host may use these. */
  | 'private'
  /** loopback, link-local (the metadata address), 0/8, multicast, reserved, documentation… never reachable. */
  | 'forbidden';

export interface ParsedAddress {
  family: 4 | 6;
  /** The address to connect to, canonical (an IPv4-mapped IPv6 address becomes its IPv4 address). */
  address: string;
  class: AddressClass;
}

type Range = { base: number[]; bits: number; class: AddressClass };

const v4 = (cidr: string, cls: AddressClass): Range => {
  const [base, bits] = cidr.split('/');
  return { base: base.split('.').map(Number), bits: Number(bits), class: cls };
};

/** IANA IPv4 special-purpose registry, plus multicast and the reserved class E. */
const IPV4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'forbidden'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'private'),
  v4('127.0.0.0/8', 'forbidden'),
  v4('169.254.0.0/16', 'forbidden'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'forbidden'),
  v4('192.0.2.0/24', 'forbidden'),
  v4('192.88.99.0/24', 'forbidden'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'forbidden'),
  v4('198.51.100.0/24', 'forbidden'),
  v4('203.0.113.0/24', 'forbidden'),
  v4('224.0.0.0/4', 'forbidden'),
  v4('240.0.0.0/4', 'forbidden'),
];

const v6 = (prefix: string, bits: number, cls: AddressClass): Range => ({
  base: parseIPv6(prefix)!,
  bits,
  class: cls,
});

/** Inside 2000::/3 (global unicast), the blocks that are not the public internet. */
const IPV6_GLOBAL_EXCEPTIONS: Range[] = [
  v6('2001::', 23, 'forbidden'), // IETF protocol assignments, including Teredo 2001::/32
  v6('2001:db8::', 32, 'forbidden'), // documentation
  v6('2002::', 16, 'forbidden'), // 6to4: embeds an IPv4 address
  v6('3fff::', 20, 'forbidden'), // documentation
];
const IPV6_UNIQUE_LOCAL = v6('fc00::', 7, 'private');
const IPV6_GLOBAL_UNICAST = v6('2000::', 3, 'public');

function inRange(bytes: number[], range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.base[i] & mask)) return false;
  }
  return true;
}

/** Strict dotted quad (what the URL parser and DNS produce); anything else is not an IPv4 address here. */
export function parseIPv4(text: string): number[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** 16 bytes, or undefined. Accepts `::` compression and a trailing dotted quad; no zone ids. */
export function parseIPv6(text: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let groups: string[];
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const last = (tail.length ? tail : head).at(-1);
  let embedded: number[] | undefined;
  if (last?.includes('.')) {
    embedded = parseIPv4(last);
    if (!embedded) return undefined;
    (tail.length ? tail : head).pop();
  }
  const width = 8 - (embedded ? 2 : 0);
  if (halves.length === 2) {
    const missing = width - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== width || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const bytes = groups.flatMap((g) => {
    const value = Number.parseInt(g, 16);
    return [value >> 8, value & 0xff];
  });
  return embedded ? [...bytes, ...embedded] : bytes;
}

function classifyIPv4(bytes: number[]): AddressClass {
  return IPV4_RANGES.find((range) => inRange(bytes, range))?.class ?? 'public';
}

/**
 * Parses and classifies an IP address as DNS returns it or as a URL holds it (IPv6 with or without
 * brackets). Undefined when the text is not an IP address at all.
 */
export function classifyAddress(text: string): ParsedAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const ipv4 = parseIPv4(bare);
  if (ipv4) return { family: 4, address: ipv4.join('.'), class: classifyIPv4(ipv4) };
  const ipv6 = parseIPv6(bare);
  if (!ipv6) return undefined;
  // ::ffff:a.b.c.d (IPv4-mapped): the socket would reach the IPv4 address, so judge (and use) that.
  const mapped = ipv6.slice(0, 10).every((b) => b === 0) && ipv6[10] === 0xff && ipv6[11] === 0xff;
  if (mapped) {
    const inner = ipv6.slice(12);
    return { family: 4, address: inner.join('.'), class: classifyIPv4(inner) };
  }
  const address = ipv6
    .filter((_, i) => i % 2 === 0)
    .map((high, i) => ((high << 8) | ipv6[i * 2 + 1]).toString(16))
    .join(':');
  let cls: AddressClass = 'forbidden';
  if (inRange(ipv6, IPV6_UNIQUE_LOCAL)) cls = 'private';
  else if (inRange(ipv6, IPV6_GLOBAL_UNICAST))
    cls = IPV6_GLOBAL_EXCEPTIONS.find((range) => inRange(ipv6, range))?.class ?? 'public';
  return { family: 6, address, class: cls };
}
