/**
 * The findings of the AWS security review of the deployed stack (issue 18), each pinned by an
 * assertion on the synthesized template that failed before its fix: alarms that can reach someone,
 * an OpenSearch access policy no wider than each role's own, sign-in tokens whose claims users cannot
 * edit, audit and slow logs that record something, and deployment leftovers bounded.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';
import { cdkJsonContext, PROJECT_ROOT, type Synthesized, synthesize, TEST_OPERATOR_ROLE } from './synthesize';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read by the assertions
type Json = any;
type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: Json;
  Condition?: Json;
};

let synth: Synthesized;
let template: Template;

const resources = (type: string): [string, Json][] => Object.entries(template.findResources(type));
const only = (type: string): Json => {
  const found = resources(type);
  expect(found).toHaveLength(1);
  return found[0][1];
};
/** The web app's distribution (the files have a download distribution of their own, issue 17). */
const webDistribution = (): Json => {
  const found = resources('AWS::CloudFront::Distribution').filter(([id]) => id.startsWith('WebDistribution'));
  expect(found).toHaveLength(1);
  return found[0][1];
};
const roleArn = (prefix: string) => {
  const id = resources('AWS::IAM::Role').find(([logicalId]) => logicalId.startsWith(prefix))?.[0];
  if (!id) throw new Error(`No role ${prefix}`);
  return { 'Fn::GetAtt': [id, 'Arn'] };
};
const actionsOf = (s: Statement) => [s.Action].flat();

beforeAll(() => {
  synth = synthesize({ bundling: false });
  template = synth.template;
}, 120_000);

afterAll(() => synth && rmSync(synth.outdir, { recursive: true, force: true }));

describe('alarms reach the operator', () => {
  const fromOurAlarms = (condition: Json) => {
    expect(condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(condition.ArnLike['aws:SourceArn'])).toMatch(/:cloudwatch:.*:alarm:\*/);
  };

  it('lets CloudWatch publish to the alarm topic, for this account’s alarms only', () => {
    const policy = only('AWS::SNS::TopicPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const allow = statements.find((s) => s.Effect === 'Allow' && actionsOf(s).includes('sns:Publish'));
    expect(allow?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    fromOurAlarms(allow?.Condition);
    // The TLS-only Deny stays.
    expect(statements.some((s) => s.Effect === 'Deny')).toBe(true);
  });

  it('lets CloudWatch use the topic key under the same conditions', () => {
    const key = only('AWS::KMS::Key');
    const statements = key.Properties.KeyPolicy.Statement as Statement[];
    const cloudWatch = statements.filter((s) => JSON.stringify(s.Principal).includes('cloudwatch'));
    expect(cloudWatch).toHaveLength(1);
    expect(actionsOf(cloudWatch[0]).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    fromOurAlarms(cloudWatch[0].Condition);
  });
});

describe('the OpenSearch access policy grants no more than each role’s own policy', () => {
  const statements = () =>
    only('AWS::OpenSearchService::Domain').Properties.AccessPolicies.Statement as Statement[];
  const statementOf = (principal: unknown) => {
    const found = statements().filter((s) => JSON.stringify(s.Principal.AWS) === JSON.stringify(principal));
    expect(found).toHaveLength(1);
    return found[0];
  };

  it('has one statement per principal, never a wildcard action', () => {
    expect(statements()).toHaveLength(4);
    for (const s of statements()) {
      expect(s.Effect).toBe('Allow');
      expect(actionsOf(s).some((a) => a.includes('*'))).toBe(false);
    }
  });

  it('lets the search module read: no PUT or DELETE', () => {
    const api = statementOf(roleArn('ApiSearchHandlerRole'));
    expect(actionsOf(api).sort()).toEqual(['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost']);
  });

  it('lets the indexer write', () => {
    const indexer = statementOf(roleArn('StreamsIndexerHandlerRole'));
    expect(actionsOf(indexer)).toEqual(expect.arrayContaining(['es:ESHttpPut', 'es:ESHttpDelete']));
  });

  it('lets the master role reach the security plugin’s API only', () => {
    const master = statementOf(roleArn('SearchSecurityConfigRole'));
    expect(actionsOf(master).sort()).toEqual(['es:ESHttpGet', 'es:ESHttpPut']);
    expect(JSON.stringify(master.Resource)).toMatch(/:domain\/[a-z-]+\/_plugins\/_security\/\*"\]\]\}$/);
  });

  it('admits operator roles of this account only', () => {
    const operator = statementOf(TEST_OPERATOR_ROLE);
    expect(operator.Condition).toEqual({
      StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } },
    });
  });

  it('refuses to synthesize with an operator role of another account', () => {
    expect(() =>
      createApp({
        projectRoot: PROJECT_ROOT,
        env: { account: '999999999999', region: 'eu-west-1' },
        nag: false,
        context: {
          ...cdkJsonContext(),
          'commonplace:searchOperatorRoleArns': [TEST_OPERATOR_ROLE],
          'aws:cdk:bundling-stacks': [],
        },
      }).app.synth(),
    ).toThrow(/not in this stack's account 999999999999/);
  }, 120_000);
});

describe('search logs say something', () => {
  it('publishes audit logs (failed logins, refused requests) to a log group kept a year', () => {
    const domain = only('AWS::OpenSearchService::Domain');
    expect(domain.Properties.LogPublishingOptions.AUDIT_LOGS.Enabled).toBe(true);
    const groupId =
      domain.Properties.LogPublishingOptions.AUDIT_LOGS.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[groupId].Properties.RetentionInDays).toBe(365);
  });

  it('gives the security configuration time to wait for fine-grained access control', () => {
    const [, config] =
      resources('AWS::Lambda::Function').find(([id]) => id.startsWith('SearchSecurityConfig')) ?? [];
    expect(config.Properties.Timeout).toBe(900);
    expect(Number(only('Custom::OpenSearchSecurityConfig').Properties.ServiceTimeout)).toBeGreaterThan(900);
  });
});

describe('claims nobody can edit', () => {
  const client = () => only('AWS::Cognito::UserPoolClient').Properties;

  it('offers hosted sign-in only: no SRP or password flow, whose tokens could rewrite attributes', () => {
    const flows = client().ExplicitAuthFlows as string[];
    expect(flows).toBeDefined(); // left out, Cognito would enable SRP and custom auth
    expect(flows.filter((f) => f !== 'ALLOW_REFRESH_TOKEN_AUTH')).toEqual([]);
    expect(client().AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
  });

  it('lets the client write only what identity providers map, and keeps the old e-mail until a new one is verified', () => {
    expect([...client().WriteAttributes].sort()).toEqual(['email', 'name']);
    const pool = only('AWS::Cognito::UserPool').Properties;
    expect(pool.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
  });

  it('rotates refresh tokens', () => {
    expect(client().RefreshTokenRotation).toMatchObject({ Feature: 'ENABLED' });
  });

  it('lets the trigger read the table, where each partner’s e-mail domains are kept (its only writes: sign-in links)', () => {
    const [, trigger] =
      resources('AWS::Lambda::Function').find(([id]) => id.startsWith('AuthPreTokenGeneration')) ?? [];
    expect(trigger.Properties.Environment.Variables.PARTNER_ORGANISATIONS).toBeUndefined();
    expect(trigger.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
  });
});

describe('a WAF in front of CloudFront', () => {
  const edge = () => {
    const stack = synth.app.node.tryFindChild('CommonplaceEdge') as import('aws-cdk-lib').Stack;
    expect(stack).toBeDefined();
    return stack;
  };
  const webAcl = () => {
    const acls = Object.values(Template.fromStack(edge()).findResources('AWS::WAFv2::WebACL')) as Json[];
    expect(acls).toHaveLength(1);
    return acls[0].Properties;
  };
  const rule = (name: string) => webAcl().Rules.find((r: Json) => r.Name === name);

  it('is a CLOUDFRONT web ACL in an edge stack in us-east-1, deployed before the main stack', () => {
    expect(edge().region).toBe('us-east-1');
    expect(webAcl().Scope).toBe('CLOUDFRONT');
    expect(synth.stack.dependencies).toContain(edge());
  });

  it('limits anonymous API requests per IP, so nobody without a token can use up the API throttle', () => {
    const anonymous = rule('AnonymousApiRatePerIp');
    expect(anonymous.Action).toEqual({ Block: {} });
    expect(anonymous.Statement.RateBasedStatement).toMatchObject({ Limit: 300, AggregateKeyType: 'IP' });
    const scope = JSON.stringify(anonymous.Statement.RateBasedStatement.ScopeDownStatement);
    expect(scope).toContain('"SearchString":"/api/"');
    expect(scope).toContain('"NotStatement"');
    expect(scope).toContain('"Name":"authorization"');
    expect(rule('RatePerIp').Statement.RateBasedStatement).toMatchObject({
      Limit: 10000,
      AggregateKeyType: 'IP',
    });
  });

  it('runs the AWS managed rule groups, counting (not blocking) the body rules that would refuse user content', () => {
    for (const name of [
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesCommonRuleSet',
    ]) {
      expect(rule(name).Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: name });
    }
    const counted = rule('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement
      .RuleActionOverrides;
    expect(counted.map((o: Json) => o.Name)).toEqual(
      expect.arrayContaining(['SizeRestrictions_BODY', 'CrossSiteScripting_BODY']),
    );
    expect(counted.every((o: Json) => 'Count' in o.ActionToUse)).toBe(true);
  });

  it('is attached to the distribution through the parameter the edge stack writes', () => {
    const distribution = webDistribution().Properties.DistributionConfig;
    const [reader] = resources('Custom::EdgeParameter');
    expect(distribution.WebACLId).toEqual({ 'Fn::GetAtt': [reader[0], 'Parameter.Value'] });
    const parameter = Object.values(
      Template.fromStack(edge()).findResources('AWS::SSM::Parameter'),
    )[0] as Json;
    expect(JSON.stringify(reader[1].Properties.Create)).toContain(parameter.Properties.Name);
    const policy = resources('AWS::IAM::Policy').find(([id]) =>
      id.startsWith('WebWebAclArnCustomResourcePolicy'),
    );
    expect(policy?.[1].Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'ssm:GetParameter', Effect: 'Allow' }),
    ]);
    expect(JSON.stringify(policy?.[1].Properties.PolicyDocument.Statement[0].Resource)).toContain(
      ':ssm:us-east-1:',
    );
  });

  it('can be switched off in cdk.json, which leaves no edge stack and no web ACL', () => {
    const { app, stack } = createApp({
      projectRoot: PROJECT_ROOT,
      context: { ...cdkJsonContext(), 'commonplace:waf': false, 'aws:cdk:bundling-stacks': [] },
    });
    expect(app.node.tryFindChild('CommonplaceEdge')).toBeUndefined();
    const config = Template.fromStack(stack).toJSON();
    const distribution = Object.values(config.Resources as Json).find(
      (r: Json) => r.Type === 'AWS::CloudFront::Distribution',
    ) as Json;
    expect(distribution.Properties.DistributionConfig.WebACLId).toBeUndefined();
  }, 120_000);
});

describe('the API is reached through CloudFront only', () => {
  it('has CloudFront send a secret header that every module Lambda requires, never written in the template', () => {
    const [secretId] =
      resources('AWS::SecretsManager::Secret').find(([id]) => id.startsWith('ApiOriginSecret')) ?? [];
    expect(secretId).toBeDefined();
    const reference = JSON.stringify({
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
    });
    const origins = webDistribution().Properties.DistributionConfig.Origins as Json[];
    const api = origins.find((o) => o.CustomOriginConfig);
    expect(api.OriginCustomHeaders).toEqual([
      { HeaderName: 'x-commonplace-origin', HeaderValue: JSON.parse(reference) },
    ]);
    const modules = resources('AWS::Lambda::Function').filter(([id]) => /^Api\w+Handler/.test(id));
    expect(modules.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of modules) {
      expect(JSON.stringify(fn.Properties.Environment.Variables.ORIGIN_SECRET)).toBe(reference);
    }
  });
});

describe('deployment leftovers', () => {
  it('gives every Lambda, the CDK’s web deployment included, a log group that expires', () => {
    const groups = Object.fromEntries(resources('AWS::Logs::LogGroup'));
    for (const [id, fn] of resources('AWS::Lambda::Function')) {
      const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      expect([id, ref && groups[ref]?.Properties.RetentionInDays > 0]).toEqual([id, true]);
    }
  });

  it('grants cloudfront:CreateInvalidation to nobody (nothing invalidates every distribution)', () => {
    const statements = resources('AWS::IAM::Policy').flatMap(
      ([, p]) => p.Properties.PolicyDocument.Statement as Statement[],
    );
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('cloudfront:')))).toEqual([]);
  });
});
