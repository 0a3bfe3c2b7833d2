/**
 * Deployment settings from CDK context: defaults, and the mistakes that must fail `npm run synth` with
 * a message naming the setting.
 */
import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { ConfigError, readConfig, SEARCH_CAPACITY } from '../../lib/config';
import { cdkJsonContext } from './synthesize';

const config = (context: Record<string, unknown> = {}) => readConfig(new App({ context }).node);
const withPartner = (partner: Record<string, unknown>) => config({ 'commonplace:partners': [partner] });
const saml = { metadataUrl: 'https://idp.example.com/metadata' };

describe('readConfig', () => {
  it('defaults to a small deployment without partners', () => {
    expect(config()).toEqual({
      stackName: 'Commonplace',
      cognitoDomainPrefix: undefined,
      alarmEmail: undefined,
      customDomain: undefined,
      search: { size: 'small', capacity: SEARCH_CAPACITY.small, operatorRoleArns: [] },
      api: { rateLimit: 100, burstLimit: 200 },
      waf: { enabled: true, ratePerIp: 10_000, anonymousApiRatePerIp: 300 },
      partners: [],
      employeeProviders: [],
      files: { malwareScanning: false },
    });
  });

  it("reads the company's own identity providers for employees, and refuses a bad or clashing one", () => {
    const entra = {
      providerName: 'corp-entra',
      emailDomains: ['commonplace.example'],
      oidc: {
        issuerUrl: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0',
        clientId: 'c',
        clientSecretName: 's',
      },
    };
    expect(config({ 'commonplace:employeeIdentityProviders': [entra] }).employeeProviders).toEqual([
      {
        providerName: 'corp-entra',
        emailDomains: ['commonplace.example'],
        idp: {
          type: 'oidc',
          issuerUrl: entra.oidc.issuerUrl,
          clientId: 'c',
          clientSecretName: 's',
          scopes: ['openid', 'email', 'profile'],
        },
      },
    ]);
    const okta = { providerName: 'okta', saml: { metadataUrl: 'https://okta.example/metadata' } };
    expect(
      config({ 'commonplace:employeeIdentityProviders': JSON.stringify([okta]) }).employeeProviders,
    ).toEqual([{ providerName: 'okta', emailDomains: [], idp: expect.objectContaining({ type: 'saml' }) }]);
    expect(() =>
      config({ 'commonplace:employeeIdentityProviders': [{ providerName: 'a_b', saml: okta.saml }] }),
    ).toThrow(/providerName/);
    expect(() => config({ 'commonplace:employeeIdentityProviders': [okta, okta] })).toThrow(/appears twice/);
    expect(() =>
      config({
        'commonplace:employeeIdentityProviders': [
          { ...entra, oidc: { ...entra.oidc, issuerUrl: 'https://login.microsoftonline.com/common/v2.0' } },
        ],
      }),
    ).toThrow(/multi-tenant/);
    expect(() =>
      config({
        'commonplace:employeeIdentityProviders': [{ ...okta, providerName: 'acme' }],
        'commonplace:partners': [{ org: 'acme', emailDomains: ['acme.example'], saml: okta.saml }],
      }),
    ).toThrow(/also a partner's provider/);
  });

  it('reads the attachment limits and the malware-scanning switch', () => {
    expect(
      config({
        'commonplace:attachmentMaxBytes': '10485760',
        'commonplace:attachmentSpaceQuotaBytes': 1073741824,
        'commonplace:malwareScanning': 'true',
      }).files,
    ).toEqual({ maxBytes: 10485760, spaceQuotaBytes: 1073741824, malwareScanning: true });
    expect(() => config({ 'commonplace:attachmentMaxBytes': '1.5' })).toThrow(/whole number of bytes/);
    expect(() => config({ 'commonplace:malwareScanning': 'maybe' })).toThrow(/malwareScanning/);
  });

  it('switches the web ACL off and sets its rate limits', () => {
    expect(config({ 'commonplace:waf': 'false' }).waf.enabled).toBe(false);
    expect(config({ 'commonplace:waf': false }).waf.enabled).toBe(false);
    expect(
      config({ 'commonplace:wafRatePerIp': '5000', 'commonplace:wafAnonymousApiRatePerIp': 50 }).waf,
    ).toEqual({
      enabled: true,
      ratePerIp: 5000,
      anonymousApiRatePerIp: 50,
    });
    expect(() => config({ 'commonplace:waf': 'yes' })).toThrow(/commonplace:waf/);
    expect(() => config({ 'commonplace:wafRatePerIp': 5 })).toThrow(/wafRatePerIp/);
    expect(() => config({ 'commonplace:wafAnonymousApiRatePerIp': 10.5 })).toThrow(/whole number/);
  });

  it('reads the bookmark fetcher allow-list, and refuses what is not a port or a host name', () => {
    expect(config()).toMatchObject({ safeFetch: undefined });
    expect(
      config({
        'commonplace:fetchAllowedPorts': '8080, 8443',
        'commonplace:fetchAllowedHosts': ['wiki.corp.example', '.intranet.example'],
      }).safeFetch,
    ).toEqual({ allowedPorts: [8080, 8443], allowedHosts: ['wiki.corp.example', '.intranet.example'] });
    expect(() => config({ 'commonplace:fetchAllowedPorts': '80,http' })).toThrow(ConfigError);
    expect(() => config({ 'commonplace:fetchAllowedHosts': 'http://x' })).toThrow(/fetchAllowedHosts/);
  });

  it('reads cdk.json as shipped', () => {
    expect(config(cdkJsonContext())).toMatchObject({
      stackName: 'Commonplace',
      search: { size: 'small' },
      partners: [],
    });
  });

  it('takes command-line strings (-c key=value)', () => {
    const c = config({
      'commonplace:searchSize': 'medium',
      'commonplace:apiRateLimit': '50',
      'commonplace:partners': JSON.stringify([{ org: 'acme', emailDomains: ['acme.example'], saml }]),
    });
    expect(c.search.capacity).toMatchObject({ dataNodes: 2, zoneAwareness: true });
    expect(c.api.rateLimit).toBe(50);
    expect(c.partners[0]).toMatchObject({ org: 'acme', providerName: 'acme' });
  });

  it('sizes search: small is one node, medium spans two zones, large adds cluster managers', () => {
    expect(SEARCH_CAPACITY.small).toMatchObject({ dataNodes: 1, zoneAwareness: false });
    expect(SEARCH_CAPACITY.small.masterNodeInstanceType).toBeUndefined();
    expect(SEARCH_CAPACITY.medium).toMatchObject({ dataNodes: 2, zoneAwareness: true });
    expect(SEARCH_CAPACITY.large.masterNodeInstanceType).toBeDefined();
    expect(() => config({ 'commonplace:searchSize': 'huge' })).toThrow(/commonplace:searchSize/);
  });

  it('reads SAML and OIDC partners', () => {
    const c = config({
      'commonplace:partners': [
        { org: 'acme', emailDomains: ['acme.example'], saml },
        {
          org: 'globex',
          providerName: 'globex-entra',
          emailDomains: ['globex.example'],
          oidc: { issuerUrl: 'https://login.example.com', clientId: 'x', clientSecretName: 's' },
        },
      ],
    });
    expect(c.partners.map((p) => [p.org, p.providerName, p.idp.type])).toEqual([
      ['acme', 'acme', 'saml'],
      ['globex', 'globex-entra', 'oidc'],
    ]);
  });

  it.each<[Record<string, unknown>, RegExp]>([
    [{ org: 'Acme Corp', saml }, /\.org/],
    [{ org: 'acme', providerName: 'acme_idp', saml }, /providerName/],
    [{ org: 'acme' }, /exactly one of "saml" or "oidc"/],
    [{ org: 'acme', saml, oidc: {} }, /exactly one of "saml" or "oidc"/],
    [{ org: 'acme', saml: {} }, /metadataUrl" or "metadataFile/],
    [{ org: 'acme', saml: { metadataUrl: 'http://idp.example.com/metadata' } }, /https/],
    [{ org: 'acme', oidc: { issuerUrl: 'https://x.example', clientId: 'c' } }, /clientSecretName/],
    [
      {
        org: 'acme',
        oidc: {
          issuerUrl: 'https://x.example',
          clientId: 'c',
          clientSecretName: 's',
          clientSecret: 'hunter2',
        },
      },
      /never put the secret/,
    ],
    [{ org: 'acme', emailDomains: ['not a domain'], saml }, /emailDomains/],
    [{ org: 'acme', saml }, /emailDomains.*e-mail domains/],
    ...[
      'https://login.microsoftonline.com/common/v2.0',
      'https://login.microsoftonline.com/organizations/v2.0',
      'https://login.microsoftonline.com/consumers/v2.0',
      'https://LOGIN.microsoftonline.com/Common/v2.0',
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
    ].map((issuerUrl): [Record<string, unknown>, RegExp] => [
      {
        org: 'acme',
        emailDomains: ['acme.example'],
        oidc: { issuerUrl, clientId: 'c', clientSecretName: 's' },
      },
      /multi-tenant issuer/,
    ]),
  ])('rejects partner %j', (partner, message) => {
    expect(() => withPartner(partner)).toThrow(ConfigError);
    expect(() => withPartner(partner)).toThrow(message);
  });

  it('rejects two partners with the same organisation or provider', () => {
    expect(() =>
      config({
        'commonplace:partners': [
          { org: 'acme', emailDomains: ['acme.example'], saml },
          { org: 'acme', providerName: 'other', emailDomains: ['acme.example'], saml },
        ],
      }),
    ).toThrow(/appears twice/);
    expect(() =>
      config({
        'commonplace:partners': [
          { org: 'a', providerName: 'idp', emailDomains: ['a.example'], saml },
          { org: 'b', providerName: 'IDP', emailDomains: ['b.example'], saml },
        ],
      }),
    ).toThrow(/appears twice/);
  });

  it('reads the search operator roles as a list or a comma-separated string', () => {
    const arn = 'arn:aws:iam::123456789012:role/CommonplaceOperator';
    expect(config({ 'commonplace:searchOperatorRoleArns': [arn] }).search.operatorRoleArns).toEqual([arn]);
    expect(
      config({ 'commonplace:searchOperatorRoleArns': `${arn}, ${arn}2` }).search.operatorRoleArns,
    ).toEqual([arn, `${arn}2`]);
    expect(() =>
      config({ 'commonplace:searchOperatorRoleArns': ['arn:aws:iam::123456789012:user/bob'] }),
    ).toThrow(/not an IAM role ARN/);
    expect(() => config({ 'commonplace:searchOperatorRoleArns': ['*'] })).toThrow(/not an IAM role ARN/);
  });

  it('needs a custom domain and its us-east-1 certificate together', () => {
    expect(() => config({ 'commonplace:domainName': 'commonplace.example.com' })).toThrow(/both/);
    expect(() =>
      config({
        'commonplace:domainName': 'commonplace.example.com',
        'commonplace:certificateArn': 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      }),
    ).toThrow(/us-east-1/);
    expect(
      config({
        'commonplace:domainName': 'commonplace.example.com',
        'commonplace:certificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      }).customDomain,
    ).toEqual({
      domainName: 'commonplace.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
    });
  });

  it('rejects a hosted-UI prefix Cognito would refuse, and a malformed alarm address', () => {
    expect(() => config({ 'commonplace:cognitoDomainPrefix': 'my-aws-login' })).toThrow(
      /cognitoDomainPrefix/,
    );
    expect(() => config({ 'commonplace:cognitoDomainPrefix': 'Upper' })).toThrow(/cognitoDomainPrefix/);
    expect(() => config({ 'commonplace:alarmEmail': 'ops' })).toThrow(/alarmEmail/);
  });
});

describe('mail', () => {
  const arn = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
  it('is off unless both the sender and its SES identity are set; each is checked', () => {
    expect(config().mail).toBeUndefined();
    expect(config({ 'commonplace:mailFrom': '', 'commonplace:sesIdentityArn': '' }).mail).toBeUndefined();
    expect(
      config({ 'commonplace:mailFrom': 'Commonplace <cp@example.com>', 'commonplace:sesIdentityArn': arn })
        .mail,
    ).toEqual({ from: 'Commonplace <cp@example.com>', sesIdentityArn: arn });
    expect(() => config({ 'commonplace:mailFrom': 'cp@example.com' })).toThrow(/commonplace:sesIdentityArn/);
    expect(() => config({ 'commonplace:mailFrom': 'nobody', 'commonplace:sesIdentityArn': arn })).toThrow(
      /commonplace:mailFrom/,
    );
    expect(() =>
      config({
        'commonplace:mailFrom': 'cp@example.com',
        'commonplace:sesIdentityArn': 'arn:aws:iam::1:role/x',
      }),
    ).toThrow(/commonplace:sesIdentityArn/);
  });
});
