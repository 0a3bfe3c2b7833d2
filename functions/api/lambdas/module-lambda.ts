/**
 * The one shape of every API Lambda: a module's app (module-app.ts) behind hono's API Gateway adapter
 * and middy. Dependencies are built once per container, outside the handler; the caller comes from the
 * claims the HTTP API's JWT authorizer verified (no token library in the bundle).
 */
import middy from '@middy/core';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { awsCoreDependencies } from '../../platform/aws-dependencies';
import { ENV } from '../../platform/environment';
import type { ApiDependencies } from '../dependencies';
import { httpApiClaimsAuthenticator } from '../middleware/authenticate';
import { cloudFrontOnly } from '../middleware/cloudfront-only';
import { createModuleApp } from '../module-app';
import type { ApiModule } from '../modules/api-module';

export function moduleLambda(module: ApiModule, extra: Partial<ApiDependencies> = {}) {
  const app = createModuleApp(
    { ...awsCoreDependencies(), authenticator: httpApiClaimsAuthenticator, ...extra },
    [module],
  );
  return middy<LambdaEvent>().use(cloudFrontOnly(process.env[ENV.originSecret])).handler(handle(app));
}
