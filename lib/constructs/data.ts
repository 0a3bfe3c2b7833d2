/**
 * The Commonplace table, built from the same definition the local runtime creates its table from
 * (`functions/data/table-definition.ts`), so key names, indexes, the TTL attribute and the stream view
 * cannot drift between AWS and `npm start`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AttributeType,
  Billing,
  Operation,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../functions/data/table-definition';

export interface DataProps {
  /**
   * What happens to the table when the stack is deleted. Deletion protection is on regardless, so
   * even `DESTROY` needs an operator to switch protection off first.
   * @default RemovalPolicy.RETAIN
   */
  removalPolicy?: RemovalPolicy;
}

/** The operations Commonplace uses (CloudWatch alarms take at most ten metrics per expression). */
export const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.BATCH_GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.TRANSACT_GET_ITEMS,
];

export class Data extends Construct {
  readonly table: TableV2;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: TABLE_DEFINITION.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      timeToLiveAttribute: TABLE_DEFINITION.ttlAttribute,
      dynamoStream: StreamViewType[TABLE_DEFINITION.streamViewType],
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.alarms = [
      new Alarm(this, 'SystemErrorsAlarm', {
        alarmDescription: 'DynamoDB answered requests with internal server errors (HTTP 500).',
        metric: this.table.metricSystemErrorsForOperations({
          operations: TABLE_OPERATIONS,
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      new Alarm(this, 'ThrottlesAlarm', {
        alarmDescription:
          'Requests to the table were throttled (on-demand peak above twice the previous peak, or a hot key).',
        metric: this.table.metricThrottledRequestsForOperations({
          operations: TABLE_OPERATIONS,
          period: Duration.minutes(5),
        }),
        threshold: 10,
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
