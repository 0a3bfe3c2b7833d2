/**
 * The HTTP API: API Gateway (HTTP API) with stage throttling and JSON access logs, in front of one
 * Lambda per API module (functions/api/modules/). Each module's paths are read from its own routes and
 * routed to its Lambda, so the table of routes cannot drift from the code. Every route but health and
 * the OpenAPI document has the Cognito JWT authorizer, which verifies the token; the Lambdas take the
 * verified claims from the event, so only this API may invoke them (docs/permissions.md).
 */
import { Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PUBLIC_PATHS } from '../../functions/api/middleware/authenticate';
import { moduleRoutes } from '../../functions/api/module-app';
import { ALL_MODULES } from '../../functions/api/modules/all-modules';
import type { ModuleName } from '../../functions/api/modules/api-module';
import { ENV } from '../../functions/platform/environment';
import { ServiceFunction } from './service-function';

/** Every API path lives under this prefix; CloudFront routes `/api/*` here. */
export const API_PATH_PREFIX = '/api';

export interface ApiProps {
  projectRoot: string;
  /** Entry of each module's Lambda (`functions/api/lambdas/<module>.ts`). */
  entries: Record<ModuleName, string>;
  table: ITableV2;
  /** JWT issuer the authorizer and the Lambda trust. */
  issuer: string;
  /** The web app client id: the access token's `client_id` (or an ID token's `aud`) must equal it. */
  audience: string;
  /** Steady-state requests per second and burst, for the whole stage. */
  throttle: { rateLimit: number; burstLimit: number };
}

export class Api extends Construct {
  /** One Lambda per API module. */
  readonly handlers: Record<ModuleName, ServiceFunction>;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Host name of the API's execute-api endpoint (the CloudFront origin). */
  readonly originDomainName: string;
  /** What CloudFront must send in the origin header (`ORIGIN_HEADER`) for the Lambdas to answer. */
  readonly originSecret: Secret;
  /** Its value, as a dynamic reference resolved by CloudFormation. */
  readonly originSecretValue: string;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Commonplace API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', props.issuer, {
        jwtAudience: [props.audience],
        identitySource: ['$request.header.Authorization'],
      }),
    });

    // CloudFront sends this in a header; the Lambdas refuse requests without it, so the execute-api
    // endpoint is of no use on its own (the web ACL and its rate limits sit in front of CloudFront).
    this.originSecret = new Secret(this, 'OriginSecret', {
      description:
        'Commonplace: the header value CloudFront sends to the API (requests without it are refused)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated automatically: CloudFront and the Lambdas read it at deployment, so a rotation is a redeploy (docs/operations.md). It is no credential on its own: every route still needs a token.',
    });
    // A dynamic reference: CloudFormation resolves it at deployment; the template never holds the value.
    const originSecretValue = this.originSecret.secretValue.unsafeUnwrap();
    this.originSecretValue = originSecretValue;

    const handlers = {} as Record<ModuleName, ServiceFunction>;
    for (const module of ALL_MODULES) {
      const id = `${module.name[0].toUpperCase()}${module.name.slice(1)}`;
      const handler = new ServiceFunction(this, `${id}Handler`, {
        entry: props.entries[module.name],
        projectRoot: props.projectRoot,
        description: module.description,
        // More memory buys proportionally more CPU: faster cold starts and Markdown rendering.
        memorySize: 1024,
        // API Gateway gives up after 30 s; stop well before it.
        timeout: Duration.seconds(15),
        environment: {
          [ENV.serviceName]: `commonplace-${module.name}`,
          [ENV.originSecret]: originSecretValue,
        },
      });
      handler.bindTable(props.table, 'readWrite');
      const integration = new HttpLambdaIntegration(`${id}Integration`, handler.function);
      for (const path of apiGatewayPaths(module)) {
        if (!PUBLIC_PATHS.has(path)) {
          this.httpApi.addRoutes({ path, methods: [HttpMethod.ANY], integration });
          continue;
        }
        // Health and the OpenAPI document answer without a token, as the app does; GET only. The
        // unsubscribe link also takes POST (RFC 8058 one-click); its route checks the link's signature.
        const unsubscribe = path === '/api/unsubscribe';
        for (const route of this.httpApi.addRoutes({
          path,
          methods: unsubscribe ? [HttpMethod.GET, HttpMethod.POST] : [HttpMethod.GET],
          integration,
          authorizer: new HttpNoneAuthorizer(),
        })) {
          Validations.of(route).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: unsubscribe
              ? `${path} is public by design (one-click unsubscribe from e-mail, RFC 8058): it changes only the e-mail preference named by an HMAC-signed link and refuses any other.`
              : `${path} is public by design (health checks, the API description); it reads no user data and the Lambda behind it refuses every other path without verified claims.`,
          });
        }
      }
      handlers[module.name] = handler;
    }
    this.handlers = handlers;

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    this.originDomainName = Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint));

    this.alarms = [
      ...Object.values(this.handlers).flatMap((handler) => functionAlarms(handler)),
      new Alarm(this, 'ServerErrors', {
        alarmDescription:
          'The HTTP API answered 5xx to at least 10 requests in each of two five-minute periods.',
        metric: this.httpApi.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 10,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'Latency', {
        alarmDescription: 'p95 latency of the HTTP API above 3 s for fifteen minutes.',
        metric: this.httpApi.metricLatency({ period: Duration.minutes(5), statistic: 'p95' }),
        threshold: 3000,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}

/** The module's paths in API Gateway's form (`/api/spaces/{spaceId}`), each once. */
export function apiGatewayPaths(module: (typeof ALL_MODULES)[number]): string[] {
  const paths = moduleRoutes(module).map(({ path }) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}'));
  return [...new Set(paths)].sort();
}

function functionAlarms(handler: ServiceFunction): Alarm[] {
  const fn = handler.function;
  const name = handler.node.id.replace(/Handler$/, '').toLowerCase();
  return [
    new Alarm(handler, 'Errors', {
      alarmDescription: `The ${name} Lambda failed (uncaught errors or timeouts) in two five-minute periods running.`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
    new Alarm(handler, 'Throttles', {
      alarmDescription: `The ${name} Lambda was throttled: the account concurrency limit is reached.`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  ];
}
