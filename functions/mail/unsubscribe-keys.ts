/**
 * Where the unsubscribe links' HMAC key comes from. Locally: `<data folder>/mail/unsubscribe.key`,
 * 32 random bytes made on the first start. In AWS: a Secrets Manager secret (made by the stack), read
 * once per container with a signed `GetSecretValue` over HTTP (no Secrets Manager client to bundle).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { writeFileAtomic } from '../../local/atomic-file';
import { DataFolderError } from '../../local/state-file';

export function localUnsubscribeKey(dataDir: string): () => Promise<Uint8Array> {
  const file = path.join(dataDir, 'mail', 'unsubscribe.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, randomBytes(32).toString('base64'), 0o600);
  }
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  // A damaged key would sign with different bytes and silently break every link already mailed.
  if (key.byteLength !== 32)
    throw new DataFolderError(
      `${file} (the key of unsubscribe links) is damaged: it does not hold 32 bytes. Restore the data folder from a backup (\`npm run restore -- <file>\`), or delete it to make a new key (links already mailed stop working).`,
    );
  return async () => key;
}

export function secretsManagerKey(
  secretId: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
): () => Promise<Uint8Array> {
  let cached: Promise<Uint8Array> | undefined;
  return () => {
    cached ??= fetchSecret(secretId, region, credentials).catch((error) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

async function fetchSecret(secretId: string, region: string, credentials: AwsCredentialIdentityProvider) {
  const hostname = `secretsmanager.${region}.amazonaws.com`;
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path: '/',
    headers: {
      host: hostname,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
    },
    body: JSON.stringify({ SecretId: secretId }),
  });
  const signer = new SignatureV4({ service: 'secretsmanager', region, credentials, sha256: Sha256 });
  const handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  const { response } = await handler.handle((await signer.sign(request)) as HttpRequest);
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  const text = Buffer.concat(chunks).toString('utf8');
  if (response.statusCode !== 200) throw new Error(`Secrets Manager answered ${response.statusCode}`);
  return Buffer.from((JSON.parse(text) as { SecretString: string }).SecretString, 'utf8');
}
