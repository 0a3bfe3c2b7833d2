/**
 * A bookmark import as a job (issue 12): the file never passes through the API (its body limit, API
 * Gateway's 29 s), and a 10,000-link file is written by a worker in chunks.
 *
 * 1. `requestUpload`: a presigned form for exactly one key under `uploads/<me>/`, `text/html`, the
 *    declared size (≤ 5 MB); the upload prefix is emptied after a day (S3 lifecycle rule, local sweep);
 * 2. the browser sends the file to the blob store;
 * 3. `start`: in one transaction, the job item (`IMPORT#<upload id>`: one job per upload) and my
 *    running-import marker (`IMPORT#RUNNING`, so a second import while one runs is a 409); then one
 *    message on the import queue;
 * 4. the worker (`runImportJob`) reads the file, refuses it as a whole when it must (the job says why),
 *    else plans it (per-line errors, duplicates) and writes chunk after chunk, recording its position
 *    after each; a crash resumes from the recorded position when the message comes back, and a chunk
 *    run twice adds nothing. Past its time budget it sends itself a message to go on. At the end the
 *    file is deleted and the marker removed.
 *
 * A job is read only by its owner: its key holds the caller's own id.
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, Table } from '../../data/table';
import type { BlobStore, PresignedUpload } from '../attachments/blob-store';
import { blobKeys } from '../attachments/blob-store';
import type { DomainContext } from '../context';
import { DomainError, NotFound } from '../errors';
import type { Principal } from '../principal';
import {
  BookmarkTransfer,
  checkImporter,
  type ImportLineError,
  type ImportOwner,
  planImport,
  refusalOf,
} from './bookmark-transfer';
import { MAX_IMPORT_BYTES, MAX_STORED_ERRORS, parseNetscape } from './netscape';

/** Set by lib/constructs/bookmark-imports.ts on the bookmarks API Lambda and the worker. */
export const BOOKMARK_IMPORT_QUEUE_URL_ENV = 'BOOKMARK_IMPORT_QUEUE_URL';
export const IMPORT_JOB_TYPE = 'bookmarkImport';
export const IMPORT_RUNNING_TYPE = 'bookmarkImportRunning';
/** How long a presigned upload form may be used. */
const UPLOAD_FORM_SECONDS = 10 * 60;
/** A finished job is kept this long (TTL), for its summary. */
const FINISHED_JOB_SECONDS = 7 * 24 * 60 * 60;
/** A marker older than this no longer blocks a new import (a job parked in the dead-letter queue). */
const RUNNING_MARKER_SECONDS = 60 * 60;
/** Links written per chunk: one BatchGetItem, then transactions of ≤ 100 items. */
export const DEFAULT_CHUNK_LINKS = 500;

export type ImportStatus = 'queued' | 'running' | 'done' | 'refused';
export type ImportVisibility = 'private' | 'employees';

export interface ImportJobMessage {
  userId: string;
  jobId: string;
}

/** Where job messages go: SQS in AWS, the local queue locally. */
export interface ImportJobQueue {
  send(messages: ImportJobMessage[]): Promise<void>;
}

export interface ImportJob {
  id: string;
  owner: ImportOwner;
  visibility: ImportVisibility;
  status: ImportStatus;
  blobKey: string;
  /** Links in the file (0 until the worker has read it). */
  total: number;
  /** Candidates (distinct URLs) written so far: where a resumed job goes on. */
  position: number;
  candidates: number;
  added: number;
  alreadySaved: number;
  duplicates: number;
  errorCount: number;
  errors: ImportLineError[];
  reason?: { type: string; title: string; detail: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  expiresAt?: number;
}

export interface ImportJobView {
  id: string;
  status: ImportStatus;
  visibility: ImportVisibility;
  /** Links handled so far (imported, skipped or refused) of the links in the file. */
  progress: { done: number; total: number };
  counts: { links: number; added: number; alreadySaved: number; duplicates: number; refused: number };
  errors: ImportLineError[];
  /** True when there were more per-line errors than `errors` lists (`counts.refused` has them all). */
  errorsCapped: boolean;
  /** Why the whole file was refused (status `refused`): nothing was imported. */
  reason?: { type: string; title: string; detail: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface ImportUploadGrant {
  uploadId: string;
  /** POST the file here as multipart/form-data: every field, then `file`. */
  upload: PresignedUpload;
  contentType: string;
  maxBytes: number;
}

export function importJobItem(job: ImportJob): Item {
  return { ...keys.bookmarkImport(job.owner.userId, job.id), type: IMPORT_JOB_TYPE, ...job };
}

export function toImportJob(item: Item): ImportJob {
  const { PK: _pk, SK: _sk, type: _type, ...job } = item;
  return job as unknown as ImportJob;
}

export function viewOf(job: ImportJob): ImportJobView {
  return {
    id: job.id,
    status: job.status,
    visibility: job.visibility,
    progress: {
      done: job.status === 'done' ? job.total : job.errorCount + job.duplicates + job.position,
      total: job.total,
    },
    counts: {
      links: job.total,
      added: job.added,
      alreadySaved: job.alreadySaved,
      duplicates: job.duplicates,
      refused: job.errorCount,
    },
    errors: job.errors,
    errorsCapped: job.errorCount > job.errors.length,
    ...(job.reason ? { reason: job.reason } : {}),
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
  };
}

export class ImportRunning extends DomainError {
  constructor(jobId: string | undefined) {
    super(
      409,
      'import-running',
      'An import is running',
      'One of your bookmark imports is still running; wait until it is done, then import the next file',
      jobId ? { jobId } : {},
    );
  }
}

/** The API side: the upload form, starting a job, reading it. */
export class BookmarkImports {
  constructor(
    private readonly ctx: DomainContext,
    private readonly blobs: BlobStore,
    private readonly queue: ImportJobQueue,
  ) {}

  async requestUpload(principal: Principal, request: { size: number }): Promise<ImportUploadGrant> {
    checkImporter(principal, 'private');
    if (request.size > MAX_IMPORT_BYTES)
      throw new DomainError(
        413,
        'import-too-large',
        'File too large',
        `Bookmark files are limited to ${MAX_IMPORT_BYTES / 1024 / 1024} MB; this one is ${request.size} bytes`,
        { errors: [{ field: 'json.size', message: `at most ${MAX_IMPORT_BYTES}` }] },
      );
    const uploadId = this.ctx.ids.next();
    const contentType = 'text/html';
    const upload = await this.blobs.presignUpload({
      key: blobKeys.upload(principal.userId, uploadId),
      contentType,
      size: request.size,
      expiresInSeconds: UPLOAD_FORM_SECONDS,
    });
    return { uploadId, upload, contentType, maxBytes: MAX_IMPORT_BYTES };
  }

  async start(
    principal: Principal,
    request: { uploadId: string; visibility: ImportVisibility },
  ): Promise<ImportJobView> {
    checkImporter(principal, request.visibility);
    const blobKey = blobKeys.upload(principal.userId, request.uploadId);
    // One byte is enough to know the file arrived; what it holds is the worker's to judge.
    if (!(await this.blobs.head(blobKey, 1)))
      throw new DomainError(
        409,
        'upload-missing',
        'No file uploaded',
        'No file arrived for this upload: send the file with the upload form first (forms expire after 10 minutes)',
        { errors: [{ field: 'json.uploadId', message: 'no file was uploaded for it' }] },
      );
    const now = this.ctx.clock.now();
    const job: ImportJob = {
      id: request.uploadId,
      owner: {
        userId: principal.userId,
        name: principal.name,
        ...(principal.org ? { org: principal.org } : {}),
      },
      visibility: request.visibility,
      status: 'queued',
      blobKey,
      total: 0,
      position: 0,
      candidates: 0,
      added: 0,
      alreadySaved: 0,
      duplicates: 0,
      errorCount: 0,
      errors: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const seconds = Math.floor(now.getTime() / 1000);
    try {
      await this.ctx.table.transact([
        { Put: { Item: importJobItem(job), ConditionExpression: 'attribute_not_exists(PK)' } },
        {
          Put: {
            Item: {
              ...keys.bookmarkImportRunning(principal.userId),
              type: IMPORT_RUNNING_TYPE,
              jobId: job.id,
              expiresAt: seconds + RUNNING_MARKER_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': seconds },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0))
        throw new DomainError(
          409,
          'import-exists',
          'Already imported',
          'This upload has been imported already; upload the file again to import it again',
          { jobId: job.id },
        );
      if (error instanceof TransactionFailed && error.failedAt(1)) {
        const running = await this.ctx.table.get(keys.bookmarkImportRunning(principal.userId));
        throw new ImportRunning(running?.jobId as string | undefined);
      }
      throw error;
    }
    try {
      await this.queue.send([{ userId: principal.userId, jobId: job.id }]);
    } catch (error) {
      // Not queued: nothing would ever run it, so it must not block the next import either.
      await this.ctx.table.transact([
        { Delete: { Key: keys.bookmarkImport(principal.userId, job.id) } },
        { Delete: { Key: keys.bookmarkImportRunning(principal.userId) } },
      ]);
      throw error;
    }
    return viewOf(job);
  }

  async get(principal: Principal, jobId: string): Promise<ImportJobView> {
    const item = await this.ctx.table.get(keys.bookmarkImport(principal.userId, jobId));
    if (!item) throw new NotFound('Import');
    return viewOf(toImportJob(item));
  }
}

export interface ImportWorkerDependencies {
  table: Table;
  clock: DomainContext['clock'];
  blobs: Pick<BlobStore, 'head' | 'delete'>;
  /** Where the worker sends itself the next part of a job that ran past its budget. */
  queue: ImportJobQueue;
  /** Time for chunks per message before the job is handed on to a fresh message. @default 60 s */
  budgetMs?: number;
  /** @default DEFAULT_CHUNK_LINKS */
  chunkLinks?: number;
}

/** The worker: one message → as many chunks of the job as its budget allows. Idempotent. */
export function createImportWorker(deps: ImportWorkerDependencies) {
  const { table, clock, blobs, queue } = deps;
  const budgetMs = deps.budgetMs ?? 60_000;
  const chunkLinks = deps.chunkLinks ?? DEFAULT_CHUNK_LINKS;
  const transfer = new BookmarkTransfer({ table, clock, ids: { next: () => '' } });

  const update = (job: ImportJob, set: Record<string, unknown>, condition: string, values = {}) => {
    const names: Record<string, string> = {};
    const assignments: string[] = [];
    const attributeValues: Record<string, unknown> = { ...values };
    for (const [name, value] of Object.entries({ ...set, updatedAt: clock.now().toISOString() })) {
      names[`#${name}`] = name;
      attributeValues[`:${name}`] = value;
      assignments.push(`#${name} = :${name}`);
    }
    return {
      Key: keys.bookmarkImport(job.owner.userId, job.id),
      UpdateExpression: `SET ${assignments.join(', ')}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: attributeValues,
    };
  };

  /** Ends a job (done or refused): its summary stays a week; the marker and the file go. */
  const finish = async (job: ImportJob, set: Record<string, unknown>) => {
    const now = clock.now();
    try {
      await table.transact([
        {
          Update: update(
            job,
            {
              ...set,
              finishedAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + FINISHED_JOB_SECONDS,
            },
            '#status IN (:queued, :running)',
            { ':queued': 'queued', ':running': 'running' },
          ),
        },
        {
          Delete: {
            Key: keys.bookmarkImportRunning(job.owner.userId),
            ConditionExpression: 'attribute_not_exists(PK) OR jobId = :job',
            ExpressionAttributeValues: { ':job': job.id },
          },
        },
      ]);
    } catch (error) {
      // Another delivery of the message ended it already; the file still goes.
      if (!(error instanceof TransactionFailed && error.failedAt(0))) throw error;
    }
    await blobs.delete(job.blobKey);
  };

  async function handleMessage(message: ImportJobMessage): Promise<void> {
    const started = Date.now();
    const item = await table.get(keys.bookmarkImport(message.userId, message.jobId));
    if (!item) return;
    let job = toImportJob(item);
    if (job.status === 'done' || job.status === 'refused') {
      await blobs.delete(job.blobKey); // a delete that failed after the job ended
      return;
    }
    const head = await blobs.head(job.blobKey, MAX_IMPORT_BYTES + 1);
    if (!head) {
      await finish(job, {
        status: 'refused',
        reason: {
          type: 'upload-missing',
          title: 'No file',
          detail: 'The uploaded file is gone (uploads are kept a day); nothing was imported',
        },
      });
      return;
    }
    const text = head.size > MAX_IMPORT_BYTES ? '' : Buffer.from(head.start).toString('utf8');
    const links = head.size > MAX_IMPORT_BYTES ? [] : parseNetscape(text);
    const refusal = refusalOf(head.size, links);
    if (refusal) {
      await finish(job, {
        status: 'refused',
        reason: { type: refusal.type, title: refusal.title, detail: refusal.message },
      });
      return;
    }
    const plan = planImport(job.owner, links!, job.visibility, job.createdAt);
    if (job.status === 'queued') {
      const set = {
        status: 'running',
        total: plan.links,
        candidates: plan.candidates.length,
        duplicates: plan.duplicates,
        errorCount: plan.errors.length,
        errors: plan.errors.slice(0, MAX_STORED_ERRORS),
      };
      try {
        await table.update(update(job, set, '#status = :queued', { ':queued': 'queued' }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return; // another delivery of the message started it
      }
      job = { ...job, ...set, status: 'running' };
    }
    // At least one chunk per message, so a job always moves on.
    for (let chunk = 0; job.position < plan.candidates.length; chunk++) {
      if (chunk > 0 && Date.now() - started > budgetMs) {
        await queue.send([message]);
        return;
      }
      const next = Math.min(job.position + chunkLinks, plan.candidates.length);
      const counts = await transfer.importChunk(
        job.owner.userId,
        plan.candidates.slice(job.position, next),
        job.id,
        job.createdAt,
      );
      const set = {
        position: next,
        added: job.added + counts.added,
        alreadySaved: job.alreadySaved + counts.alreadySaved,
      };
      try {
        // Only from the position this run started at: a concurrent delivery cannot count a chunk twice.
        await table.update(update(job, set, '#position = :from', { ':from': job.position }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        return;
      }
      job = { ...job, ...set };
    }
    await finish(job, { status: 'done' });
  }

  return { name: 'bookmark-import', handleMessage };
}
