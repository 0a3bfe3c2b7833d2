/**
 * The files bucket and the download distribution (lib/constructs/files.ts), synthesized with malware
 * scanning switched on: a private, encrypted, versioned, TLS-only bucket with CORS for the app's origin
 * only and a one-day rule for unconfirmed uploads; downloads from a CloudFront domain that is not the
 * app's, with nosniff and a sandboxing CSP; infected files served to nobody; the app's CSP naming the
 * download and upload origins; only the attachments Lambda and the cleanup consumer reach the bucket;
 * and no unacknowledged cdk-nag finding on this configuration either.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ENV } from '../../functions/platform/environment';
import { type Synthesized, synthesize } from './synthesize';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON, read by the assertions
type Json = any;
let synth: Synthesized;
const resources = (type: string): [string, Json][] => Object.entries(synth.template.findResources(type));
const find = (type: string, prefix: string) => {
  const found = resources(type).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`No ${type} ${prefix}`);
  return found[1];
};

beforeAll(() => {
  synth = synthesize({
    bundling: false,
    context: { 'commonplace:malwareScanning': true, 'commonplace:attachmentMaxBytes': 10485760 },
  });
});
afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

describe('the files bucket', () => {
  it('is private, encrypted, versioned, logged, and keeps unconfirmed uploads one day', () => {
    const bucket = find('AWS::S3::Bucket', 'FilesBucket').Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256');
    expect(bucket.VersioningConfiguration.Status).toBe('Enabled');
    expect(bucket.LoggingConfiguration.LogFilePrefix).toBe('files-bucket/');
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Id: 'unconfirmed-uploads',
          Prefix: 'uploads/',
          ExpirationInDays: 1,
          Status: 'Enabled',
        }),
      ]),
    );
  });

  it("answers CORS for the app's origin only, and only POST (uploads)", () => {
    const [rule] = find('AWS::S3::Bucket', 'FilesBucket').Properties.CorsConfiguration.CorsRules;
    expect(rule.AllowedMethods).toEqual(['POST']);
    expect(rule.AllowedOrigins).toHaveLength(1);
    expect(JSON.stringify(rule.AllowedOrigins)).toContain('WebDistribution');
  });

  it('refuses plain HTTP, and refuses to serve an object GuardDuty tagged infected, to anyone', () => {
    const policy = find('AWS::S3::BucketPolicy', 'FilesBucketPolicy').Properties.PolicyDocument
      .Statement as Json[];
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Sid: 'NeverServeInfectedFiles',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Condition: { StringEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
        }),
      ]),
    );
  });

  it('is scanned by GuardDuty Malware Protection when cdk.json switches it on (files and photos, tagged)', () => {
    const [[, plan]] = resources('AWS::GuardDuty::MalwareProtectionPlan');
    expect(plan.Properties.ProtectedResource.S3Bucket.ObjectPrefixes).toEqual(['files/', 'photos/']);
    expect(plan.Properties.Actions.Tagging.Status).toBe('ENABLED');
  });
});

describe('downloads', () => {
  it('come from a distribution of their own that forwards the signature, caches nothing and adds nosniff and a sandbox', () => {
    const config = find('AWS::CloudFront::Distribution', 'FilesDownloads').Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(config.DefaultCacheBehavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(JSON.stringify(config.Origins[0].DomainName)).toContain('.amazonaws.com');
    const request = find('AWS::CloudFront::OriginRequestPolicy', 'FilesForwardSignature').Properties
      .OriginRequestPolicyConfig;
    expect(request.QueryStringsConfig.QueryStringBehavior).toBe('all');
    expect(request.HeadersConfig.HeaderBehavior).toBe('none');
    const headers = find('AWS::CloudFront::ResponseHeadersPolicy', 'FilesDownloadHeaders').Properties
      .ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.ContentTypeOptions.Override).toBe(true);
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/sandbox/);
  });

  it('let the app show images only from itself and the download origin, and send uploads to the bucket', () => {
    const csp = JSON.stringify(
      find('AWS::CloudFront::ResponseHeadersPolicy', 'WebSecurityHeaders').Properties
        .ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy,
    );
    expect(csp).toMatch(
      /img-src 'self' data: blob: https:\/\/",\{"Fn::GetAtt":\["FilesDownloads[0-9A-F]+","DomainName"\]\}/,
    );
    expect(csp).toContain('-files-');
  });
});

describe('access', () => {
  it('is granted to the attachments Lambda (uploads, files, photos) and the cleanup consumer (delete only)', () => {
    const policies = resources('AWS::IAM::Policy');
    const touching = policies.filter(([, p]) => JSON.stringify(p).includes('FilesBucket'));
    const roles = touching.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort();
    expect(roles).toEqual(
      expect.arrayContaining([
        'ApiAttachmentsHandlerRoleDefaultPolicy',
        'StreamsAttachmentCleanupHandlerRoleDefaultPolicy',
      ]),
    );
    const cleanup = touching.find(([id]) => id.startsWith('StreamsAttachmentCleanup'))![1];
    const actions = (cleanup.Properties.PolicyDocument.Statement as Json[])
      .filter((s) => JSON.stringify(s.Resource).includes('FilesBucket'))
      .flatMap((s) => [s.Action].flat());
    expect([...new Set(actions)]).toEqual(['s3:DeleteObject']);
    const api = find('AWS::Lambda::Function', 'ApiAttachmentsHandler').Properties.Environment.Variables;
    expect(api[ENV.attachmentMaxBytes]).toBe('10485760');
    expect(api[ENV.filesDownloadDomain]).toBeDefined();
  });

  it('has no unacknowledged cdk-nag finding with malware scanning on', () => {
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack
        .validateScope(synth.app)
        .violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
    );
    expect(findings).toEqual([]);
  });
});
