/**
 * The port to where people sign in: a deactivated person must no longer be able to. In AWS the
 * adapter disables the Cognito user (functions/people/cognito-sign-in-accounts.ts); locally the local
 * identity provider reads the profile's `active` itself, so there is nothing to tell it.
 */
export interface SignInAccounts {
  setEnabled(person: { userId: string; email: string }, enabled: boolean): Promise<void>;
}

/** Where sign-in reads the profile itself (the local identity provider). */
export const profileReadsSignIn: SignInAccounts = { setEnabled: async () => {} };
