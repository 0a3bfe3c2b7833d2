/**
 * The people directory, reporting lines and the org chart, and the HR import (issue 15, items 1–2).
 * Kept apart from people.ts (profiles) so the two grow without stepping on each other.
 */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { PageQuery, UserIdParam } from '../schemas/common';
import {
  ChartPerson,
  ChartPersonPage,
  DirectoryPage,
  DirectoryQuery,
  ImportBody,
  ImportStepView,
  OrgChart,
  SetManagerBody,
  Suggestions,
  SuggestQuery,
} from '../schemas/directory';
import { PEOPLE_IMPORT_PATH } from './import-limits';

const tags = ['people'];

export function directoryRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people',
      tags,
      ...secured,
      summary:
        'The people directory: everyone you may see, by name, filtered by department, location, skill or organisation',
      request: { query: DirectoryQuery },
      responses: { 200: ok(DirectoryPage), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.directory.list(c.var.principal, c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/suggest',
      tags,
      ...secured,
      summary: 'Type-ahead: people whose name or @handle starts with q',
      request: { query: SuggestQuery },
      responses: { 200: ok(Suggestions), ...standardErrors },
    }),
    async (c) => {
      const { q, limit } = c.req.valid('query');
      return c.json({ items: await c.var.services.directory.suggest(c.var.principal, q, limit) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: PEOPLE_IMPORT_PATH,
      tags,
      ...secured,
      summary:
        'Admins: import people and managers from an HR CSV file, one step per call (send the file and the last cursor until none comes back)',
      request: jsonBody(ImportBody),
      responses: { 200: ok(ImportStepView), ...standardErrors },
    }),
    async (c) => {
      const { csv, cursor } = c.req.valid('json');
      return c.json(await c.var.services.peopleImport.step(c.var.principal, csv, cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/org-chart',
      tags,
      ...secured,
      summary: 'The org chart around a person: their chain up to the top, their reports and their peers',
      request: { params: UserIdParam },
      responses: { 200: ok(OrgChart), ...standardErrors },
    }),
    async (c) =>
      c.json(await c.var.services.reporting.chart(c.var.principal, c.req.valid('param').userId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/reports',
      tags,
      ...secured,
      summary: "A person's direct reports, by name",
      request: { params: UserIdParam, query: PageQuery },
      responses: { 200: ok(ChartPersonPage), ...standardErrors },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(
        await c.var.services.reporting.reports(c.var.principal, c.req.valid('param').userId, limit, cursor),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/people/{userId}/manager',
      tags,
      ...secured,
      summary: "Admins: set a person's manager (null: none); a cycle is refused with 409",
      request: { params: UserIdParam, ...jsonBody(SetManagerBody) },
      responses: { 200: ok(ChartPerson), ...standardErrors },
    }),
    async (c) =>
      c.json(
        await c.var.services.reporting.setManager(
          c.var.principal,
          c.req.valid('param').userId,
          c.req.valid('json').managerId,
        ),
        200,
      ),
  );

  return app;
}
