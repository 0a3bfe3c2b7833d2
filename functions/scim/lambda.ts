/**
 * Lambda entry of the SCIM endpoint (`/api/scim/v2/*`, routes without the JWT authorizer): the SCIM
 * app over the table, the provisioning client's token from Secrets Manager and Cognito as where
 * deactivated people are stopped from signing in.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import middy from '@middy/core';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { cloudFrontOnly } from '../api/middleware/cloudfront-only';
import { secretsManagerKey } from '../mail/unsubscribe-keys';
import { CognitoSignInAccounts } from '../people/cognito-sign-in-accounts';
import { awsCoreDependencies } from '../platform/aws-dependencies';
import { ENV } from '../platform/environment';
import { createScimApp } from './app';

/** Set by the stack (lib/constructs/api.ts): the token's secret and the user pool. */
export const SCIM_ENV = { tokenSecretArn: 'SCIM_TOKEN_SECRET_ARN', userPoolId: 'USER_POOL_ID' } as const;

const region = process.env.AWS_REGION ?? '';
const credentials = defaultProvider();
const app = createScimApp({
  ...awsCoreDependencies(),
  token: secretsManagerKey(process.env[SCIM_ENV.tokenSecretArn] ?? '', region, credentials),
  signInAccounts: new CognitoSignInAccounts(process.env[SCIM_ENV.userPoolId] ?? '', region, credentials),
  publicUrl: process.env[ENV.publicUrl],
});

export const handler = middy<LambdaEvent>()
  .use(cloudFrontOnly(process.env[ENV.originSecret]))
  .handler(handle(app));
