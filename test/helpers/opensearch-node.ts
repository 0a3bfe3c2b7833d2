// Starts a real, single-node OpenSearch (2.19.x, in-process in a small Java main; see
// test/opensearch-node/) for tests. Build it once with `bash .ci/opensearch-node.sh`.
//
//   const node = await startOpenSearchNode();   // ~3-6 s to READY
//   const client = new Client({ node: node.url });
//   ...
//   await node.stop();
//
// The node is bound to 127.0.0.1 on a free port, plain HTTP, data in a fresh temp dir (removed on
// stop). It cannot outlive the test process: it exits when its stdin pipe closes, which happens when
// this process dies for any reason; stop() also kills its process group as a last resort.
//
// Env: OPENSEARCH_NODE_JAVA_OPTS replaces the default JVM options; OPENSEARCH_NODE_DEBUG=1 forwards the
// node's log (stderr) to this process's stderr; JAVA_HOME picks the JDK (else `java` on PATH).

import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noteSkipped } from './skipped';

const NODE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../opensearch-node');
const TARGET = join(NODE_DIR, 'target');
const JAR = join(TARGET, 'opensearch-test-node.jar');
const LIB = join(TARGET, 'lib');
const STAMP = join(TARGET, '.build-stamp');
const CDS_ARCHIVE = join(TARGET, 'opensearch-node.jsa'); // optional: `bash .ci/opensearch-node.sh --cds`
const MAIN_CLASS = 'dev.commonplace.testnode.TestNode';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
const BUILD_HINT =
  'build it with `bash .ci/opensearch-node.sh` (needs Java 17+ and Maven; fetches from Maven Central once)';

// Small heap; serial GC and C1-only JIT start fastest on a 2-core machine and are plenty for tests.
const DEFAULT_JVM_OPTS = [
  '-Xms512m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-XX:+ExitOnOutOfMemoryError',
];

export interface OpenSearchNode {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The java process id (for diagnostics). */
  pid: number;
  /** Milliseconds from spawn to READY. */
  startMs: number;
  /** Stops the node (graceful, then SIGTERM, then SIGKILL of its process group) and removes its data. */
  stop(): Promise<void>;
}

function javaBinary(): string | undefined {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, 'java'));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** True when the node has been built (bash .ci/opensearch-node.sh) and a `java` can be found. */
export function openSearchNodeAvailable(): boolean {
  return existsSync(JAR) && existsSync(LIB) && existsSync(STAMP) && javaBinary() !== undefined;
}

/**
 * Whether a suite that needs the node runs: when the node is built, and always under CI=true (where a
 * node that cannot start must fail the run). Otherwise it says once, for `suite`, how to enable it.
 */
export function openSearchSuiteRuns(suite: string): boolean {
  if (openSearchNodeAvailable() || process.env.CI === 'true') return true;
  noteSkipped(
    suite,
    'the OpenSearch test node is not built or java is missing; building it needs Java 17+ and Maven',
    'bash .ci/opensearch-node.sh',
  );
  return false;
}

export async function startOpenSearchNode(): Promise<OpenSearchNode> {
  const java = javaBinary();
  if (!java) {
    throw new Error(
      `OpenSearch test node: no \`java\` found (JAVA_HOME or PATH); install a JDK 17+, then ${BUILD_HINT}`,
    );
  }
  if (!existsSync(JAR) || !existsSync(LIB) || !existsSync(STAMP)) {
    throw new Error(`OpenSearch test node is not built (${TARGET} is missing or incomplete): ${BUILD_HINT}`);
  }

  const home = mkdtempSync(join(tmpdir(), 'opensearch-node-'));
  const jvmOpts = process.env.OPENSEARCH_NODE_JAVA_OPTS?.trim()
    ? process.env.OPENSEARCH_NODE_JAVA_OPTS.trim().split(/\s+/)
    : [...DEFAULT_JVM_OPTS];
  if (existsSync(CDS_ARCHIVE))
    jvmOpts.push(`-XX:SharedArchiveFile=${CDS_ARCHIVE}`, '-Xlog:cds=off', '-Xlog:cds+dynamic=off');
  const args = [
    ...jvmOpts,
    `-Djava.io.tmpdir=${home}`,
    '-Dtestnode.delete.home=true',
    '-cp',
    `${JAR}${delimiter}${join(LIB, '*')}`,
    MAIN_CLASS,
    home,
    '0',
  ];

  const started = Date.now();
  // detached: own process group, so stop() can signal the JVM and anything it spawned at once.
  const child = spawn(java, args, { cwd: NODE_DIR, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const debug = process.env.OPENSEARCH_NODE_DEBUG === '1';
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (debug) process.stderr.write(chunk);
    stderrTail.push(...chunk.split('\n').filter(Boolean));
    if (stderrTail.length > 80) stderrTail.splice(0, stderrTail.length - 80);
  });
  child.stdin?.on('error', () => {}); // EPIPE if the JVM is already gone
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  // Last resort if this process exits without stop(): the JVM also exits on stdin EOF by itself.
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const cleanup = () => {
    process.removeListener('exit', killOnExit);
    rmSync(home, { recursive: true, force: true });
  };

  let url: string;
  try {
    url = await waitForReady(child, stderrTail);
  } catch (err) {
    killGroup(child, 'SIGKILL');
    await within(exited, 5_000);
    cleanup();
    throw err;
  }
  const startMs = Date.now() - started;

  // Do not keep the event loop (jest) alive just for the node's pipes; stdin stays open until stop()
  // or until this process exits, whichever comes first.
  child.unref();
  (child.stdout as unknown as { unref?: () => void })?.unref?.();
  (child.stderr as unknown as { unref?: () => void })?.unref?.();
  (child.stdin as unknown as { unref?: () => void })?.unref?.();

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid ?? -1,
    startMs,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.ref(); // keep this process alive until the JVM is gone
          child.stdin?.end(); // graceful: the node closes and the JVM exits on stdin EOF
          if (!(await within(exited, STOP_TIMEOUT_MS))) {
            killGroup(child, 'SIGTERM');
            if (!(await within(exited, 5_000))) {
              killGroup(child, 'SIGKILL');
              await within(exited, 5_000);
            }
          }
        }
        cleanup();
      })();
      return stopping;
    },
  };
}

/** Resolves true when `promise` settles within `ms`, false otherwise (and clears its timer). */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function waitForReady(child: ChildProcess, stderrTail: string[]): Promise<string> {
  return new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const tail = () =>
      stderrTail.length ? `\n--- node stderr (last lines) ---\n${stderrTail.join('\n')}` : '';
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `OpenSearch test node did not print OPENSEARCH_READY within ${READY_TIMEOUT_MS / 1000} s${tail()}`,
        ),
      );
    }, READY_TIMEOUT_MS);
    const onData = (chunk: string) => {
      stdout += chunk;
      const match = /^OPENSEARCH_READY (http:\/\/\S+)\s*$/m.exec(stdout);
      if (match) {
        finish();
        resolveUrl(match[1]);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      finish();
      reject(
        new Error(
          `OpenSearch test node exited before it was ready (code ${code}, signal ${signal})${tail()}`,
        ),
      );
    };
    const onError = (err: Error) => {
      finish();
      reject(new Error(`OpenSearch test node could not be started: ${err.message}; ${BUILD_HINT}`));
    };
    function finish() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // keep draining stdout so the JVM never blocks on a full pipe
      child.stdout?.resume();
    }
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (detached: true)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
