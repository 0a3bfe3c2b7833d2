/**
 * The pre-token-generation trigger: which claims each kind of user gets, and who gets no token. The
 * organisation facts come from an in-memory directory shaped like the table's IDP / ORG / profile items.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { createPreTokenGenerationHandler, handler } from '../../../functions/auth/pre-token-generation';
import {
  deriveClaims,
  type EmployeePerson,
  type OrganisationFacts,
  type PartnerFacts,
  parseEmployeeProviders,
  SignInRefused,
  signInRoute,
} from '../../../functions/auth/token-claims';

const NOW = new Date('2026-11-30T12:00:00Z');
const clock = { now: () => NOW };

/** The table in miniature: provider name → organisation id (IDP items), organisations, end dates. */
let providers: Record<string, string>;
let organisations: Record<string, OrganisationFacts>;
let userEnds: Record<string, string>;
let lookups: [provider: string, userId: string][];
/** What the fake table says of employees' sign-ins (absent: their own, active). */
let people: Record<string, EmployeePerson>;
let personLookups: [subject: string, verifiedEmail: string | undefined][];

beforeEach(() => {
  providers = { acme: 'acme', 'globex-entra': 'globex' };
  organisations = {
    acme: { id: 'acme', name: 'Acme Supplies', emailDomains: ['acme.example'] },
    globex: { id: 'globex', name: 'Globex Partners', emailDomains: ['globex.example'] },
  };
  userEnds = {};
  lookups = [];
  people = {};
  personLookups = [];
});

const directory = {
  async employeePerson(subject: string, verifiedEmail: string | undefined): Promise<EmployeePerson> {
    personLookups.push([subject, verifiedEmail]);
    return people[subject] ?? { personId: subject, active: true };
  },
  async partnerFacts(provider: string, userId: string): Promise<PartnerFacts> {
    lookups.push([provider, userId]);
    const orgId = Object.hasOwn(providers, provider) ? providers[provider] : undefined;
    if (!orgId) return {};
    return {
      orgId,
      organisation: Object.hasOwn(organisations, orgId) ? organisations[orgId] : undefined,
      userAccessEndsAt: userEnds[userId],
    };
  },
};

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
      email_verified: 'true',
      ...extra,
    },
  });

const run = (event: PreTokenGenerationV2TriggerEvent, employeeProviders: string[] = ['corp-entra']) =>
  createPreTokenGenerationHandler({ directory, employeeProviders, clock })(event);
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
  it('get the employee group, e-mail and name in the access token, with no organisation read', async () => {
    const result = await run(tokenEvent({}));
    expect(accessClaims(result)).toEqual({
      email: 'alice@commonplace.example',
      name: 'Alice Andersen',
      groups: ['employee'],
    });
    expect(idClaims(result)).toEqual({ groups: ['employee'] });
    expect(lookups).toEqual([]);
    expect(personLookups).toEqual([['5f1c4b3a-0000-4000-8000-000000000001', 'alice@commonplace.example']]);
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
    const native = { kind: 'native' } as const;
    expect(deriveClaims(user({ given_name: 'Bob', family_name: 'Baker' }), native, undefined, NOW).name).toBe(
      'Bob Baker',
    );
    expect(deriveClaims(user({ email: 'bob@commonplace.example' }), native, undefined, NOW).name).toBe(
      'bob@commonplace.example',
    );
    expect(deriveClaims(user({}), native, undefined, NOW).name).toBe('u-1');
  });
});

describe("employees through the company's own identity provider", () => {
  const viaEntra = (extra: Record<string, string> = {}, groups: string[] = []) =>
    tokenEvent({
      userName: 'corp-entra_alice',
      attributes: {
        'cognito:user_status': 'EXTERNAL_PROVIDER',
        identities: identities(['corp-entra', 'OIDC']),
        ...extra,
      },
      groups,
    });

  it('are employees (admins through the admin group), with no organisation read', async () => {
    expect(accessClaims(await run(viaEntra())).groups).toEqual(['employee']);
    expect(accessClaims(await run(viaEntra({}, ['admin']))).groups).toEqual(['employee', 'admin']);
    expect(lookups).toEqual([]);
  });

  it('are refused without an e-mail address', async () => {
    const event = viaEntra();
    delete event.request.userAttributes.email;
    await expect(run(event)).rejects.toThrow(/sent no e-mail/);
  });

  it('are partners of nobody when the provider is not configured as an employee provider', async () => {
    await expect(run(viaEntra(), [])).rejects.toThrow(/corp-entra is unknown or has been removed/);
  });

  it('are refused when also linked to a partner provider', async () => {
    const event = viaEntra({ identities: identities(['corp-entra', 'OIDC'], ['acme', 'SAML']) });
    await expect(run(event)).rejects.toThrow(/both an employee provider and a partner provider/);
  });

  it('come from EMPLOYEE_IDENTITY_PROVIDERS, a comma-separated list', () => {
    expect(parseEmployeeProviders('corp-entra, okta ,')).toEqual(['corp-entra', 'okta']);
    expect(parseEmployeeProviders(undefined)).toEqual([]);
    expect(signInRoute({ userName: 'x', userAttributes: {}, cognitoGroups: [] }, [])).toEqual({
      kind: 'native',
    });
  });
});

describe('partners (federated users)', () => {
  it('get the partner group and the organisation their provider is mapped to in the table', async () => {
    const result = await run(federated('acme'));
    expect(accessClaims(result)).toEqual({
      email: 'pat@acme.example',
      name: 'Pat Partner',
      groups: ['partner'],
      org: 'acme',
    });
    expect(idClaims(result)).toEqual({ groups: ['partner'], org: 'acme' });
    expect(lookups).toEqual([['acme', '5f1c4b3a-0000-4000-8000-000000000001']]);
  });

  it('map through the provider name, not the organisation id (OIDC)', async () => {
    const result = await run(federated('globex-entra', 'OIDC'));
    expect(accessClaims(result)).toMatchObject({ groups: ['partner'], org: 'globex' });
  });

  it('are mapped by what the table says now: a provider added at run time works at once', async () => {
    await expect(run(federated('initech', 'OIDC', {}, 'ian@initech.example'))).rejects.toThrow(
      /initech is unknown/,
    );
    providers.initech = 'initech';
    organisations.initech = { id: 'initech', emailDomains: ['initech.example'] };
    const result = await run(federated('initech', 'OIDC', {}, 'ian@initech.example'));
    expect(accessClaims(result)).toMatchObject({ groups: ['partner'], org: 'initech' });
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

  it('get no token when their provider is unknown or was removed', async () => {
    await expect(run(federated('initech'))).rejects.toThrow(SignInRefused);
    delete providers.acme;
    await expect(run(federated('acme'))).rejects.toThrow(/acme is unknown or has been removed/);
  });

  it('get no token when their organisation is gone', async () => {
    delete organisations.acme;
    await expect(run(federated('acme'))).rejects.toThrow(
      /organisation of identity provider acme was removed/,
    );
  });

  it('get no token while their organisation is suspended, and one again once it is active', async () => {
    organisations.acme = { ...organisations.acme, status: 'suspended' };
    await expect(run(federated('acme'))).rejects.toThrow(/Access for Acme Supplies is suspended/);
    organisations.acme = { ...organisations.acme, status: 'active' };
    expect(accessClaims(await run(federated('acme'))).org).toBe('acme');
  });

  it("get no token after their organisation's end date, with the date in the message", async () => {
    organisations.acme = { ...organisations.acme, accessEndsAt: '2026-11-30T11:59:59Z' };
    await expect(run(federated('acme'))).rejects.toThrow('Access for Acme Supplies ended on 2026-11-30.');
    organisations.acme = { ...organisations.acme, accessEndsAt: '2026-12-01T00:00:00Z' };
    expect(accessClaims(await run(federated('acme'))).org).toBe('acme');
    organisations.acme = { ...organisations.acme, accessEndsAt: 'not a date' };
    await expect(run(federated('acme'))).rejects.toThrow(SignInRefused);
  });

  it('get no token after their own end date', async () => {
    userEnds['5f1c4b3a-0000-4000-8000-000000000001'] = '2026-11-01T00:00:00Z';
    await expect(run(federated('acme'))).rejects.toThrow('Your access ended on 2026-11-01.');
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

  it('get no token when their provider sends no e-mail', async () => {
    const noEmail = federated('acme');
    delete noEmail.request.userAttributes.email;
    await expect(run(noEmail)).rejects.toThrow(/sent no e-mail address/);
  });

  it('get no token from an OIDC provider that did not verify the e-mail (SAML carries no such flag)', async () => {
    for (const verified of [{ email_verified: 'false' }, { email_verified: '' }]) {
      await expect(run(federated('globex-entra', 'OIDC', verified))).rejects.toThrow(/did not verify/);
    }
    const unflagged = federated('globex-entra', 'OIDC');
    delete unflagged.request.userAttributes.email_verified;
    await expect(run(unflagged)).rejects.toThrow(/did not verify/);
    const saml = federated('acme', 'SAML');
    delete saml.request.userAttributes.email_verified;
    expect(accessClaims(await run(saml)).org).toBe('acme');
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

describe('the Lambda entry', () => {
  it('is wrapped by middy and needs its table', async () => {
    const context = { getRemainingTimeInMillis: () => 5000, awsRequestId: 'req-1' } as unknown as Context;
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(handler(tokenEvent({}), context)).rejects.toThrow(/TABLE_NAME/);
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
  });
});

describe('the person an employee signs in as (people provisioned by an HR import or SCIM)', () => {
  const SUB = '5f1c4b3a-0000-4000-8000-000000000001';

  it('names a linked person beside the sub (which Cognito does not let a trigger change)', async () => {
    people[SUB] = { personId: 'u-0123456789abcdef01234567', active: true };
    const result = await run(tokenEvent({}));
    expect(accessClaims(result)).toMatchObject({ person_id: 'u-0123456789abcdef01234567' });
    expect(idClaims(result).person_id).toBeUndefined();
  });

  it('adds no person claim for someone who is their own person', async () => {
    expect(accessClaims(await run(tokenEvent({}))).person_id).toBeUndefined();
  });

  it('passes the address only when verified (native, OIDC) or asserted by the company’s SAML directory', async () => {
    await run(tokenEvent({ attributes: { email_verified: 'false' } }));
    await run(
      tokenEvent({
        userName: 'corp-entra_alice',
        attributes: {
          'cognito:user_status': 'EXTERNAL_PROVIDER',
          identities: identities(['corp-entra', 'SAML']),
          email_verified: '',
          email: 'Alice@Commonplace.example',
        },
      }),
    );
    await run(
      tokenEvent({
        userName: 'corp-entra_alice',
        attributes: {
          'cognito:user_status': 'EXTERNAL_PROVIDER',
          identities: identities(['corp-entra', 'OIDC']),
          email_verified: 'false',
        },
      }),
    );
    expect(personLookups.map(([, email]) => email)).toEqual([
      undefined,
      'alice@commonplace.example',
      undefined,
    ]);
  });

  it('refuses a deactivated person, and a second account for a person another account already is', async () => {
    people[SUB] = { personId: 'u-1', active: false };
    await expect(run(tokenEvent({}))).rejects.toThrow(/deactivated/);
    people[SUB] = { personId: '', active: false, conflict: 'already signs in with another account' };
    await expect(run(tokenEvent({}))).rejects.toThrow(/another account/);
  });

  it('never asks for a partner (a partner is never linked to an employee’s profile)', async () => {
    await run(
      tokenEvent({
        userName: 'acme_pat',
        attributes: {
          'cognito:user_status': 'EXTERNAL_PROVIDER',
          identities: identities(['acme', 'OIDC']),
          email: 'pat@acme.example',
        },
      }),
    );
    expect(personLookups).toEqual([]);
  });
});
