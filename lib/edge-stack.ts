/**
 * What must live in us-east-1 for CloudFront: the WAF web ACL in front of the web app and the API.
 * A stack of its own, because the main stack may be in any region and a CLOUDFRONT-scoped web ACL can
 * only be created in us-east-1. Its ARN is published as an SSM parameter there, which the main stack
 * reads at deployment (lib/constructs/web.ts); the CLI deploys this stack first (a stack dependency).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  /** Name of the SSM parameter (in us-east-1) that receives the web ACL's ARN. */
  webAclArnParameter: string;
  /** Requests per IP address in any 5 minutes before that address is blocked for a while. */
  ratePerIp: number;
  /** The same for API requests that carry no token: an anonymous flood cannot use up the API's throttle. */
  anonymousApiRatePerIp: number;
}

/** CRS rules that read request bodies: ours are free text (Markdown about code, links), sanitised on
 * render; blocking them would refuse legitimate writes (a post about `<script>`, a long page). */
const BODY_RULES_COUNTED = [
  'SizeRestrictions_BODY',
  'CrossSiteScripting_BODY',
  'GenericLFI_BODY',
  'GenericRFI_BODY',
  'EC2MetaDataSSRF_BODY',
];

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const managed = (
      priority: number,
      name: string,
      excludedToCount: string[] = [],
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          ruleActionOverrides: excludedToCount.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${id}-web`,
      description: 'Commonplace: AWS managed rules and per-IP rate limits in front of CloudFront',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('commonplace-web'),
      rules: [
        {
          name: 'AnonymousApiRatePerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.anonymousApiRatePerIp,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    {
                      byteMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        positionalConstraint: 'STARTS_WITH',
                        searchString: '/api/',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                    {
                      notStatement: {
                        statement: {
                          sizeConstraintStatement: {
                            fieldToMatch: { singleHeader: { Name: 'authorization' } },
                            comparisonOperator: 'GT',
                            size: 0,
                            textTransformations: [{ priority: 0, type: 'NONE' }],
                          },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('anonymous-api-rate'),
        },
        {
          // High enough for a whole office behind one NAT address, low enough to stop a flood.
          name: 'RatePerIp',
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.ratePerIp, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-per-ip'),
        },
        managed(2, 'AWSManagedRulesAmazonIpReputationList'),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
        managed(4, 'AWSManagedRulesCommonRuleSet', BODY_RULES_COUNTED),
      ],
    });

    new StringParameter(this, 'WebAclArn', {
      parameterName: props.webAclArnParameter,
      stringValue: this.webAcl.attrArn,
      description: 'ARN of the Commonplace web ACL, read by the main stack for its CloudFront distribution',
    });
  }
}
