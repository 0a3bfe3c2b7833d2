/**
 * The search index: an OpenSearch domain encrypted at rest and between nodes, HTTPS only with TLS 1.2+,
 * with fine-grained access control. Access is by IAM role only: the domain's access policy names the
 * roles of the Lambdas that use it, and a custom resource maps those roles to OpenSearch roles that
 * allow exactly their job (the API reads, the indexer writes) on Commonplace's indexes.
 * Search holds derived data only: everything in it can be rebuilt from the table.
 */
import { CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import {
  ArnPrincipal,
  Effect,
  type IPrincipal,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { LogGroup, ResourcePolicy, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type CfnDomain, Domain, EngineVersion, TLSSecurityPolicy } from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { ENV } from '../../functions/platform/environment';
import type { SearchCapacity } from '../config';
import type { SearchRole } from '../handlers/search-security-config';
import { ServiceFunction } from './service-function';

export interface SearchProps {
  projectRoot: string;
  /** Entry of the security-configuration custom resource handler. */
  securityConfigEntry: string;
  capacity: SearchCapacity;
  /** Domain name (3-28 lower-case characters, unique in the account and region). */
  domainName: string;
  /** Indexes the Lambdas may use. @default 'commonplace*' */
  indexPattern?: string;
  /** IAM roles of operators allowed to rebuild the index; they get the writer role. @default none */
  operatorRoleArns?: string[];
}

/** HTTP methods each kind of user needs at the IAM layer; OpenSearch roles decide what they may do. */
const HTTP_ACTIONS = {
  read: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'],
  write: ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut', 'es:ESHttpDelete'],
} as const;
const SECURITY_PLUGIN_ACTIONS = ['es:ESHttpGet', 'es:ESHttpPut'] as const;

export class Search extends Construct {
  readonly domain: Domain;
  /** `https://` URL of the domain, as the Lambdas' `SEARCH_ENDPOINT`. */
  readonly endpoint: string;
  readonly alarms: Alarm[];
  private readonly readers: ServiceFunction[] = [];
  private readonly writers: ServiceFunction[] = [];
  private readonly indexPattern: string;
  private readonly domainArn: string;
  private readonly domainName: string;

  constructor(scope: Construct, id: string, props: SearchProps) {
    super(scope, id);
    const { capacity } = props;
    this.indexPattern = props.indexPattern ?? 'commonplace*';
    this.domainName = props.domainName;
    const stack = Stack.of(this);
    // Built from the name, not read from the domain: the domain's own access policy refers to it.
    this.domainArn = stack.formatArn({ service: 'es', resource: 'domain', resourceName: props.domainName });

    const securityConfig = new ServiceFunction(this, 'SecurityConfig', {
      entry: props.securityConfigEntry,
      projectRoot: props.projectRoot,
      description:
        'Commonplace search: writes OpenSearch roles, role mappings and audit settings (master user)',
      memorySize: 256,
      // Fine-grained access control can take several minutes after the domain is created to accept
      // its master role; the handler retries until just before this (Lambda's maximum).
      timeout: Duration.minutes(15),
    });
    securityConfig.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ManageSecurityPlugin',
        actions: [...SECURITY_PLUGIN_ACTIONS],
        resources: [this.securityPluginPaths()],
      }),
    );
    Validations.of(securityConfig.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.nagDomainArn()}/_plugins/_security/*]`,
      reason:
        'Scoped to the security plugin REST API of this one domain (roles and role mappings, named at run time); this role is the domain master user and is used by CloudFormation only.',
    });

    const logs = {
      app: new LogGroup(this, 'AppLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      slowSearch: new LogGroup(this, 'SlowSearchLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      slowIndex: new LogGroup(this, 'SlowIndexLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
      // Failed logins and refused requests: kept longer, as evidence.
      audit: new LogGroup(this, 'AuditLogs', {
        retention: RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    };
    // A plain CloudWatch Logs resource policy instead of the construct's default custom resource.
    const logsPolicy = new ResourcePolicy(this, 'LogsPolicy', {
      policyStatements: [
        new PolicyStatement({
          principals: [new ServicePrincipal('es.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: Object.values(logs).map((group) => group.logGroupArn),
          conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
        }),
      ],
    });

    this.domain = new Domain(this, 'Domain', {
      domainName: props.domainName,
      version: EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodes: capacity.dataNodes,
        dataNodeInstanceType: capacity.dataNodeInstanceType,
        ...(capacity.masterNodeInstanceType
          ? { masterNodes: 3, masterNodeInstanceType: capacity.masterNodeInstanceType }
          : {}),
        multiAzWithStandbyEnabled: false,
      },
      ebs: { volumeSize: capacity.volumeSizeGiB, volumeType: EbsDeviceVolumeType.GP3 },
      zoneAwareness: capacity.zoneAwareness
        ? { enabled: true, availabilityZoneCount: 2 }
        : { enabled: false },
      encryptionAtRest: { enabled: true },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2_PFS,
      fineGrainedAccessControl: { masterUserArn: securityConfig.role.roleArn },
      logging: {
        appLogEnabled: true,
        appLogGroup: logs.app,
        slowSearchLogEnabled: true,
        slowSearchLogGroup: logs.slowSearch,
        slowIndexLogEnabled: true,
        slowIndexLogGroup: logs.slowIndex,
        auditLogEnabled: true,
        auditLogGroup: logs.audit,
      },
      suppressLogsResourcePolicy: true,
      enableAutoSoftwareUpdate: true,
      offPeakWindowEnabled: true,
      // Derived data: rebuilt from the table by a reindex, so it is not worth keeping after the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.domain.node.addDependency(logsPolicy);

    const operators = props.operatorRoleArns ?? [];
    this.node.addValidation({
      validate: () =>
        Token.isUnresolved(stack.account)
          ? []
          : operators
              .filter((arn) => arn.split(':')[4] !== stack.account)
              .map((arn) => `Search operator role ${arn} is not in this stack's account ${stack.account}`),
    });
    const allow = (sid: string, principal: IPrincipal, actions: readonly string[], resource: string) =>
      new PolicyStatement({
        sid,
        effect: Effect.ALLOW,
        principals: [principal],
        actions: [...actions],
        resources: [resource],
      });
    const everyPath = `${this.domainArn}/*`;
    // An Allow in a domain's access policy is enough on its own, so it repeats each role's identity
    // policy instead of granting es:ESHttp* to all: the API role cannot PUT or DELETE, and the master
    // role reaches only the security plugin's API. Set on the L1 resource rather than through the
    // construct's `accessPolicies`, which would add a custom resource just to call UpdateDomainConfig.
    (this.domain.node.defaultChild as CfnDomain).accessPolicies = Lazy.any({
      produce: () =>
        new PolicyDocument({
          statements: [
            allow('SecurityConfig', securityConfig.role, SECURITY_PLUGIN_ACTIONS, this.securityPluginPaths()),
            ...this.readers.map((r, i) => allow(`Reader${i}`, r.role, HTTP_ACTIONS.read, everyPath)),
            ...this.writers.map((w, i) => allow(`Writer${i}`, w.role, HTTP_ACTIONS.write, everyPath)),
            ...operators.map((arn, i) => {
              const statement = allow(`Operator${i}`, new ArnPrincipal(arn), HTTP_ACTIONS.write, everyPath);
              // A role of another account is refused even if cdk.json names one by mistake.
              statement.addCondition('StringEquals', { 'aws:PrincipalAccount': stack.account });
              return statement;
            }),
          ],
        }).toJSON(),
    });

    this.endpoint = `https://${this.domain.domainEndpoint}`;

    const roles = Lazy.any({
      produce: (): SearchRole[] => [
        {
          name: 'commonplace_reader',
          clusterPermissions: ['cluster_composite_ops_ro'],
          indexPermissions: [{ index_patterns: [this.indexPattern], allowed_actions: ['read'] }],
          backendRoles: this.readers.map((r) => r.role.roleArn),
        },
        {
          name: 'commonplace_writer',
          clusterPermissions: ['cluster_composite_ops', 'cluster_monitor'],
          // indices_all on our own indexes only: the indexer creates indexes, mappings and aliases.
          indexPermissions: [{ index_patterns: [this.indexPattern], allowed_actions: ['indices_all'] }],
          backendRoles: [...this.writers.map((w) => w.role.roleArn), ...operators],
        },
      ],
    });
    new CustomResource(this, 'SecurityConfigResource', {
      serviceToken: securityConfig.function.functionArn,
      resourceType: 'Custom::OpenSearchSecurityConfig',
      // Room for the handler's fifteen minutes of retries, with its report.
      serviceTimeout: Duration.minutes(20),
      properties: { Endpoint: this.domain.domainEndpoint, Roles: roles },
    });

    this.alarms = this.createAlarms(capacity);

    Validations.of(this.domain).acknowledge(
      {
        id: 'AwsSolutions-OS1',
        reason:
          'Not in a VPC so the Lambdas need no VPC, NAT gateway or VPC endpoints (the serverless design). Access needs SigV4-signed requests from the roles in the domain access policy, and fine-grained access control checks every index action.',
      },
      {
        id: 'AwsSolutions-OS3',
        reason:
          'Access is restricted by IAM principal, not by source IP: Lambda functions outside a VPC have no fixed addresses to allowlist.',
      },
    );
    if (!capacity.masterNodeInstanceType) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS4',
        reason:
          'Dedicated cluster-manager nodes triple the cost of a small deployment; the small and medium sizes run without them (set commonplace:searchSize=large to add three). The index is derived data and can be rebuilt.',
      });
    }
    if (!capacity.zoneAwareness) {
      Validations.of(this.domain).acknowledge({
        id: 'AwsSolutions-OS7',
        reason:
          'The small size is one data node, which cannot span zones; if it fails, search is unavailable until it recovers or is rebuilt from the table. Set commonplace:searchSize=medium for two zones.',
      });
    }
  }

  /** Sets `SEARCH_ENDPOINT` on the function and lets it search (OpenSearch role commonplace_reader). */
  grantRead(fn: ServiceFunction): void {
    this.bind(fn, 'read');
    this.readers.push(fn);
  }

  /** Sets `SEARCH_ENDPOINT` on the function and lets it index (OpenSearch role commonplace_writer). */
  grantWrite(fn: ServiceFunction): void {
    this.bind(fn, 'write');
    this.writers.push(fn);
  }

  private bind(fn: ServiceFunction, mode: 'read' | 'write'): void {
    fn.function.addEnvironment(ENV.searchEndpoint, this.endpoint);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: mode === 'read' ? 'SearchRead' : 'SearchWrite',
        actions: [...HTTP_ACTIONS[mode]],
        resources: [`${this.domainArn}/*`],
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${this.nagDomainArn()}/*]`,
      reason:
        'OpenSearch paths under the domain are index names and APIs; which indexes a role may touch is decided by fine-grained access control (commonplace_reader / commonplace_writer on the Commonplace indexes only).',
    });
  }

  /** The security plugin's REST API (roles, role mappings, audit configuration): all the master role needs. */
  private securityPluginPaths(): string {
    return `${this.domainArn}/_plugins/_security/*`;
  }

  /** How cdk-nag prints the domain ARN in an IAM5 finding. */
  private nagDomainArn(): string {
    return `arn:<AWS::Partition>:es:<AWS::Region>:<AWS::AccountId>:domain/${this.domainName}`;
  }

  private createAlarms(capacity: SearchCapacity): Alarm[] {
    const d = this.domain;
    const alarm = (
      id: string,
      description: string,
      props: Omit<ConstructorParameters<typeof Alarm>[2], 'alarmDescription'>,
    ) =>
      new Alarm(this, id, {
        alarmDescription: description,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...props,
      });
    const alarms = [
      alarm('ClusterRedAlarm', 'At least one primary shard is unassigned: searches miss documents.', {
        metric: d.metricClusterStatusRed({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm(
        'WritesBlockedAlarm',
        'The domain refuses writes (disk or memory pressure): the indexer cannot keep up.',
        {
          metric: d.metricClusterIndexWritesBlocked({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        },
      ),
      alarm('FreeStorageAlarm', 'A data node has less than 20% of its volume free.', {
        // FreeStorageSpace is reported in megabytes.
        metric: d.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: 'Minimum' }),
        threshold: capacity.volumeSizeGiB * 1024 * 0.2,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm(
        'JvmPressureAlarm',
        'JVM memory pressure above 85% for fifteen minutes: the domain is too small.',
        {
          metric: d.metricJVMMemoryPressure({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 85,
          evaluationPeriods: 3,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        },
      ),
      alarm('CpuAlarm', 'CPU above 80% for fifteen minutes.', {
        metric: d.metricCPUUtilization({ period: Duration.minutes(5), statistic: 'Average' }),
        threshold: 80,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
      alarm('SnapshotFailureAlarm', 'The automated snapshot failed.', {
        metric: d.metricAutomatedSnapshotFailure({ period: Duration.minutes(60), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      }),
    ];
    if (capacity.dataNodes > 1) {
      // One node cannot hold replicas, so yellow is its normal state; with two or more it means lost redundancy.
      alarms.push(
        alarm('ClusterYellowAlarm', 'Replica shards are unassigned: one more node failure loses data.', {
          metric: d.metricClusterStatusYellow({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 1,
          evaluationPeriods: 3,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        }),
      );
    }
    return alarms;
  }
}
