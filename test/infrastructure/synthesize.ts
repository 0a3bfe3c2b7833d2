/**
 * Synthesizes the Commonplace app the way `npm run synth` does (cdk.json context, real Lambda entries),
 * into a temporary directory, plus two sample partner organisations so the SAML and OIDC paths are
 * exercised. Each test file calls this once in beforeAll and shares the result.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createApp } from '../../lib/app';
import type { CommonplaceStack } from '../../lib/commonplace-stack';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const TEST_PARTNERS = [
  {
    org: 'acme',
    emailDomains: ['acme.example'],
    saml: { metadataUrl: 'https://idp.acme.example/saml/metadata.xml' },
  },
  {
    org: 'globex',
    providerName: 'globex-entra',
    emailDomains: ['globex.example'],
    oidc: {
      issuerUrl: 'https://login.globex.example/v2.0',
      clientId: 'commonplace',
      clientSecretName: 'commonplace/globex-oidc',
    },
  },
];

/** The company's own IdPs: employees federated from Entra ID (OIDC) and Okta (SAML). */
export const TEST_EMPLOYEE_PROVIDERS = [
  {
    providerName: 'corp-entra',
    emailDomains: ['commonplace.example'],
    oidc: {
      issuerUrl: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0',
      clientId: 'commonplace-employees',
      clientSecretName: 'commonplace/entra-oidc',
    },
  },
  { providerName: 'corp-okta', saml: { metadataUrl: 'https://corp.okta.example/app/metadata' } },
];

export const TEST_OPERATOR_ROLE = 'arn:aws:iam::123456789012:role/CommonplaceOperator';

export interface Synthesized {
  app: App;
  stack: CommonplaceStack;
  assembly: CloudAssembly;
  template: Template;
  outdir: string;
}

/** The context block of cdk.json (what the CDK CLI would pass to the app). */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;
}

export function synthesize(options: { bundling: boolean; context?: Record<string, unknown> }): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'commonplace-cdk-'));
  const { app, stack } = createApp({
    projectRoot: PROJECT_ROOT,
    outdir,
    context: {
      ...cdkJsonContext(),
      'commonplace:partners': TEST_PARTNERS,
      'commonplace:employeeIdentityProviders': TEST_EMPLOYEE_PROVIDERS,
      'commonplace:alarmEmail': 'ops@example.com',
      'commonplace:searchOperatorRoleArns': [TEST_OPERATOR_ROLE],
      // An empty list skips esbuild: template assertions do not need the bundles, the budget test does.
      ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  return { app, stack, assembly, template, outdir };
}
