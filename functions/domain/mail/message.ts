/**
 * The e-mails themselves: one inbox item (immediately) or a digest, each with a plain-text and an HTML
 * part. Everything that came from a user (names, titles, excerpts, space names) is escaped in the HTML
 * part; links are built here from ids only. Each message carries a one-click unsubscribe of its kind
 * (RFC 8058 headers; for a digest, of the digest's first kind, and a link per kind in the body) and
 * a link to the preferences page.
 */
import type { Notification } from '../subscriptions/notification';
import type { DigestGroup } from './digest';
import type { MailMessage } from './mail-port';
import { KIND_LABELS, kindOf, type MailKind } from './preferences';
import { unsubscribeUrl } from './unsubscribe-token';

export interface Recipient {
  userId: string;
  email: string;
  name: string;
}

export interface LinkContext {
  publicUrl: string;
  key: Uint8Array;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const base = (links: LinkContext) => links.publicUrl.replace(/\/$/, '');
const enc = encodeURIComponent;

/** Where the inbox item points in the web client (ids only: they never contain anything to escape). */
export function itemUrl(links: LinkContext, note: Notification): string {
  const space = `${base(links)}/spaces/${enc(note.spaceId)}`;
  if (note.pageId) return `${space}/pages/${enc(note.pageId)}`;
  if (note.postId) return `${space}/posts/${enc(note.postId)}`;
  return space;
}

const WHAT: Record<string, string> = {
  'post-published': 'published',
  'post-edited': 'edited',
  'comment-added': 'commented on',
  'comment-edited': 'edited a comment on',
  'page-created': 'created the page',
  'page-edited': 'edited the page',
};

/** "Alice Example mentioned you in …" as plain text (escape it for HTML). */
export function describe(note: Notification): string {
  const what = WHAT[note.event] ?? 'updated';
  if (note.reason === 'mention') return `${note.actorName} mentioned you (${what} “${note.title}”)`;
  return `${note.actorName} ${what} “${note.title}”`;
}

function headersFor(unsubscribe: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

function layout(body: string, footer: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Commonplace</title></head><body style="font-family:sans-serif;max-width:40em">${body}<hr><p style="font-size:small;color:#555">${footer}</p></body></html>`;
}

export function immediateMessage(recipient: Recipient, note: Notification, links: LinkContext): MailMessage {
  const kind = kindOf(note);
  const unsubscribe = unsubscribeUrl(links.publicUrl, links.key, recipient.userId, kind);
  const preferences = `${base(links)}/preferences`;
  const url = itemUrl(links, note);
  const line = describe(note);
  const text = [
    `${line} in ${note.spaceName}`,
    '',
    note.excerpt,
    '',
    `Open it: ${url}`,
    '',
    '--',
    `You get this because of your e-mail preference for "${KIND_LABELS[kind]}" (immediately).`,
    `Stop these e-mails: ${unsubscribe}`,
    `All e-mail preferences: ${preferences}`,
  ].join('\n');
  const html = layout(
    `<p>${escapeHtml(line)} in <strong>${escapeHtml(note.spaceName)}</strong></p>` +
      (note.excerpt ? `<blockquote>${escapeHtml(note.excerpt)}</blockquote>` : '') +
      `<p><a href="${escapeHtml(url)}">Open it in Commonplace</a></p>`,
    `You get this because of your e-mail preference for “${escapeHtml(KIND_LABELS[kind])}” (immediately). ` +
      `<a href="${escapeHtml(unsubscribe)}">Stop these e-mails</a> · <a href="${escapeHtml(preferences)}">E-mail preferences</a>`,
  );
  return {
    to: recipient.email,
    subject: `[${note.spaceName}] ${line}`.slice(0, 200),
    text,
    html,
    headers: headersFor(unsubscribe),
    tag: 'immediate',
  };
}

export function digestMessage(
  recipient: Recipient,
  period: 'hourly' | 'daily',
  groups: DigestGroup[],
  links: LinkContext,
): MailMessage {
  const count = groups.reduce((n, g) => n + g.kinds.reduce((m, k) => m + k.items.length, 0), 0);
  const kinds = [...new Set(groups.flatMap((g) => g.kinds.map((k) => k.kind)))] as MailKind[];
  const unsubscribeOf = (kind: MailKind) =>
    unsubscribeUrl(links.publicUrl, links.key, recipient.userId, kind);
  const preferences = `${base(links)}/preferences`;
  const title = `Your ${period === 'daily' ? 'daily' : 'hourly'} Commonplace digest: ${count} ${count === 1 ? 'update' : 'updates'}`;

  const textLines = [title, ''];
  let htmlBody = `<h1 style="font-size:1.2em">${escapeHtml(title)}</h1>`;
  for (const group of groups) {
    textLines.push(`== ${group.spaceName} ==`);
    htmlBody += `<h2 style="font-size:1.1em">${escapeHtml(group.spaceName)}</h2>`;
    for (const { label, items } of group.kinds) {
      textLines.push(`-- ${label}`);
      htmlBody += `<h3 style="font-size:1em">${escapeHtml(label)}</h3><ul>`;
      for (const note of items) {
        const url = itemUrl(links, note);
        textLines.push(`* ${describe(note)}`, `  ${url}`);
        htmlBody += `<li><a href="${escapeHtml(url)}">${escapeHtml(describe(note))}</a>${
          note.excerpt ? `<br><span style="color:#555">${escapeHtml(note.excerpt)}</span>` : ''
        }</li>`;
      }
      htmlBody += '</ul>';
    }
    textLines.push('');
  }
  textLines.push('--', 'Stop e-mails of a kind:');
  for (const kind of kinds) textLines.push(`  ${KIND_LABELS[kind]}: ${unsubscribeOf(kind)}`);
  textLines.push(`All e-mail preferences: ${preferences}`);
  const footer =
    'Stop e-mails of a kind: ' +
    kinds
      .map((kind) => `<a href="${escapeHtml(unsubscribeOf(kind))}">${escapeHtml(KIND_LABELS[kind])}</a>`)
      .join(' · ') +
    ` — <a href="${escapeHtml(preferences)}">E-mail preferences</a>`;
  return {
    to: recipient.email,
    subject: title,
    text: textLines.join('\n'),
    html: layout(htmlBody, footer),
    headers: headersFor(unsubscribeOf(kinds[0] ?? 'other')),
    tag: period === 'daily' ? 'digest-daily' : 'digest-hourly',
  };
}
