/**
 * What an operator watches: one CloudWatch dashboard over the whole system, and every alarm the other
 * constructs define sent to one encrypted SNS topic (state changes to ALARM and back to OK), which an
 * operator subscribes to by e-mail, chat integration or paging tool.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  PeriodOverride,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Api } from './api';
import type { Auth } from './auth';
import { type Data, TABLE_OPERATIONS } from './data';
import type { Search } from './search';
import type { Streams } from './streams';
import type { Web } from './web';

export interface ObservabilityProps {
  data: Data;
  auth: Auth;
  api: Api;
  streams: Streams;
  search: Search;
  web: Web;
  /** Every alarm of the stack; each notifies the topic. */
  alarms: Alarm[];
  /** Subscribed to the topic when given (the address must confirm the subscription). */
  alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);

    // CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, so the
    // topic gets a key of its own that lets CloudWatch use it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Commonplace alarm topic encryption',
      enableKeyRotation: true,
      // It only encrypts alarm notifications in flight: nothing to keep once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    const stack = Stack.of(this);
    // Only this account's alarms may use the key and the topic: CloudWatch acts for whoever owns the
    // alarm, so without these conditions another account's alarm could publish here (confused deputy).
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncrypt',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );

    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Commonplace alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, which is what lets CloudWatch publish: without this
    // Allow the only statement is enforceSSL's Deny, and every alarm action fails "not authorized".
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(this.alarmTopic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail subscription has nowhere useful to redrive to: an undelivered alarm mail is still visible as the alarm state in CloudWatch and on the dashboard.',
      });
    }

    const action = new SnsAction(this.alarmTopic);
    for (const alarm of props.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      periodOverride: PeriodOverride.AUTO,
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Commonplace\nAPI, stream consumers, table, search, web and sign-in. Alarms notify the alarm topic.',
            width: 24,
            height: 2,
          }),
        ],
        [new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 })],
        ...this.apiRow(props.api),
        ...this.streamsRow(props.streams),
        ...this.tableRow(props.data),
        ...this.searchRow(props.search),
        ...this.webAndAuthRow(props.web, props.auth),
      ],
    });
  }

  private apiRow(api: Api) {
    const functions = Object.entries(api.handlers).map(([name, handler]) => ({
      name,
      fn: handler.function,
    }));
    return [
      [
        graph(
          'API requests',
          [api.httpApi.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' })],
          [
            api.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum' }),
            api.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          ],
        ),
        graph(
          'API latency (ms)',
          ['p50', 'p95', 'p99'].map((statistic) =>
            api.httpApi.metricLatency({ period: FIVE_MINUTES, statistic }),
          ),
        ),
        graph(
          'API Lambdas: errors and throttles',
          functions.flatMap(({ name, fn }) => [
            fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: `${name} errors` }),
            fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum', label: `${name} throttles` }),
          ]),
        ),
        graph(
          'API Lambdas: p95 duration (ms)',
          functions.map(({ name, fn }) =>
            fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: name }),
          ),
        ),
      ],
    ];
  }

  private streamsRow(streams: Streams) {
    const consumers = Object.entries(streams.consumers);
    return [
      [
        graph(
          'Stream iterator age (ms)',
          consumers.map(([id, c]) =>
            c.handler.function.metric('IteratorAge', {
              period: Duration.minutes(1),
              statistic: 'Maximum',
              label: id,
            }),
          ),
        ),
        graph(
          'Stream consumer errors',
          consumers.map(([id, c]) =>
            c.handler.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum', label: id }),
          ),
        ),
        graph(
          'Failure queues (messages)',
          consumers.map(([id, c]) =>
            c.failureQueue.metricApproximateNumberOfMessagesVisible({
              period: FIVE_MINUTES,
              statistic: 'Maximum',
              label: id,
            }),
          ),
        ),
        graph(
          'Stream consumer duration p95 (ms)',
          consumers.map(([id, c]) =>
            c.handler.function.metricDuration({ period: FIVE_MINUTES, statistic: 'p95', label: id }),
          ),
        ),
      ],
    ];
  }

  private tableRow(data: Data) {
    const table = data.table;
    return [
      [
        graph('Table capacity consumed', [
          table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum' }),
          table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ]),
        graph(
          'Table latency (ms)',
          ['GetItem', 'Query', 'TransactWriteItems', 'PutItem'].map((operation) =>
            table.metricSuccessfulRequestLatency({
              period: FIVE_MINUTES,
              statistic: 'Average',
              dimensionsMap: { TableName: table.tableName, Operation: operation },
              label: operation,
            }),
          ),
        ),
        graph('Table throttled requests', [
          table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES }),
        ]),
        graph('Table errors', [
          table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES }),
          table.metricUserErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          table.metricConditionalCheckFailedRequests({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ]),
      ],
    ];
  }

  private searchRow(search: Search) {
    const d = search.domain;
    return [
      [
        graph('Search cluster status', [
          d.metricClusterStatusRed({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          d.metricClusterStatusYellow({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          d.metricClusterIndexWritesBlocked({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        ]),
        graph(
          'Search latency (ms)',
          [
            d.metricSearchLatency({ period: FIVE_MINUTES, statistic: 'p95' }),
            d.metricIndexingLatency({ period: FIVE_MINUTES, statistic: 'p95' }),
          ],
          [d.metricSearchableDocuments({ period: FIVE_MINUTES, statistic: 'Maximum' })],
        ),
        graph('Search resources (%)', [
          d.metricCPUUtilization({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          d.metricJVMMemoryPressure({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        ]),
        graph('Search free storage (MB)', [
          d.metricFreeStorageSpace({ period: FIVE_MINUTES, statistic: 'Minimum' }),
        ]),
      ],
    ];
  }

  private webAndAuthRow(web: Web, auth: Auth) {
    // CloudFront publishes its metrics in us-east-1 only, whatever the stack's region.
    const cloudFront = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: web.distribution.distributionId, Region: 'Global' },
        region: 'us-east-1',
        period: FIVE_MINUTES,
        statistic,
      });
    const userPool = (metricName: string) =>
      new Metric({
        namespace: 'AWS/Cognito',
        metricName,
        dimensionsMap: {
          UserPool: auth.userPool.userPoolId,
          UserPoolClient: auth.webClient.userPoolClientId,
        },
        region: Stack.of(this).region,
        period: FIVE_MINUTES,
        statistic: 'Sum',
      });
    const trigger = auth.preTokenGeneration.function;
    return [
      [
        graph('CloudFront requests', [cloudFront('Requests', 'Sum')]),
        graph('CloudFront error rate (%)', [
          cloudFront('4xxErrorRate', 'Average'),
          cloudFront('5xxErrorRate', 'Average'),
        ]),
        graph('Sign-ins', [userPool('SignInSuccesses'), userPool('TokenRefreshSuccesses')]),
        graph('Pre-token-generation trigger', [
          trigger.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
          trigger.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        ]),
      ],
    ];
  }
}

function graph(title: string, left: IMetric[], right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, left, right, width: 6, height: 6 });
}
