/**
 * The SAML metadata check (functions/safe-fetch/saml-metadata-check.ts) against a real HTTP server on
 * 127.0.0.1: SAML metadata passes through the test seam; without the seam the same URL is refused as
 * loopback; a page that is not metadata, an error status and a host that does not resolve are refused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { ProviderMetadataRefused } from '../../../functions/domain/orgs/identity-provider-registry';
import { SafeFetcher } from '../../../functions/safe-fetch/safe-fetcher';
import { samlMetadataCheck } from '../../../functions/safe-fetch/saml-metadata-check';

const METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
</md:EntityDescriptor>`;

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/metadata')
      return void res.writeHead(200, { 'content-type': 'application/xml' }).end(METADATA);
    if (req.url === '/html')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const port = () => Number(new URL(base).port);
const seam = () =>
  samlMetadataCheck(
    new SafeFetcher({ allowedPorts: [port()], testOnlyAllowAddress: (a) => a === '127.0.0.1' }),
  );

it('accepts SAML metadata (through the test seam only)', async () => {
  await expect(seam()(`${base}/metadata`)).resolves.toBeUndefined();
});

it('refuses the same URL as loopback without the seam', async () => {
  const check = samlMetadataCheck(new SafeFetcher({ allowedPorts: [port()] }));
  await expect(check(`${base}/metadata`)).rejects.toThrow(ProviderMetadataRefused);
  await expect(check(`${base}/metadata`)).rejects.toThrow(/address not allowed/);
});

it('refuses a page that is not SAML metadata, and an error status', async () => {
  await expect(seam()(`${base}/html`)).rejects.toThrow(/not SAML metadata/);
  await expect(seam()(`${base}/missing`)).rejects.toThrow(/HTTP 404/);
});

it('refuses a host that does not resolve as unreachable', async () => {
  const check = samlMetadataCheck(new SafeFetcher({ resolver: async () => [] }));
  await expect(check('https://idp.nowhere.example/metadata')).rejects.toThrow(/unreachable/);
});
