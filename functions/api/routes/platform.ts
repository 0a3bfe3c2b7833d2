/**
 * GET /api/health: is the table reachable, and (locally) how the stream consumers are doing.
 * GET /api/openapi.json: the document of every module's routes, built on the first request (the module
 * routes it reads are loaded then, so no cold start pays for them).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ok } from '../openapi-helpers';
import { createRouter } from '../router';

const StreamHealth = z.object({
  status: z.enum(['ok', 'failing']),
  consumers: z.array(
    z.object({ name: z.string(), checkpoint: z.string(), behind: z.number(), invocations: z.number() }),
  ),
  failedBatches: z.number(),
});
const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    table: z.object({ status: z.string(), latencyMs: z.number().optional() }),
    stream: StreamHealth.optional().openapi({ description: 'The local runtime only: its stream consumers' }),
  })
  .openapi('Health');

export function platformRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['operations'],
      summary: 'Health of the API, the table and the stream',
      responses: { 200: ok(HealthSchema), 503: ok(HealthSchema, 'Degraded') },
    }),
    async (c) => {
      const deps = c.var.dependencies;
      const started = performance.now();
      let table: { status: string; latencyMs?: number };
      try {
        await deps.table.get({ PK: 'HEALTH', SK: 'HEALTH' });
        table = { status: 'ok', latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        table = { status: `unreachable: ${(error as Error).name}` };
      }
      const extra = ((await deps.health?.()) ?? {}) as { stream?: z.infer<typeof StreamHealth> };
      const healthy = table.status === 'ok' && extra.stream?.status !== 'failing';
      return healthy
        ? c.json({ status: 'ok' as const, table, ...extra }, 200)
        : c.json({ status: 'degraded' as const, table, ...extra }, 503);
    },
  );
  app.get('/openapi.json', async (c) => {
    const { openApiDocument } = await import('../openapi-document');
    return c.json(await openApiDocument());
  });
  return app;
}
