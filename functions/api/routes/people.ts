/** The caller and people's profiles (the directory itself: directory.ts). */
import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { UserIdParam } from '../schemas/common';
import { MeView, ProfileView, UpdateProfileBody } from '../schemas/profiles';

const tags = ['people'];

export function peopleRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags,
      ...secured,
      summary: 'The signed-in person',
      responses: { 200: ok(MeView), ...standardErrors },
    }),
    async (c) => {
      const principal = c.var.principal;
      const profile = await c.var.services.profiles.get(principal, principal.userId);
      return c.json({ ...profile, groups: [...principal.groups] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/me',
      tags,
      ...secured,
      summary:
        'Edit your profile: title, department, location, phone, about, skills; a stale version gets 409',
      request: jsonBody(UpdateProfileBody),
      responses: { 200: ok(MeView), ...standardErrors },
    }),
    async (c) => {
      const principal = c.var.principal;
      const profile = await c.var.services.profiles.update(principal, c.req.valid('json'));
      return c.json({ ...profile, groups: [...principal.groups] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}',
      tags,
      ...secured,
      summary: "A person's profile",
      request: { params: UserIdParam },
      responses: { 200: ok(ProfileView), ...standardErrors },
    }),
    async (c) => c.json(await c.var.services.profiles.get(c.var.principal, c.req.valid('param').userId), 200),
  );

  return app;
}
