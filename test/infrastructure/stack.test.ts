/**
 * Template assertions on the synthesized Commonplace stack, above all the security properties: no
 * public bucket, TLS only, encryption, least-privilege IAM, the authorizer on every route, bounded
 * retries on every event source, and cdk-nag with zero unacknowledged findings. One synthesis (without
 * bundling; bundle-size.test.ts bundles) shared by every assertion.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { PUBLIC_PATHS } from '../../functions/api/middleware/authenticate';
import { ALL_MODULES } from '../../functions/api/modules/all-modules';
import type { ModuleName } from '../../functions/api/modules/api-module';
import { TABLE_DEFINITION } from '../../functions/data/table-definition';
import { BOOKMARK_IMPORT_QUEUE_URL_ENV } from '../../functions/domain/bookmarks/import-job';
import { LIVE_NAMESPACE, ON_SUBSCRIBE_CODE } from '../../functions/domain/subscriptions/live-channel';
import { LIVE_EVENTS_HTTP_DOMAIN_ENV } from '../../functions/platform/appsync-events';
import { ENV } from '../../functions/platform/environment';
import { BOOKMARK_METADATA_ITEM_TYPES } from '../../functions/streams/bookmark-metadata';
import { FANOUT_ITEM_TYPES, FANOUT_PAGES_QUEUE_URL_ENV } from '../../functions/streams/fanout';
import { INDEXER_ITEM_TYPES } from '../../functions/streams/indexer';
import { LIVE_PUBLISH_FAILED } from '../../functions/streams/live-announce';
import { apiGatewayPaths } from '../../lib/constructs/api';
import { partnerItems } from '../../lib/constructs/partner-seed';
import { TABLE_ACTIONS } from '../../lib/constructs/service-function';
import { MAX_RETRY_ATTEMPTS } from '../../lib/constructs/streams';
import { type Synthesized, synthesize, TEST_OPERATOR_ROLE } from './synthesize';

type Resource = {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read by the assertions
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Sid?: string;
};

let synth: Synthesized;
let template: Template;

const resources = (type: string): [string, Resource][] =>
  Object.entries(template.findResources(type)) as [string, Resource][];
const only = (type: string): [string, Resource] => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The app's distribution (the files' download distribution is asserted in files.test.ts). */
const webDistribution = () =>
  resources('AWS::CloudFront::Distribution').find(([id]) => id.startsWith('WebDistribution')) as [
    string,
    Resource,
  ];
const logicalIdOf = (type: string, pathFragment: string): string => {
  const id = resources(type).find(([logicalId]) => logicalId.startsWith(pathFragment))?.[0];
  if (!id) throw new Error(`No ${type} whose logical id starts with ${pathFragment}`);
  return id;
};
const actions = (s: Statement) => [s.Action].flat();
/** All statements of identity-based policies (inline policies of roles and AWS::IAM::Policy). */
const identityStatements = (): { policy: string; statement: Statement }[] => [
  ...resources('AWS::IAM::Policy').flatMap(([policy, r]) =>
    (r.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ policy, statement })),
  ),
  ...resources('AWS::IAM::Role').flatMap(([role, r]) =>
    ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) =>
      p.PolicyDocument.Statement.map((statement) => ({ policy: role, statement })),
    ),
  ),
];
const statementsOfRole = (rolePrefix: string) => {
  const role = logicalIdOf('AWS::IAM::Role', rolePrefix);
  return resources('AWS::IAM::Policy')
    .filter(([, r]) => (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role))
    .flatMap(([, r]) => r.Properties.PolicyDocument.Statement as Statement[]);
};
const byRouteKey = (a: { routeKey: string }, b: { routeKey: string }) => a.routeKey.localeCompare(b.routeKey);
/** The CDK's own deployment-time functions: BucketDeployment's, and AwsCustomResource's. */
const isCdkInternal = (id: string) =>
  id.startsWith('CustomCDKBucketDeployment') || id.startsWith('AWS679f53fac002430cb0da5b7982bd2287');
/** Event source mappings reading the table stream (the SQS mapping of the fan-out pages is not one). */
const streamMappings = () =>
  resources('AWS::Lambda::EventSourceMapping').filter(([, m]) =>
    JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
  );
const ourFunctions = () => resources('AWS::Lambda::Function').filter(([id]) => !isCdkInternal(id));

beforeAll(() => {
  synth = synthesize({ bundling: false });
  template = synth.template;
}, 120_000);

afterAll(() => synth && rmSync(synth.outdir, { recursive: true, force: true }));

describe('data', () => {
  it('builds the table from the shared table definition', () => {
    const [, table] = only('AWS::DynamoDB::GlobalTable');
    const p = table.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
    ]);
    expect(
      p.GlobalSecondaryIndexes.map((i: { IndexName: string; KeySchema: unknown }) => [
        i.IndexName,
        i.KeySchema,
      ]),
    ).toEqual(
      TABLE_DEFINITION.indexes.map((i) => [
        i.name,
        [
          { AttributeName: i.partitionKey, KeyType: 'HASH' },
          { AttributeName: i.sortKey, KeyType: 'RANGE' },
        ],
      ]),
    );
    expect(p.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_DEFINITION.ttlAttribute,
      Enabled: true,
    });
    expect(p.StreamSpecification).toEqual({ StreamViewType: TABLE_DEFINITION.streamViewType });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('protects the table: point-in-time recovery, deletion protection, encryption, retained on stack deletion', () => {
    const [, table] = only('AWS::DynamoDB::GlobalTable');
    expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(table.Properties.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('auth', () => {
  it('requires MFA (authenticator app), a strong password, admin-only sign-up and threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
  });

  it('has the groups employee, partner and admin', () => {
    const names = resources('AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties.GroupName)
      .sort();
    expect(names).toEqual(['admin', 'employee', 'partner']);
  });

  it('runs the pre-token-generation trigger as a V2_0 event, reading the provider → organisation map from the table', () => {
    const trigger = logicalIdOf('AWS::Lambda::Function', 'AuthPreTokenGeneration');
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [trigger, 'Arn'] }, LambdaVersion: 'V2_0' },
      },
    });
    const fn = template.findResources('AWS::Lambda::Function')[trigger] as Resource;
    const variables = fn.Properties.Environment.Variables;
    expect(variables.PARTNER_ORGANISATIONS).toBeUndefined();
    expect(variables.TABLE_NAME).toEqual({ Ref: logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable') });
    expect(variables.EMPLOYEE_IDENTITY_PROVIDERS).toBe('corp-entra,corp-okta');
    const reads = statementsOfRole('AuthPreTokenGenerationRole').filter((s) => s.Sid === 'ReadTable');
    expect(reads.flatMap(actions).sort()).toEqual([...TABLE_ACTIONS.read].sort());
    // Its only writes: the two link items of a first sign-in of a provisioned person; checks of profiles.
    const statements = statementsOfRole('AuthPreTokenGenerationRole');
    const link = statements.find((s) => s.Sid === 'LinkProvisionedPeople');
    expect(link && actions(link)).toEqual(['dynamodb:PutItem']);
    expect(JSON.stringify(link)).toContain('"dynamodb:LeadingKeys":["SIGNIN#*","LINKED#*"]');
    const check = statements.find((s) => s.Sid === 'CheckProvisionedPeople');
    expect(check && actions(check)).toEqual(['dynamodb:ConditionCheckItem']);
    expect(JSON.stringify(check)).toContain('"dynamodb:LeadingKeys":["USER#*"]');
  });

  it('writes each cdk.json partner into the table once (ORG, ORGDOMAIN, IDP), never over what is there', () => {
    const seeds = resources('Custom::PartnerOrganisation');
    expect(seeds).toHaveLength(2);
    const acme = JSON.stringify(seeds.find(([id]) => id.includes('acme'))?.[1].Properties);
    expect(acme).toContain('transactWriteItems');
    for (const key of ['ORG#acme', 'ORGDOMAIN#acme.example', 'IDP#acme']) expect(acme).toContain(key);
    expect(acme).toContain('attribute_not_exists(PK)');
    expect(acme).toContain('TransactionCanceledException');
    expect(JSON.stringify(seeds[0][1].Properties)).not.toContain('"Update"');
    expect(
      partnerItems({
        org: 'globex',
        providerName: 'globex-entra',
        emailDomains: ['Globex.example'],
        idp: {
          type: 'oidc',
          issuerUrl: 'https://login.globex.example/v2.0',
          clientId: 'c',
          clientSecretName: 's',
        },
      }),
    ).toEqual([
      expect.objectContaining({
        PK: 'ORG#globex',
        emailDomains: ['globex.example'],
        status: 'active',
        provider: {
          name: 'globex-entra',
          kind: 'oidc',
          issuer: 'https://login.globex.example/v2.0',
          clientId: 'c',
        },
      }),
      expect.objectContaining({ PK: 'ORGDOMAIN#globex.example', orgId: 'globex' }),
      expect.objectContaining({ PK: 'IDP#globex-entra', orgId: 'globex' }),
    ]);
  });

  it("federates employees from the company's own IdPs (OIDC and SAML) and offers them to the web client", () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'corp-entra',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        oidc_issuer: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0',
        client_secret: '{{resolve:secretsmanager:commonplace/entra-oidc:SecretString:::}}',
      }),
      IdpIdentifiers: ['commonplace.example'],
      AttributeMapping: Match.objectLike({ email: 'email', email_verified: 'email_verified' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'corp-okta',
      ProviderType: 'SAML',
      ProviderDetails: Match.objectLike({ MetadataURL: 'https://corp.okta.example/app/metadata' }),
    });
    const [, client] = only('AWS::Cognito::UserPoolClient');
    expect(client.Properties.SupportedIdentityProviders).toEqual(
      expect.arrayContaining(['COGNITO', 'acme', 'globex-entra', 'corp-entra', 'corp-okta']),
    );
  });

  it("lets the spaces Lambda (partner organisations) manage this pool's identity providers, and nothing else", () => {
    const pool = logicalIdOf('AWS::Cognito::UserPool', 'AuthUserPool');
    const manage = statementsOfRole('ApiSpacesHandlerRole').filter(
      (s) => s.Sid === 'ManageIdentityProviders',
    );
    expect(manage).toHaveLength(1);
    expect(actions(manage[0]).sort()).toEqual(
      [
        'cognito-idp:CreateIdentityProvider',
        'cognito-idp:DeleteIdentityProvider',
        'cognito-idp:DescribeIdentityProvider',
        'cognito-idp:DescribeUserPoolClient',
        'cognito-idp:UpdateIdentityProvider',
        'cognito-idp:UpdateUserPoolClient',
      ].sort(),
    );
    expect(manage[0].Resource).toEqual({ 'Fn::GetAtt': [pool, 'Arn'] });
    const spaces = template.findResources('AWS::Lambda::Function')[
      logicalIdOf('AWS::Lambda::Function', 'ApiSpacesHandler')
    ] as Resource;
    expect(spaces.Properties.Environment.Variables).toMatchObject({
      USER_POOL_ID: { Ref: pool },
      USER_POOL_CLIENT_ID: { Ref: logicalIdOf('AWS::Cognito::UserPoolClient', 'AuthUserPoolWebClient') },
    });
    // No other role may touch the pool's identity providers (SCIM and the profiles Lambda may only
    // disable and enable users: the test under "scim").
    const others = identityStatements().filter(
      ({ policy, statement }) =>
        !policy.startsWith('ApiSpacesHandlerRole') &&
        actions(statement).some(
          (a) => a.startsWith('cognito-idp:') && !/^cognito-idp:Admin(Dis|En)ableUser$/.test(a),
        ),
    );
    expect(others).toEqual([]);
  });

  it('declares each partner identity provider from context, with no secret in the template', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'acme',
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: 'https://idp.acme.example/saml/metadata.xml', IDPSignout: false },
      IdpIdentifiers: ['acme.example'],
      AttributeMapping: Match.objectLike({ email: Match.stringLikeRegexp('emailaddress') }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'globex-entra',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        oidc_issuer: 'https://login.globex.example/v2.0',
        client_id: 'commonplace',
        // A dynamic reference resolved by CloudFormation at deploy time.
        client_secret: '{{resolve:secretsmanager:commonplace/globex-oidc:SecretString:::}}',
      }),
    });
  });

  it('gives the web app a public client: code flow only, no secret, callback on the CloudFront origin', () => {
    const distribution = logicalIdOf('AWS::CloudFront::Distribution', 'WebDistribution');
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const p = client.Properties;
    expect(p.GenerateSecret).toBe(false);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(p.CallbackURLs).toEqual([
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distribution, 'DomainName'] }, '/auth/callback']] },
    ]);
    expect(p.SupportedIdentityProviders).toEqual([
      'COGNITO',
      'acme',
      'globex-entra',
      'corp-entra',
      'corp-okta',
    ]);
    expect(p.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(p.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
    expect(p.EnableTokenRevocation).toBe(true);
  });

  it('has a hosted sign-in domain', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: Match.anyValue(),
      ManagedLoginVersion: 2,
    });
  });
});

describe('api', () => {
  it("routes every path of every module to that module's Lambda, and nothing else", () => {
    const expected = ALL_MODULES.flatMap((module) =>
      apiGatewayPaths(module).map((path) => ({
        routeKey: `${PUBLIC_PATHS.has(path) ? 'GET' : 'ANY'} ${path}`,
        module: module.name,
      })),
    );
    // The unsubscribe link also takes the RFC 8058 one-click POST.
    expected.push({ routeKey: 'POST /api/unsubscribe', module: 'notifications' });
    // SCIM (issue 15) is its own Lambda, not an API module.
    expected.push({ routeKey: 'ANY /api/scim/v2/{proxy+}', module: undefined as unknown as ModuleName });
    const integrations = Object.fromEntries(resources('AWS::ApiGatewayV2::Integration'));
    const actual = resources('AWS::ApiGatewayV2::Route').map(([, route]) => {
      const integration = integrations[(route.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref];
      const fn = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      const module = ALL_MODULES.find((m) =>
        fn.startsWith(`Api${m.name[0].toUpperCase()}${m.name.slice(1)}Handler`),
      );
      return { routeKey: route.Properties.RouteKey, module: module?.name };
    });
    expect(actual.sort(byRouteKey)).toEqual(expected.sort(byRouteKey));
    // The derived table is not empty or partial: a few paths stated by hand.
    expect(expected).toEqual(
      expect.arrayContaining([
        { routeKey: 'ANY /api/spaces/{spaceId}/posts/{postId}', module: 'posts' },
        { routeKey: 'ANY /api/spaces/{spaceId}/pages', module: 'wiki' },
        { routeKey: 'ANY /api/spaces/{spaceId}/bookmarks', module: 'bookmarks' },
        { routeKey: 'ANY /api/me/bookmarks/{bookmarkId}', module: 'bookmarks' },
        { routeKey: 'ANY /api/me', module: 'profiles' },
        { routeKey: 'ANY /api/spaces/{spaceId}/members', module: 'spaces' },
        { routeKey: 'ANY /api/search', module: 'search' },
        { routeKey: 'GET /api/health', module: 'spaces' },
      ]),
    );
  });

  it('puts the JWT authorizer on every route but GET health and the OpenAPI document', () => {
    const authorizer = logicalIdOf('AWS::ApiGatewayV2::Authorizer', 'ApiHttpApi');
    const routes = resources('AWS::ApiGatewayV2::Route');
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const [, route] of routes) {
      const unsubscribe = ['GET /api/unsubscribe', 'POST /api/unsubscribe'];
      // SCIM's client proves itself with its own bearer token, checked by the SCIM Lambda (test below).
      const scim = ['ANY /api/scim/v2/{proxy+}'];
      if (
        ['GET /api/health', 'GET /api/openapi.json', ...unsubscribe, ...scim].includes(
          route.Properties.RouteKey,
        )
      ) {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        continue;
      }
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizer });
    }
  });

  it('lets only this HTTP API invoke the module Lambdas (they trust the claims in the event)', () => {
    const httpApi = logicalIdOf('AWS::ApiGatewayV2::Api', 'ApiHttpApi');
    const moduleFunctions = ourFunctions()
      .map(([id]) => id)
      .filter((id) => /^Api\w+HandlerFunction/.test(id));
    expect(moduleFunctions).toHaveLength(ALL_MODULES.length);
    const permissions = resources('AWS::Lambda::Permission');
    for (const fn of moduleFunctions) {
      const own = permissions.filter(([, p]) => JSON.stringify(p.Properties.FunctionName).includes(fn));
      expect(own.length).toBeGreaterThan(0);
      for (const [, permission] of own) {
        expect(permission.Properties.Action).toBe('lambda:InvokeFunction');
        expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
        expect(JSON.stringify(permission.Properties.SourceArn)).toContain(`{"Ref":"${httpApi}"}`);
      }
    }
    expect(resources('AWS::Lambda::Url')).toHaveLength(0);
  });

  it('trusts tokens of this user pool for the web client only', () => {
    const pool = logicalIdOf('AWS::Cognito::UserPool', 'AuthUserPool');
    const client = logicalIdOf('AWS::Cognito::UserPoolClient', 'AuthUserPoolWebClient');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: pool }],
          ],
        },
      },
    });
  });

  it('throttles the stage and writes JSON access logs', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      ip: '$context.identity.sourceIp',
    });
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdOf('AWS::Logs::LogGroup', 'ApiAccessLogs'), 'Arn'],
    });
  });

  it('configures each module Lambda through the environment contract', () => {
    for (const module of ALL_MODULES) {
      const id = `Api${module.name[0].toUpperCase()}${module.name.slice(1)}Handler`;
      const fn = template.findResources('AWS::Lambda::Function')[
        logicalIdOf('AWS::Lambda::Function', id)
      ] as Resource;
      const env = fn.Properties.Environment.Variables;
      const search: string[] = module.name === 'search' ? [ENV.searchEndpoint] : [];
      if (module.name === 'notifications') search.push(ENV.unsubscribeSecretArn);
      // The profiles Lambda disables people in the pool when an HR import deactivates them.
      if (module.name === 'profiles') search.push('USER_POOL_ID');
      if (module.name === 'attachments') search.push(ENV.filesBucket, ENV.filesDownloadDomain);
      // Bookmark imports: the upload form (files bucket) and the import queue.
      if (module.name === 'bookmarks')
        search.push(ENV.filesBucket, ENV.filesDownloadDomain, BOOKMARK_IMPORT_QUEUE_URL_ENV);
      // Partner organisations (spaces) register their identity providers in the user pool.
      if (module.name === 'spaces') search.push(ENV.userPoolId, ENV.userPoolClientId);
      expect(Object.keys(env).sort()).toEqual(
        [ENV.logLevel, ENV.serviceName, ENV.tableName, ENV.originSecret, ...search].sort(),
      );
      expect(env[ENV.serviceName]).toBe(`commonplace-${module.name}`);
      expect(env[ENV.tableName]).toEqual({ Ref: logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable') });
      if (module.name === 'search')
        expect(env[ENV.searchEndpoint]).toEqual({
          'Fn::Join': [
            '',
            [
              'https://',
              {
                'Fn::GetAtt': [
                  logicalIdOf('AWS::OpenSearchService::Domain', 'SearchDomain'),
                  'DomainEndpoint',
                ],
              },
            ],
          ],
        });
    }
  });
});

describe('scim', () => {
  it('has its own Lambda that reads its token secret and may only disable and enable users of the pool', () => {
    const fn = template.findResources('AWS::Lambda::Function')[
      logicalIdOf('AWS::Lambda::Function', 'ScimHandler')
    ] as Resource;
    const env = fn.Properties.Environment.Variables;
    expect(Object.keys(env).sort()).toEqual(
      [
        ENV.logLevel,
        ENV.serviceName,
        ENV.tableName,
        ENV.originSecret,
        'SCIM_TOKEN_SECRET_ARN',
        'USER_POOL_ID',
      ].sort(),
    );
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as Resource).Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const cognito = statements.filter((s) => JSON.stringify(s.Action).includes('cognito-idp:Admin'));
    expect(cognito.length).toBe(2); // the SCIM Lambda and the profiles Lambda
    for (const statement of cognito) {
      expect(statement.Action).toEqual(['cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser']);
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [logicalIdOf('AWS::Cognito::UserPool', 'AuthUserPool'), 'Arn'],
      });
    }
  });
});

describe('lambda functions', () => {
  it('run nodejs22.x on arm64 with an ES module bundle, active tracing and their own log group', () => {
    const functions = ourFunctions();
    expect(functions.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        ...ALL_MODULES.map((m) => `Api${m.name[0].toUpperCase()}${m.name.slice(1)}HandlerFunction`),
        'AuthPreTokenGenerationFunction',
        'BookmarkImportsWorkerFunction',
        'FanoutPagesWriterFunction',
        'MailDigestJobFunction',
        'ScimHandlerFunction',
        'SearchSecurityConfigFunction',
        'StreamsIndexerHandlerFunction',
        'StreamsFanoutHandlerFunction',
        'StreamsBookmarkMetadataHandlerFunction',
        'StreamsAttachmentCleanupHandlerFunction',
      ].sort(),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } },
      });
      // Source maps ship beside the code but are not enabled: --enable-source-maps costs ~25% of
      // module load (docs/performance.md).
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('keep every log group for a bounded time', () => {
    for (const [, group] of resources('AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });
});

describe('least-privilege IAM', () => {
  it('never grants a whole service or everything', () => {
    for (const { policy, statement } of identityStatements()) {
      for (const action of actions(statement)) {
        expect({ policy, action }).toEqual({
          policy,
          action: expect.not.stringMatching(/^\*$|^[a-z0-9-]+:\*$/),
        });
      }
    }
  });

  it('uses Resource "*" only for X-Ray, which has no resource-level permissions', () => {
    for (const { policy, statement } of identityStatements()) {
      if (policy.startsWith('CustomCDKBucketDeployment')) continue;
      if ([statement.Resource].flat().includes('*')) {
        expect({ policy, actions: actions(statement) }).toEqual({
          policy,
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        });
      }
    }
  });

  it('names every DynamoDB action (no wildcards, never Scan) on the table and its named indexes only', () => {
    const table = logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable');
    const tableArn = { 'Fn::GetAtt': [table, 'Arn'] };
    const streamArn = { 'Fn::GetAtt': [table, 'StreamArn'] };
    const allowedResources = [
      tableArn,
      streamArn,
      ...TABLE_DEFINITION.indexes.map((i) => ({ 'Fn::Join': ['', [tableArn, `/index/${i.name}`]] })),
    ];
    const dynamo = identityStatements().filter(({ statement }) =>
      actions(statement).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const { statement } of dynamo) {
      for (const action of actions(statement)) {
        expect(action).not.toContain('*');
        expect(action).not.toBe('dynamodb:Scan');
      }
      for (const resource of [statement.Resource].flat()) {
        expect(allowedResources).toContainEqual(resource);
      }
    }
  });

  it('lets the module Lambdas and the fan-out read and write the table and the indexer only read it', () => {
    const tableActions = (rolePrefix: string) =>
      statementsOfRole(rolePrefix)
        .filter((s) => ['ReadTable', 'ReadWriteTable', 'UpdateTable'].includes(s.Sid ?? ''))
        .flatMap(actions)
        .sort();
    for (const module of ALL_MODULES) {
      const role = `Api${module.name[0].toUpperCase()}${module.name.slice(1)}HandlerRole`;
      expect(tableActions(role)).toEqual([...TABLE_ACTIONS.readWrite].sort());
    }
    expect(tableActions('StreamsIndexerHandlerRole')).toEqual([...TABLE_ACTIONS.read].sort());
    expect(tableActions('StreamsFanoutHandlerRole')).toEqual([...TABLE_ACTIONS.readWrite].sort());
    expect(tableActions('StreamsBookmarkMetadataHandlerRole')).toEqual(['dynamodb:UpdateItem']);
    expect(tableActions('AuthPreTokenGenerationRole')).toEqual([...TABLE_ACTIONS.read].sort());
    expect(tableActions('SearchSecurityConfigRole')).toEqual([]);
  });

  it('attaches no AWS managed policies to our roles', () => {
    for (const [id, role] of resources('AWS::IAM::Role')) {
      if (isCdkInternal(id)) continue;
      expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    }
  });
});

describe('streams', () => {
  it('wires every stream event source mapping for partial failures, bisecting, bounded retries and an SQS failure destination', () => {
    const mappings = streamMappings();
    expect(mappings.length).toBeGreaterThan(0);
    const queues = resources('AWS::SQS::Queue').map(([id]) => id);
    for (const [, mapping] of mappings) {
      const p = mapping.Properties;
      expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      expect(p.BisectBatchOnFunctionError).toBe(true);
      expect(p.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
      expect(p.MaximumRetryAttempts).toBeLessThanOrEqual(MAX_RETRY_ATTEMPTS);
      expect(p.MaximumRecordAgeInSeconds).toBeGreaterThan(0);
      expect(p.MaximumRecordAgeInSeconds).toBeLessThanOrEqual(7 * 24 * 3600);
      const destination = p.DestinationConfig.OnFailure.Destination['Fn::GetAtt'];
      expect(queues).toContain(destination[0]);
      expect(p.EventSourceArn).toEqual({
        'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable'), 'StreamArn'],
      });
    }
  });

  it('wires the search indexer as the first consumer, invoked only for the item types it reads', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf('AWS::Lambda::Function', 'StreamsIndexerHandler') },
    });
    const [, mapping] = resources('AWS::Lambda::EventSourceMapping').find(([, m]) =>
      JSON.stringify(m.Properties.FunctionName).includes('StreamsIndexerHandler'),
    )!;
    const patterns = (mapping.Properties.FilterCriteria.Filters as { Pattern: string }[]).map((f) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { type: { S: [...INDEXER_ITEM_TYPES] } } } },
      { eventName: ['REMOVE'], dynamodb: { OldImage: { type: { S: [...INDEXER_ITEM_TYPES] } } } },
    ]);
    expect([...INDEXER_ITEM_TYPES].sort()).toEqual([
      'attachment',
      'bookmark',
      'comment',
      'page',
      'post',
      'profile',
      'space',
    ]);
  });

  it('wires the notification fan-out as the second consumer, filtered to the items that make events', () => {
    const [, mapping] = resources('AWS::Lambda::EventSourceMapping').find(
      ([, m]) =>
        m.Properties.FunctionName.Ref === logicalIdOf('AWS::Lambda::Function', 'StreamsFanoutHandler'),
    )!;
    const patterns = mapping.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toContainEqual({ dynamodb: { NewImage: { type: { S: [...FANOUT_ITEM_TYPES] } } } });
    expect(FANOUT_ITEM_TYPES).not.toContain('notification');
    expect(FANOUT_ITEM_TYPES).not.toContain('subscription');
  });

  it('wires the bookmark metadata consumer, filtered to URL items, outside any VPC, reaching only the table', () => {
    const fn = logicalIdOf('AWS::Lambda::Function', 'StreamsBookmarkMetadataHandler');
    const [, mapping] = resources('AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties.FunctionName.Ref === fn,
    )!;
    const patterns = mapping.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toContainEqual({ dynamodb: { NewImage: { type: { S: ['bookmarkUrl'] } } } });
    expect(BOOKMARK_METADATA_ITEM_TYPES).toEqual(['bookmarkUrl']);
    expect(mapping.Properties.BatchSize).toBe(10);
    expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    const [, lambda] = resources('AWS::Lambda::Function').find(([id]) => id === fn)!;
    expect(lambda.Properties.VpcConfig).toBeUndefined();
    // Its role: logs, tracing, the stream, its failure queue and UpdateItem on the table — nothing else.
    const granted = statementsOfRole('StreamsBookmarkMetadataHandlerRole').flatMap(actions);
    for (const action of granted)
      expect(action).toMatch(
        /^(logs|xray|sqs):|^dynamodb:(UpdateItem|DescribeStream|GetRecords|GetShardIterator|ListStreams)$/,
      );
    const update = statementsOfRole('StreamsBookmarkMetadataHandlerRole').find(
      (s) => s.Sid === 'UpdateTable',
    )!;
    expect([update.Resource].flat()).toEqual([
      { 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable'), 'Arn'] },
    ]);
    for (const alarm of ['IteratorAgeAlarm', 'FailureQueueAlarm', 'ErrorsAlarm'])
      expect(
        resources('AWS::CloudWatch::Alarm').some(([id]) => id.startsWith(`StreamsBookmarkMetadata${alarm}`)),
      ).toBe(true);
  });

  it('encrypts the failure queues and refuses plain HTTP to them', () => {
    for (const [id, queue] of resources('AWS::SQS::Queue')) {
      expect(queue.Properties.SqsManagedSseEnabled ?? queue.Properties.KmsMasterKeyId).toBeTruthy();
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('alarms on iterator age and on messages in each failure queue', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    // Work queues (fan-out pages, bookmark imports) alarm on their age instead (below).
    const workQueues = [
      logicalIdOf('AWS::SQS::Queue', 'FanoutPagesQueue'),
      logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsQueue'),
    ];
    for (const [queue] of resources('AWS::SQS::Queue').filter(([id]) => !workQueues.includes(id))) {
      expect(
        alarms.some(
          (a) =>
            a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(a.Dimensions).includes(queue),
        ),
      ).toBe(true);
    }
    for (const [, mapping] of streamMappings()) {
      const fn = mapping.Properties.FunctionName.Ref;
      expect(
        alarms.some((a) => a.MetricName === 'IteratorAge' && JSON.stringify(a.Dimensions).includes(fn)),
      ).toBe(true);
    }
  });
});

describe('fan-out pages (a large audience through SQS)', () => {
  it('pages go to an encrypted queue with a dead-letter queue, read by the page writer reporting partial failures', () => {
    const queue = logicalIdOf('AWS::SQS::Queue', 'FanoutPagesQueue');
    const dlq = logicalIdOf('AWS::SQS::Queue', 'FanoutPagesDeadLetterQueue');
    const [, q] = resources('AWS::SQS::Queue').find(([id]) => id === queue)!;
    expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(q.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: 5,
    });
    const writer = logicalIdOf('AWS::Lambda::Function', 'FanoutPagesWriter');
    const [, mapping] = resources('AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties.FunctionName.Ref === writer,
    )!;
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    // The fan-out knows where to send pages.
    const [, fanout] = resources('AWS::Lambda::Function').find(([id]) =>
      id.startsWith('StreamsFanoutHandler'),
    )!;
    expect(fanout.Properties.Environment.Variables[FANOUT_PAGES_QUEUE_URL_ENV]).toEqual({ Ref: queue });
  });

  it('only the fan-out may send pages, only the page writer may receive them', () => {
    const queue = logicalIdOf('AWS::SQS::Queue', 'FanoutPagesQueue');
    const touching = (action: RegExp) =>
      identityStatements()
        .filter(
          ({ statement }) =>
            actions(statement).some((a) => action.test(a)) &&
            JSON.stringify(statement.Resource).includes(queue),
        )
        .map(({ policy }) => policy);
    const senders = touching(/^sqs:SendMessage/);
    expect(senders.length).toBe(1);
    expect(senders[0]).toMatch(/^StreamsFanoutHandler/);
    const receivers = touching(/^sqs:(ReceiveMessage|DeleteMessage)/);
    expect(receivers.length).toBe(1);
    expect(receivers[0]).toMatch(/^FanoutPagesWriter/);
  });

  it('alarms on messages in the dead-letter queue and on the age of the oldest page', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const queue = logicalIdOf('AWS::SQS::Queue', 'FanoutPagesQueue');
    const dlq = logicalIdOf('AWS::SQS::Queue', 'FanoutPagesDeadLetterQueue');
    const on = (metric: string, id: string) =>
      alarms.some((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id));
    expect(on('ApproximateNumberOfMessagesVisible', dlq)).toBe(true);
    expect(on('ApproximateAgeOfOldestMessage', queue)).toBe(true);
  });
});

describe('bookmark import jobs (SQS and their worker)', () => {
  it('jobs go to an encrypted queue with a dead-letter queue, read one at a time by the worker reporting partial failures', () => {
    const queue = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsQueue');
    const dlq = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsDeadLetterQueue');
    const [, q] = resources('AWS::SQS::Queue').find(([id]) => id === queue)!;
    expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(q.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
      maxReceiveCount: 5,
    });
    // Six times the worker's timeout: a crashed part of a job comes back after it, never during it.
    const worker = logicalIdOf('AWS::Lambda::Function', 'BookmarkImportsWorker');
    const [, fn] = resources('AWS::Lambda::Function').find(([id]) => id === worker)!;
    expect(q.Properties.VisibilityTimeout).toBe(fn.Properties.Timeout * 6);
    const [, mapping] = resources('AWS::Lambda::EventSourceMapping').find(
      ([, m]) => m.Properties.FunctionName.Ref === worker,
    )!;
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
    });
    for (const id of ['ApiBookmarksHandler', 'BookmarkImportsWorker']) {
      const [, f] = resources('AWS::Lambda::Function').find(([fid]) => fid.startsWith(id))!;
      expect(f.Properties.Environment.Variables[BOOKMARK_IMPORT_QUEUE_URL_ENV]).toEqual({ Ref: queue });
      expect(f.Properties.Environment.Variables[ENV.filesBucket]).toBeDefined();
    }
  });

  it('only the bookmarks API and the worker send jobs; only the worker receives them', () => {
    const queue = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsQueue');
    const touching = (action: RegExp) =>
      identityStatements()
        .filter(
          ({ statement }) =>
            actions(statement).some((a) => action.test(a)) &&
            JSON.stringify(statement.Resource).includes(queue),
        )
        .map(({ policy }) => policy)
        .sort();
    const senders = touching(/^sqs:SendMessage/);
    expect(senders).toHaveLength(2);
    expect(senders[0]).toMatch(/^ApiBookmarksHandler/);
    expect(senders[1]).toMatch(/^BookmarkImportsWorker/);
    const receivers = touching(/^sqs:(ReceiveMessage|DeleteMessage)/);
    expect(receivers).toHaveLength(1);
    expect(receivers[0]).toMatch(/^BookmarkImportsWorker/);
  });

  it("the worker's role reaches the table, its queue and the upload objects only", () => {
    const table = logicalIdOf('AWS::DynamoDB::GlobalTable', 'DataTable');
    const queue = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsQueue');
    const statements = statementsOfRole('BookmarkImportsWorker');
    for (const statement of statements) {
      const resource = JSON.stringify(statement.Resource);
      const kinds = [...new Set(actions(statement).map((a) => a.split(':')[0]))];
      // X-Ray traces and the function's own log group (ServiceFunction, every function has them).
      if (kinds.includes('xray') || kinds.includes('logs')) continue;
      if (kinds.includes('dynamodb')) expect(resource).toContain(table);
      else if (kinds.includes('sqs')) expect(resource).toContain(queue);
      else {
        expect(kinds).toEqual(['s3']);
        expect(actions(statement).sort()).toEqual(['s3:DeleteObject', 's3:GetObject']);
        expect(resource).toContain('/uploads/*');
      }
    }
    // The bookmarks API may presign an upload and see that it arrived: put and get under uploads/ only.
    const s3 = statementsOfRole('ApiBookmarksHandler').filter((st) =>
      actions(st).some((a) => a.startsWith('s3:')),
    );
    expect(s3.flatMap(actions).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    for (const st of s3) expect(JSON.stringify(st.Resource)).toContain('/uploads/*');
  });

  it('alarms on messages in the dead-letter queue, the age of the oldest job and worker errors', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const queue = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsQueue');
    const dlq = logicalIdOf('AWS::SQS::Queue', 'BookmarkImportsDeadLetterQueue');
    const worker = logicalIdOf('AWS::Lambda::Function', 'BookmarkImportsWorker');
    const on = (metric: string, id: string) =>
      alarms.some((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id));
    expect(on('ApproximateNumberOfMessagesVisible', dlq)).toBe(true);
    expect(on('ApproximateAgeOfOldestMessage', queue)).toBe(true);
    expect(on('Errors', worker)).toBe(true);
  });
});

describe('search', () => {
  it('encrypts at rest and between nodes, and serves HTTPS with TLS 1.2 or later only', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EncryptionAtRestOptions: { Enabled: true },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
    });
  });

  it('uses fine-grained access control with an IAM master role and no internal users', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: {
          MasterUserARN: { 'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', 'SearchSecurityConfigRole'), 'Arn'] },
        },
      },
    });
  });

  it('is small by default: one t3.small.search node', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        InstanceCount: 1,
        InstanceType: 't3.small.search',
        DedicatedMasterEnabled: false,
      }),
      EBSOptions: { EBSEnabled: true, VolumeSize: 10, VolumeType: 'gp3' },
    });
  });

  it('admits only the Lambda roles and the configured operator roles in its access policy', () => {
    const [, domain] = only('AWS::OpenSearchService::Domain');
    const statements = domain.Properties.AccessPolicies.Statement as Statement[];
    const role = (prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', prefix), 'Arn'] });
    // One statement each, as wide as the role's own policy (security-review.test.ts checks the actions).
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(statements.map((s) => (s.Principal as { AWS: unknown }).AWS)).toEqual([
      role('SearchSecurityConfigRole'),
      role('ApiSearchHandlerRole'),
      role('StreamsIndexerHandlerRole'),
      TEST_OPERATOR_ROLE,
    ]);
    expect(JSON.stringify(statements.map((s) => s.Principal))).not.toContain('*');
  });

  it('maps the search module role to the reader role, and the indexer and operator roles to the writer role', () => {
    const role = (prefix: string) => ({ 'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', prefix), 'Arn'] });
    const [, config] = only('Custom::OpenSearchSecurityConfig');
    const roles = config.Properties.Roles as {
      name: string;
      backendRoles: unknown[];
      indexPermissions: { allowed_actions: string[] }[];
    }[];
    const reader = roles.find((r) => r.name === 'commonplace_reader');
    const writer = roles.find((r) => r.name === 'commonplace_writer');
    expect(reader?.backendRoles).toEqual([role('ApiSearchHandlerRole')]);
    expect(reader?.indexPermissions[0].allowed_actions).toEqual(['read']);
    expect(writer?.backendRoles).toEqual([role('StreamsIndexerHandlerRole'), TEST_OPERATOR_ROLE]);
  });

  it('publishes its logs to CloudWatch', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      LogPublishingOptions: {
        ES_APPLICATION_LOGS: Match.objectLike({ Enabled: true }),
        SEARCH_SLOW_LOGS: Match.objectLike({ Enabled: true }),
        INDEX_SLOW_LOGS: Match.objectLike({ Enabled: true }),
      },
    });
  });
});

describe('web', () => {
  it('blocks every kind of public access to every bucket, encrypts them and refuses plain HTTP', () => {
    const buckets = resources('AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
      expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('lets only this CloudFront distribution read the site bucket (origin access control)', () => {
    const distribution = logicalIdOf('AWS::CloudFront::Distribution', 'WebDistribution');
    for (const [, policy] of resources('AWS::S3::BucketPolicy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement as (Statement & {
        Condition?: unknown;
      })[]) {
        if (statement.Effect !== 'Allow') continue;
        expect(statement.Principal).not.toEqual('*');
        expect(statement.Principal).not.toEqual({ AWS: '*' });
        if (JSON.stringify(statement.Principal).includes('cloudfront.amazonaws.com')) {
          expect(JSON.stringify(statement.Condition)).toContain(distribution);
        }
      }
    }
    const [, dist] = webDistribution();
    const s3Origin = dist.Properties.DistributionConfig.Origins.find(
      (o: { S3OriginConfig?: unknown }) => o.S3OriginConfig,
    );
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('redirects to HTTPS and routes /api/* to the HTTP API over TLS 1.2, uncached', () => {
    const [, dist] = webDistribution();
    const config = dist.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const api = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/api/*');
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // AllViewerExceptHostHeader
    const apiOrigin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(apiOrigin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(
      logicalIdOf('AWS::ApiGatewayV2::Api', 'ApiHttpApi'),
    );
    expect(config.Logging).toBeDefined();
  });

  it('sends security headers with a strict Content-Security-Policy on every behaviour', () => {
    // The app's; the download distribution has its own (files.test.ts).
    const [policyId, policy] = resources('AWS::CloudFront::ResponseHeadersPolicy').find(([id]) =>
      id.startsWith('WebSecurityHeaders'),
    ) as [string, Resource];
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(headers.ContentTypeOptions).toBeDefined();
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    const [, dist] = webDistribution();
    const config = dist.Properties.DistributionConfig;
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
  });

  it('writes config.json at deploy time from the stack values', () => {
    const config = synth.stack.resolve(synth.stack.web.runtimeConfig);
    expect(config.apiBaseUrl).toBe('/api');
    expect(config.auth.clientId).toEqual({
      Ref: logicalIdOf('AWS::Cognito::UserPoolClient', 'AuthUserPoolWebClient'),
    });
    expect(JSON.stringify(config.auth.redirectUri)).toContain('/auth/callback');
    expect(JSON.stringify(config.auth.authority)).toContain(
      logicalIdOf('AWS::Cognito::UserPool', 'AuthUserPool'),
    );
    const deployment = resources('Custom::CDKBucketDeployment').find(([, d]) => d.Properties.Include);
    expect(deployment?.[1].Properties).toMatchObject({
      Include: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    // The JSON source carries deploy-time markers for the stack's values (the client id among them).
    const markers = Object.values(Object.assign({}, ...(deployment?.[1].Properties.SourceMarkers ?? [])));
    expect(markers).toContainEqual({
      Ref: logicalIdOf('AWS::Cognito::UserPoolClient', 'AuthUserPoolWebClient'),
    });
  });
});

describe('live updates (AppSync Events)', () => {
  const eventConfig = () => only('AWS::AppSync::Api')[1].Properties.EventConfig;

  it('subscribes with the stack user pool and publishes with IAM only', () => {
    const config = eventConfig();
    const pool = logicalIdOf('AWS::Cognito::UserPool', 'AuthUserPool');
    expect(config.AuthProviders).toEqual([
      {
        AuthType: 'AMAZON_COGNITO_USER_POOLS',
        CognitoConfig: expect.objectContaining({ UserPoolId: { Ref: pool } }),
      },
      { AuthType: 'AWS_IAM' },
    ]);
    expect(config.ConnectionAuthModes).toEqual([{ AuthType: 'AMAZON_COGNITO_USER_POOLS' }]);
    expect(config.DefaultSubscribeAuthModes).toEqual([{ AuthType: 'AMAZON_COGNITO_USER_POOLS' }]);
    expect(config.DefaultPublishAuthModes).toEqual([{ AuthType: 'AWS_IAM' }]);
    const [, namespace] = only('AWS::AppSync::ChannelNamespace');
    expect(namespace.Properties).toMatchObject({
      Name: LIVE_NAMESPACE,
      CodeHandlers: ON_SUBSCRIBE_CODE,
      SubscribeAuthModes: [{ AuthType: 'AMAZON_COGNITO_USER_POOLS' }],
      PublishAuthModes: [{ AuthType: 'AWS_IAM' }],
    });
  });

  it('logs errors to a log group kept 90 days, through a role that may write only there', () => {
    const { LogConfig } = eventConfig();
    expect(LogConfig.LogLevel).toBe('ERROR');
    const role = logicalIdOf('AWS::IAM::Role', 'LiveLogRole');
    expect(LogConfig.CloudWatchLogsRoleArn).toEqual({ 'Fn::GetAtt': [role, 'Arn'] });
    const logs = logicalIdOf('AWS::Logs::LogGroup', 'LiveLogs');
    expect(template.toJSON().Resources[logs].Properties.RetentionInDays).toBe(90);
    const statements = statementsOfRole('LiveLogRole');
    expect(statements.flatMap(actions).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(JSON.stringify(statements.map((st) => st.Resource))).toContain(logs);
  });

  it('grants appsync:EventPublish to the fan-out and its page writer only, and nothing of AppSync to anyone else', () => {
    const appsync = identityStatements().filter(({ statement }) =>
      actions(statement).some((a) => a.startsWith('appsync:')),
    );
    expect(appsync.map(({ policy }) => policy).sort()).toEqual([
      expect.stringMatching(/^FanoutPagesWriter/),
      expect.stringMatching(/^StreamsFanoutHandler/),
    ]);
    for (const { statement } of appsync) {
      expect(actions(statement)).toEqual(['appsync:EventPublish']);
      expect(JSON.stringify(statement.Resource)).toContain(`channelNamespace/${LIVE_NAMESPACE}`);
      expect(JSON.stringify(statement.Resource)).not.toContain('channelNamespace/*');
    }
    // Each publisher is told the API's HTTP domain, and its failed publishes are counted.
    for (const prefix of ['StreamsFanoutHandler', 'FanoutPagesWriter']) {
      const fn = template.toJSON().Resources[logicalIdOf('AWS::Lambda::Function', prefix)];
      expect(fn.Properties.Environment.Variables[LIVE_EVENTS_HTTP_DOMAIN_ENV]).toEqual({
        'Fn::GetAtt': [logicalIdOf('AWS::AppSync::Api', 'LiveEventApi'), 'Dns.Http'],
      });
    }
    const filters = resources('AWS::Logs::MetricFilter').filter(([, r]) =>
      JSON.stringify(r.Properties.FilterPattern).includes(LIVE_PUBLISH_FAILED),
    );
    expect(filters).toHaveLength(2);
  });

  it('gives the web client the realtime endpoint in config.json and allows it in connect-src', () => {
    const config = synth.stack.resolve(synth.stack.web.runtimeConfig);
    const api = logicalIdOf('AWS::AppSync::Api', 'LiveEventApi');
    expect(JSON.stringify(config.live.realtimeUrl)).toContain(`"${api}","Dns.Realtime"`);
    expect(JSON.stringify(config.live.realtimeUrl)).toContain('/event/realtime');
    expect(config.live.httpHost).toEqual({ 'Fn::GetAtt': [api, 'Dns.Http'] });
    const [, policy] = resources('AWS::CloudFront::ResponseHeadersPolicy').find(([id]) =>
      id.startsWith('WebSecurityHeaders'),
    ) as [string, Resource];
    const csp = JSON.stringify(
      policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    expect(csp).toMatch(
      /connect-src 'self'[^;]*wss:\/\/",\{"Fn::GetAtt":\["LiveEventApi[0-9A-F]+","Dns.Realtime"\]\}/,
    );
  });
});

describe('observability', () => {
  it('sends every alarm to one encrypted topic', () => {
    const [topic, topicResource] = only('AWS::SNS::Topic');
    expect(topicResource.Properties.KmsMasterKeyId).toBeDefined();
    const alarms = resources('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(10);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.AlarmDescription).toBeTruthy();
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topic },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has a dashboard', () => {
    only('AWS::CloudWatch::Dashboard');
  });
});

describe('cdk-nag', () => {
  const packs = () => [new AwsSolutionsChecks(), new ServerlessChecks()];
  const NAG_RULE = /^(AwsSolutions|Serverless)-/;

  it('reports zero unacknowledged AwsSolutions and Serverless findings', () => {
    const findings = packs().flatMap((pack) =>
      pack
        .validateScope(synth.app)
        .violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
    );
    expect(findings).toEqual([]);
  });

  const acknowledgements = () =>
    synth.app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
            path: construct.node.path,
            id: id.replace(/^annotation::/i, ''),
            reason,
          })),
        )
        .filter((ack) => NAG_RULE.test(ack.id)),
    );

  it('gives every acknowledgement a written reason', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect({ ...ack, reason: ack.reason.length >= 40 }).toEqual({ ...ack, reason: true });
    }
  });

  it('has no stale acknowledgement: each one silences a finding that would otherwise be reported', () => {
    const raw = packs().flatMap((pack) => {
      // Look at the findings as they would be without any acknowledgement.
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      return pack
        .validateScope(synth.app)
        .violations.flatMap((v) =>
          v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
        );
    });
    const stale = acknowledgements().filter(
      (ack) =>
        !raw.some(
          (finding) =>
            finding.id === ack.id && (finding.path === ack.path || finding.path.startsWith(`${ack.path}/`)),
        ),
    );
    expect(stale).toEqual([]);
  });
});

describe('mail', () => {
  it('runs the digest job hourly through EventBridge Scheduler, with retries and a dead-letter queue', () => {
    const job = logicalIdOf('AWS::Lambda::Function', 'MailDigestJob');
    const [[, schedule]] = resources('AWS::Scheduler::Schedule');
    expect(schedule.Properties.ScheduleExpression).toBe('cron(5 * * * ? *)');
    expect(schedule.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [job, 'Arn'] });
    expect(schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts).toBe(2);
    expect(schedule.Properties.Target.DeadLetterConfig.Arn).toBeDefined();
  });

  it('keeps the unsubscribe key in a secret that the notifications API, the fan-out, its page writer and the job read', () => {
    expect(resources('AWS::SecretsManager::Secret').length).toBeGreaterThanOrEqual(1);
    for (const id of [
      'ApiNotificationsHandler',
      'StreamsFanoutHandler',
      'FanoutPagesWriter',
      'MailDigestJob',
    ]) {
      const fn = template.findResources('AWS::Lambda::Function')[
        logicalIdOf('AWS::Lambda::Function', id)
      ] as Resource;
      expect(fn.Properties.Environment.Variables[ENV.unsubscribeSecretArn]).toBeDefined();
    }
  });

  it('without commonplace:mailFrom mail is off: no SES permission, no sender, and the stack says so', () => {
    expect(JSON.stringify(resources('AWS::IAM::Policy'))).not.toContain('ses:');
    for (const [, fn] of ourFunctions())
      expect(fn.Properties.Environment?.Variables?.[ENV.mailFrom]).toBeUndefined();
    const outputs = template.findOutputs('MailStatus');
    expect(Object.values(outputs)[0].Value).toMatch(/^off: set commonplace:mailFrom/);
  });

  it('alarms on the job failing and on the schedule failing to invoke it', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.some((id) => id.startsWith('MailDigestErrorsAlarm'))).toBe(true);
    expect(alarms.some((id) => id.startsWith('MailDigestScheduleDeadLettersAlarm'))).toBe(true);
  });
});
