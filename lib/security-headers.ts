/**
 * The security headers of every response, defined once: CloudFront's response-headers policy
 * (lib/constructs/web.ts) and the local server (local/static-files.ts) both read them from here, so
 * the browser tests run under the policy production sends. Plain data, no CDK imports.
 */

/** Values CloudFront's policy sets through its typed options (web.ts maps them to its enums). */
export const SECURITY_HEADERS = {
  hstsMaxAgeDays: 730,
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  contentTypeOptions: 'nosniff',
  // The legacy XSS auditor did more harm than good; "0" switches it off (OWASP advice).
  xssProtection: '0',
} as const;

/** Headers CloudFront sends as custom headers. */
export const CUSTOM_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/**
 * The Content-Security-Policy: only our own origin, plus sign-in endpoints for the token exchange.
 * Images only from our origin (and data:/blob:) and the files' download origin: Markdown turns external
 * images into links, so no post can make a reader's browser call another host. `fileOrigins` are the
 * download origin (images, photos) and where uploads are sent (the bucket; locally the blob server).
 * `realtimeOrigins`: the live notifications' WebSocket endpoint in AWS (locally the page's own host,
 * which 'self' covers for ws: too).
 */
export function contentSecurityPolicy(
  signInOrigins: string[],
  options: { https?: boolean; fileOrigins?: string[]; realtimeOrigins?: string[] } = {},
): string {
  const signIn = signInOrigins.length ? ` ${signInOrigins.join(' ')}` : '';
  const files = options.fileOrigins?.length ? ` ${options.fileOrigins.join(' ')}` : '';
  // Live notifications: the AppSync Events WebSocket endpoint (wss://…) in AWS.
  const realtime = options.realtimeOrigins?.length ? ` ${options.realtimeOrigins.join(' ')}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob:${files}`,
    "font-src 'self'",
    `connect-src 'self'${signIn}${files}${realtime}`,
    "manifest-src 'self'",
    "worker-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${signIn}`,
    // Served over plain HTTP (the local runtime) there is nothing to upgrade to.
    ...(options.https === false ? [] : ['upgrade-insecure-requests']),
  ].join('; ');
}

/**
 * Every header as sent, for a server that is not CloudFront. Over plain HTTP (the local runtime) HSTS
 * and upgrade-insecure-requests are left out: they would only break http://localhost.
 */
export function securityHeaders(options: {
  signInOrigins?: string[];
  https: boolean;
  fileOrigins?: string[];
}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options.signInOrigins ?? [], {
      https: options.https,
      fileOrigins: options.fileOrigins,
    }),
    ...(options.https
      ? {
          'Strict-Transport-Security': `max-age=${SECURITY_HEADERS.hstsMaxAgeDays * 86_400}; includeSubDomains`,
        }
      : {}),
    'X-Content-Type-Options': SECURITY_HEADERS.contentTypeOptions,
    'X-Frame-Options': SECURITY_HEADERS.frameOptions,
    'Referrer-Policy': SECURITY_HEADERS.referrerPolicy,
    'X-XSS-Protection': SECURITY_HEADERS.xssProtection,
    ...CUSTOM_SECURITY_HEADERS,
  };
}
