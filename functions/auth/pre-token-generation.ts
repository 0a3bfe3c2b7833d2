/**
 * Cognito pre-token-generation trigger (event version V2_0, so it can change the ACCESS token, which
 * is what the API verifies). Adds `email`, `name`, `groups` and, for partners, `org`, derived by
 * `deriveClaims` from the event and from what the table says about the user's identity provider and
 * organisation. Throwing refuses the sign-in: Cognito then issues no tokens and shows the message.
 * The local broker (local/identity/broker.ts) runs this same handler on a Cognito-shaped event.
 */
import middy from '@middy/core';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createDocumentClient, Table } from '../data/table';
import type { Clock } from '../platform/clock';
import { systemClock } from '../platform/clock';
import { ENV, requiredEnv } from '../platform/environment';
import { logger } from '../platform/logger';
import { TableSignInDirectory } from './sign-in-directory';
import {
  type CommonplaceClaims,
  deriveClaims,
  PERSON_CLAIM,
  parseEmployeeProviders,
  type SignInDirectory,
  SignInRefused,
  signInRoute,
  verifiedEmployeeEmail,
  withEmployeePerson,
} from './token-claims';

/** V2_0 accepts arrays as claim values, which the aws-lambda typings (strings only) do not know yet. */
type ClaimValue = string | string[];

export function accessTokenClaims(claims: CommonplaceClaims): Record<string, ClaimValue> {
  return {
    ...(claims.email ? { email: claims.email } : {}),
    name: claims.name,
    groups: claims.groups,
    ...(claims.org ? { org: claims.org } : {}),
    // Cognito's `sub` cannot be overridden: a linked person's id rides beside it (principal-from-claims.ts).
    ...(claims.person ? { [PERSON_CLAIM]: claims.person } : {}),
  };
}

export interface PreTokenGenerationOptions {
  directory: SignInDirectory;
  /** Cognito provider names of the company's own identity providers (their users are employees). */
  employeeProviders?: readonly string[];
  clock?: Clock;
}

/** Builds the handler over a sign-in directory (the table in AWS and locally; the tests pass their own). */
export function createPreTokenGenerationHandler(options: PreTokenGenerationOptions) {
  const employeeProviders = options.employeeProviders ?? [];
  const clock = options.clock ?? systemClock;
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const user = {
      userName: event.userName,
      userAttributes: event.request.userAttributes,
      cognitoGroups: event.request.groupConfiguration?.groupsToOverride ?? [],
    };
    let claims: CommonplaceClaims;
    try {
      const route = signInRoute(user, employeeProviders);
      const userId = event.request.userAttributes.sub ?? event.userName;
      const facts =
        route.kind === 'partner' ? await options.directory.partnerFacts(route.provider, userId) : undefined;
      claims = deriveClaims(user, route, facts, clock.now());
      // An employee's person: their own, or one an import or SCIM made for their address (linked now).
      if (route.kind !== 'partner')
        claims = withEmployeePerson(
          claims,
          userId,
          await options.directory.employeePerson(userId, verifiedEmployeeEmail(user, route)),
        );
    } catch (error) {
      if (error instanceof SignInRefused) {
        logger.warn('Sign-in refused', { userName: event.userName, reason: error.message });
      }
      throw error;
    }
    logger.info('Token claims', {
      userName: event.userName,
      groups: claims.groups,
      org: claims.org,
      person: claims.person,
    });

    const access = accessTokenClaims(claims);
    // The ID token gets the same authorisation claims so the web client can show what the API allows.
    const id = { groups: claims.groups, ...(claims.org ? { org: claims.org } : {}) };
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: access as unknown as Record<string, string> },
        idTokenGeneration: { claimsToAddOrOverride: id as unknown as Record<string, string> },
      },
    };
    return event;
  };
}

let awsHandler: ReturnType<typeof createPreTokenGenerationHandler> | undefined;

/**
 * The Lambda: reads the table named in TABLE_NAME, built on the first sign-in; its only writes are the
 * link of a first sign-in to a provisioned person (a grant limited to those items: lib/constructs/auth.ts).
 */
export const handler = middy<PreTokenGenerationV2TriggerEvent, PreTokenGenerationV2TriggerEvent>().handler(
  (event) => {
    awsHandler ??= createPreTokenGenerationHandler({
      directory: new TableSignInDirectory(new Table(createDocumentClient(), requiredEnv(ENV.tableName))),
      employeeProviders: parseEmployeeProviders(process.env[ENV.employeeIdentityProviders]),
    });
    return awsHandler(event);
  },
);
