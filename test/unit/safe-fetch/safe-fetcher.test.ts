/**
 * The safe fetcher (functions/safe-fetch/) against real HTTP servers on 127.0.0.1 and an injected
 * resolver. The happy path lets the fetcher reach 127.0.0.1 through the explicit test seam
 * (`testOnlyAllowAddress`); every refusal is proven by a fetcher WITHOUT that seam (or with it allowing
 * only 127.0.0.1, for redirects away from the test server), and each refused literal is checked never
 * to reach the resolver at all.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { classifyAddress } from '../../../functions/safe-fetch/address-policy';
import { MAX_PAGE_BYTES, SafePageMetadataFetcher } from '../../../functions/safe-fetch/page-metadata-fetcher';
import {
  FetchFailed,
  FetchRefused,
  type Resolver,
  SafeFetcher,
  type SafeFetcherOptions,
  safeFetcherOptionsFromEnvironment,
} from '../../../functions/safe-fetch/safe-fetcher';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db00000000049454e44ae426082',
  'hex',
);

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];
const closedEarly = new Set<string>();
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    seen.push({ path, headers: req.headers });
    res.on('close', () => {
      if (!res.writableFinished) closedEarly.add(path);
    });
    const route = routes.get(path);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const page = (head: string, body = '<p>body</p>') =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const html =
  (content: string, headers: http.OutgoingHttpHeaders = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(content);
  };
const redirect =
  (location: string, status = 302): Handler =>
  (_req, res) => {
    res.writeHead(status, { location, 'set-cookie': 'session=secret; Path=/' }).end();
  };

/** A resolver that maps names to addresses and counts its lookups; unknown names fail like NXDOMAIN. */
function resolverOf(names: Record<string, string | string[]>) {
  const calls: string[] = [];
  const resolve: Resolver = async (hostname) => {
    calls.push(hostname);
    const answer = names[hostname];
    if (answer === undefined) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return [answer]
      .flat()
      .map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
  return { resolve, calls };
}

const publicName = 'links.example.com';
/** The fetcher tests use for the happy path: the test server's port allowed, 127.0.0.1 let through. */
function testFetcher(options: SafeFetcherOptions = {}) {
  const resolver = resolverOf({ [publicName]: '127.0.0.1' });
  const fetcher = new SafeFetcher({
    resolver: resolver.resolve,
    allowedPorts: [port],
    testOnlyAllowAddress: (address) => address === '127.0.0.1',
    ...options,
  });
  return { fetcher, resolver };
}
const get = (fetcher: SafeFetcher, url: string, maxBytes = 1024 * 1024) =>
  fetcher.fetch(url, { maxBytes, accept: 'text/html' });
const at = (path: string) => `http://${publicName}:${port}${path}`;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchRefused);
  return (error as FetchRefused).reason;
}

describe('the address policy', () => {
  it.each([
    ['127.0.0.1', 'forbidden'],
    ['127.255.255.254', 'forbidden'],
    ['0.0.0.0', 'forbidden'],
    ['0.1.2.3', 'forbidden'],
    ['169.254.169.254', 'forbidden'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['100.128.0.1', 'public'],
    ['224.0.0.1', 'forbidden'],
    ['255.255.255.255', 'forbidden'],
    ['198.18.0.1', 'forbidden'],
    ['93.184.215.14', 'public'],
    ['::1', 'forbidden'],
    ['::', 'forbidden'],
    ['fe80::1', 'forbidden'],
    ['febf::1', 'forbidden'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['ff02::1', 'forbidden'],
    ['64:ff9b::7f00:1', 'forbidden'],
    ['2002:7f00:1::', 'forbidden'],
    ['2001:db8::1', 'forbidden'],
    ['2606:4700::1111', 'public'],
    ['::ffff:127.0.0.1', 'forbidden'],
    ['::fFFf:127.0.0.1', 'forbidden'],
    ['::ffff:7f00:1', 'forbidden'],
    ['[::ffff:169.254.169.254]', 'forbidden'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'forbidden'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)?.class).toBe(expected);
  });

  it('judges an IPv4-mapped address as, and connects to, the IPv4 address', () => {
    expect(classifyAddress('::FFFF:8.8.8.8')).toEqual({ family: 4, address: '8.8.8.8', class: 'public' });
  });

  it('does not take names or malformed text for addresses', () => {
    for (const text of ['localhost', '1.2.3', '256.1.1.1', '1::2::3', 'fe80::1%eth0', ''])
      expect(classifyAddress(text)).toBeUndefined();
  });
});

describe('the safe fetcher: what it fetches and how', () => {
  it('fetches from the address the name resolved to, with a plain User-Agent and no credentials', async () => {
    routes.set('/hello', html(page('<title>Hello</title>')));
    const { fetcher, resolver } = testFetcher();
    const response = await get(fetcher, at('/hello'));
    expect(response.status).toBe(200);
    expect(response.address).toBe('127.0.0.1');
    expect(response.body.toString()).toContain('<title>Hello</title>');
    expect(resolver.calls).toEqual([publicName]);
    const request = seen.filter((r) => r.path === '/hello').at(-1)!;
    expect(request.headers.host).toBe(`${publicName}:${port}`);
    expect(request.headers['user-agent']).toBe('CommonplaceLinkPreview/1.0');
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['proxy-authorization']).toBeUndefined();
  });

  it('follows up to three redirects, checking each, and sends back no cookie it was given', async () => {
    routes.set('/r1', redirect('/r2'));
    routes.set('/r2', redirect(`http://${publicName}:${port}/r3`, 301));
    routes.set('/r3', redirect('/r-end', 307));
    routes.set('/r-end', html(page('<title>End</title>')));
    const { fetcher, resolver } = testFetcher();
    const response = await get(fetcher, at('/r1'));
    expect(response.url).toBe(at('/r-end'));
    expect(resolver.calls).toHaveLength(4);
    for (const path of ['/r2', '/r3', '/r-end'])
      expect(seen.filter((r) => r.path === path).at(-1)!.headers.cookie).toBeUndefined();
  });

  it('refuses a fourth redirect', async () => {
    routes.set('/loop1', redirect('/loop2'));
    routes.set('/loop2', redirect('/loop3'));
    routes.set('/loop3', redirect('/loop4'));
    routes.set('/loop4', redirect('/loop5'));
    routes.set('/loop5', html(page('<title>Too far</title>')));
    const before = seen.length;
    expect(await refusal(get(testFetcher().fetcher, at('/loop1')))).toBe('too many redirects');
    expect(seen.slice(before).map((r) => r.path)).toEqual(['/loop1', '/loop2', '/loop3', '/loop4']);
  });

  it('cuts a body at the byte cap and does not read the rest', async () => {
    routes.set('/big', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write(`<html><head><title>Big</title>${'x'.repeat(64 * 1024)}`);
      // ~2 MB more, written as the client reads; it should stop reading long before the end.
      let left = 32;
      const more = () => {
        while (left-- > 0) if (!res.write('y'.repeat(64 * 1024))) return void res.once('drain', more);
        res.end('</head></html>');
      };
      more();
    });
    const response = await get(testFetcher().fetcher, at('/big'), 100 * 1024);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(100 * 1024);
  });

  it('caps the decompressed size of a compressed body (no zip bomb)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x61));
    routes.set('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    });
    const response = await get(testFetcher().fetcher, at('/bomb'), 64 * 1024);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(64 * 1024);
  });

  it('gives up on a slow server at the deadline, redirects included', async () => {
    routes.set('/slow', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const drip = setInterval(() => res.write('<!-- still here -->'), 50);
      res.on('close', () => clearInterval(drip));
    });
    routes.set('/to-slow', redirect('/slow'));
    const { fetcher } = testFetcher({ timeoutMs: 300 });
    const started = Date.now();
    const error = await get(fetcher, at('/to-slow')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchFailed);
    expect((error as FetchFailed).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops reading at the end of the head when asked', async () => {
    routes.set('/head-then-hang', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Quick</title></he');
      setTimeout(() => res.write('ad><body>never read to the end'), 20);
      // …and never ends the response.
    });
    const { fetcher } = testFetcher({ timeoutMs: 3000 });
    const started = Date.now();
    const response = await fetcher.fetch(at('/head-then-hang'), {
      maxBytes: 1024 * 1024,
      accept: 'text/html',
      stopWhen: (text) => /<\/head>/i.test(text),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.body.toString()).toContain('</head>');
    expect(response.truncated).toBe(false);
  });
});

describe('the safe fetcher: refusals', () => {
  /** A fetcher with no test seam: refusals must come from the rules themselves. */
  function strictFetcher(names: Record<string, string | string[]> = {}, options: SafeFetcherOptions = {}) {
    const resolver = resolverOf(names);
    return { fetcher: new SafeFetcher({ resolver: resolver.resolve, ...options }), resolver };
  }

  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f.0.0.1/',
    'http://0x7f000001/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::fFFf:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/',
    'http://0251.0376.0251.0376/',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://100.64.0.1/',
    'http://100.127.255.254/',
    'http://0.0.0.0/',
    'http://0/',
    'http://0.1.2.3/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.0.1/',
    'http://[fc00::1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
  ])('refuses %s without asking DNS', async (url) => {
    const { fetcher, resolver } = strictFetcher();
    expect(await refusal(get(fetcher, url))).toBe('address');
    expect(resolver.calls).toEqual([]);
  });

  it.each([
    ['loopback', '127.0.0.1'],
    ['the metadata address', '169.254.169.254'],
    ['CGNAT', '100.100.100.200'],
    ['this network', '0.0.0.0'],
    ['unique-local IPv6', 'fc00::5'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
  ])('refuses a public-looking name that resolves to %s', async (_, address) => {
    const { fetcher } = strictFetcher({ 'innocent.example.com': address });
    expect(await refusal(get(fetcher, 'http://innocent.example.com/'))).toBe('address');
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const { fetcher } = strictFetcher({ 'mixed.example.com': ['93.184.215.14', '10.0.0.7'] });
    expect(await refusal(get(fetcher, 'http://mixed.example.com/'))).toBe('address');
  });

  it('resolves once and connects to the checked address: a rebinding second answer is never asked for', async () => {
    routes.set('/rebind', html(page('<title>First answer</title>')));
    let lookups = 0;
    const rebinding: Resolver = async () => [
      lookups++ === 0 ? { address: '127.0.0.1', family: 4 } : { address: '10.0.0.1', family: 4 },
    ];
    const fetcher = new SafeFetcher({
      resolver: rebinding,
      allowedPorts: [port],
      testOnlyAllowAddress: (address) => address === '127.0.0.1',
    });
    const response = await get(fetcher, `http://rebind.example.com:${port}/rebind`);
    expect(lookups).toBe(1);
    expect(response.address).toBe('127.0.0.1');
    expect(response.body.toString()).toContain('First answer');
    // The other way round: a name whose first answer is private is refused, whatever it says later.
    lookups = 0;
    const rebindingBack: Resolver = async () => [
      lookups++ === 0 ? { address: '10.0.0.1', family: 4 } : { address: '127.0.0.1', family: 4 },
    ];
    const strict = new SafeFetcher({
      resolver: rebindingBack,
      allowedPorts: [port],
      testOnlyAllowAddress: (address) => address === '127.0.0.1',
    });
    expect(await refusal(get(strict, `http://rebind.example.com:${port}/rebind`))).toBe('address');
    expect(lookups).toBe(1);
  });

  it.each([
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['the metadata address as IPv4-mapped IPv6', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['the metadata address in decimal', 'http://2852039166/latest/meta-data/'],
    ['a name resolving to the metadata address', 'http://metadata.example.com/latest/meta-data/'],
    ['a private address', 'http://10.0.0.1/'],
  ])('refuses a redirect chain that ends at %s', async (_, target) => {
    routes.set('/chain1', redirect('/chain2'));
    routes.set('/chain2', redirect(target));
    // The seam lets the fetcher reach the test server (127.0.0.1) and nothing else.
    const resolver = resolverOf({ [publicName]: '127.0.0.1', 'metadata.example.com': '169.254.169.254' });
    const fetcher = new SafeFetcher({
      resolver: resolver.resolve,
      allowedPorts: [port],
      testOnlyAllowAddress: (address) => address === '127.0.0.1',
    });
    const before = seen.length;
    expect(await refusal(get(fetcher, at('/chain1')))).toBe('address');
    expect(seen.slice(before).map((r) => r.path)).toEqual(['/chain1', '/chain2']);
  });

  it.each([
    'file:///etc/passwd',
    'ftp://files.example.com/',
    'gopher://example.com/',
    'javascript:alert(1)',
    'data:text/html,<title>x</title>',
  ])('refuses the scheme of %s', async (url) => {
    const { fetcher, resolver } = strictFetcher({ 'files.example.com': '93.184.215.14' });
    expect(await refusal(get(fetcher, url))).toBe('scheme');
    expect(resolver.calls).toEqual([]);
  });

  it('refuses a redirect to another scheme', async () => {
    routes.set('/to-file', redirect('file:///etc/passwd'));
    expect(await refusal(get(testFetcher().fetcher, at('/to-file')))).toBe('scheme');
  });

  it('refuses ports other than 80 and 443 unless the operator allows them', async () => {
    const { fetcher } = strictFetcher({ 'www.example.com': '93.184.215.14' });
    expect(await refusal(get(fetcher, 'http://www.example.com:8080/'))).toBe('port');
    expect(await refusal(get(fetcher, 'https://www.example.com:22/'))).toBe('port');
    routes.set('/ported', html(page('<title>On an allowed port</title>')));
    // The same test server, reachable once its port is on the allow-list.
    const allowed = new SafeFetcher({
      resolver: resolverOf({ [publicName]: '127.0.0.1' }).resolve,
      testOnlyAllowAddress: (address) => address === '127.0.0.1',
    });
    expect(await refusal(get(allowed, at('/ported')))).toBe('port');
    const withPort = new SafeFetcher({
      resolver: resolverOf({ [publicName]: '127.0.0.1' }).resolve,
      testOnlyAllowAddress: (address) => address === '127.0.0.1',
      ...safeFetcherOptionsFromEnvironment({ SAFE_FETCH_ALLOWED_PORTS: `8443, ${port}` }),
    });
    expect((await get(withPort, at('/ported'))).status).toBe(200);
  });

  it('refuses credentials in the URL', async () => {
    const { fetcher } = strictFetcher({ 'www.example.com': '93.184.215.14' });
    expect(await refusal(get(fetcher, 'http://user:secret@www.example.com/'))).toBe('credentials in URL');
  });

  it('lets an allow-listed host reach a private address, never loopback or the metadata address', async () => {
    const names = {
      'wiki.corp.example': '10.0.0.5',
      'intranet.corp.example': '127.0.0.1',
      'meta.corp.example': '169.254.169.254',
      'other.example': '10.0.0.5',
    };
    const { fetcher } = strictFetcher(
      names,
      safeFetcherOptionsFromEnvironment({ SAFE_FETCH_ALLOWED_HOSTS: 'unused.example, .corp.example' }),
    );
    // Decided without connecting (a unit test does not open sockets to a private network).
    expect(await fetcher.addressFor('http://wiki.corp.example/')).toBe('10.0.0.5');
    expect(await fetcher.addressFor('http://WIKI.Corp.Example/')).toBe('10.0.0.5');
    expect(await refusal(get(fetcher, 'http://intranet.corp.example/'))).toBe('address');
    expect(await refusal(get(fetcher, 'http://meta.corp.example/'))).toBe('address');
    expect(await refusal(get(fetcher, 'http://other.example/'))).toBe('address');
  });

  it('rejects a malformed allow-list at start', () => {
    expect(() => safeFetcherOptionsFromEnvironment({ SAFE_FETCH_ALLOWED_PORTS: '80,http' })).toThrow(
      /SAFE_FETCH_ALLOWED_PORTS/,
    );
  });
});

describe('page metadata through the safe fetcher', () => {
  const metadataFetcher = (options: SafeFetcherOptions = {}) =>
    new SafePageMetadataFetcher(testFetcher(options).fetcher, { maxIconBytes: 1024 });

  it('reads title, description and icon as plain text and a data: URL', async () => {
    routes.set(
      '/article',
      html(
        page(
          `<title>Tom &amp; Jerry <script>alert(1)</script> &lt;b&gt;</title>
           <meta property="og:title" content="Ignored, the title wins">
           <meta name="description" content="  A  cat
             and a &quot;mouse&quot; &#x1F42D;  ">
           <meta property="og:image" content="http://${publicName}:${port}/og.png">
           <link rel="icon" type="image/svg+xml" href="/icon.svg">
           <link rel="shortcut icon" href="/icon.png">`,
        ),
      ),
    );
    routes.set('/icon.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    routes.set('/og.png', (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    routes.set('/icon.svg', (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg/>'),
    );
    const before = seen.length;
    const meta = await metadataFetcher().fetchPageMetadata(at('/article'));
    expect(meta).toEqual({
      title: 'Tom & Jerry <b>',
      description: 'A cat and a "mouse" 🐭',
      icon: `data:image/png;base64,${PNG.toString('base64')}`,
    });
    // Neither og:image nor the SVG icon was ever requested.
    expect(seen.slice(before).map((r) => r.path)).toEqual(['/article', '/icon.png']);
  });

  it('reads og: tags when there is no title or description, and decodes a declared charset', async () => {
    const latin1 = Buffer.from(
      page(
        '<meta charset="iso-8859-1"><meta property="og:title" content="Caf\u00e9 M\u00fcller"><meta property="og:description" content="Gr\u00fc\u00dfe">',
      ),
      'latin1',
    );
    routes.set('/latin1', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(latin1));
    const meta = await metadataFetcher().fetchPageMetadata(at('/latin1'));
    expect(meta.title).toBe('Café Müller');
    expect(meta.description).toBe('Grüße');
  });

  it('caps the length of a title', async () => {
    routes.set('/long', html(page(`<title>${'word '.repeat(200)}</title>`)));
    const meta = await metadataFetcher().fetchPageMetadata(at('/long'));
    expect(Array.from(meta.title!).length).toBeLessThanOrEqual(300);
    expect(meta.title!.endsWith('…')).toBe(true);
  });

  it('keeps no icon that is too large, not an image, or only claims to be one', async () => {
    const cases: [string, http.OutgoingHttpHeaders, Buffer][] = [
      ['/too-big.png', { 'content-type': 'image/png' }, Buffer.concat([PNG, Buffer.alloc(2048)])],
      ['/not-image.png', { 'content-type': 'text/html' }, PNG],
      ['/liar.png', { 'content-type': 'image/png' }, Buffer.from('<script>alert(1)</script>')],
    ];
    for (const [path, headers, body] of cases) {
      routes.set(path, (_req, res) => res.writeHead(200, headers).end(body));
      routes.set(`/page${path}`, html(page(`<title>T</title><link rel=icon href="${path}">`)));
      expect(await metadataFetcher().fetchPageMetadata(at(`/page${path}`))).toEqual({ title: 'T' });
    }
  });

  it('falls back to /favicon.ico of the final URL', async () => {
    const ico = Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.alloc(60)]);
    routes.set('/favicon.ico', (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/x-icon' }).end(ico),
    );
    routes.set('/plain', html(page('<title>Plain</title>')));
    const meta = await metadataFetcher().fetchPageMetadata(at('/plain'));
    expect(meta.icon).toBe(`data:image/x-icon;base64,${ico.toString('base64')}`);
  });

  it('refuses what is not HTML and fails on an error status', async () => {
    routes.set('/json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    routes.set('/gone', (_req, res) => res.writeHead(410, { 'content-type': 'text/html' }).end('gone'));
    await expect(metadataFetcher().fetchPageMetadata(at('/json'))).rejects.toBeInstanceOf(FetchRefused);
    await expect(metadataFetcher().fetchPageMetadata(at('/gone'))).rejects.toBeInstanceOf(FetchFailed);
  });

  it('reads a page of more than the 1 MB cap only up to the cap, and stops at </head>', async () => {
    routes.set('/huge-head', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Huge</title><meta name="description" content="first">');
      let left = 40; // 40 × 64 KiB = 2.5 MiB of head
      const more = () => {
        while (left-- > 0)
          if (!res.write(`<meta name="x" content="${'z'.repeat(64 * 1024)}">`))
            return void res.once('drain', more);
        res.end('</head></html>');
      };
      more();
    });
    const meta = await metadataFetcher().fetchPageMetadata(at('/huge-head'));
    expect(meta).toMatchObject({ title: 'Huge', description: 'first' });
    expect(MAX_PAGE_BYTES).toBe(1024 * 1024);

    routes.set('/endless-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write(page('<title>Stops</title>', ''));
      // The body never ends; only stopping at </head> returns before the deadline.
    });
    const started = Date.now();
    expect((await metadataFetcher({ timeoutMs: 3000 }).fetchPageMetadata(at('/endless-body'))).title).toBe(
      'Stops',
    );
    expect(Date.now() - started).toBeLessThan(2000);
    // The server sees the connection closed before its response ended.
    for (let i = 0; i < 50 && !closedEarly.has('/endless-body'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(closedEarly.has('/endless-body')).toBe(true);
  });
});
