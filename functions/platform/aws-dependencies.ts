/** Dependencies for the api Lambda, from its environment (set by the CDK api construct). */
import { createTokenVerifier } from '../api/auth';
import { createDocumentClient, Table } from '../data/table';
import { OpenSearchIndex } from '../search/opensearch/opensearch-index';
import { systemClock, ulidGenerator } from './clock';
import type { Dependencies } from './dependencies';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export function awsDependencies(): Dependencies {
  const issuer = required('AUTH_ISSUER');
  return {
    table: new Table(createDocumentClient(), required('TABLE_NAME')),
    search: OpenSearchIndex.create({
      node: required('SEARCH_ENDPOINT'),
      alias: process.env.SEARCH_ALIAS ?? 'commonplace',
      sigv4: true,
    }),
    clock: systemClock,
    ids: ulidGenerator,
    verifyToken: createTokenVerifier({
      issuer,
      audience: required('AUTH_AUDIENCE'),
      jwksUrl: process.env.AUTH_JWKS_URL ?? `${issuer}/.well-known/jwks.json`,
    }),
  };
}
