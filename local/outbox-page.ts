/**
 * The local mail outbox at /dev/outbox: every message the system would have e-mailed, newest first,
 * and each one at /dev/outbox/<id> — headers, the plain-text part, and the HTML part in a sandboxed
 * frame (no scripts, no same-origin, no network: the page's CSP allows none). `<id>.eml` downloads it.
 * All of it is escaped: a message is user text.
 */
import type http from 'node:http';
import { escapeHtml } from '../functions/domain/mail/message';
import { type OutboxMailer, toEml } from '../functions/mail/outbox-mailer';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; base-uri 'none'; form-action 'none'";

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}iframe{width:100%;height:30rem;border:1px solid #ccc}</style>
</head><body><main>${body}</main></body></html>`;
}

export function serveOutbox(req: http.IncomingMessage, res: http.ServerResponse, outbox: OutboxMailer) {
  const send = (status: number, type: string, body: string) =>
    res
      .writeHead(status, {
        'content-type': type,
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      })
      .end(body);
  if (req.method !== 'GET') return send(405, 'text/plain', 'GET only');
  const pathname = (req.url ?? '').split('?')[0];
  if (pathname === '/dev/outbox' || pathname === '/dev/outbox/') {
    const entries = outbox.list();
    const rows = entries
      .map(
        (e) =>
          `<tr><td>${escapeHtml(e.sentAt)}</td><td>${escapeHtml(e.to)}</td><td><a href="/dev/outbox/${e.id}">${escapeHtml(e.subject)}</a></td><td>${escapeHtml(e.tag)}</td></tr>`,
      )
      .join('');
    return send(
      200,
      'text/html; charset=utf-8',
      page(
        'Mail outbox · Commonplace',
        `<h1>Mail outbox</h1><p>What Commonplace would have e-mailed (${entries.length}), newest first. Files: <code>${escapeHtml(outbox.directory)}</code></p>` +
          (entries.length
            ? `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th>Kind</th></tr></thead><tbody>${rows}</tbody></table>`
            : '<p>Nothing yet.</p>'),
      ),
    );
  }
  const match = /^\/dev\/outbox\/([\w-]+?)(\.eml)?$/.exec(pathname);
  const entry = match ? outbox.get(match[1]) : undefined;
  if (!match || !entry) return send(404, 'text/plain', 'No such message');
  if (match[2]) return send(200, 'message/rfc822', toEml(entry));
  const headers = [
    ['From', entry.from],
    ['To', entry.to],
    ['Subject', entry.subject],
    ['Date', entry.sentAt],
    ...Object.entries(entry.headers),
  ]
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return send(
    200,
    'text/html; charset=utf-8',
    page(
      `${entry.subject} · Mail outbox`,
      `<p><a href="/dev/outbox">← Mail outbox</a> · <a href="/dev/outbox/${entry.id}.eml">Download .eml</a></p>` +
        `<h1>${escapeHtml(entry.subject)}</h1><table>${headers}</table>` +
        `<h2>HTML part</h2><iframe title="HTML part" sandbox="" srcdoc="${escapeHtml(entry.html)}"></iframe>` +
        `<h2>Plain-text part</h2><pre>${escapeHtml(entry.text)}</pre>`,
    ),
  );
}
