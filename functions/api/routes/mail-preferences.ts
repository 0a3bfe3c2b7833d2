/**
 * E-mail preferences (signed in) and the one-click unsubscribe link (public, signature-checked):
 * GET shows a page with a button, POST — the button, or a mail program per RFC 8058 — sets the kind
 * to `never`. The pages are plain HTML without scripts or styles (the API's CSP allows neither inline).
 */
import { createRoute } from '@hono/zod-openapi';
import { escapeHtml } from '../../domain/mail/message';
import { InvalidUnsubscribeLink } from '../../domain/mail/preference-service';
import { KIND_LABELS, type MailKind } from '../../domain/mail/preferences';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { MailPreferencesBody, MailPreferencesView, UnsubscribeQuery } from '../schemas/mail-preferences';

const tags = ['notifications'];
const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' as const } } },
});

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Commonplace</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}<p><a href="/preferences">All e-mail preferences</a></p></main></body></html>`;
}

export function mailPreferenceRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/notification-preferences',
      tags,
      ...secured,
      summary: 'Your e-mail preferences per kind of notification, with the defaults',
      responses: { 200: ok(MailPreferencesView), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.mailPreferences.get(c.var.principal), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/notification-preferences',
      tags,
      ...secured,
      summary: 'Change how soon you are e-mailed about each kind of notification',
      request: jsonBody(MailPreferencesBody),
      responses: { 200: ok(MailPreferencesView), ...standardErrors },
    }),
    async (c) => {
      const changes = Object.fromEntries(
        Object.entries(c.req.valid('json')).filter(([, value]) => value !== undefined),
      );
      return c.json(await c.var.services.mailPreferences.update(c.var.principal, changes), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/unsubscribe',
      tags,
      summary:
        'The landing page of an unsubscribe link: a button that stops e-mails of the kind (no sign-in)',
      request: { query: UnsubscribeQuery },
      responses: {
        ...standardErrors,
        200: html('A page with the button'),
      },
    }),
    async (c) => {
      const { user, kind, sig } = c.req.valid('query');
      // An invalid link is a 403 problem, like every other refusal of the API.
      if (!(await c.var.services.mailPreferences.isValidLink(user, kind, sig)))
        throw new InvalidUnsubscribeLink();
      const action = `/api/unsubscribe?${new URLSearchParams({ user, kind, sig })}`;
      return c.html(
        page(
          'Stop these e-mails?',
          `<p>You will no longer get e-mails about: <strong>${escapeHtml(KIND_LABELS[kind as MailKind])}</strong>. They stay in your inbox in Commonplace.</p>` +
            `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/unsubscribe',
      tags,
      summary: 'One-click unsubscribe (RFC 8058): sets the kind of the signed link to never',
      request: { query: UnsubscribeQuery },
      responses: { 200: html('Unsubscribed'), ...standardErrors },
    }),
    async (c) => {
      const { user, kind, sig } = c.req.valid('query');
      const done = await c.var.services.mailPreferences.unsubscribe(user, kind, sig);
      return c.html(
        page(
          'Unsubscribed',
          `<p>You will no longer get e-mails about: <strong>${escapeHtml(KIND_LABELS[done])}</strong>.</p>`,
        ),
        200,
      );
    },
  );

  return app;
}
