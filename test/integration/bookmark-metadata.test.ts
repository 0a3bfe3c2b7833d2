/**
 * Bookmark metadata over the local runtime: a shared URL item (the bookmarks module's contract:
 * `PK=URL#<hash>`, `SK=URL`, `type: 'bookmarkUrl'`, `url`) written straight into the local table is
 * picked up from the local stream by the same consumer the Lambda runs, fetched through the safe
 * fetcher from a server on 127.0.0.1 (reached through an injected resolver and the fetcher's test-only
 * address seam), and `meta` is written back; a URL the fetcher refuses gets `meta: {}` and a reason and
 * leaves nothing in the failure destination; the consumer's own write, and later changes of the item,
 * fetch nothing again; a URL deleted before its turn is not brought back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SafePageMetadataFetcher } from '../../functions/safe-fetch/page-metadata-fetcher';
import { SafeFetcher } from '../../functions/safe-fetch/safe-fetcher';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
let server: http.Server;
let port: number;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/article')
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<html><head><title>Shared &amp; saved</title><meta name="description" content="Why links beat attachments"></head><body></body></html>',
        );
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const fetcher = new SafeFetcher({
    resolver: async (hostname) =>
      hostname === 'links.example.com' ? [{ address: '127.0.0.1', family: 4 }] : [],
    allowedPorts: [port],
    testOnlyAllowAddress: (address) => address === '127.0.0.1',
  });
  rt = await startTestRuntime({ metadataFetcher: new SafePageMetadataFetcher(fetcher) });
}, 60_000);

afterAll(async () => {
  await rt?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const urlItem = (hash: string, url: string) => ({ PK: `URL#${hash}`, SK: 'URL', type: 'bookmarkUrl', url });

describe('bookmark metadata from the stream', () => {
  it('fills in title and description of a new URL item, once', async () => {
    await rt.table.put(urlItem('ok', `http://links.example.com:${port}/article`));
    await rt.drain();
    const item = await rt.table.get({ PK: 'URL#ok', SK: 'URL' });
    expect(item).toMatchObject({
      url: `http://links.example.com:${port}/article`,
      meta: { title: 'Shared & saved', description: 'Why links beat attachments' },
      metaFetchedAt: expect.any(String),
    });
    expect(item?.metaError).toBeUndefined();
    expect(hits.filter((h) => h === '/article')).toHaveLength(1);

    // A later change of the item (say, a save count) does not fetch again.
    await rt.table.update({
      Key: { PK: 'URL#ok', SK: 'URL' },
      UpdateExpression: 'SET saves = :n',
      ExpressionAttributeValues: { ':n': 2 },
    });
    await rt.drain();
    expect(hits.filter((h) => h === '/article')).toHaveLength(1);
  });

  it('records a refused URL without failing the stream', async () => {
    await rt.table.put(urlItem('metadata', 'http://169.254.169.254/latest/meta-data/'));
    await rt.table.put(urlItem('mapped', 'http://[::ffff:169.254.169.254]/'));
    await rt.drain();
    for (const hash of ['metadata', 'mapped']) {
      const item = await rt.table.get({ PK: `URL#${hash}`, SK: 'URL' });
      expect(item).toMatchObject({
        meta: {},
        metaError: 'FetchRefused: address',
        metaFetchedAt: expect.any(String),
      });
    }
    expect(rt.failures.list()).toEqual([]);
  });

  it('does not bring back a URL item deleted before its metadata was fetched', async () => {
    await rt.table.put(urlItem('gone', `http://links.example.com:${port}/article`));
    await rt.table.delete({ PK: 'URL#gone', SK: 'URL' });
    await rt.drain();
    expect(await rt.table.get({ PK: 'URL#gone', SK: 'URL' })).toBeUndefined();
    expect(rt.failures.list()).toEqual([]);
  });
});
