/**
 * The web entry point: CloudFront in front of a private S3 bucket (origin access control, no public
 * access of any kind) for the web client, and of the HTTP API under `/api/*`, so the browser talks to
 * one origin. Every response carries security headers with a strict Content-Security-Policy. The
 * runtime `config.json` (API base URL, sign-in settings) is written at deploy time from the stack's
 * own values, so one web build works in every deployment.
 */
import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  type HeadersFrameOption,
  type HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ORIGIN_HEADER } from '../../functions/api/middleware/cloudfront-only';
import { CUSTOM_SECURITY_HEADERS, contentSecurityPolicy, SECURITY_HEADERS } from '../security-headers';
import { API_PATH_PREFIX } from './api';
import { WEB_CALLBACK_PATH } from './auth';

export interface WebAuthSettings {
  /** OIDC issuer (authority) of the user pool. */
  issuer: string;
  /** Base URL of the hosted sign-in pages. */
  hostedUiBaseUrl: string;
  clientId: string;
  scopes: string[];
}

export interface WebProps {
  /** Directory holding the built web client, with index.html at its root. */
  assetPath: string;
  /** Host name of the HTTP API's endpoint. */
  apiOriginDomainName: string;
  /** Sent to the API in the `ORIGIN_HEADER` header: the API Lambdas refuse requests without it. */
  apiOriginSecret: string;
  auth: WebAuthSettings;
  /**
   * A custom host name and its ACM certificate (which must be in us-east-1).
   * @default the distribution's own *.cloudfront.net name
   */
  customDomain?: { domainName: string; certificateArn: string };
  /** @default PriceClass.PRICE_CLASS_100 (North America and Europe edge locations) */
  priceClass?: PriceClass;
  /**
   * SSM parameter in us-east-1 holding the ARN of a CLOUDFRONT web ACL (lib/edge-stack.ts).
   * @default no web ACL
   */
  webAclArnParameter?: string;
  /**
   * Live notifications (lib/constructs/live.ts): the AppSync Events endpoint, in config.json and the
   * policy's connect sources. @default none: the client polls
   */
  live?: { realtimeUrl: string; httpHost: string };
}

/** The runtime configuration the web client fetches from `/config.json`. */
export interface WebRuntimeConfig {
  apiBaseUrl: string;
  auth: {
    authority: string;
    hostedUiBaseUrl: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    logoutEndpoint: string;
    clientId: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
    scopes: string[];
  };
  /** Where the client subscribes to live notifications (AppSync Events' protocol). */
  live?: { realtimeUrl: string; httpHost: string };
}

// Defined once for CloudFront and the local server; re-exported for the stack's callers and tests.
export { contentSecurityPolicy } from '../security-headers';

// Client-side routes (no file extension in the last segment) get the app shell.
const SPA_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export class Web extends Construct {
  readonly distribution: Distribution;
  readonly siteBucket: Bucket;
  readonly logsBucket: Bucket;
  /** `https://host` the app is served from (no trailing slash). */
  readonly origin: string;
  readonly runtimeConfig: WebRuntimeConfig;
  /** Where files are downloaded from and uploaded to (lib/constructs/files.ts): in the CSP. */
  private readonly fileOrigins: string[] = [];

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.logsBucket = new Bucket(this, 'LogsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.siteBucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'site-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const signInOrigins = [props.auth.hostedUiBaseUrl, `https://cognito-idp.${region}.amazonaws.com`];
    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Commonplace security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // Lazy: the files' origins are added once the files construct exists (allowFileOrigins).
          contentSecurityPolicy: Lazy.string({
            produce: () =>
              contentSecurityPolicy(signInOrigins, {
                fileOrigins: this.fileOrigins,
                // wss://<realtime domain> (a string cut: the domain is a deploy-time token).
                realtimeOrigins: props.live ? [props.live.realtimeUrl.replace(/\/event\/realtime$/, '')] : [],
              }),
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(SECURITY_HEADERS.hstsMaxAgeDays),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: SECURITY_HEADERS.frameOptions as HeadersFrameOption, override: true },
        referrerPolicy: {
          referrerPolicy: SECURITY_HEADERS.referrerPolicy as HeadersReferrerPolicy,
          override: true,
        },
        // The legacy XSS auditor did more harm than good; "0" switches it off (OWASP advice).
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(CUSTOM_SECURITY_HEADERS).map(([header, value]) => ({
          header,
          value,
          override: true,
        })),
      },
    });

    const spaRouting = new EdgeFunction(this, 'SpaRouting', {
      comment: 'Serve index.html for client-side routes',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_ROUTING_CODE),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Commonplace',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.customDomain.certificateArn,
            ),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.webAclArnParameter ? { webAclId: this.webAclArn(props.webAclArnParameter) } : {}),
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: spaRouting, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${API_PATH_PREFIX}/*`]: {
          origin: new HttpOrigin(props.apiOriginDomainName, {
            customHeaders: { [ORIGIN_HEADER]: props.apiOriginSecret },
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // No caching, so every viewer header (Authorization included) may go to the API; the Host
          // header stays CloudFront's, which API Gateway requires.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
    });

    const host = props.customDomain?.domainName ?? this.distribution.distributionDomainName;
    this.origin = `https://${host}`;
    const hosted = props.auth.hostedUiBaseUrl;
    this.runtimeConfig = {
      apiBaseUrl: API_PATH_PREFIX,
      auth: {
        authority: props.auth.issuer,
        hostedUiBaseUrl: hosted,
        authorizationEndpoint: `${hosted}/oauth2/authorize`,
        tokenEndpoint: `${hosted}/oauth2/token`,
        logoutEndpoint: `${hosted}/logout`,
        clientId: props.auth.clientId,
        redirectUri: `${this.origin}${WEB_CALLBACK_PATH}`,
        postLogoutRedirectUri: `${this.origin}/`,
        scopes: props.auth.scopes,
      },
      ...(props.live ? { live: props.live } : {}),
    };

    const site = Source.asset(props.assetPath);
    // One log group for the deployment handler (a singleton both deployments share), kept a bounded time.
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Content-hashed assets can be cached for a year; index.html and config.json must be revalidated
    // on every load so a deployment takes effect at once. Two deployments, one per cache policy.
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [site],
      destinationBucket: this.siteBucket,
      exclude: ['index.html', 'config.json'],
      prune: true,
      cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      memoryLimit: 512,
      logGroup: deploymentLogs,
    });
    const entryPoints = new BucketDeployment(this, 'DeployEntryPoints', {
      sources: [site, Source.jsonData('config.json', this.runtimeConfig)],
      destinationBucket: this.siteBucket,
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      // no-cache: CloudFront keeps them for the cache policy's minimum TTL (1 s) only, so a deployment
      // shows at once without an invalidation (which the CDK would grant on every distribution, "*").
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 512,
      logGroup: deploymentLogs,
    });
    entryPoints.node.addDependency(assets);

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Employees and partners may work from anywhere; there is no country to block by default.',
    });
    if (!props.webAclArnParameter) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The web ACL was switched off (commonplace:waf=false): every API route still needs a Cognito token and API Gateway throttles.',
      });
    }
    if (!props.customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin a minimum TLS version. Configure commonplace:domainName and commonplace:certificateArn to serve TLS 1.2+ only.',
      });
    }
  }

  /** Lets the app show images from, and send uploads to, these origins (the policy's image and connect sources). */
  allowFileOrigins(origins: string[]): void {
    this.fileOrigins.push(...origins);
  }

  /**
   * Reads the web ACL's ARN from the edge stack's parameter in us-east-1 at deployment: CloudFormation
   * cannot refer across regions, and the ARN holds an id only known once the ACL exists.
   */
  private webAclArn(parameterName: string): string {
    const stack = Stack.of(this);
    const parameterArn = stack.formatArn({
      service: 'ssm',
      region: 'us-east-1',
      resource: 'parameter',
      resourceName: parameterName.replace(/^\//, ''),
    });
    const read = new AwsCustomResource(this, 'WebAclArn', {
      resourceType: 'Custom::EdgeParameter',
      onUpdate: {
        service: 'SSM',
        action: 'getParameter',
        region: 'us-east-1',
        parameters: { Name: parameterName },
        physicalResourceId: PhysicalResourceId.of(parameterName),
      },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }),
      ]),
      installLatestAwsSdk: false,
      memorySize: 256,
      logGroup: new LogGroup(this, 'WebAclArnLogs', {
        retention: RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    return read.getResponseField('Parameter.Value');
  }
}
