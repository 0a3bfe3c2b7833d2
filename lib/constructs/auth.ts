/**
 * Who may sign in: a Cognito user pool for employees (invited by an admin, MFA required, or federated
 * from the company's own IdP), federated identity providers of partner organisations (SAML or OIDC:
 * seeded from cdk.json, or added at run time by an admin through the spaces Lambda, which is granted
 * the identity-provider APIs on this pool), a hosted sign-in domain, and one public app client for the
 * web app (authorization code + PKCE, no secret). The pre-token-generation trigger reads each partner
 * provider's organisation from the table and puts the `groups` and `org` claims into the access token.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Duration, Lazy, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  OidcAttributeRequestMethod,
  ProviderAttribute,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct, type IDependable } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import type { EmployeeProviderConfig, PartnerConfig, PartnerIdentityProvider } from '../config';
import { ServiceFunction } from './service-function';

/** The groups the API knows; `admin` membership is what the trigger reads, the others document roles. */
export const USER_POOL_GROUPS = [
  {
    name: 'employee',
    description: 'Employees: native user-pool users (the trigger adds this group claim to every one).',
  },
  {
    name: 'partner',
    description: 'Partner users: everyone who signs in through a partner identity provider.',
  },
  {
    name: 'admin',
    description: 'Commonplace administrators: employees who run spaces, partners and moderation.',
  },
] as const;

/** Path of the web client's OAuth redirect, relative to the site origin. */
export const WEB_CALLBACK_PATH = '/auth/callback';

export interface AuthProps {
  projectRoot: string;
  /** Entry of the pre-token-generation trigger. */
  preTokenGenerationEntry: string;
  partners: PartnerConfig[];
  /** The company's own identity providers: their users are employees. @default none */
  employeeProviders?: EmployeeProviderConfig[];
  /** The table the trigger reads identity providers and organisations from (read-only). */
  table: ITableV2;
  /** Hosted-UI domain prefix, unique in the region. */
  domainPrefix: string;
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly preTokenGeneration: ServiceFunction;
  /** The token issuer (`https://cognito-idp.<region>.amazonaws.com/<poolId>`): what the API trusts. */
  readonly issuer: string;
  /** Base URL of the hosted sign-in pages (authorize, token and logout endpoints live under it). */
  readonly hostedUiBaseUrl: string;
  readonly alarms: Alarm[];
  private readonly webOrigins: string[] = [];

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    const employeeProviders = props.employeeProviders ?? [];

    this.userPool = new UserPool(this, 'UserPool', {
      // Employees are invited by an admin; partners arrive through their own provider.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed address takes effect only once verified: the token keeps the old one until then.
      keepOriginal: { email: true },
      // Mutable, because Cognito rewrites mapped attributes of federated users at every sign-in.
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus, for threat protection that blocks compromised-credential and risky sign-ins of native
      // users (the V2_0 trigger that customises access tokens needs Essentials or Plus).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Your Commonplace account',
        emailBody:
          'You have been invited to Commonplace. Sign in with {username} and the temporary password {####}, then set a password and an authenticator app.',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const group of USER_POOL_GROUPS) {
      this.userPool.addGroup(`Group-${group.name}`, {
        groupName: group.name,
        description: group.description,
      });
    }

    this.preTokenGeneration = new ServiceFunction(this, 'PreTokenGeneration', {
      entry: props.preTokenGenerationEntry,
      projectRoot: props.projectRoot,
      description: 'Commonplace Cognito pre-token-generation trigger (groups and org claims)',
      memorySize: 256,
      // Cognito gives a trigger five seconds in all.
      timeout: Duration.seconds(5),
      environment: {
        [ENV.serviceName]: 'commonplace-auth',
        [ENV.employeeIdentityProviders]: employeeProviders.map((p) => p.providerName).join(','),
      },
    });
    // The provider → organisation mapping, the organisation's domains, status and end dates, and a
    // partner's own end date live in the table: read (two round trips per partner sign-in).
    this.preTokenGeneration.bindTable(props.table, 'read');
    // Its one write: linking a first sign-in to a person an HR import or SCIM provisioned, one
    // transaction: puts of the two link items only (SIGNIN#<sub>, LINKED#<person>), condition checks
    // of profiles (USER#) only — it can change no profile.
    const linkGrant = (sid: string, action: string, leadingKeys: string[]) =>
      this.preTokenGeneration.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid,
          effect: Effect.ALLOW,
          actions: [action],
          resources: [props.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } },
        }),
      );
    linkGrant('LinkProvisionedPeople', 'dynamodb:PutItem', ['SIGNIN#*', 'LINKED#*']);
    linkGrant('CheckProvisionedPeople', 'dynamodb:ConditionCheckItem', ['USER#*']);
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preTokenGeneration.function,
      LambdaVersion.V2_0,
    );

    const providers = [
      ...props.partners.map((partner) =>
        this.addProvider(
          `Partner-${partner.org}`,
          partner.providerName,
          partner.emailDomains,
          partner.idp,
          props.projectRoot,
        ),
      ),
      ...employeeProviders.map((provider) =>
        this.addProvider(
          `Employees-${provider.providerName}`,
          provider.providerName,
          provider.emailDomains,
          provider.idp,
          props.projectRoot,
        ),
      ),
    ];

    this.webClient = this.userPool.addClient('WebClient', {
      // A browser app cannot keep a secret: it is a public client using authorization code + PKCE.
      generateSecret: false,
      // Hosted sign-in only. SRP (or any InitiateAuth flow) would issue tokens with the
      // aws.cognito.signin.user.admin scope, with which users could rewrite their own attributes.
      authFlows: { userSrp: false },
      // Only what identity providers map (Cognito must write those at each federated sign-in); the
      // tokens this client gets never carry the admin scope, so users cannot write them themselves.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        // Filled in by allowWebOrigin once the CloudFront distribution exists.
        callbackUrls: Lazy.list({
          produce: () => this.webOrigins.map((origin) => `${origin}${WEB_CALLBACK_PATH}`),
        }),
        logoutUrls: Lazy.list({ produce: () => this.webOrigins.map((origin) => `${origin}/`) }),
      },
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...props.partners.map((partner) => UserPoolClientIdentityProvider.custom(partner.providerName)),
        ...employeeProviders.map((provider) => UserPoolClientIdentityProvider.custom(provider.providerName)),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // A working day: after that, sign in again (and pass MFA again).
      refreshTokenValidity: Duration.hours(12),
      // A used refresh token stops working (after a short grace for retries): a stolen one is found out.
      refreshTokenRotationGracePeriod: Duration.seconds(10),
    });
    for (const provider of providers) this.webClient.node.addDependency(provider);
    this.node.addValidation({
      validate: () =>
        this.webOrigins.length > 0
          ? []
          : ['The web client has no callback URL: call allowWebOrigin() with the site origin'],
    });

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login pages need a branding per client; Cognito's own look is enough.
    new CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const region = Stack.of(this).region;
    // Spelled out rather than read from the pool's ProviderURL attribute, whose form (with or without
    // the scheme) is not what a JWT `iss` claim is compared with.
    this.issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.hostedUiBaseUrl = `https://${props.domainPrefix}.auth.${region}.amazoncognito.com`;

    this.alarms = [
      new Alarm(this, 'PreTokenGenerationErrorsAlarm', {
        alarmDescription:
          'The pre-token-generation trigger failed or refused sign-ins (for example an identity provider not mapped to a partner organisation): those users got no tokens. Its log group says why.',
        metric: this.preTokenGeneration.function.metricErrors({
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 5,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** Lets the web app at `origin` (https://host, no trailing slash) complete sign-in and sign-out. */
  allowWebOrigin(origin: string): void {
    this.webOrigins.push(origin);
  }

  /**
   * Lets `fn` (the spaces Lambda, which hosts partner organisations) register, change and remove this
   * pool's identity providers and add them to the web client's supported providers: the named
   * cognito-idp actions on this pool only, and the pool and client ids in its environment.
   */
  grantProviderManagement(fn: ServiceFunction): void {
    fn.function.addEnvironment(ENV.userPoolId, this.userPool.userPoolId);
    fn.function.addEnvironment(ENV.userPoolClientId, this.webClient.userPoolClientId);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ManageIdentityProviders',
        effect: Effect.ALLOW,
        actions: [...PROVIDER_MANAGEMENT_ACTIONS],
        resources: [this.userPool.userPoolArn],
      }),
    );
  }

  private addProvider(
    id: string,
    name: string,
    emailDomains: string[],
    idp: PartnerIdentityProvider,
    projectRoot: string,
  ): IDependable {
    if (idp.type === 'saml') {
      const metadata = idp.metadataUrl
        ? UserPoolIdentityProviderSamlMetadata.url(idp.metadataUrl)
        : UserPoolIdentityProviderSamlMetadata.file(readMetadataFile(projectRoot, idp.metadataFile ?? ''));
      return new UserPoolIdentityProviderSaml(this, id, {
        userPool: this.userPool,
        name,
        metadata,
        ...(emailDomains.length ? { identifiers: emailDomains } : {}),
        attributeMapping: {
          email: ProviderAttribute.other(
            idp.emailAttribute ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
          ),
          fullname: ProviderAttribute.other(
            idp.nameAttribute ?? 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
          ),
        },
      });
    }
    return new UserPoolIdentityProviderOidc(this, id, {
      userPool: this.userPool,
      name,
      issuerUrl: idp.issuerUrl,
      clientId: idp.clientId,
      // A dynamic reference: CloudFormation reads the secret at deploy time, the template never holds it.
      clientSecret: SecretValue.secretsManager(idp.clientSecretName).unsafeUnwrap(),
      scopes: idp.scopes,
      attributeRequestMethod: OidcAttributeRequestMethod.GET,
      ...(emailDomains.length ? { identifiers: emailDomains } : {}),
      attributeMapping: {
        email: ProviderAttribute.other('email'),
        // Mapped, or Cognito marks every federated address unverified; the trigger refuses those.
        emailVerified: ProviderAttribute.other('email_verified'),
        fullname: ProviderAttribute.other('name'),
      },
    });
  }
}

/** What the spaces Lambda may do to the pool: identity providers, and the client's list of them. */
export const PROVIDER_MANAGEMENT_ACTIONS = [
  'cognito-idp:CreateIdentityProvider',
  'cognito-idp:UpdateIdentityProvider',
  'cognito-idp:DeleteIdentityProvider',
  'cognito-idp:DescribeIdentityProvider',
  'cognito-idp:UpdateUserPoolClient',
  'cognito-idp:DescribeUserPoolClient',
] as const;

function readMetadataFile(projectRoot: string, file: string): string {
  return readFileSync(isAbsolute(file) ? file : join(projectRoot, file), 'utf8');
}
