/** Request and response schemas of the notifications module: follows, watches, mutes, the inbox. */
import { z } from '@hono/zod-openapi';
import { EVENT_KINDS, REASONS } from '../../domain/subscriptions/notification';
import { id, optionalOrg, pageOf, SpaceIdParam, tag, timestamp } from './common';

export const WatchPostParams = SpaceIdParam.extend({
  postId: id.openapi({ param: { name: 'postId', in: 'path' } }),
});
export const WatchPageParams = SpaceIdParam.extend({
  pageId: id.openapi({ param: { name: 'pageId', in: 'path' } }),
});
export const WatchTagParam = z.object({ tag: tag.openapi({ param: { name: 'tag', in: 'path' } }) });
export const NotificationParam = z.object({
  notificationId: id.openapi({ param: { name: 'notificationId', in: 'path' } }),
});

export const FollowBody = z
  .object({
    level: z.enum(['following', 'muted']).default('following').openapi({
      description: 'following: be told of their new posts; muted: never be told of anything they do',
    }),
  })
  .strict()
  .openapi('FollowRequest');
export const WatchBody = z
  .object({
    level: z.enum(['watching', 'muted']).default('watching').openapi({
      description:
        'watching: be told of what happens there; muted: a muted post or page tells you nothing, a muted space or tag nothing through your subscriptions',
    }),
  })
  .strict()
  .openapi('WatchRequest');

export const FollowView = z
  .object({
    userId: z.string(),
    name: z.string(),
    level: z.enum(['following', 'muted']),
    since: timestamp,
  })
  .openapi('Follow');
export const FollowPage = pageOf(FollowView, 'Follow');
export const WatchView = z
  .object({
    kind: z.enum(['space', 'tag', 'page', 'post']),
    spaceId: z.string().optional(),
    tag: z.string().optional(),
    pageId: z.string().optional(),
    postId: z.string().optional(),
    label: z.string().openapi({ description: 'The name or title when it was watched' }),
    level: z.enum(['watching', 'muted']),
    auto: z
      .boolean()
      .optional()
      .openapi({ description: 'Made for you by what you did (see autoBecause), not by a Watch button' }),
    autoBecause: z
      .enum(['created', 'commented', 'edited'])
      .optional()
      .openapi({ description: 'What made an automatic watch: you created, commented on or edited it' }),
    since: timestamp,
  })
  .openapi('Watch');
export const WatchPage = pageOf(WatchView, 'Watch');

export const NotificationView = z
  .object({
    id: z.string(),
    event: z.enum(EVENT_KINDS),
    reason: z.enum(REASONS),
    actorId: z.string(),
    actorName: z.string(),
    actorOrg: optionalOrg,
    spaceId: z.string(),
    spaceName: z.string(),
    postId: z.string().optional(),
    commentId: z.string().optional(),
    pageId: z.string().optional(),
    title: z.string(),
    excerpt: z.string(),
    createdAt: timestamp,
    readAt: timestamp.optional(),
    read: z.boolean(),
    likeCount: z.number().int().optional().openapi({
      description: 'Likes: how many people like the post now (you left out); the item is one per post',
    }),
    likers: z
      .array(z.object({ id: z.string(), name: z.string(), org: optionalOrg }))
      .optional()
      .openapi({ description: 'Likes: the latest likers, newest first (at most 3)' }),
  })
  .openapi('Notification');
export const NotificationPage = pageOf(NotificationView, 'Notification');
export const UnreadCount = z
  .object({
    unread: z.number().int().openapi({ description: `Unread items, counted up to 100` }),
    more: z.boolean().openapi({ description: 'There are more than `unread`' }),
  })
  .openapi('UnreadCount');
export const MarkedAll = z
  .object({
    marked: z.number().int(),
    more: z.boolean().openapi({ description: 'Some are left: ask again' }),
  })
  .openapi('MarkedAllRead');

const watchSetting = (what: string) =>
  z.boolean().openapi({ description: `Start watching ${what} (default true)` });
export const WatchSettingsView = z
  .object({
    watchOnCreate: watchSetting('the posts and pages you create'),
    watchOnComment: watchSetting('the posts you comment on'),
    watchOnEdit: watchSetting('the wiki pages you edit'),
  })
  .openapi('SubscriptionSettings');
export const WatchSettingsBody = z
  .object({
    watchOnCreate: z.boolean().optional(),
    watchOnComment: z.boolean().optional(),
    watchOnEdit: z.boolean().optional(),
  })
  .strict()
  .openapi('SubscriptionSettingsUpdate', { description: 'The settings to change; the others stay' });

const minorEdit = z.boolean().optional().openapi({
  description: 'A minor edit of what is already published: nobody is told (watchers nor new mentions)',
});
export const PostAudienceBody = z
  .object({
    postId: id.optional().openapi({ description: 'The post being edited; left out for a new post' }),
    title: z.string().max(200),
    body: z.string().max(100_000),
    tags: z.array(tag).max(20).optional(),
    status: z.enum(['draft', 'published']).default('published'),
    minorEdit,
  })
  .strict()
  .openapi('PostAudienceDraft');
export const PageAudienceBody = z
  .object({
    pageId: id
      .optional()
      .openapi({ description: 'The page being edited; left out (or a new id) for a new page' }),
    title: z.string().max(200),
    body: z.string().max(100_000),
    minorEdit,
  })
  .strict()
  .openapi('PageAudienceDraft');
const person = { userId: z.string(), name: z.string(), handle: z.string() };
export const AudiencePreviewView = z
  .object({
    event: z
      .enum(EVENT_KINDS)
      .optional()
      .openapi({ description: 'What the save would be, when it tells anyone' }),
    silent: z
      .enum(['draft', 'minor-edit', 'nothing-new'])
      .optional()
      .openapi({ description: 'Why nobody would be told' }),
    people: z
      .array(z.object({ ...person, reason: z.enum(REASONS) }))
      .openapi({ description: 'Named: the newly mentioned who may read it (only people you may see)' }),
    notTold: z
      .array(z.object(person))
      .openapi({ description: 'Newly mentioned people (whom you may see) who cannot read it' }),
    groups: z
      .array(
        z.object({
          reason: z.enum(REASONS),
          label: z.string().openapi({ example: 'watchers of Engineering' }),
          count: z.number().int(),
          more: z.boolean().openapi({ description: 'Counted up to 1,000: there are more' }),
        }),
      )
      .openapi({ description: 'Followers and watchers, counted (before mutes and access checks)' }),
  })
  .openapi('AudiencePreview');
