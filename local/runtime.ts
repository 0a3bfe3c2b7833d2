/**
 * The whole of Commonplace in one Node process, over stand-ins for AWS (see DESIGN.md, "The local
 * runtime"): dynalite behind the local DynamoDB front (transactions, TTL, stream), the local stream's
 * event source mappings calling the same handler functions Lambda calls, the local OpenID Connect
 * provider, and the same hono app the api Lambda runs. The difference from AWS lives only here, in
 * which adapters are wired.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { CreateTableCommand, DescribeTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../functions/api/app';
import { createTokenVerifier } from '../functions/api/auth';
import type { ApiDependencies } from '../functions/api/dependencies';
import { bearerTokenAuthenticator } from '../functions/api/middleware/authenticate';
import { PROBLEM_BASE } from '../functions/api/problem';
import { LocalBlobStore } from '../functions/blobs/local-blob-store';
import { CoalescingTable } from '../functions/data/coalescing-table';
import { keys } from '../functions/data/keys';
import { type createDocumentClient, Table } from '../functions/data/table';
import { createTableInput, TABLE_DEFINITION } from '../functions/data/table-definition';
import {
  type AttachmentLimits,
  attachmentLimitsFrom,
  UPLOAD_LIFETIME_SECONDS,
} from '../functions/domain/attachments/attachment';
import { createImportWorker, type ImportJobMessage } from '../functions/domain/bookmarks/import-job';
import type { MetadataFetcher } from '../functions/domain/bookmarks/metadata-fetcher';
import { type DigestOutcome, runDigests } from '../functions/domain/mail/digest-job';
import { createMailDelivery } from '../functions/domain/mail/mail-delivery';
import type { MailSettings } from '../functions/domain/mail/mail-port';
import type { SamlMetadataCheck } from '../functions/domain/orgs/identity-provider-registry';
import { backfillDirectory, directoryBackfilled } from '../functions/domain/people/directory-backfill';
import type { ReindexProgress } from '../functions/domain/search/reindex';
import { createCoreServices } from '../functions/domain/services';
import { backfillPageTree, pageTreeBackfilled } from '../functions/domain/wiki/page-tree-backfill';
import { OutboxMailer } from '../functions/mail/outbox-mailer';
import { localUnsubscribeKey } from '../functions/mail/unsubscribe-keys';
import { systemClock, ulidGenerator } from '../functions/platform/clock';
import { metadataFetcherFromEnvironment } from '../functions/safe-fetch/page-metadata-fetcher';
import { SafeFetcher, safeFetcherOptionsFromEnvironment } from '../functions/safe-fetch/safe-fetcher';
import { samlMetadataCheck } from '../functions/safe-fetch/saml-metadata-check';
import { createScimApp, SCIM_BASE } from '../functions/scim/app';
import { localScimToken } from '../functions/scim/scim-token';
import { FastSearchIndex } from '../functions/search/embedded/fast-index';
import { createAttachmentCleanup } from '../functions/streams/attachment-cleanup';
import { createBookmarkMetadata } from '../functions/streams/bookmark-metadata';
import { createFanout, type FanoutPage } from '../functions/streams/fanout';
import { rebuildFeed } from '../functions/streams/feed-rebuild';
import { createIndexer } from '../functions/streams/indexer';
import { recordHasItemType } from '../functions/streams/item-type-filter';
import { createQueueHandler } from '../functions/streams/queue-consumer';
import { createStreamHandler } from '../functions/streams/stream-consumer';
import { type BlobServer, startBlobServer } from './blobs/blob-server';
import { compressResponse } from './compression';
import { DataFolder } from './data-folder';
import { InProcessDynalite } from './dynamodb/backend';
import { DynamoDbFront } from './dynamodb/dynamodb-front';
import { EventSourceMapping, type EventSourceMappingOptions } from './dynamodb/event-source-mapping';
import { FailureDestination } from './dynamodb/failure-destination';
import type { AttributeMap } from './dynamodb/wire';
import { createBroker, LOCAL_CLIENT_ID } from './identity/broker';
import { LOCAL_IDP_CLIENT, PARTNER_IDPS } from './identity/demo-accounts';
import { registerDemoOrganisations } from './identity/demo-organisations';
import { loadOrCreateSigningKey } from './identity/oidc-common';
import { createPartnerIdentityProvider, type PartnerIdentityProvider } from './identity/partner-idp';
import { fetchToken } from './identity/token-client';
import { createEventSocket, EVENT_SOCKET_PATH, NotificationHub } from './live/event-socket';
import { serveOutbox } from './outbox-page';
import { encodeBackup } from './portability/backup-file';
import { LocalQueue } from './queue/local-queue';
import { rebuildSearchIndex } from './search-rebuild';
import { loadSnapshot, saveSnapshot, snapshotPath } from './search-snapshot';
import { demoDataLoaded } from './seed';
import { holdServerLock } from './server-lock';
import { serveStatic } from './static-files';
import { SwappableSearchIndex } from './swappable-index';

export interface LocalRuntimeOptions {
  /** HTTP port; 0 picks a free one. Default: PORT or 3000. */
  port?: number;
  /** Where the table, stream log, checkpoints and signing keys live. Default: DATA_DIR or ./.data */
  dataDir?: string;
  /** Keep the table in memory (tests). The signing key still goes to dataDir. */
  inMemory?: boolean;
  tableName?: string;
  ttlSweepMs?: number;
  /**
   * What fills in bookmark metadata. Default: the safe fetcher as the Lambda has it (allow-list from
   * SAFE_FETCH_ALLOWED_PORTS / SAFE_FETCH_ALLOWED_HOSTS), reaching the internet from this machine.
   */
  metadataFetcher?: MetadataFetcher;
  /**
   * What checks an admin's SAML metadata URL. Default: the safe fetcher with the environment's
   * allow-list, as in AWS (a private or unreachable URL is refused).
   */
  samlMetadataCheck?: SamlMetadataCheck;
  /** How often the e-mail digest job runs (0: never on its own; tests call runDigests). Default 5 min. */
  digestIntervalMs?: number;
  /** The HTTP server's limits (SERVER_TIMEOUTS by default); tests shorten them. */
  timeouts?: Partial<typeof SERVER_TIMEOUTS>;
  /**
   * Attachment limits (tests shorten the link lifetimes). Default: ATTACHMENT_MAX_BYTES /
   * ATTACHMENT_SPACE_QUOTA_BYTES from the environment, else 25 MiB a file and 10 GiB a space.
   */
  attachmentLimits?: Partial<AttachmentLimits>;
  /** Port of the blob server (the files' own origin). Default: FILES_PORT, else any free port. */
  filesPort?: number;
  /** People per queued page of a space shared with an organisation (tests make it small). Default PAGE_SIZE. */
  sharePageSize?: number;
  /** The bookmark import worker's budget per message and chunk size (tests make jobs hop messages). */
  bookmarkImport?: { budgetMs?: number; chunkLinks?: number };
}

/**
 * The local server's limits: the whole header block within 10 s, the whole request (headers and body)
 * within 60 s, an idle kept-alive connection closed after 5 s. A live-update stream is a response, not
 * a request, so it is not cut by these.
 */
export const SERVER_TIMEOUTS = { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 5_000 };

/** How the embedded search index came up: loaded from its snapshot, or rebuilt from the table. */
export type SearchStart =
  | { mode: 'snapshot'; documents: number; catchUp: number; ms: number }
  | { mode: 'rebuild'; reason: string; documents: number; ms: number };

export interface LocalRuntime {
  url: string;
  issuer: string;
  tableName: string;
  dynamodbEndpoint: string;
  table: Table;
  front: DynamoDbFront;
  /** dynalite in this process, behind the front: its calls counted whoever made them (a rebuild scans it directly). */
  dynalite: InProcessDynalite;
  failures: FailureDestination;
  search: FastSearchIndex;
  searchStart: SearchStart;
  /** Milliseconds each step of the start took, in order (printed by `npm start` with STARTUP_TIMINGS=1). */
  startupPhases: [string, number][];
  /** Saves the search index snapshot now (it is also saved every few minutes and on close). */
  saveSearchSnapshot(): void;
  /** Rebuilds the embedded index from the table into a fresh index, then swaps it in. */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<number>;
  consumers: Map<string, EventSourceMapping>;
  /** The local stand-ins for SQS queues and their consumers: `fanout-pages`, `bookmark-imports`. */
  queues: Map<string, LocalQueue>;
  /** Live notifications: the hub behind the AppSync Events WebSocket endpoint at /event/realtime. */
  live: NotificationHub;
  /** The fan-out's own Tables (stream consumer, page writer): their round trips (bench/notifications). */
  fanoutTables: { stream: Table; pages: Table };
  addConsumer(options: Omit<EventSourceMappingOptions, 'checkpointDirectory'>): EventSourceMapping;
  /** Re-runs a failed batch through its consumer; true when it now succeeds (and is removed). */
  replayFailure(id: string): Promise<boolean>;
  /** A backup of the whole table taken with writes paused (local/portability/backup-file.ts), gzipped. */
  backup(): Promise<Buffer>;
  /** Replays every failed batch, oldest first; those that succeed are removed (a second run finds none). */
  replayAllFailures(): Promise<{ replayed: number; stillFailing: number }>;
  /** Waits until every consumer has handled every record written so far, and every queue is empty. */
  drain(): Promise<void>;
  token(account: string): Promise<string>;
  /** The mail outbox: what would have been e-mailed, newest first at /dev/outbox. */
  outbox: OutboxMailer;
  /** Runs the e-mail digest job as if the time were `now` (default: the real time). */
  runDigests(now?: Date): Promise<DigestOutcome[]>;
  /**
   * The data folder on disk (absent in memory): whether this start found it never used, and whether
   * the demo data was loaded into it — seeding happens only into a fresh folder (main.ts).
   */
  dataFolder?: { fresh: boolean; seeded: boolean; markSeeded(): void };
  /** Attachment and photo bytes under `<data folder>/blobs`, and the origin that serves them. */
  blobs: LocalBlobStore;
  filesOrigin: string;
  close(): Promise<void>;
}

/** How often a changed search index is saved (and always on close). */
const SNAPSHOT_EVERY_MS = 5 * 60_000;
/** How often the data folder's high-water mark follows the stream (and always on close). */
const HIGH_WATER_EVERY_MS = 5_000;

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dataDir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? '.data');
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? 'commonplace';
  fs.mkdirSync(dataDir, { recursive: true });
  // What a refused start has opened so far, closed again before the refusal is thrown.
  const opened: (() => Promise<void> | void)[] = [];
  try {
    return await start(options, dataDir, tableName, opened);
  } catch (error) {
    for (const close of opened.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}

async function start(
  options: LocalRuntimeOptions,
  dataDir: string,
  tableName: string,
  opened: (() => Promise<void> | void)[],
): Promise<LocalRuntime> {
  const phases: [string, number][] = [];
  let phaseClock = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases.push([name, now - phaseClock]);
    phaseClock = now;
  };
  // 0. The folder: no other live server on it, and (on disk) data that is what its manifest says —
  // checked before LevelDB opens it, since LevelDB would quietly start afresh over a damaged folder.
  const serverLock = holdServerLock(dataDir);
  opened.push(() => serverLock.release());
  const folder = options.inMemory ? undefined : new DataFolder(dataDir);
  await folder?.checkLevelDb();

  // 1. dynalite, and the front that adds transactions, TTL and the stream.
  const dynamoDir = path.join(dataDir, 'dynamodb');
  const stateDir = options.inMemory ? undefined : path.join(dataDir, 'stream');
  // dynalite in this process: the front calls its actions as functions (no HTTP hop, no JSON text),
  // and so do the data folder's checks below.
  const backend = new InProcessDynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.inMemory ? {} : { path: dynamoDir }),
  });
  opened.push(() => backend.close());
  await folder?.verify(backend, tableName);
  const front = new DynamoDbFront({
    backend,
    stateDirectory: stateDir,
    ttlSweepMs: options.ttlSweepMs,
    // A sweep scans the table: not while a cold start's rebuild scans it too (started when ready, below).
    deferTtlSweep: true,
  });
  const dynamodbEndpoint = (await front.listen()).toString();
  opened.push(() => front.close());
  // Requests go to the front in this process (no socket); the endpoint stays for other clients.
  const client = front.documentClient({ maxAttempts: 2 });
  await ensureTable(client, tableName);
  const table = new Table(client, tableName);
  await folder?.open(backend, tableName, () => demoDataLoaded(table));
  // A transaction a crash cut between its writes is completed or rolled back before anything reads.
  const settled = await front.recoverTransactions();
  if (settled.completed || settled.rolledBack)
    console.warn(
      `Transactions interrupted by a crash: ${settled.completed} completed, ${settled.rolledBack} rolled back`,
    );
  phase('data folder, dynalite, front, table checks');
  // Data written before the wiki's tree nodes gets them once (one GetItem on every later start).
  const operator = new Table(client, tableName);
  if (!(await pageTreeBackfilled(operator))) {
    const outcome = await backfillPageTree(client, operator);
    if (outcome.written || outcome.removed)
      console.log(`Page tree: built ${outcome.written} tree nodes for ${outcome.pages} wiki pages (once)`);
  }
  // Profiles written before the people directory get its entries once (one GetItem on later starts).
  if (!(await directoryBackfilled(operator))) await backfillDirectory(client, operator);
  // The sign-in keys are read (or made) now, though the broker and the partners' IdPs are built after
  // "ready": a damaged key file refuses the start in one line, like every other state file.
  loadOrCreateSigningKey(path.join(dataDir, 'identity'));
  for (const partner of PARTNER_IDPS)
    loadOrCreateSigningKey(path.join(dataDir, 'identity'), `idp-${partner.provider}-key.json`);

  phase('backfills (a scan on the first start only), signing keys');
  // 2. The stream, its failure destination and its consumers (event source mappings).
  const stream = front.stream(tableName);
  // The high-water mark: every few seconds while changes come in, and on close.
  const markHighWater = () => folder?.markHighWater(backend, stream.latestSequenceNumber);
  const highWaterTimer = setInterval(() => {
    Promise.resolve(markHighWater()).catch((error) =>
      console.warn(`Data folder: could not record the high-water mark (${(error as Error).message})`),
    );
  }, HIGH_WATER_EVERY_MS);
  highWaterTimer.unref();
  opened.push(() => clearInterval(highWaterTimer));
  const failures = new FailureDestination(stateDir);
  const consumers = new Map<string, EventSourceMapping>();
  const addConsumer = (
    consumer: Omit<EventSourceMappingOptions, 'checkpointDirectory'>,
    startAfter?: string,
  ) => {
    const mapping = new EventSourceMapping(stream, failures, { ...consumer, checkpointDirectory: stateDir });
    if (startAfter !== undefined) mapping.skipTo(startAfter);
    consumers.set(consumer.name, mapping);
    mapping.start();
    opened.push(() => mapping.stop());
    return mapping;
  };

  // 3. Search: the embedded engine is loaded from its snapshot (saved beside the indexer's checkpoint)
  // and the indexer catches up from the stream after the sequence number the snapshot is complete up
  // to. Without a usable snapshot — none yet, damaged, another format, or the stream no longer holds
  // every change since — it is rebuilt from a table scan as the Lambda's reindex does, and saved.
  const searchClock = performance.now();
  const snapshotFile = stateDir ? snapshotPath(stateDir, tableName) : undefined;
  const snapshot = snapshotFile ? loadSnapshot(snapshotFile) : ({ status: 'missing' } as const);
  let initial: FastSearchIndex;
  let indexedUpTo: string;
  let searchStart: SearchStart;
  if (snapshot.status === 'loaded' && stream.holdsEverythingAfter(snapshot.sequence)) {
    initial = snapshot.index;
    indexedUpTo = snapshot.sequence;
    searchStart = {
      mode: 'snapshot',
      documents: snapshot.documents,
      catchUp: stream.countAfter(snapshot.sequence),
      ms: performance.now() - searchClock,
    };
  } else {
    const reason =
      snapshot.status === 'missing'
        ? 'no snapshot yet'
        : snapshot.status === 'unusable'
          ? `the snapshot ${snapshot.reason}`
          : 'the stream no longer holds every change since the snapshot';
    if (snapshot.status !== 'missing')
      console.warn(`Search index: ${reason}; rebuilding it from the table (nothing is lost).`);
    indexedUpTo = stream.latestSequenceNumber;
    initial = new FastSearchIndex();
    const documents = await rebuildSearchIndex(backend, tableName, initial);
    if (snapshotFile) {
      saveSnapshot(snapshotFile, initial, indexedUpTo);
      // Served from the file just written, as a warm start is: the built index holds every document
      // as an object (about 1 GiB at 100k items), the loaded one their bytes (about 300 MiB).
      const saved = loadSnapshot(snapshotFile);
      if (saved.status === 'loaded') initial = saved.index;
    }
    searchStart = { mode: 'rebuild', reason, documents, ms: performance.now() - searchClock };
  }
  phase('search index');
  const liveIndex = new SwappableSearchIndex(initial);
  // The consumers read through their own Tables, which send the reads of a batch's records together
  // (coalescing-table.ts), and are not counted as the API's round trips.
  const indexer = createIndexer({ table: new CoalescingTable(client, tableName), index: liveIndex });
  const indexChanges = createStreamHandler(indexer);
  addConsumer(
    {
      name: indexer.name,
      itemTypes: indexer.itemTypes,
      handler: indexChanges,
      batchSize: 100,
      retryAttempts: 3,
      retryDelayMs: 200,
    },
    indexedUpTo,
  );
  // The snapshot is complete up to the indexer's checkpoint (a batch half applied when it is taken is
  // applied again after a restart; the indexer re-reads current state, so replays converge).
  let savedUpTo = indexedUpTo;
  const saveSearchSnapshot = (force = false) => {
    const upTo = consumers.get(indexer.name)?.state.checkpoint;
    if (!snapshotFile || upTo === undefined || (upTo === savedUpTo && !force)) return;
    try {
      saveSnapshot(snapshotFile, liveIndex.current, upTo);
      savedUpTo = upTo;
    } catch (error) {
      console.warn(`Search index: could not save its snapshot (${(error as Error).message})`);
    }
  };
  const snapshotTimer = setInterval(() => saveSearchSnapshot(), SNAPSHOT_EVERY_MS);
  snapshotTimer.unref();
  opened.push(() => clearInterval(snapshotTimer));
  // Notifications: the fan-out follows the stream from its checkpoint (from the start of the retained
  // log the first time, like TRIM_HORIZON in AWS); its writes are idempotent, so a replay adds nothing.
  // Its own Table, as its own Lambda has in AWS: its requests are not counted as the API's round trips.
  // E-mail: the same delivery code as in AWS over the local outbox (files under the data folder). The
  // public URL is known once the server listens, so the settings object is filled in below.
  const outbox = new OutboxMailer(dataDir);
  const mail: MailSettings = { mailer: outbox, publicUrl: '', unsubscribeKey: localUnsubscribeKey(dataDir) };
  // A large audience is paged through the local queue (SQS in AWS), whose consumer writes each page with
  // its own Table too, as its own Lambda does; both e-mail their inbox items through the same mail hook
  // and tell the live hub of each inbox item written.
  const live = new NotificationHub();
  const queues = new Map<string, LocalQueue>();
  const fanoutTables = {
    stream: new CoalescingTable(client, tableName),
    pages: new CoalescingTable(client, tableName),
  };
  const pageWriter = createFanout({
    table: fanoutTables.pages,
    mail: createMailDelivery(fanoutTables.pages, mail),
    live,
    sharePageSize: options.sharePageSize,
  });
  const fanoutPages = new LocalQueue<FanoutPage>({
    name: 'fanout-pages',
    handler: createQueueHandler<FanoutPage>({
      name: 'fanout-pages',
      handleMessage: (page) => pageWriter.deliverPage(page),
    }),
    batchSize: 10,
    concurrency: 4,
    maxReceiveCount: 3,
    retryDelayMs: 200,
    directory: stateDir,
  });
  queues.set(fanoutPages.name, fanoutPages as LocalQueue);
  fanoutPages.start();
  opened.push(() => fanoutPages.stop());
  const fanout = createFanout({
    table: fanoutTables.stream,
    mail: createMailDelivery(fanoutTables.stream, mail),
    pages: fanoutPages,
    live,
    sharePageSize: options.sharePageSize,
  });
  addConsumer({
    name: fanout.name,
    itemTypes: fanout.itemTypes,
    handler: createStreamHandler(fanout),
    batchSize: 100,
    retryAttempts: 3,
    retryDelayMs: 200,
  });

  // Bookmark metadata: the same consumer and the same safe fetcher as in AWS (no loopback, no private
  // network, no metadata address from here either). Small batches: each record may wait on a remote site.
  const bookmarkMetadata = createBookmarkMetadata({
    table: new Table(client, tableName),
    fetcher: options.metadataFetcher ?? metadataFetcherFromEnvironment(),
    clock: systemClock,
  });
  addConsumer({
    name: bookmarkMetadata.name,
    itemTypes: bookmarkMetadata.itemTypes,
    handler: createStreamHandler(bookmarkMetadata),
    batchSize: 10,
    retryAttempts: 3,
    retryDelayMs: 200,
  });

  // Attachments: bytes under the data folder, served by a blob server on an origin of its own (as the
  // download distribution is in AWS); the cleanup consumer deletes bytes when their records go, and an
  // hourly sweep removes uploads older than a day (the S3 lifecycle rule's local stand-in; dynalite has
  // no TTL, the front's sweep expires the upload records).
  const blobs = new LocalBlobStore(path.join(dataDir, 'blobs'));
  const attachmentLimits: AttachmentLimits = {
    ...attachmentLimitsFrom(process.env),
    ...options.attachmentLimits,
  };
  const attachmentCleanup = createAttachmentCleanup({ table: new Table(client, tableName), blobs });
  addConsumer({
    name: attachmentCleanup.name,
    itemTypes: attachmentCleanup.itemTypes,
    handler: createStreamHandler(attachmentCleanup),
    batchSize: 100,
    retryAttempts: 3,
    retryDelayMs: 200,
  });
  const sweepUploads = () => {
    try {
      blobs.sweepUploads(UPLOAD_LIFETIME_SECONDS * 1000);
    } catch (error) {
      console.warn(`Blob store: the upload sweep failed (${(error as Error).message})`);
    }
  };
  sweepUploads();
  // Bookmark imports: jobs on the local queue (SQS in AWS), run by the same worker as the Lambda's, with
  // its own Table. One message at a time per batch: each may write for up to its budget.
  const importWorker = createImportWorker({
    table: new Table(client, tableName),
    clock: systemClock,
    blobs,
    queue: { send: (messages) => bookmarkImports.send(messages) },
    ...options.bookmarkImport,
  });
  const bookmarkImports = new LocalQueue<ImportJobMessage>({
    name: 'bookmark-imports',
    handler: createQueueHandler<ImportJobMessage>(importWorker),
    batchSize: 1,
    concurrency: 2,
    maxReceiveCount: 5,
    retryDelayMs: 200,
    directory: stateDir,
  });
  queues.set(bookmarkImports.name, bookmarkImports as LocalQueue);
  bookmarkImports.start();
  opened.push(() => bookmarkImports.stop());
  const uploadSweepTimer = setInterval(sweepUploads, 60 * 60_000);
  uploadSweepTimer.unref();
  opened.push(() => clearInterval(uploadSweepTimer));

  phase('stream consumers, queues, blob store');
  // 4. One HTTP server: /oidc → identity provider, /api → the hono app, the rest → the web client.
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503).end('starting');
  };
  // WebSocket upgrades: the live endpoint once it exists (below); anything else is refused.
  let upgrade = (_req: http.IncomingMessage, socket: Duplex, _head: Buffer) => void socket.destroy();
  // Its own limits, as CloudFront and API Gateway have theirs: a client that drips its headers or body
  // is answered 408 and closed (checked every second), instead of holding a connection for ever.
  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    (req, res) => handler(req, res),
  );
  server.on('upgrade', (req, socket, head) => upgrade(req, socket, head));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) =>
    refuseMalformedRequest(error, socket, timeouts),
  );
  const requestedPort = options.port ?? Number(process.env.PORT ?? 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', resolve);
  });
  opened.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  serverLock.setUrl(url);
  const issuer = `${url}/oidc`;
  mail.publicUrl = url;
  const blobServer: BlobServer = await startBlobServer({
    store: blobs,
    appOrigin: () => url,
    maxBytes: () => Math.max(attachmentLimits.maxBytes, attachmentLimits.photoMaxBytes),
    port: options.filesPort ?? (process.env.FILES_PORT ? Number(process.env.FILES_PORT) : 0),
  });
  opened.push(() => blobServer.close());
  phase('HTTP and blob servers listening');
  // The broker (Cognito's part) at /oidc, and each demo partner organisation's own IdP at /idp/<name>:
  // built from here on while the server already answers, not before "ready" — oidc-provider is the
  // largest module a start loads (~0.3 s quiet) and only sign-in needs it. A request for /oidc or /idp
  // waits for them (a first sign-in a moment slower, never a wrong answer); the API verifies tokens
  // with the broker's keys, fetched from /oidc/jwks, so it waits the same way.
  const identity = (async () => {
    const broker = await createBroker({
      issuer,
      dataDir,
      redirectUris: [`${url}/auth/callback`, `http://127.0.0.1:${port}/auth/callback`, `${url}/`],
      table: new Table(client, tableName),
      localOrigin: url,
    });
    const partners = new Map<string, PartnerIdentityProvider>();
    for (const partner of PARTNER_IDPS) {
      partners.set(
        partner.provider,
        await createPartnerIdentityProvider({
          provider: partner.provider,
          name: partner.name,
          issuer: `${url}/idp/${partner.provider}`,
          dataDir,
          users: partner.users,
          client: { ...LOCAL_IDP_CLIENT, redirectUris: [`${issuer}/oauth2/idpresponse`] },
        }),
      );
    }
    return { broker, partners };
  })();
  // Said once; each request for them then answers 500 with the reason.
  identity.catch((error) =>
    console.error(`Sign-in: the identity provider could not start (${error.message})`),
  );
  const withIdentity = (serve: (found: Awaited<typeof identity>) => void) => (res: http.ServerResponse) =>
    identity.then(serve, (error: Error) => {
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`identity provider failed: ${error.message}`);
    });
  opened.push(() =>
    identity.then(
      () => undefined,
      () => undefined,
    ),
  );
  const deps: ApiDependencies = {
    table,
    clock: systemClock,
    ids: ulidGenerator,
    authenticator: bearerTokenAuthenticator(
      createTokenVerifier({ issuer, audience: LOCAL_CLIENT_ID, jwksUrl: `${issuer}/jwks` }),
    ),
    search: liveIndex,
    unsubscribeKey: mail.unsubscribeKey,
    blobs,
    attachmentLimits,
    bookmarkImportQueue: bookmarkImports,
    // Partner identity providers: the table is the registry locally (the local broker reads it).
    samlMetadataCheck:
      options.samlMetadataCheck ?? samlMetadataCheck(new SafeFetcher(safeFetcherOptionsFromEnvironment())),
    health: () => streamHealth(consumers, failures),
  };
  const app = createApp(deps);
  // SCIM for a provisioning client: its own app and bearer token (the data folder's scim/token).
  const scim = getRequestListener(
    createScimApp({ table, clock: systemClock, ids: ulidGenerator, token: localScimToken(dataDir) }).fetch,
  );
  // The live endpoint (AppSync Events' protocol) verifies like any API request: a partner's
  // organisation and end dates are checked too (a socket already open runs until its token expires).
  const { partnerAccess } = createCoreServices(deps);
  const eventSocket = createEventSocket({
    hub: live,
    authenticator: async (credentials) => {
      const principal = await deps.authenticator(credentials);
      if (principal.org) await partnerAccess.check({ ...principal, org: principal.org });
      return principal;
    },
  });
  opened.push(() => eventSocket.close());
  upgrade = (req, socket, head) => {
    if ((req.url ?? '/').split('?')[0] === EVENT_SOCKET_PATH)
      return eventSocket.handleUpgrade(req, socket, head);
    socket.destroy();
  };
  // Compressed as CloudFront compresses API responses in front of API Gateway.
  const api = getRequestListener(async (request, env) =>
    compressResponse(request, await app.fetch(request, env)),
  );
  const webRoot = path.resolve(
    import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
    '../frontend/dist',
  );
  handler = (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/oidc' || pathname.startsWith('/oidc/'))
      return void withIdentity(({ broker }) => broker.callback(req, res))(res);
    const partnerIdp = /^\/idp\/([\w-]+)(?:\/|$)/.exec(pathname);
    if (partnerIdp) {
      const provider = partnerIdp[1];
      if (PARTNER_IDPS.some((partner) => partner.provider === provider))
        return void withIdentity(({ partners }) => partners.get(provider)!.callback(req, res))(res);
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such identity provider');
    }
    if (pathname.startsWith(`${SCIM_BASE}/`)) return void scim(req, res);
    if (pathname.startsWith('/api/') || pathname === '/api') return void api(req, res);
    if (pathname.startsWith('/_local/')) return void localOperations(req, res, runtime);
    if (pathname === '/dev/outbox' || pathname.startsWith('/dev/outbox/'))
      return serveOutbox(req, res, outbox);
    return serveStatic(
      req,
      res,
      webRoot,
      {
        apiBaseUrl: '/api',
        authority: issuer,
        clientId: LOCAL_CLIENT_ID,
        redirectUri: `${url}/auth/callback`,
        filesOrigin: blobServer.origin,
        // The same protocol as AppSync Events in AWS, on this server (a path: the page's own host).
        liveRealtimeUrl: EVENT_SOCKET_PATH,
      },
      [blobServer.origin],
    );
  };

  phase('API, SCIM and routes');
  const runtime: LocalRuntime = {
    url,
    issuer,
    tableName,
    dynamodbEndpoint,
    table,
    front,
    dynalite: backend,
    failures,
    get search() {
      return liveIndex.current;
    },
    searchStart,
    startupPhases: phases,
    saveSearchSnapshot: () => saveSearchSnapshot(true),
    async reindex(onProgress) {
      const startedAt = stream.latestSequenceNumber;
      const fresh = new FastSearchIndex();
      const count = await rebuildSearchIndex(backend, tableName, fresh, onProgress);
      liveIndex.swap(fresh);
      // Changes committed while the scan ran may be missing or stale in the new index: run their records
      // through the indexer again. It re-reads current state, so this converges whatever the order.
      const missed = stream
        .readAfter(startedAt, Number.MAX_SAFE_INTEGER)
        .filter((record) => recordHasItemType(record, indexer.itemTypes));
      if (missed.length) await indexChanges({ Records: missed }, {} as never);
      // The next start loads the rebuilt index, not the one it replaced.
      saveSearchSnapshot(true);
      return count;
    },
    consumers,
    queues,
    live,
    fanoutTables,
    addConsumer,
    async replayFailure(id) {
      const entry = failures.get(id);
      if (!entry) return false;
      const mapping = consumers.get(entry.consumer);
      if (!mapping) throw new Error(`No consumer named ${entry.consumer} is running`);
      const outcome = await mapping.invoke(entry.records);
      if (outcome.ok) failures.remove(id);
      return outcome.ok;
    },
    backup: () =>
      front.pauseWrites(async () => {
        const items: AttributeMap[] = [];
        let startKey: AttributeMap | undefined;
        do {
          // dynalite itself, behind the front: an operator's read of everything, not a request path.
          const page: { Items?: AttributeMap[]; LastEvaluatedKey?: AttributeMap } = await backend.call(
            'Scan',
            {
              TableName: tableName,
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            },
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return encodeBackup(
          {
            createdAt: new Date().toISOString(),
            table: tableName,
            streamSequence: stream.latestSequenceNumber,
          },
          items,
        );
      }),
    async replayAllFailures() {
      let replayed = 0;
      let stillFailing = 0;
      const oldestFirst = [...failures.list()].sort((a, b) => a.failedAt.localeCompare(b.failedAt));
      for (const entry of oldestFirst) {
        if (await runtime.replayFailure(entry.id)) replayed++;
        else stillFailing++;
      }
      return { replayed, stillFailing };
    },
    async drain() {
      // Consumers may write, which appends more records: loop until nothing moves.
      for (let round = 0; round < 20; round++) {
        const before = stream.latestSequenceNumber;
        await Promise.all([...consumers.values()].map((mapping) => mapping.idle()));
        await Promise.all([...queues.values()].map((queue) => queue.idle()));
        if (
          stream.latestSequenceNumber === before &&
          [...queues.values()].every((q) => q.state.inFlight === 0)
        )
          return;
      }
    },
    token: async (account) => {
      // A demo partner signs in through their organisation, which must be registered in this table
      // (the seed does it on `npm start`; a test runtime that never seeded gets it here, once).
      if (PARTNER_IDPS.some((p) => p.users.some((u) => u.id === account)))
        await registerDemoOrganisations(table);
      return (await fetchToken(issuer, account)).accessToken;
    },
    outbox,
    blobs,
    filesOrigin: blobServer.origin,
    runDigests: (now = new Date()) => runDigests(new Table(client, tableName), mail, now),
    dataFolder: folder && {
      fresh: folder.fresh,
      get seeded() {
        return folder.seeded;
      },
      markSeeded: () => folder.markSeeded(),
    },
    async close() {
      clearInterval(snapshotTimer);
      clearInterval(highWaterTimer);
      clearInterval(uploadSweepTimer);
      if (digestTimer) clearInterval(digestTimer);
      await Promise.all([...consumers.values()].map((mapping) => mapping.stop()));
      await Promise.all([...queues.values()].map((queue) => queue.stop()));
      saveSearchSnapshot();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await blobServer.close();
      await identity.catch(() => undefined);
      await front.close();
      // After the last write: the mark covers everything this run wrote.
      await markHighWater();
      await backend.close();
      client.destroy();
      serverLock.release();
    },
  };
  // The digest job, as EventBridge Scheduler runs it hourly in AWS (more often here: a run that finds
  // nothing due costs a few queries, and a run twice sends nothing twice).
  const digestEvery = options.digestIntervalMs ?? 5 * 60_000;
  const digestTimer =
    digestEvery > 0
      ? setInterval(() => {
          runtime.runDigests().catch((error) => console.error('digest job failed', error));
        }, digestEvery)
      : undefined;
  digestTimer?.unref();
  front.startTtlSweep();
  return runtime;
}

async function ensureTable(client: ReturnType<typeof createDocumentClient>, tableName: string) {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { Enabled: true, AttributeName: TABLE_DEFINITION.ttlAttribute },
    }),
  );
}

function streamHealth(consumers: Map<string, EventSourceMapping>, failures: FailureDestination) {
  const failed = failures.list().length;
  return {
    stream: {
      status: failed > 0 ? 'failing' : 'ok',
      consumers: [...consumers.values()].map((mapping) => mapping.state),
      failedBatches: failed,
    },
  };
}

/** Operator endpoints of the local runtime only: list failed stream batches and replay them. */
async function localOperations(req: http.IncomingMessage, res: http.ServerResponse, runtime: LocalRuntime) {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body, null, 2));
  };
  const pathname = (req.url ?? '').split('?')[0];
  if (req.method === 'GET' && pathname === '/_local/stream/failures') {
    return send(200, {
      items: runtime.failures
        .list()
        .map(({ records, ...rest }) => ({ ...rest, recordCount: records.length })),
    });
  }
  if (req.method === 'POST' && pathname === '/_local/search/reindex') {
    // Progress as JSON lines, so the CLI can draw a progress bar while the rebuild runs.
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const count = await runtime.reindex((progress) => res.write(`${JSON.stringify(progress)}\n`));
    res.end(`${JSON.stringify({ phase: 'done', done: count, total: count })}\n`);
    return;
  }
  if (req.method === 'POST' && pathname === '/_local/feed/rebuild') {
    // The home feed is derived data: every feed item deleted, then regenerated from posts, pages, comments.
    return send(200, await rebuildFeed(runtime.table));
  }
  if (req.method === 'POST' && pathname === '/_local/mail/digest') {
    // Runs the digest job now; `?at=<ISO time>` runs it as if it were then (e.g. tomorrow, for the daily one).
    const at = new URL(req.url ?? '', 'http://local').searchParams.get('at');
    const when = at ? new Date(at) : new Date();
    if (Number.isNaN(when.getTime())) return send(400, { error: 'at must be an ISO time' });
    return send(200, { outcomes: await runtime.runDigests(when) });
  }
  if (req.method === 'GET' && pathname === '/_local/queues') {
    return send(200, {
      items: [...runtime.queues.values()].map((queue) => ({
        ...queue.state,
        deadLetters: queue.deadLetters().map(({ messageId, receiveCount, lastError, sentAt }) => ({
          messageId,
          receiveCount,
          lastError,
          sentAt: new Date(sentAt).toISOString(),
        })),
      })),
    });
  }
  const redrive = /^\/_local\/queues\/([\w-]+)\/redrive$/.exec(pathname);
  if (req.method === 'POST' && redrive) {
    const queue = runtime.queues.get(redrive[1]);
    if (!queue) return send(404, { error: 'no such queue' });
    return send(200, { redriven: queue.redrive() });
  }
  if (req.method === 'GET' && pathname === '/_local/dynamodb') {
    // Where the operator scripts (export, import) reach the table through the DynamoDB API.
    return send(200, { endpoint: runtime.dynamodbEndpoint, tableName: runtime.tableName });
  }
  if (req.method === 'POST' && pathname === '/_local/backup') {
    // A consistent snapshot: writes pause while the table is read (reads go on), then resume.
    const backup = await runtime.backup();
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': backup.length });
    return void res.end(backup);
  }
  if (req.method === 'POST' && pathname === '/_local/stream/failures/replay-all') {
    return send(200, await runtime.replayAllFailures());
  }
  const replay = /^\/_local\/stream\/failures\/([\w-]+)\/replay$/.exec(pathname);
  if (req.method === 'POST' && replay) {
    if (!runtime.failures.get(replay[1])) return send(404, { error: 'no such failed batch' });
    return send(200, { replayed: await runtime.replayFailure(replay[1]) });
  }
  return send(404, { error: 'unknown local operation' });
}

/**
 * Requests Node's HTTP parser refuses before any handler runs (a URL or headers over 16 KiB, broken
 * syntax, headers or a body too slow to arrive) get a problem+json answer like every other bad
 * request, instead of Node's empty one.
 */
function refuseMalformedRequest(
  error: NodeJS.ErrnoException,
  socket: Duplex,
  timeouts: typeof SERVER_TIMEOUTS,
) {
  if (!socket.writable) return void socket.destroy();
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? {
          type: 'headers-too-large',
          title: 'Request headers too large',
          status: 431,
          detail: 'The request line and headers are limited to 16 KiB; send long input in a body',
        }
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? {
            type: 'request-timeout',
            title: 'Request timeout',
            status: 408,
            detail: `The headers must arrive within ${timeouts.headersMs / 1000} s and the whole request within ${timeouts.requestMs / 1000} s`,
          }
        : {
            type: 'malformed-request',
            title: 'Malformed request',
            status: 400,
            detail: 'The request is not valid HTTP',
          };
  const status = problem.status;
  const body = JSON.stringify({ ...problem, type: `${PROBLEM_BASE}${problem.type}` });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/problem+json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
