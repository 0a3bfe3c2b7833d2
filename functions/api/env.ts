/** Hono context variables set by the middleware and read by the routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../domain/principal';
import type { Services } from '../domain/services';

export type AppEnv = {
  Variables: {
    principal: Principal;
    services: Services;
    requestId: string;
  };
};

export type Router = OpenAPIHono<AppEnv>;
