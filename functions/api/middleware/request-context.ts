/**
 * Gives every request an id (API Gateway's when there is one, else the caller's x-request-id or a new
 * one), returns it as a header, and writes one structured access-log line when the response is done.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../../domain/services';
import { logger } from '../../platform/logger';
import type { ApiDependencies } from '../dependencies';
import type { AppEnv } from '../env';

export function requestContext(services: Services, dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const lambdaEvent = (c.env as { event?: { requestContext?: { requestId?: string } } } | undefined)?.event;
    const incoming = c.req.header('x-request-id');
    const requestId =
      lambdaEvent?.requestContext?.requestId ??
      (incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID());
    c.set('requestId', requestId);
    c.set('services', services);
    c.set('dependencies', dependencies);
    await next();
    c.header('x-request-id', requestId);
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round(performance.now() - started),
      userId: c.get('principal')?.userId,
    });
  };
}
