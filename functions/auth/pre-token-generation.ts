/**
 * Cognito pre-token-generation trigger (event version V2_0, so it can change the ACCESS token, which
 * is what the API verifies). Adds `email`, `name`, `groups` and, for partners, `org`, derived by
 * `deriveClaims`. Throwing refuses the sign-in: Cognito then issues no tokens.
 */
import middy from '@middy/core';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { ENV } from '../platform/environment';
import { logger } from '../platform/logger';
import {
  type CommonplaceClaims,
  deriveClaims,
  type PartnerOrganisations,
  parsePartnerOrganisations,
  SignInRefused,
} from './token-claims';

/** V2_0 accepts arrays as claim values, which the aws-lambda typings (strings only) do not know yet. */
type ClaimValue = string | string[];

export function accessTokenClaims(claims: CommonplaceClaims): Record<string, ClaimValue> {
  return {
    ...(claims.email ? { email: claims.email } : {}),
    name: claims.name,
    groups: claims.groups,
    ...(claims.org ? { org: claims.org } : {}),
  };
}

/** Builds the handler for a fixed provider → organisation map (the tests pass their own). */
export function createPreTokenGenerationHandler(partners: PartnerOrganisations) {
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    let claims: CommonplaceClaims;
    try {
      claims = deriveClaims(
        {
          userName: event.userName,
          userAttributes: event.request.userAttributes,
          cognitoGroups: event.request.groupConfiguration?.groupsToOverride ?? [],
        },
        partners,
      );
    } catch (error) {
      if (error instanceof SignInRefused) {
        logger.warn('Sign-in refused', { userName: event.userName, reason: error.message });
      }
      throw error;
    }
    logger.info('Token claims', { userName: event.userName, groups: claims.groups, org: claims.org });

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

export const handler = middy<PreTokenGenerationV2TriggerEvent, PreTokenGenerationV2TriggerEvent>().handler(
  createPreTokenGenerationHandler(parsePartnerOrganisations(process.env[ENV.partnerOrganisations])),
);
