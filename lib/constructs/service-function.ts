/**
 * The one way this app builds a Lambda function: `nodejs22.x` on arm64, bundled by lambda-bundle.ts
 * (the local esbuild, never Docker; minified ES module chunks with the AWS SDK v3 clients inside), an
 * explicit log group with retention, active tracing, and a role of its own that starts with nothing
 * but permission to write its logs. Access to data is added by `bindTable`, one call that both sets
 * `TABLE_NAME` and grants exactly the DynamoDB actions of the chosen access mode.
 */

import { dirname, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../functions/data/table-definition';
import { ENV } from '../../functions/platform/environment';
import { bundleLambda } from './lambda-bundle';

export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

/**
 * DynamoDB actions per access mode. Named actions only: no `dynamodb:*`, and never Scan, because request
 * paths use keys and indexes (DESIGN.md, principle 2). Transactions need no actions of their own: IAM
 * checks the Put/Update/Delete/ConditionCheck inside them.
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
  /** Only updates items it is told the key of (the bookmark metadata consumer): no reads, no indexes. */
  update: ['dynamodb:UpdateItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACTIONS;

export interface ServiceFunctionProps {
  /** Absolute path of the TypeScript entry file; it must export `handler`. */
  entry: string;
  /** Repository root: where package-lock.json and tsconfig.json live. */
  projectRoot: string;
  description: string;
  /** @default 512 */
  memorySize?: number;
  /** @default 10 seconds */
  timeout?: Duration;
  environment?: Record<string, string>;
  /** @default one month */
  logRetention?: RetentionDays;
  /** @default 'INFO' */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export class ServiceFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role of our own instead of the default, which attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group in the account).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(dirname(props.entry), {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: bundling always happens locally, with the project's own esbuild.
          image: DockerImage.fromRegistry('scratch'),
          // Part of the asset cache key, so two entries in one folder never share a bundle.
          command: ['esbuild', relative(props.projectRoot, props.entry)],
          local: {
            tryBundle(outputDir) {
              bundleLambda(props.entry, props.projectRoot, outputDir);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: {
        [ENV.logLevel]: props.logLevel ?? 'INFO',
        ...props.environment,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so AWS requires Resource "*" for them.',
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        "A dead-letter queue only applies to asynchronous invocations. This function is invoked synchronously (API Gateway, Cognito, CloudFormation) or by an event source mapping, whose failures go to the mapping's own SQS on-failure destination.",
    });
    if (LAMBDA_RUNTIME !== latestNodeRuntime()) {
      const reason =
        'DESIGN.md pins nodejs22.x (Node 22 LTS) so that the code tested locally is the code that runs; moving to a newer runtime is a deliberate, tested change, not an automatic one.';
      Validations.of(this.function).acknowledge(
        { id: 'AwsSolutions-L1', reason },
        { id: 'Serverless-LambdaLatestVersion', reason },
      );
    }
  }

  /**
   * Sets `TABLE_NAME` and grants the named DynamoDB actions of `access` on the table and its indexes
   * (each index by name, from the table definition: no wildcard resources either).
   */
  bindTable(table: ITableV2, access: TableAccess): void {
    this.function.addEnvironment(ENV.tableName, table.tableName);
    const sid = { read: 'ReadTable', readWrite: 'ReadWriteTable', update: 'UpdateTable' } as const;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: sid[access],
        effect: Effect.ALLOW,
        actions: [...TABLE_ACTIONS[access]],
        // UpdateItem addresses the table only; the indexes are for the modes that query.
        resources: [
          table.tableArn,
          ...(access === 'update'
            ? []
            : TABLE_DEFINITION.indexes.map((index) => `${table.tableArn}/index/${index.name}`)),
        ],
      }),
    );
  }
}

function latestNodeRuntime(): Runtime | undefined {
  const versions = Runtime.ALL.filter((r) => /^nodejs\d+\.x$/.test(r.name));
  return versions
    .sort((a, b) => Number.parseInt(a.name.slice(6), 10) - Number.parseInt(b.name.slice(6), 10))
    .pop();
}
