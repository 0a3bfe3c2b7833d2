/**
 * Builds the CDK app: reads the settings from context, creates the one stack and registers cdk-nag
 * (AwsSolutions and Serverless rule packs) so that synthesis fails on any unacknowledged finding.
 * `bin/commonplace.ts` calls this for the CLI; the infrastructure tests call it with their own outdir
 * and context.
 */
import { App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CommonplaceStack } from './commonplace-stack';
import { readConfig } from './config';
import { EdgeStack } from './edge-stack';
import { defaultEntries, type LambdaEntries } from './lambda-entries';
import { acknowledgeCdkInternals } from './nag-acknowledgements';
import { webAssetPath } from './web-placeholder';

export interface CreateAppOptions {
  /** Repository root. */
  projectRoot: string;
  outdir?: string;
  /** Context on top of cdk.json's (tests pass theirs here). */
  context?: Record<string, unknown>;
  /** Override Lambda entries (defaults: the files under functions/ and lib/handlers/). */
  entries?: Partial<LambdaEntries>;
  /** @default frontend/dist, or a placeholder page when it is not built */
  webAssetPath?: string;
  /** @default environment-agnostic (account and region resolved at deploy time) */
  env?: Environment;
  /** Register the cdk-nag packs on the app. @default true */
  nag?: boolean;
}

export { defaultEntries };

const webAclArnParameter = (stackName: string) => `/commonplace/${stackName}/web-acl-arn`;

export function createApp(options: CreateAppOptions): {
  app: App;
  stack: CommonplaceStack;
  edge?: EdgeStack;
} {
  const app = new App({ outdir: options.outdir, context: options.context });
  const config = readConfig(app.node);

  // CloudFront's web ACL can only live in us-east-1: a small stack there, deployed first.
  const edge = config.waf.enabled
    ? new EdgeStack(app, `${config.stackName}Edge`, {
        description: 'Commonplace edge: the WAF web ACL in front of CloudFront (us-east-1)',
        env: { account: options.env?.account, region: 'us-east-1' },
        webAclArnParameter: webAclArnParameter(config.stackName),
        ratePerIp: config.waf.ratePerIp,
        anonymousApiRatePerIp: config.waf.anonymousApiRatePerIp,
      })
    : undefined;

  const stack = new CommonplaceStack(app, config.stackName, {
    description: 'Commonplace: blogs, wiki, bookmarks, profiles and search for one company and its partners',
    env: options.env,
    config,
    projectRoot: options.projectRoot,
    entries: { ...defaultEntries(options.projectRoot), ...options.entries },
    webAssetPath: options.webAssetPath ?? webAssetPath(options.projectRoot),
    webAclArnParameter: edge ? webAclArnParameter(config.stackName) : undefined,
    terminationProtection: true,
  });
  if (edge) stack.addStackDependency(edge, 'the distribution uses the web ACL');
  acknowledgeCdkInternals(stack);

  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { app, stack, edge };
}
