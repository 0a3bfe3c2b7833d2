/** Every route module builds its router here, so request-validation failures become problem+json everywhere. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env';
import { validationProblem } from './problem';

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success)
        return validationProblem(c, result.error, (result as { target?: string }).target ?? 'request');
    },
  });
}
