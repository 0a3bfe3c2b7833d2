/**
 * Endorsements of skills, a person's topic choices (hidden and pinned), @mention candidates and the
 * vCard of a profile (profiles module: table only).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { profileVCard } from '../../domain/profiles/vcard';
import { jsonBody, ok, secured, standardErrors } from '../openapi-helpers';
import { createRouter } from '../router';
import { id, SpaceIdParam, UserIdParam } from '../schemas/common';
import {
  EndorsementsResponse,
  MentionCandidatesResponse,
  MentionQuery,
  SkillParam,
  TopicChoicesBody,
  TopicChoicesResponse,
} from '../schemas/expertise';

const tags = ['people'];
const PersonSkillParams = UserIdParam.merge(SkillParam);
const MySkillEndorserParams = SkillParam.extend({
  endorserId: id.openapi({ param: { name: 'endorserId', in: 'path' } }),
});

export function endorsementRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/endorsements',
      tags,
      ...secured,
      summary: "A person's endorsed skills: how many people you may see endorsed each, and who",
      request: { params: UserIdParam },
      responses: { 200: ok(EndorsementsResponse), ...standardErrors },
    }),
    async (c) =>
      c.json(
        { items: await c.var.services.endorsements.list(c.var.principal, c.req.valid('param').userId) },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/people/{userId}/endorsements/{skill}',
      tags,
      ...secured,
      summary: "Endorse a colleague's skill (not your own); doing it twice changes nothing",
      request: { params: PersonSkillParams },
      responses: { 200: ok(EndorsementsResponse), ...standardErrors },
    }),
    async (c) => {
      const { userId, skill } = c.req.valid('param');
      return c.json(
        { items: await c.var.services.endorsements.endorse(c.var.principal, userId, skill) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/people/{userId}/endorsements/{skill}',
      tags,
      ...secured,
      summary: 'Withdraw your endorsement',
      request: { params: PersonSkillParams },
      responses: { 200: ok(EndorsementsResponse), ...standardErrors },
    }),
    async (c) => {
      const { userId, skill } = c.req.valid('param');
      return c.json(
        { items: await c.var.services.endorsements.withdraw(c.var.principal, userId, skill) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me/endorsements/{skill}/{endorserId}',
      tags,
      ...secured,
      summary: "Remove someone's endorsement from your own profile",
      request: { params: MySkillEndorserParams },
      responses: { 200: ok(EndorsementsResponse), ...standardErrors },
    }),
    async (c) => {
      const { skill, endorserId } = c.req.valid('param');
      return c.json(
        { items: await c.var.services.endorsements.removeFromMine(c.var.principal, skill, endorserId) },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/topics',
      tags,
      ...secured,
      summary:
        'Correct your derived expertise: topics to hide (you are not listed for them) and to pin (shown first); a stale version gets 409',
      request: jsonBody(TopicChoicesBody),
      responses: { 200: ok(TopicChoicesResponse), ...standardErrors },
    }),
    async (c) => {
      const { hidden, pinned, version } = c.req.valid('json');
      return c.json(
        await c.var.services.topicPreferences.set(c.var.principal, { hidden, pinned }, version),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/spaces/{spaceId}/mentionable',
      tags,
      ...secured,
      summary: '@mention autocomplete: people whose name or @handle starts with q and who may read the space',
      request: { params: SpaceIdParam, query: MentionQuery },
      responses: { 200: ok(MentionCandidatesResponse), ...standardErrors },
    }),
    async (c) => {
      const { q, limit } = c.req.valid('query');
      return c.json(
        {
          items: await c.var.services.mentions.forSpace(
            c.var.principal,
            c.req.valid('param').spaceId,
            q,
            limit,
          ),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/people/{userId}/vcard',
      tags,
      ...secured,
      summary: 'A profile as a vCard (RFC 6350) to add to an address book',
      request: { params: UserIdParam },
      responses: {
        200: { description: 'The vCard', content: { 'text/vcard': { schema: z.string() } } },
        ...standardErrors,
      },
    }),
    async (c) => {
      const profile = await c.var.services.profiles.get(c.var.principal, c.req.valid('param').userId);
      const card = profileVCard(profile);
      return c.body(card, 200, {
        'content-type': 'text/vcard; charset=utf-8',
        'content-disposition': `attachment; filename="${profile.handle.replace(/[^A-Za-z0-9._-]/g, '_')}.vcf"`,
      });
    },
  );

  return app;
}
