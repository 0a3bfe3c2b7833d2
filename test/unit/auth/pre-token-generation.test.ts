/**
 * The pre-token-generation trigger: which claims each kind of user gets, and who gets no token.
 */
import { describe, expect, it } from '@jest/globals';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createPreTokenGenerationHandler, handler } from '../../../functions/auth/pre-token-generation';
import { deriveClaims, parsePartnerOrganisations, SignInRefused } from '../../../functions/auth/token-claims';

const PARTNERS = {
  acme: { org: 'acme', emailDomains: ['acme.example'] },
  'globex-entra': { org: 'globex', emailDomains: ['globex.example'] },
};
const PARTNERS_JSON = JSON.stringify(PARTNERS);

function identities(...providers: [name: string, type: string][]): string {
  return JSON.stringify(
    providers.map(([providerName, providerType]) => ({
      userId: 'external-id',
      providerName,
      providerType,
      issuer: null,
      primary: 'true',
      dateCreated: '1700000000000',
    })),
  );
}

/** A V2_0 event as Cognito sends it (hosted UI sign-in). */
function tokenEvent(overrides: {
  userName?: string;
  attributes?: Record<string, string>;
  groups?: string[];
}): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Example',
    userName: overrides.userName ?? 'alice@commonplace.example',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'webclient' },
    request: {
      userAttributes: {
        sub: '5f1c4b3a-0000-4000-8000-000000000001',
        'cognito:user_status': 'CONFIRMED',
        email_verified: 'true',
        email: 'alice@commonplace.example',
        name: 'Alice Andersen',
        ...overrides.attributes,
      },
      groupConfiguration: {
        groupsToOverride: overrides.groups ?? [],
        iamRolesToOverride: [],
        preferredRole: undefined,
      },
      scopes: ['openid', 'email', 'profile'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
}

const federated = (
  provider: string,
  type = 'SAML',
  extra: Record<string, string> = {},
  email = provider.startsWith('globex') ? 'gus@globex.example' : 'pat@acme.example',
) =>
  tokenEvent({
    userName: `${provider}_${email}`,
    attributes: {
      'cognito:user_status': 'EXTERNAL_PROVIDER',
      identities: identities([provider, type]),
      email,
      name: 'Pat Partner',
      ...extra,
    },
  });

const run = (event: PreTokenGenerationV2TriggerEvent) => createPreTokenGenerationHandler(PARTNERS)(event);
const accessClaims = (event: PreTokenGenerationV2TriggerEvent) =>
  event.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride as Record<
    string,
    unknown
  >;
const idClaims = (event: PreTokenGenerationV2TriggerEvent) =>
  event.response.claimsAndScopeOverrideDetails.idTokenGeneration?.claimsToAddOrOverride as Record<
    string,
    unknown
  >;

describe('employees (native user-pool users)', () => {
  it('get the employee group, e-mail and name in the access token', async () => {
    const result = await run(tokenEvent({}));
    expect(accessClaims(result)).toEqual({
      email: 'alice@commonplace.example',
      name: 'Alice Andersen',
      groups: ['employee'],
    });
    expect(idClaims(result)).toEqual({ groups: ['employee'] });
  });

  it('are admins when in the Cognito admin group', async () => {
    const result = await run(tokenEvent({ groups: ['admin'] }));
    expect(accessClaims(result).groups).toEqual(['employee', 'admin']);
    expect(accessClaims(result).org).toBeUndefined();
  });

  it('are not admins through any other group', async () => {
    const result = await run(tokenEvent({ groups: ['partner', 'Admin', 'administrators'] }));
    expect(accessClaims(result).groups).toEqual(['employee']);
  });

  it('get a name from given and family name, else the e-mail, else the user name', () => {
    const user = (attributes: Record<string, string>) => ({
      userName: 'u-1',
      userAttributes: attributes,
      cognitoGroups: [],
    });
    expect(deriveClaims(user({ given_name: 'Bob', family_name: 'Baker' }), PARTNERS).name).toBe('Bob Baker');
    expect(deriveClaims(user({ email: 'bob@commonplace.example' }), PARTNERS).name).toBe(
      'bob@commonplace.example',
    );
    expect(deriveClaims(user({}), PARTNERS).name).toBe('u-1');
  });
});

describe('partners (federated users)', () => {
  it('get the partner group and the organisation their provider is mapped to', async () => {
    const result = await run(federated('acme'));
    expect(accessClaims(result)).toEqual({
      email: 'pat@acme.example',
      name: 'Pat Partner',
      groups: ['partner'],
      org: 'acme',
    });
    expect(idClaims(result)).toEqual({ groups: ['partner'], org: 'acme' });
  });

  it('map through the provider name, not the organisation id (OIDC)', async () => {
    const result = await run(federated('globex-entra', 'OIDC'));
    expect(accessClaims(result)).toMatchObject({ groups: ['partner'], org: 'globex' });
  });

  it('are never employees or admins, whatever Cognito groups they are in', async () => {
    const event = federated('acme');
    event.request.groupConfiguration.groupsToOverride = ['admin', 'employee'];
    const result = await run(event);
    expect(accessClaims(result).groups).toEqual(['partner']);
  });

  it('count as partners when a native account is linked to a partner provider', async () => {
    const result = await run(
      tokenEvent({
        attributes: { identities: identities(['acme', 'SAML']), email: 'pat@acme.example' },
        groups: ['admin'],
      }),
    );
    expect(accessClaims(result)).toMatchObject({ groups: ['partner'], org: 'acme' });
  });

  it('get no token when their provider is not mapped to an organisation', async () => {
    await expect(run(federated('initech'))).rejects.toThrow(SignInRefused);
    await expect(run(federated('initech'))).rejects.toThrow(/initech is not mapped/);
  });

  it('get no token when linked to two partners', async () => {
    const event = tokenEvent({
      attributes: { identities: identities(['acme', 'SAML'], ['globex-entra', 'OIDC']) },
    });
    await expect(run(event)).rejects.toThrow(/several partner organisations/);
  });

  it('get no token when Cognito says external provider but names none', async () => {
    const event = tokenEvent({ attributes: { 'cognito:user_status': 'EXTERNAL_PROVIDER' } });
    await expect(run(event)).rejects.toThrow(SignInRefused);
  });

  it('get no token when the identities attribute is garbled', async () => {
    const event = tokenEvent({ attributes: { identities: '[{"providerName":' } });
    await expect(run(event)).rejects.toThrow(/not valid JSON/);
  });

  it("get no token with an e-mail outside their organisation's domains (no @ceo from a partner IdP)", async () => {
    for (const email of [
      'ceo@commonplace.example',
      'pat@globex.example',
      'pat@acme.example.evil.example',
      'pat@notacme.example',
      'no-at-sign',
    ]) {
      await expect(run(federated('acme', 'SAML', {}, email))).rejects.toThrow(/not in a domain of partner/);
    }
    const noEmail = federated('acme');
    delete noEmail.request.userAttributes.email;
    await expect(run(noEmail)).rejects.toThrow(SignInRefused);
  });

  it('may come from a subdomain of their domain, in any case', async () => {
    const result = await run(federated('acme', 'SAML', {}, 'Pat@UK.Acme.Example'));
    expect(accessClaims(result)).toMatchObject({ groups: ['partner'], org: 'acme' });
  });

  it('cannot pose as another organisation through a provider name that is an inherited property', async () => {
    await expect(run(federated('constructor'))).rejects.toThrow(SignInRefused);
    await expect(run(federated('__proto__'))).rejects.toThrow(SignInRefused);
  });
});

describe('the partner map from the environment', () => {
  it('is a JSON object of provider name to organisation id and e-mail domains', () => {
    expect(parsePartnerOrganisations(PARTNERS_JSON)).toEqual(PARTNERS);
    expect(parsePartnerOrganisations(undefined)).toEqual({});
    expect(parsePartnerOrganisations('')).toEqual({});
  });

  it('rejects anything else', () => {
    expect(() => parsePartnerOrganisations('["acme"]')).toThrow(/JSON object/);
    expect(() => parsePartnerOrganisations('{"acme":""}')).toThrow(/acme/);
    expect(() => parsePartnerOrganisations('{"acme":1}')).toThrow(/acme/);
    // The old form without domains: a partner IdP could then assert any address.
    expect(() => parsePartnerOrganisations('{"acme":"acme"}')).toThrow(/acme/);
    expect(() => parsePartnerOrganisations('{"acme":{"org":"acme","emailDomains":[]}}')).toThrow(
      /emailDomains/,
    );
  });
});

describe('the Lambda entry', () => {
  it('is wrapped by middy and treats every federated user as unmapped without configuration', async () => {
    const context = { getRemainingTimeInMillis: () => 5000, awsRequestId: 'req-1' } as unknown as Context;
    const employee = await handler(tokenEvent({}), context);
    expect(accessClaims(employee).groups).toEqual(['employee']);
    await expect(handler(federated('acme'), context)).rejects.toThrow(SignInRefused);
  });
});
