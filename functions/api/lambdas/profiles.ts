/** Lambda entry of the profiles module (routes in functions/api/modules/profiles.ts). */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { SignInAccounts } from '../../domain/people/sign-in-accounts';
import { profilesModule } from '../modules/profiles';
import { moduleLambda } from './module-lambda';

// An HR import that deactivates someone disables them in the user pool (lib/constructs/scim.ts sets
// USER_POOL_ID); the adapter loads with the first such import, not at cold start.
const userPoolId = process.env.USER_POOL_ID;
const region = process.env.AWS_REGION;
let cognito: Promise<SignInAccounts> | undefined;
const signInAccounts: SignInAccounts = {
  async setEnabled(person, enabled) {
    cognito ??= import('../../people/cognito-sign-in-accounts').then(
      (m) => new m.CognitoSignInAccounts(userPoolId!, region!, defaultProvider()),
    );
    return (await cognito).setEnabled(person, enabled);
  },
};

export const handler = moduleLambda(profilesModule, userPoolId && region ? { signInAccounts } : {});
