/** Schemas of e-mail preferences and the unsubscribe link (routes/mail-preferences.ts). */
import { z } from '@hono/zod-openapi';
import { FREQUENCIES, MAIL_KINDS } from '../../domain/mail/preferences';
import { id } from './common';

const frequency = z.enum(FREQUENCIES).openapi({
  description: 'immediately: one e-mail per item; hourly / daily: a digest; never: the inbox only',
});
const perKind = <T extends z.ZodTypeAny>(value: T) =>
  z.object(
    Object.fromEntries(MAIL_KINDS.map((kind) => [kind, value])) as Record<(typeof MAIL_KINDS)[number], T>,
  );

export const MailPreferencesView = z
  .object({
    preferences: perKind(frequency).openapi('MailPreferenceValues'),
    defaults: perKind(frequency),
    labels: perKind(z.string()),
  })
  .openapi('MailPreferences');

export const MailPreferencesBody = perKind(frequency.optional()).strict().openapi('MailPreferencesUpdate', {
  description:
    'The kinds to change (mention, reply, comment, post, page, other); the others keep their value',
});

export const UnsubscribeQuery = z.object({
  user: id.openapi({ param: { name: 'user', in: 'query' } }),
  kind: z
    .string()
    .max(32)
    .openapi({ param: { name: 'kind', in: 'query' } }),
  sig: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be the signature of the link')
    .openapi({ param: { name: 'sig', in: 'query' } }),
});
