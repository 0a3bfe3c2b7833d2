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
    auto: z.boolean().optional().openapi({ description: 'Made for you as the author' }),
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
