/**
 * Live notifications in AWS (issue 11, item 7): an AppSync Event API (docs/architecture.md, "Live
 * updates", says why AppSync Events rather than an API Gateway WebSocket API).
 *
 * - one channel namespace, `notifications`, one channel per person (`/notifications/<userId>`);
 * - connect and subscribe with the stack's Cognito user pool (the web client's access token, in the
 *   WebSocket sub-protocol header, never the URL); publish with IAM only,
 *   granted to the two fan-out Lambdas (`allowPublishing`) and nobody else;
 * - the namespace's onSubscribe handler (APPSYNC_JS, `ON_SUBSCRIBE_CODE` in
 *   functions/domain/subscriptions/live-channel.ts) refuses any channel but the caller's own, so a
 *   person receives only their own notifications;
 * - errors (refused subscriptions among them) are logged to a log group kept 90 days;
 * - a failed publish never fails the fan-out (it is logged, functions/streams/live-announce.ts); a
 *   metric filter counts those lines on each publisher's log group, and an alarm fires when they persist.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AppSyncAuthorizationType,
  type CfnApi,
  ChannelNamespace,
  Code,
  EventApi,
} from 'aws-cdk-lib/aws-appsync';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LIVE_NAMESPACE, ON_SUBSCRIBE_CODE } from '../../functions/domain/subscriptions/live-channel';
import { LIVE_EVENTS_HTTP_DOMAIN_ENV } from '../../functions/platform/appsync-events';
import { LIVE_PUBLISH_FAILED } from '../../functions/streams/live-announce';
import type { ServiceFunction } from './service-function';

export interface LiveProps {
  userPool: IUserPool;
}

/** What the web client needs (its runtime config.json): where to connect, and the API's host for the auth header. */
export interface LiveClientSettings {
  realtimeUrl: string;
  httpHost: string;
}

const METRIC_NAMESPACE = 'Commonplace';
const FAILURE_METRIC = 'LivePublishFailures';

export class Live extends Construct {
  readonly api: EventApi;
  readonly namespace: ChannelNamespace;
  readonly logGroup: LogGroup;
  readonly clientSettings: LiveClientSettings;
  readonly alarms: Alarm[];
  private readonly publishers: ServiceFunction[] = [];

  constructor(scope: Construct, id: string, props: LiveProps) {
    super(scope, id);
    const userPool = {
      authorizationType: AppSyncAuthorizationType.USER_POOL,
      // Not limited to the web client by `appIdClientRegex`: its id depends on the distribution, whose
      // policy names this API (a cycle). The onSubscribe handler is what keeps a person to their channel.
      cognitoConfig: { userPool: props.userPool },
    };
    const iam = { authorizationType: AppSyncAuthorizationType.IAM };
    this.api = new EventApi(this, 'EventApi', {
      apiName: `${Stack.of(this).stackName}-live`,
      authorizationConfig: {
        authProviders: [userPool, iam],
        connectionAuthModeTypes: [AppSyncAuthorizationType.USER_POOL],
        defaultSubscribeAuthModeTypes: [AppSyncAuthorizationType.USER_POOL],
        defaultPublishAuthModeTypes: [AppSyncAuthorizationType.IAM],
      },
    });
    this.namespace = new ChannelNamespace(this, 'Notifications', {
      api: this.api,
      channelNamespaceName: LIVE_NAMESPACE,
      code: Code.fromInline(ON_SUBSCRIBE_CODE),
      authorizationConfig: {
        subscribeAuthModeTypes: [AppSyncAuthorizationType.USER_POOL],
        publishAuthModeTypes: [AppSyncAuthorizationType.IAM],
      },
    });

    // Logging: the log group AppSync writes to, made here with a retention (the construct's own
    // logConfig would add a LogRetention custom-resource Lambda), and a role allowed to write it only.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logRole = new Role(this, 'LogRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync Events writes the live API logs',
    });
    logRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    (this.api.node.defaultChild as CfnApi).addPropertyOverride('EventConfig.LogConfig', {
      CloudWatchLogsRoleArn: logRole.roleArn,
      LogLevel: 'ERROR',
    });

    this.clientSettings = {
      realtimeUrl: `wss://${this.api.realtimeDns}/event/realtime`,
      httpHost: this.api.httpDns,
    };

    this.alarms = [
      new Alarm(this, 'PublishFailuresAlarm', {
        alarmDescription:
          'Live publishes to AppSync Events keep failing: inbox items are written, but bells update only by polling.',
        metric: new Metric({
          namespace: METRIC_NAMESPACE,
          metricName: FAILURE_METRIC,
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 10,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /**
   * A publisher: `appsync:EventPublish` on the notifications namespace only, the API's HTTP domain in
   * its environment, and a metric filter counting its failed publishes.
   */
  allowPublishing(publisher: ServiceFunction): void {
    this.namespace.grantPublish(publisher.role);
    publisher.function.addEnvironment(LIVE_EVENTS_HTTP_DOMAIN_ENV, this.api.httpDns);
    new MetricFilter(this, `PublishFailures${this.publishers.length}`, {
      logGroup: publisher.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', LIVE_PUBLISH_FAILED),
      metricNamespace: METRIC_NAMESPACE,
      metricName: FAILURE_METRIC,
      metricValue: '1',
    });
    this.publishers.push(publisher);
  }
}
