/**
 * The bearer token of the SCIM provisioning client (Entra ID, Okta). A secret like the unsubscribe
 * key: locally `<data folder>/scim/token` (made on the first start, shown by `npm run scim-token`); in
 * AWS a Secrets Manager secret the stack makes (`SCIM_TOKEN_SECRET_ARN`), read once per container.
 * The token is compared by its SHA-256, in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type ScimTokenSource = () => Promise<Uint8Array>;

export function localScimToken(dataDir: string): ScimTokenSource {
  const file = path.join(dataDir, 'scim', 'token');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, randomBytes(32).toString('base64url'), { mode: 0o600 });
    fs.renameSync(temp, file);
  }
  const token = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
  return async () => token;
}

/** Whether `authorization` is `Bearer <the token>`. */
export async function scimTokenMatches(
  authorization: string | undefined,
  source: ScimTokenSource,
): Promise<boolean> {
  const match = /^Bearer\s+(\S{1,512})$/i.exec((authorization ?? '').trim());
  if (!match) return false;
  const expected = await source();
  if (expected.length === 0) return false;
  const hash = (value: Uint8Array | string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(hash(match[1]), hash(expected));
}
