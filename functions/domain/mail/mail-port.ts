/**
 * The mail port: what the domain hands to whoever delivers e-mail. SES in AWS (functions/mail/ses-mailer.ts),
 * the local outbox under the data folder locally (functions/mail/outbox-mailer.ts). A send either
 * succeeds (the message was accepted) or throws; the callers never mark anything sent before it returns.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  headers: Record<string, string>;
  /** What the message is about, for the outbox and the logs (not sent as a header). */
  tag: 'immediate' | 'digest-hourly' | 'digest-daily';
}

export interface Mailer {
  send(message: MailMessage): Promise<{ messageId: string }>;
}

/** Everything a sender of e-mail needs besides the mailer: where links point, and the signing key. */
export interface MailSettings {
  mailer: Mailer;
  /** The web client's origin, e.g. `https://commonplace.example.com`: links in e-mails point there. */
  publicUrl: string;
  /** The HMAC key of unsubscribe links (unsubscribe-token.ts). */
  unsubscribeKey: () => Promise<Uint8Array>;
}
