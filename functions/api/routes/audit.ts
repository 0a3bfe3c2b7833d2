/** The audit trail (admins): filtered and paged, or exported as CSV or JSON Lines. Read-only by design. */
import { createRoute, z } from '@hono/zod-openapi';
import { ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { AuditExportQuery, AuditPage, AuditQuery } from '../schemas/partners';

const tags = ['audit'];

export function auditRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags,
      ...secured,
      summary:
        'Changes to who can see what, newest first (admins). Filters: kind, actor, target, from/to; one DynamoDB request a page, so a page may hold fewer records than `limit` while `cursor` goes on',
      request: { query: AuditQuery },
      responses: { 200: ok(AuditPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      return c.json(await c.var.services.audit.list(c.var.principal, filter, limit, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/export',
      tags,
      ...secured,
      summary:
        'The matching records as CSV or JSON Lines (admins), up to 10,000; when there are more, the `x-next-cursor` header continues the export',
      request: { query: AuditExportQuery },
      responses: {
        200: {
          description: 'The file',
          content: { 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } },
        },
        ...standardErrors,
      },
    }),
    async (c) => {
      const { format, cursor, ...filter } = c.req.valid('query');
      const result = await c.var.services.audit.export(c.var.principal, filter, format, cursor);
      return c.body(result.body, 200, {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="audit.${format === 'csv' ? 'csv' : 'jsonl'}"`,
        ...(result.next ? { 'x-next-cursor': result.next } : {}),
      });
    },
  );

  return app;
}
