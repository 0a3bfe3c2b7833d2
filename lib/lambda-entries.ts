/**
 * The entry file of every Lambda the stack deploys, by name: one per API module (functions/api/lambdas/),
 * the stream consumers, the Cognito trigger and the search security custom resource. The stack, the
 * bundle test and `npm run bench:load` all read this list, so none of them can miss a Lambda.
 */
import { join } from 'node:path';
import { ALL_MODULES } from '../functions/api/modules/all-modules';
import type { ModuleName } from '../functions/api/modules/api-module';

export interface LambdaEntries {
  /** One entry per API module. */
  modules: Record<ModuleName, string>;
  indexer: string;
  fanout: string;
  /** The writer of queued fan-out pages (SQS). */
  fanoutPages: string;
  bookmarkMetadata: string;
  /** The bookmark import worker (SQS). */
  bookmarkImport: string;
  attachmentCleanup: string;
  digest: string;
  preTokenGeneration: string;
  searchSecurityConfig: string;
  /** SCIM 2.0 for the provisioning client (its own routes, no JWT authorizer). */
  scim: string;
}

export function defaultEntries(projectRoot: string): LambdaEntries {
  return {
    modules: Object.fromEntries(
      ALL_MODULES.map((module) => [
        module.name,
        join(projectRoot, `functions/api/lambdas/${module.name}.ts`),
      ]),
    ) as Record<ModuleName, string>,
    indexer: join(projectRoot, 'functions/streams/indexer-lambda.ts'),
    fanout: join(projectRoot, 'functions/streams/fanout-lambda.ts'),
    fanoutPages: join(projectRoot, 'functions/streams/fanout-pages-lambda.ts'),
    bookmarkMetadata: join(projectRoot, 'functions/streams/bookmark-metadata-lambda.ts'),
    bookmarkImport: join(projectRoot, 'functions/streams/bookmark-import-lambda.ts'),
    attachmentCleanup: join(projectRoot, 'functions/streams/attachment-cleanup-lambda.ts'),
    digest: join(projectRoot, 'functions/jobs/digest-lambda.ts'),
    preTokenGeneration: join(projectRoot, 'functions/auth/pre-token-generation.ts'),
    searchSecurityConfig: join(projectRoot, 'lib/handlers/search-security-config.ts'),
    scim: join(projectRoot, 'functions/scim/lambda.ts'),
  };
}

/** Every Lambda entry by a display name (`posts`, `indexer`, …), for benchmarks and tests. */
export function lambdaEntries(projectRoot: string): Record<string, string> {
  const { modules, ...others } = defaultEntries(projectRoot);
  return {
    ...modules,
    indexer: others.indexer,
    fanout: others.fanout,
    'fanout-pages': others.fanoutPages,
    'bookmark-metadata': others.bookmarkMetadata,
    'bookmark-import': others.bookmarkImport,
    'attachment-cleanup': others.attachmentCleanup,
    digest: others.digest,
    'pre-token-generation': others.preTokenGeneration,
    'search-security-config': others.searchSecurityConfig,
    scim: others.scim,
  };
}
