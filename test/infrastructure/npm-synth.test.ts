/**
 * `npm run synth` — the operator's own command, through the CDK CLI — works offline with no AWS
 * credentials or profile: the environment is stripped of every AWS_* variable and HOME points at an
 * empty directory, so no ~/.aws config can help.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from '@jest/globals';

it('synthesizes the stack with `npm run synth` and no AWS credentials', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-synth-home-'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'commonplace-synth-out-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  try {
    execFileSync('npm', ['run', '-s', 'synth', '--', '--output', out], {
      env: { ...env, HOME: home, CDK_DISABLE_VERSION_CHECK: '1' },
      stdio: 'pipe',
      timeout: 240_000,
    });
    const templates = fs.readdirSync(out).filter((file) => file.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThan(0);
    const template = JSON.parse(fs.readFileSync(path.join(out, templates[0]), 'utf8'));
    const types = new Set(
      Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type),
    );
    for (const type of [
      'AWS::DynamoDB::GlobalTable',
      'AWS::Cognito::UserPool',
      'AWS::ApiGatewayV2::Api',
      'AWS::OpenSearchService::Domain',
      'AWS::CloudFront::Distribution',
    ]) {
      expect(types).toContain(type);
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 300_000);
