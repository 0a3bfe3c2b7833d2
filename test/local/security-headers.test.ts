// The local server sends the security headers CloudFront sends, from the one definition both use
// (lib/security-headers.ts), so every browser test runs under the production Content-Security-Policy.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { contentSecurityPolicy, securityHeaders } from '../../lib/security-headers';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
}, 60_000);
afterAll(async () => {
  await rt?.close();
});

describe('security headers', () => {
  test.each(['/', '/spaces/engineering', '/config.json', '/favicon.svg'])(
    'the local server sends them on %s',
    async (pathname) => {
      const response = await fetch(`${rt.url}${pathname}`);
      await response.arrayBuffer();
      for (const [name, value] of Object.entries(
        securityHeaders({ https: false, fileOrigins: [rt.filesOrigin] }),
      ))
        expect([name, response.headers.get(name)]).toEqual([name, value]);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  test('over plain HTTP there is no HSTS and nothing to upgrade; over HTTPS both are sent', () => {
    expect(
      securityHeaders({ https: false, fileOrigins: [rt.filesOrigin] })['Strict-Transport-Security'],
    ).toBeUndefined();
    expect(contentSecurityPolicy([], { https: false })).not.toContain('upgrade-insecure-requests');
    const https = securityHeaders({ https: true, signInOrigins: ['https://login.example.com'] });
    expect(https['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(https['Content-Security-Policy']).toContain("connect-src 'self' https://login.example.com;");
    expect(https['Content-Security-Policy']).toMatch(/upgrade-insecure-requests$/);
  });

  test('CloudFront’s response-headers policy reads the same definition', () => {
    const web = fs.readFileSync('lib/constructs/web.ts', 'utf8');
    expect(web).toMatch(/from '\.\.\/security-headers'/);
    // No second copy of a header value in the construct.
    expect(web).not.toMatch(/img-src|Permissions-Policy'|same-origin'|Duration\.days\(730\)/);
  });
});
