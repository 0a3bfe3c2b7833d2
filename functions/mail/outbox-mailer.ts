/**
 * The local mail outbox: each message a pair of files under `<data folder>/outbox/` — `<id>.json`
 * (what the local page lists and shows) and `<id>.eml` (the same message as RFC 5322 text, which any
 * mail program opens). Ids sort by time, so the newest is last. Written atomically (temp, fsync, rename).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../local/atomic-file';
import type { Mailer, MailMessage } from '../domain/mail/mail-port';

export interface OutboxEntry extends MailMessage {
  id: string;
  from: string;
  sentAt: string;
}

export class OutboxMailer implements Mailer {
  readonly directory: string;
  /** Tests make sends fail to check that nothing is marked sent. */
  failNext = 0;

  constructor(
    dataDir: string,
    readonly from = 'Commonplace <notifications@commonplace.localhost>',
  ) {
    this.directory = path.join(dataDir, 'outbox');
    fs.mkdirSync(this.directory, { recursive: true });
  }

  async send(message: MailMessage): Promise<{ messageId: string }> {
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('outbox send failed (test)'), { name: 'MailSendFailed' });
    }
    const sentAt = new Date().toISOString();
    const id = `${sentAt.replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
    const entry: OutboxEntry = { id, from: this.from, sentAt, ...message };
    writeFileAtomic(path.join(this.directory, `${id}.json`), JSON.stringify(entry, null, 2));
    writeFileAtomic(path.join(this.directory, `${id}.eml`), toEml(entry));
    return { messageId: id };
  }

  /** Newest first. */
  list(): OutboxEntry[] {
    if (!fs.existsSync(this.directory)) return [];
    return fs
      .readdirSync(this.directory)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse()
      .map((name) => JSON.parse(fs.readFileSync(path.join(this.directory, name), 'utf8')) as OutboxEntry);
  }

  get(id: string): OutboxEntry | undefined {
    if (!/^[\w-]+$/.test(id)) return undefined;
    const file = path.join(this.directory, `${id}.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as OutboxEntry) : undefined;
  }
}

/** RFC 2047 for a header with non-ASCII text. */
const header = (text: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check
  /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

/** A multipart/alternative message, both parts base64 (no line-length or encoding surprises). */
export function toEml(
  entry: OutboxEntry | (MailMessage & { from: string; sentAt: string; id: string }),
): string {
  const boundary = `=_commonplace_${entry.id}`;
  const b64 = (text: string) =>
    (
      Buffer.from(text)
        .toString('base64')
        .match(/.{1,76}/g) ?? []
    ).join('\r\n');
  return [
    `From: ${entry.from}`,
    `To: ${entry.to}`,
    `Subject: ${header(entry.subject)}`,
    `Date: ${new Date(entry.sentAt).toUTCString()}`,
    `Message-ID: <${entry.id}@commonplace.localhost>`,
    ...Object.entries(entry.headers).map(([name, value]) => `${name}: ${value}`),
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(entry.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(entry.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
