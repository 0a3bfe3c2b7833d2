/**
 * One-click unsubscribe links: `user`, `kind` and an HMAC-SHA256 over both with a key only the
 * system has (locally a file in the data folder, in AWS a Secrets Manager secret). The link needs no
 * sign-in, so the signature is all that stops anyone from switching off someone else's e-mail.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAIL_KINDS, type MailKind } from './preferences';

const PURPOSE = 'commonplace-unsubscribe-v1';

export function unsubscribeSignature(key: Uint8Array, userId: string, kind: MailKind): string {
  return createHmac('sha256', key).update(`${PURPOSE}\n${userId}\n${kind}`).digest('base64url');
}

/** True only for a signature made with this key for exactly this person and kind. */
export function verifyUnsubscribe(key: Uint8Array, userId: string, kind: string, signature: string): boolean {
  if (!(MAIL_KINDS as readonly string[]).includes(kind)) return false;
  const expected = Buffer.from(unsubscribeSignature(key, userId, kind as MailKind));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The API address of the link: GET shows a page with a button, POST (RFC 8058 one-click) unsubscribes. */
export function unsubscribeUrl(publicUrl: string, key: Uint8Array, userId: string, kind: MailKind): string {
  const query = new URLSearchParams({ user: userId, kind, sig: unsubscribeSignature(key, userId, kind) });
  return `${publicUrl.replace(/\/$/, '')}/api/unsubscribe?${query}`;
}
