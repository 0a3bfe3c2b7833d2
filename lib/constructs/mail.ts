/**
 * E-mail (docs/architecture.md, "E-mail"): the digest job Lambda run hourly by EventBridge Scheduler
 * (it sends the hourly digests every hour and the daily ones after midnight UTC), the Secrets Manager
 * secret holding the HMAC key of unsubscribe links, and SES permission — `ses:SendEmail` /
 * `ses:SendRawEmail` on the one sender identity from cdk.json — for the functions that send (the
 * digest job and the fan-out's immediate e-mails). Without `commonplace:mailFrom` and
 * `commonplace:sesIdentityArn` mail is off: nobody gets SES permission, no function gets `MAIL_FROM`,
 * the job finds nothing to do, and the stack's `Mail` output says so.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import { ServiceFunction } from './service-function';

export interface MailProps {
  projectRoot: string;
  digestEntry: string;
  table: ITableV2;
  /** From cdk.json; undefined: mail off. */
  mail?: { from: string; sesIdentityArn: string };
}

export class Mail extends Construct {
  readonly digestJob: ServiceFunction;
  readonly unsubscribeKey: Secret;
  readonly alarms: Alarm[];
  readonly enabled: boolean;
  private readonly mail?: { from: string; sesIdentityArn: string };

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.mail = props.mail;
    this.enabled = props.mail !== undefined;

    this.unsubscribeKey = new Secret(this, 'UnsubscribeKey', {
      description: 'HMAC key of the one-click unsubscribe links in Commonplace e-mails',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.unsubscribeKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs unsubscribe links in e-mails already delivered; rotating it would break every such link. It grants nothing but switching off one kind of e-mail for one person.',
    });

    this.digestJob = new ServiceFunction(this, 'DigestJob', {
      entry: props.digestEntry,
      projectRoot: props.projectRoot,
      description: 'Commonplace e-mail digest job (hourly and daily digests)',
      memorySize: 512,
      timeout: Duration.minutes(10),
      environment: { [ENV.serviceName]: 'commonplace-digest' },
    });
    // Queries the sparse "mail due" index, reads profiles, spaces and memberships, writes markers.
    this.digestJob.bindTable(props.table, 'readWrite');
    this.allowSending(this.digestJob);

    const deadLetters = new Queue(this, 'ScheduleDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const queueReason =
      'The dead-letter queue of the digest schedule, the end of the line: a message here means a run never started; the next hourly run picks up what it missed, and its depth raises an alarm.';
    Validations.of(deadLetters).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: queueReason },
      { id: 'Serverless-SQSRedrivePolicy', reason: queueReason },
    );
    // A role of its own (not the stack-wide one the target would make) that may invoke this one function.
    const schedulerRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the Commonplace digest job',
    });
    const functionId = Stack.of(this).resolve(
      (this.digestJob.function.node.defaultChild as CfnFunction).logicalId,
    );
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the digest job and its versions (`:*`), one function and nothing else.',
    });
    new Schedule(this, 'DigestSchedule', {
      description: 'Runs the Commonplace e-mail digest job at five past every hour',
      schedule: ScheduleExpression.cron({ minute: '5' }),
      target: new LambdaInvoke(this.digestJob.function, {
        role: schedulerRole,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(30),
        deadLetterQueue: deadLetters,
      }),
    });

    this.alarms = [
      new Alarm(this, 'DigestErrorsAlarm', {
        alarmDescription:
          'The e-mail digest job failed (crash or timeout); digests are late until it runs again.',
        metric: this.digestJob.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'DigestScheduleDeadLettersAlarm', {
        alarmDescription: 'EventBridge Scheduler could not invoke the digest job.',
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }

  /** The function reads the unsubscribe key (the notifications API checks links with it). */
  allowUnsubscribeLinks(fn: ServiceFunction) {
    this.unsubscribeKey.grantRead(fn.role);
    fn.function.addEnvironment(ENV.unsubscribeSecretArn, this.unsubscribeKey.secretArn);
  }

  /** The function sends e-mail (when mail is on) with links to `publicUrl`. */
  allowSending(fn: ServiceFunction, publicUrl?: string) {
    this.allowUnsubscribeLinks(fn);
    if (publicUrl) fn.function.addEnvironment(ENV.publicUrl, publicUrl);
    if (!this.mail) return;
    fn.function.addEnvironment(ENV.mailFrom, this.mail.from);
    fn.role.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [this.mail.sesIdentityArn],
      }),
    );
  }

  setPublicUrl(publicUrl: string) {
    this.digestJob.function.addEnvironment(ENV.publicUrl, publicUrl);
  }
}
