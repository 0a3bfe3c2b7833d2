/**
 * The API is meant to be reached through CloudFront only, where the web ACL and its rate limits
 * apply. CloudFront adds a secret header to every request it sends to the API (lib/constructs/web.ts);
 * a request to the execute-api endpoint directly lacks it and is refused here, before any work. A
 * middy middleware of the Lambda entry, not of the app: the local runtime has no CloudFront in front.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';

/** The header CloudFront sets on requests to the API origin (and overrides if a viewer sends it). */
export const ORIGIN_HEADER = 'x-commonplace-origin';

interface HttpApiEvent {
  headers?: Record<string, string | undefined>;
}

export function cloudFrontOnly(expected: string | undefined): MiddlewareObj<HttpApiEvent, unknown> {
  const secret = expected ? Buffer.from(expected) : undefined;
  return {
    before: async (request) => {
      if (!secret) return;
      const sent = Buffer.from(request.event.headers?.[ORIGIN_HEADER] ?? '');
      if (sent.length === secret.length && timingSafeEqual(sent, secret)) return;
      return {
        statusCode: 403,
        headers: { 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          detail: 'Use the API through the Commonplace web address, not its execute-api endpoint',
        }),
      };
    },
  };
}
