/**
 * Writes the partner organisations of `cdk.json` into the table at their first deployment — the ORG
 * item (domains and provider), one ORGDOMAIN item per domain and the IDP item — because the pre-token
 * trigger maps a provider to its organisation through the table, not through its environment. Each
 * partner is one transaction of conditional puts, run once (on create): an organisation an admin has
 * since changed, suspended or removed in the app stays as the admin left it, and a domain or provider
 * that already belongs to another organisation cancels the whole write instead of taking it over.
 */

import { marshall } from '@aws-sdk/util-dynamodb';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { keys } from '../../functions/data/keys';
import type { PartnerConfig } from '../config';

export interface PartnerSeedProps {
  table: ITableV2;
  partners: PartnerConfig[];
}

/** The items of one partner organisation as issue 16's contract shapes them. */
export function partnerItems(partner: PartnerConfig): Record<string, unknown>[] {
  const domains = partner.emailDomains.map((domain) => domain.toLowerCase());
  const provider =
    partner.idp.type === 'oidc'
      ? {
          name: partner.providerName,
          kind: 'oidc',
          issuer: partner.idp.issuerUrl,
          clientId: partner.idp.clientId,
        }
      : {
          name: partner.providerName,
          kind: 'saml',
          ...(partner.idp.metadataUrl ? { metadataUrl: partner.idp.metadataUrl } : {}),
        };
  return [
    {
      ...keys.organisation(partner.org),
      type: 'organisation',
      id: partner.org,
      name: partner.org,
      GSI1PK: keys.organisationsIndex,
      GSI1SK: `${partner.org}#${partner.org}`,
      emailDomains: domains,
      provider,
      status: 'active',
      seededFrom: 'cdk.json',
    },
    ...domains.map((domain) => ({
      ...keys.organisationDomain(domain),
      type: 'organisation-domain',
      orgId: partner.org,
    })),
    { ...keys.organisationProvider(partner.providerName), type: 'organisation-provider', orgId: partner.org },
  ];
}

/** The construct id the CDK gives the AwsCustomResource singleton function. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

export class PartnerSeed extends Construct {
  constructor(scope: Construct, id: string, props: PartnerSeedProps) {
    super(scope, id);
    // All AwsCustomResources share one function, configured by whichever comes first (the web ACL
    // reader, when there is one): give it the same settings, and a log group only if it is ours.
    const first = !Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON);
    const logGroup =
      first && props.partners.length > 0
        ? new LogGroup(this, 'Logs', {
            retention: RetentionDays.THREE_MONTHS,
            removalPolicy: RemovalPolicy.DESTROY,
          })
        : undefined;
    for (const partner of props.partners) {
      new AwsCustomResource(this, `Seed-${partner.org}`, {
        resourceType: 'Custom::PartnerOrganisation',
        onCreate: {
          service: 'DynamoDB',
          action: 'transactWriteItems',
          parameters: {
            TransactItems: partnerItems(partner).map((item) => ({
              Put: {
                TableName: props.table.tableName,
                Item: marshall(item),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            })),
          },
          physicalResourceId: PhysicalResourceId.of(`partner-organisation-${partner.org}`),
          // Already there (a redeploy after the resource was replaced, or an admin's own): keep it.
          ignoreErrorCodesMatching: 'TransactionCanceledException',
        },
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.table.tableArn] }),
        ]),
        installLatestAwsSdk: false,
        memorySize: 256,
        ...(logGroup ? { logGroup } : {}),
      });
    }
  }
}
