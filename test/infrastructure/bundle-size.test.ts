/**
 * The Lambda bundles as `cdk synth` writes them into the cloud assembly (lib/constructs/lambda-bundle.ts:
 * esbuild, minified ES module chunks, the AWS SDK inside). What a Lambda loads at cold start is
 * `index.mjs` and the chunks it imports statically; chunks behind `import()` load on first use.
 *
 * The budget that matters is time (module load ≤ 1.5× the SDK's floor, `npm run bench:load`); time is
 * not asserted in tests on these shared machines. What can be counted is: each bundle's start-up bytes
 * without the SDK are held at what the module split reached (a ratchet, so they cannot creep back), so
 * is the number of ES module files it loads at start, no
 * bundle carries the default credential chain or a token library, reads never load the Markdown
 * renderer, only the search module and the indexer carry the OpenSearch transport, and the deployed
 * artifacts answer API Gateway events against the local runtime's table.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { openApiDocument } from '../../functions/api/openapi-document';
import { filesLoadedAtStart } from '../../lib/constructs/lambda-bundle';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';
import { type Synthesized, synthesize } from './synthesize';

const KiB = 1024;

/**
 * Start-up bytes without the SDK, per function (by the start of its logical id). Measured when the api
 * was split into modules (docs/performance.md); lower them when a change saves bytes. The bookmark
 * keys (functions/data/keys.ts, in every bundle) added ~1 KiB to each. The well-formed-Unicode check of
 * JSON bodies (issue 14, in every API module's middleware) added ~1 KiB to each API bundle.
 */
const BUDGETS: { prefix: string; name: string; bytes: number }[] = [
  // The API modules' figures are after zod-to-openapi's document generators moved out of the start
  // chunk (−20 KiB each, functions/platform/lambda-zod-to-openapi.ts); measured after every merge.
  // Partner administration (issue 16b) added ~13 KiB to spaces: the routes and schemas of organisations,
  // invitations and the audit trail (their services load on first use, domain/lazy-service.ts), and
  // ~2.5 KiB to every API module: the per-request partner check and the audit records written with
  // every sharing and membership change (the invitation acceptance and creation code load lazily).
  // The well-formed-text middleware (issue 14: lone surrogates are a 400) added ~1 KiB to each.
  // Wiki: its page-tree lookups (page-tree/nodes, the parent picker's title prefix) +1.4 KiB.
  // Issue 15 (people directory): +1–2 KiB in every API module (the directory's rows written with the
  // profile at first sign-in, keys.ts); profiles +15 KiB for the directory, reporting lines and org
  // chart reads and their schemas (the HR import loads lazily).
  // Issue 15b: profiles gained endorsements, topic choices, @mention candidates and the vCard (7 routes
  // and their schemas, ~10.6 KiB); search the expertise, "knows about" and activity routes (~8.5 KiB).
  // Issue 15 (directory) adds ~1.3 KiB to every API module (attachments included) and the fan-out.
  // Issue 17: the attachment keys and the sanitizer's attached-image rule (~0.5–1 KiB each).
  // Issue 9, route groups built on first use (module-app.ts): the routes, their schemas, zod and the
  // OpenAPI router left the start chunk (−80 to −87 KiB in each API module); the route manifest, the
  // lazy mounting and plain hono came in. Measured after that change, ~1 KiB of headroom.
  // +1 KiB (issue 15): the person a linked sign-in acts as (principal-from-claims) and the blog of a
  // provisioned person made at their first request (first-sign-in.ts), in every module.
  { prefix: 'ApiSpacesHandler', name: 'spaces', bytes: 99 * KiB },
  { prefix: 'ApiPostsHandler', name: 'posts', bytes: 105 * KiB },
  { prefix: 'ApiWikiHandler', name: 'wiki', bytes: 103 * KiB },
  // Issue 12 (import as a job): the S3 blob store and its signer (the upload form, the check that it
  // arrived), the SQS adapter (the job's message) and the job's domain.
  { prefix: 'ApiBookmarksHandler', name: 'bookmarks', bytes: 121 * KiB },
  { prefix: 'ApiProfilesHandler', name: 'profiles', bytes: 111 * KiB },
  { prefix: 'ApiSearchHandler', name: 'search', bytes: 119 * KiB },
  { prefix: 'ApiNotificationsHandler', name: 'notifications', bytes: 105 * KiB },
  // Stream and queue consumers retry a whole batch while a dependency is down (streams/outage-retry.ts);
  // issue 15b: the OpenSearchIndex class it writes through now holds the expertise reader too; issue
  // 17: the indexer also reads a page's or post's attachment names.
  // +0.1 KiB (issues 12 and 15): the import-job and sign-in-link keys in functions/data/keys.ts.
  { prefix: 'StreamsIndexerHandler', name: 'indexer', bytes: 73 * KiB },
  // The fan-out also writes the home feed (feed-writer.ts), gathers likes and shares
  // (gathered-events.ts), sends immediate e-mails (domain/mail/, SES over the SDK's signer) and pages a
  // large audience to SQS over SigV4 (platform/sqs-queue.ts).
  // +0.3 KiB: the invitation and audit keys (functions/data/keys.ts, in every bundle).
  // Issue 11: +2 KiB, live publishes to AppSync Events (platform/appsync-events.ts, the channel rule)
  // and a share's organisation paged through the queue (gathered-events.ts).
  // Issue 15: +1 KiB, the first-sign-in code every handler carries (a provisioned person's blog).
  // QA: +1 KiB, likes of one batch gathered under a versioned marker with retries (gathered-events.ts)
  // and what made an automatic watch (autoBecause).
  { prefix: 'StreamsFanoutHandler', name: 'fanout', bytes: 76 * KiB },
  // The fan-out's page writer: the fan-out without the SQS adapter (streams/fanout-pages-lambda.ts);
  // issue 11: +2.7 KiB, the same AppSync Events publisher and the share pages; issue 15: +1 KiB as above; issue 12: +0.1 KiB, the import job keys in functions/data/keys.ts.
  // QA: +1 KiB, likes of one batch gathered under a versioned marker with retries (gathered-events.ts).
  { prefix: 'FanoutPagesWriter', name: 'fanout-pages', bytes: 74 * KiB },
  { prefix: 'StreamsBookmarkMetadataHandler', name: 'bookmark-metadata', bytes: 53 * KiB },
  // Bookmark imports as jobs (issue 12): the worker is the import domain (Netscape parser, plan,
  // chunked transactions), the S3 signer (read, delete) and the SQS adapter for the job's next part.
  { prefix: 'BookmarkImportsWorker', name: 'bookmark-import', bytes: 64 * KiB },
  // Attachments (issue 17): the files module signs S3 requests itself (functions/blobs/sigv4.ts over
  // node:crypto, no S3 client); its cleanup consumer deletes objects with the same signer.
  { prefix: 'ApiAttachmentsHandler', name: 'attachments', bytes: 110 * KiB },
  // +0.1 KiB (issues 12 and 15): the import-job and sign-in-link keys in functions/data/keys.ts.
  { prefix: 'StreamsAttachmentCleanupHandler', name: 'attachment-cleanup', bytes: 54 * KiB },
  // The digest job: the mail domain, the SES and Secrets Manager calls over the SDK's signer.
  { prefix: 'MailDigestJob', name: 'digest', bytes: 49 * KiB },
  // The trigger reads the table since issue 16 (IDP, ORG and profile items): the Table adapter and keys.
  // +0.1 KiB (issue 15): the people directory's and reporting lines' keys in functions/data/keys.ts.
  // +3 KiB (issue 15): linking a first sign-in to a provisioned person (one conditional transaction).
  { prefix: 'AuthPreTokenGeneration', name: 'pre-token-generation', bytes: 45 * KiB },
  { prefix: 'SearchSecurityConfig', name: 'search-security-config', bytes: 4 * KiB },
  // SCIM (issue 15): hono without zod-openapi, the reporting and provisioning domain, the Cognito adapter.
  { prefix: 'ScimHandler', name: 'scim', bytes: 80 * KiB },
];

/**
 * ES module files each Lambda loads at cold start: index.mjs and the chunks it imports statically. Each
 * costs Node a resolve, read, parse and link, ~1–1.5 ms of module load here (docs/performance.md).
 * lib/constructs/lambda-build.mjs keeps all start code in one chunk, so every bundle loads index.mjs
 * (which re-exports the handler) and that chunk; the custom resource, with no `import()`, one file.
 * Before, esbuild's code splitting gave the API modules 11–19 (spaces 19, profiles 16, posts 14).
 */
const START_FILES = 2;
const START_FILES_OF: Record<string, number> = { 'search-security-config': 1 };

/** The SDK's share of any bundle's start-up may not exceed this (the floor's, plus headroom). */
const SDK_CAP = 220 * KiB;
const SDK_MODULE =
  /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws\/lambda-invoke-store|bowser|fast-xml-parser|strnum|tslib|uuid|mnemonist|obliterator)\//;
/**
 * The parts of the SDK's default credential chain that cannot apply inside Lambda, with the STS/SSO
 * clients they bring (functions/platform/lambda-credentials.ts replaces the chain).
 */
const DEFAULT_CHAIN_MODULE =
  /node_modules\/(@aws-sdk\/(nested-clients|client-sts|client-sso|token-providers|credential-provider-(node|ini|sso|process|web-identity|login))|@smithy\/credential-provider-imds)\//;
const RENDERER = /node_modules\/(marked|xss|cssfilter)\//;
const OPENSEARCH = /node_modules\/@opensearch-project\//;
const OPENSEARCH_ADAPTER = /functions\/search\/opensearch\/opensearch-http\.ts$/;
const TOKEN_LIBRARY = /node_modules\/jose\//;
/** zod-to-openapi whole: its document generators (requests use only a tree-shaken part of it). */
const OPENAPI_GENERATORS = /node_modules\/@asteasolutions\/zod-to-openapi\//;
/**
 * What building a module's routes takes: the route groups and their schemas (functions/api/routes/,
 * functions/api/schemas/), zod and the OpenAPI router. Each API module loads them with a route group,
 * on the first request that needs it (module-app.ts); import-limits.ts (two paths and sizes the body
 * limit needs) is the one routes file loaded at start.
 */
const ROUTE_BUILDING =
  /functions\/api\/(schemas\/|routes\/(?!import-limits\.ts$)|router\.ts$|openapi-helpers\.ts$)|functions\/platform\/lambda-zod-to-openapi\.ts$|node_modules\/(zod|@hono\/zod-openapi)\//;

interface Bundle {
  logicalId: string;
  budget: (typeof BUDGETS)[number];
  dir: string;
  /** Bytes loaded at cold start: index.mjs and the chunks it imports statically. */
  bytes: number;
  sdkBytes: number;
  /** Modules loaded at cold start, with their bytes. */
  startup: [string, number][];
  /** Modules in chunks loaded with import(), on first use. */
  lazy: [string, number][];
  /** ES module files loaded at cold start. */
  files: number;
}

type Metafile = {
  outputs: Record<
    string,
    { inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; kind: string }[] }
  >;
};

/** Splits a bundle's modules into those loaded at start and those loaded on first use (metafile). */
function bundledModules(dir: string): {
  startup: [string, number][];
  lazy: [string, number][];
  files: number;
} {
  const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as Metafile;
  const atStart = new Set(filesLoadedAtStart(meta));
  const modulesOf = (files: string[]) =>
    files.flatMap((file) =>
      Object.entries(meta.outputs[file].inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([input, { bytesInOutput }]) => [input, bytesInOutput] as [string, number]),
    );
  const files = Object.keys(meta.outputs).filter((file) => file.endsWith('.mjs'));
  return {
    startup: modulesOf(files.filter((file) => atStart.has(file))),
    lazy: modulesOf(files.filter((file) => !atStart.has(file))),
    files: atStart.size,
  };
}

const sum = (modules: [string, number][]) => modules.reduce((total, [, bytes]) => total + bytes, 0);
const bundleNamed = (name: string) => bundles.find((b) => b.budget.name === name)!;

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
    // The CDK's own deployment-time functions (BucketDeployment's, AwsCustomResource's) are not ours.
    .filter(
      ([logicalId]) =>
        !logicalId.startsWith('CustomCDKBucketDeployment') &&
        !logicalId.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
    )
    .map(([logicalId, fn]) => {
      const budget = BUDGETS.find((b) => logicalId.startsWith(b.prefix));
      if (!budget) throw new Error(`No bundle budget for ${logicalId}`);
      const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
      const dir = join(synth.outdir, manifest.files[hash].source.path);
      const { startup, lazy, files } = bundledModules(dir);
      return {
        logicalId,
        budget,
        dir,
        startup,
        lazy,
        files,
        bytes: sum(startup),
        sdkBytes: sum(startup.filter(([input]) => SDK_MODULE.test(input))),
      };
    });
  console.info(
    `Lambda bundles, loaded at cold start:\n${bundles
      .map(
        (b) =>
          `  ${b.logicalId}: ${(b.bytes / KiB).toFixed(1)} KiB in ${b.files} files in all; without the AWS SDK ${((b.bytes - b.sdkBytes) / KiB).toFixed(1)} KiB of ${(b.budget.bytes / KiB).toFixed(0)} KiB; on first use ${(sum(b.lazy) / KiB).toFixed(1)} KiB`,
      )
      .join('\n')}`,
  );
}, 300_000);

afterAll(() => synth && rmSync(synth.outdir, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it('bundles every API module and the stream consumer', () => {
    expect(bundles.map((b) => b.budget.name).sort()).toEqual(BUDGETS.map((b) => b.name).sort());
  });

  it('never load the Markdown renderer at start (reads serve stored HTML), only on a write', () => {
    const atStart = bundles.flatMap((b) =>
      b.startup.filter(([input]) => RENDERER.test(input)).map(([input]) => `${b.budget.name}: ${input}`),
    );
    expect(atStart).toEqual([]);
    for (const writer of ['posts', 'wiki', 'profiles'])
      expect(bundleNamed(writer).lazy.some(([input]) => input.includes('node_modules/marked/'))).toBe(true);
    // The search Lambda and the stream consumers never render: they carry no renderer at all.
    for (const name of ['search', 'indexer', 'fanout', 'bookmark-metadata'])
      expect(bundleNamed(name).lazy.filter(([input]) => RENDERER.test(input))).toEqual([]);
  });

  it('carry the OpenSearch adapter only where search is used, the official client nowhere, no token library', () => {
    const withAdapter = bundles
      .filter((b) => b.startup.some(([input]) => OPENSEARCH_ADAPTER.test(input)))
      .map((b) => b.budget.name);
    expect(withAdapter.sort()).toEqual(['indexer', 'search']);
    const withClient = bundles.filter((b) =>
      [...b.startup, ...b.lazy].some(([input]) => OPENSEARCH.test(input)),
    );
    expect(withClient.map((b) => b.budget.name)).toEqual([]);
    const withJose = bundles.filter((b) =>
      [...b.startup, ...b.lazy].some(([input]) => TOKEN_LIBRARY.test(input)),
    );
    expect(withJose.map((b) => b.budget.name)).toEqual([]);
  });

  it('load the OpenAPI document generators only when the document is asked for (spaces)', () => {
    const atStart = bundles.filter((b) => b.startup.some(([input]) => OPENAPI_GENERATORS.test(input)));
    expect(atStart.map((b) => b.budget.name)).toEqual([]);
    expect(bundleNamed('spaces').lazy.some(([input]) => OPENAPI_GENERATORS.test(input))).toBe(true);
  });

  it('build no route at start: an API module loads its route groups, their schemas and zod on first use', () => {
    const api = bundles.filter((b) => b.logicalId.startsWith('Api'));
    expect(api.map((b) => b.budget.name).sort()).toEqual(
      BUDGETS.filter((b) => b.prefix.startsWith('Api'))
        .map((b) => b.name)
        .sort(),
    );
    const atStart = api.flatMap((b) =>
      b.startup
        .filter(([input]) => ROUTE_BUILDING.test(input))
        .map(([input]) => `${b.budget.name}: ${input}`),
    );
    expect(atStart).toEqual([]);
    // They are in the bundle, behind import(): the shared schemas, zod, each module's own groups.
    for (const b of api)
      expect({
        bundle: b.budget.name,
        lazy: ['functions/api/schemas/common.ts', 'node_modules/zod/', 'functions/api/routes/'].filter(
          (marker) => !b.lazy.some(([input]) => input.includes(marker)),
        ),
      }).toEqual({ bundle: b.budget.name, lazy: [] });
  });

  it('stay within their size budgets', () => {
    const over = bundles
      .filter((b) => b.bytes - b.sdkBytes > b.budget.bytes || b.sdkBytes > SDK_CAP)
      .map(
        (b) =>
          `${b.logicalId} (${b.budget.name}) loads ${((b.bytes - b.sdkBytes) / KiB).toFixed(1)} KiB without the SDK at start (budget ${(b.budget.bytes / KiB).toFixed(1)} KiB), SDK ${(b.sdkBytes / KiB).toFixed(1)} KiB (cap ${SDK_CAP / KiB} KiB)`,
      );
    expect(over).toEqual([]);
  });

  it('load their start code as a few ES module files (index.mjs and one chunk), not one per set of importers', () => {
    const loaded = Object.fromEntries(bundles.map((b) => [b.budget.name, b.files]));
    expect(loaded).toEqual(
      Object.fromEntries(BUDGETS.map((b) => [b.name, START_FILES_OF[b.name] ?? START_FILES])),
    );
  });

  it("leave out the SDK's default credential chain, which cannot apply inside Lambda", () => {
    const carried = bundles.flatMap((b) =>
      [...b.startup, ...b.lazy]
        .filter(([input]) => DEFAULT_CHAIN_MODULE.test(input))
        .map(([input]) => `${b.logicalId}: ${input}`),
    );
    expect(carried).toEqual([]);
    // The replacement is there: each module reads the execution role's credentials from the environment.
    for (const name of ['spaces', 'posts', 'search', 'indexer', 'bookmark-metadata'])
      expect(
        bundleNamed(name).startup.some(([input]) =>
          input.endsWith('functions/platform/lambda-credentials.ts'),
        ),
      ).toBe(true);
  });

  it('load in node and export a handler, every one (no start chunk awaits an import() of its own)', async () => {
    // All in one process, one after another; a start chunk awaiting an import() of a lazy chunk that
    // imports it back would never settle, and node would exit with the import unfinished.
    const script = `const loaded = {};
      for (const [name, file] of Object.entries(JSON.parse(process.env.BUNDLES)))
        loaded[name] = typeof (await import(file)).handler;
      process.stdout.write('\\nLOADED ' + JSON.stringify(loaded));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        BUNDLES: JSON.stringify(
          Object.fromEntries(bundles.map((b) => [b.budget.name, join(b.dir, 'index.mjs')])),
        ),
        // What the functions read at load (lib/ sets them in AWS); no network is touched.
        TABLE_NAME: 'commonplace',
        AWS_REGION: 'eu-west-1',
        FANOUT_PAGES_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-pages',
        BOOKMARK_IMPORT_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/bookmark-imports',
        FILES_BUCKET: 'commonplace-files',
        FILES_DOWNLOAD_DOMAIN: 'files.example.net',
        SEARCH_ENDPOINT: 'https://search.invalid',
        EMPLOYEE_IDENTITY_PROVIDERS: '',
        LOG_LEVEL: 'ERROR',
      },
      timeout: 60_000,
    });
    const loaded = JSON.parse(stdout.slice(stdout.lastIndexOf('\nLOADED ') + '\nLOADED '.length));
    expect(loaded).toEqual(Object.fromEntries(bundles.map((b) => [b.budget.name, 'function'])));
  }, 90_000);

  it('are ES modules with source maps beside them', () => {
    for (const bundle of bundles) {
      const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');
      expect({
        bundle: bundle.logicalId,
        createRequireBanner: code.startsWith("import{createRequire as __cjsRequire}from'node:module'"),
        // Linked, so that --enable-source-maps finds it when an operator turns it on.
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
      const files = readdirSync(bundle.dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.mjs'),
      );
      const code = files.map((file) => readFileSync(join(bundle.dir, file), 'utf8')).join('\n');
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
 * The deployed artifacts themselves, not their sources: a module's synthesized bundle (minified, in
 * chunks, credential chain substituted) is imported in a fresh `node` and given API Gateway HTTP API
 * events carrying the claims the JWT authorizer passes on (array claims flattened, as API Gateway does).
 * Its DynamoDB client talks to the local runtime's table with credentials from environment variables,
 * as in Lambda.
 */
describe('the synthesized module bundles', () => {
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

  /** The claims of a local token as API Gateway's JWT authorizer hands them over: lists as `[a b]`. */
  async function authorizerClaims(account: string) {
    const claims = decodeJwt(await runtime.tokenFor(account));
    return Object.fromEntries(
      Object.entries(claims).map(([name, value]) => [
        name,
        Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'number' ? String(value) : value,
      ]),
    );
  }

  const event = (method: string, rawPath: string, claims?: Record<string, unknown>, body?: unknown) => ({
    version: '2.0',
    routeKey: `ANY ${rawPath}`,
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'api.example.com',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      domainName: 'api.example.com',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `request-${rawPath}`,
      routeKey: `ANY ${rawPath}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  });

  /**
   * Runs the events one after another through a bundle's handler in a new process; `logs` is what it
   * wrote besides the results. Credentials come from environment variables, or (`profileOnly`) only
   * from a ~/.aws/credentials profile, which the SDK's default chain would read and Lambda never has.
   */
  async function invokeBundle(
    name: string,
    events: unknown[],
    credentials: 'environment' | 'profileOnly' = 'environment',
  ): Promise<{ results: LambdaResult[]; logs: string }> {
    const script = `const { handler } = await import(${JSON.stringify(join(bundleNamed(name).dir, 'index.mjs'))});
      const results = [];
      for (const event of JSON.parse(process.env.EVENTS)) results.push(await handler(event, {}));
      process.stdout.write('\\nRESULTS ' + JSON.stringify(results));`;
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
            SEARCH_ENDPOINT: 'https://search.invalid',
            FILES_BUCKET: 'commonplace-files-test',
            FILES_DOWNLOAD_DOMAIN: 'downloads.example.net',
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

  it('spaces: answers health, refuses a request without verified claims, validates, writes, serves the document', async () => {
    const alice = await authorizerClaims('alice');
    const { results } = await invokeBundle('spaces', [
      event('GET', '/api/health'),
      event('GET', '/api/spaces'),
      event('POST', '/api/spaces', alice, { name: 'Bundled', colour: 'red' }),
      event('POST', '/api/spaces', alice, { id: 'from-the-bundle', name: 'Made by the Lambda bundle' }),
      event('GET', '/api/openapi.json'),
    ]);
    const [health, anonymous, invalid, created, document] = results;
    // The bundle's zod-to-openapi (its generators loaded on first use) writes the very document that
    // the library, unbundled, writes from the same route definitions.
    expect(document.statusCode).toBe(200);
    expect(JSON.parse(document.body)).toEqual(JSON.parse(JSON.stringify(await openApiDocument())));
    expect(health.statusCode).toBe(200);
    expect(anonymous.statusCode).toBe(401);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect(created.statusCode).toBe(201);
    // Read back through the local API: the bundle wrote to the same table.
    const read = await runtime.api('alice', 'GET', '/spaces/from-the-bundle');
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Made by the Lambda bundle');
  }, 90_000);

  it('attachments: answers an upload request with an S3 presigned POST and lists files with links on the download domain', async () => {
    const bob = await authorizerClaims('bob');
    const alice = await authorizerClaims('alice');
    await runtime.api('bob', 'POST', '/spaces', { id: 'bundle-files', name: 'Bundle files' });
    await runtime.api('bob', 'PUT', '/spaces/bundle-files/members/alice', { role: 'editor' });
    const page = await runtime.api('alice', 'POST', '/spaces/bundle-files/pages', {
      title: 'Files',
      body: 'x',
    });
    const { results } = await invokeBundle('attachments', [
      event('POST', `/api/spaces/bundle-files/pages/${page.body.id}/attachments/uploads`, alice, {
        name: 'a.png',
        size: 123,
        contentType: 'image/png',
      }),
      event('POST', `/api/spaces/bundle-files/pages/${page.body.id}/attachments/uploads`, alice, {
        name: 'a.html',
        size: 123,
        contentType: 'text/html',
      }),
      event('GET', `/api/spaces/bundle-files/pages/${page.body.id}/attachments`, bob),
    ]);
    const [granted, refused, listed] = results;
    expect(granted.statusCode).toBe(201);
    const grant = JSON.parse(granted.body);
    expect(grant.upload.url).toBe('https://commonplace-files-test.s3.eu-west-1.amazonaws.com/');
    expect(grant.upload.fields).toMatchObject({
      key: expect.stringMatching(/^uploads\/bundle-files\//),
      'Content-Type': 'image/png',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Security-Token': 'local',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(
      JSON.parse(Buffer.from(grant.upload.fields.Policy, 'base64').toString()).conditions,
    ).toContainEqual(['content-length-range', 123, 123]);
    expect(refused.statusCode).toBe(400);
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body)).toEqual({ items: [] });
  }, 90_000);

  it('posts: a write loads the renderer chunk and stores sanitized HTML; another module is not routed here', async () => {
    const alice = await authorizerClaims('alice');
    const { results } = await invokeBundle('posts', [
      event('POST', '/api/spaces/from-the-bundle/posts', alice, {
        title: 'From the posts bundle',
        body: 'Hello **world** <script>alert(1)</script>',
      }),
      event('GET', '/api/spaces/from-the-bundle/members', alice),
    ]);
    const [created, elsewhere] = results;
    expect(created.statusCode).toBe(201);
    const post = JSON.parse(created.body) as { id: string; html: string };
    expect(post.html).toContain('<strong>world</strong>');
    expect(post.html).not.toContain('<script');
    expect(elsewhere.statusCode).toBe(404);
    const read = await runtime.api('alice', 'GET', `/spaces/from-the-bundle/posts/${post.id}`);
    expect(read.status).toBe(200);
  }, 90_000);

  it('takes AWS credentials from the environment only, as the Lambda runtime provides them', async () => {
    const { results, logs } = await invokeBundle(
      'spaces',
      [event('GET', '/api/spaces/from-the-bundle', await authorizerClaims('alice'))],
      'profileOnly',
    );
    expect(results[0].statusCode).toBe(500);
    expect(logs).toContain('neither AWS_ACCESS_KEY_ID');
  }, 90_000);
});
