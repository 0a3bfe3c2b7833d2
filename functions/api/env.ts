/** Hono context variables set by the middleware and read by the routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../domain/principal';
import type { Services } from '../domain/services';
import type { ApiDependencies } from './dependencies';

export type AppEnv = {
  Variables: {
    principal: Principal;
    services: Services;
    dependencies: ApiDependencies;
    requestId: string;
  };
};

export type Router = OpenAPIHono<AppEnv>;
