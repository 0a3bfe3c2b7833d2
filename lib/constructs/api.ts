/**
 * The HTTP API: API Gateway (HTTP API) with a Cognito JWT authorizer on every route, stage throttling
 * and JSON access logs, in front of the one `api` Lambda that serves every route (a hono app).
 * The Lambda verifies the token again itself, so a request that reaches it by any other path is still
 * refused without a valid token.
 */
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServiceFunction } from './service-function';

/** Every API path lives under this prefix; CloudFront routes `/api/*` here. */
export const API_PATH_PREFIX = '/api';

export interface ApiProps {
  projectRoot: string;
  /** Entry of the api Lambda (`functions/api/lambda.ts`). */
  entry: string;
  table: ITableV2;
  /** JWT issuer the authorizer and the Lambda trust. */
  issuer: string;
  /** The web app client id: the access token's `client_id` (or an ID token's `aud`) must equal it. */
  audience: string;
  /** Steady-state requests per second and burst, for the whole stage. */
  throttle: { rateLimit: number; burstLimit: number };
}

export class Api extends Construct {
  readonly handler: ServiceFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /** Host name of the API's execute-api endpoint (the CloudFront origin). */
  readonly originDomainName: string;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.handler = new ServiceFunction(this, 'Handler', {
      entry: props.entry,
      projectRoot: props.projectRoot,
      description: 'Commonplace HTTP API (every route)',
      // More memory buys proportionally more CPU: faster cold starts and Markdown rendering.
      memorySize: 1024,
      // API Gateway gives up after 30 s; stop well before it.
      timeout: Duration.seconds(15),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'commonplace-api',
        AUTH_ISSUER: props.issuer,
        AUTH_AUDIENCE: props.audience,
        AUTH_JWKS_URL: `${props.issuer}/.well-known/jwks.json`,
      },
    });
    this.handler.bindTable(props.table, 'readWrite');

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Commonplace API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', props.issuer, {
        jwtAudience: [props.audience],
        identitySource: ['$request.header.Authorization'],
      }),
    });
    this.httpApi.addRoutes({
      path: `${API_PATH_PREFIX}/{proxy+}`,
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('Handler', this.handler.function),
    });

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

    const fn = this.handler.function;
    this.alarms = [
      new Alarm(this, 'HandlerErrors', {
        alarmDescription:
          'The api Lambda failed (uncaught errors or timeouts) in two five-minute periods running.',
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 5,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'HandlerThrottles', {
        alarmDescription: 'The api Lambda was throttled: the account concurrency limit is reached.',
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
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
