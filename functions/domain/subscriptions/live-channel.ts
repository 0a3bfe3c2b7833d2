/**
 * Live notifications: one channel per person, `/notifications/<userId>`, in the AppSync Events
 * namespace `notifications` (docs/architecture.md, "Live updates"). The same rule decides in AWS (the
 * namespace's onSubscribe handler, `ON_SUBSCRIBE_CODE`) and locally (local/live/event-socket.ts): a
 * caller may subscribe to their own channel and no other.
 *
 * Who "their own" is: our user id is the access token's `sub` (api/principal-from-claims.ts), which is
 * also what AppSync puts in `ctx.identity.sub` for a Cognito user-pool token. A test pins the two
 * together (test/unit/live-channel.test.ts); if the user id ever comes from another claim, both change.
 */
import type { Notification } from './notification';

export const LIVE_NAMESPACE = 'notifications';

/** The channel a person's inbox items are published on. */
export function liveChannelOf(userId: string): string {
  return `/${LIVE_NAMESPACE}/${userId}`;
}

/** The user id the channel rule compares against, from verified token claims. */
export function liveSubjectOf(claims: Record<string, unknown>): string | undefined {
  return typeof claims.sub === 'string' && claims.sub ? claims.sub : undefined;
}

/** Whether `subject` (a verified caller) may subscribe to `channel`: only its own, exactly. */
export function maySubscribe(subject: string | undefined, channel: string): boolean {
  return !!subject && channel === liveChannelOf(subject);
}

/** What is published per inbox item: enough for the client to refresh, nothing the inbox would not show. */
export interface LiveMessage {
  id: string;
  event: Notification['event'];
  reason: Notification['reason'];
  createdAt: string;
}

export function liveMessageOf(notification: Notification): LiveMessage {
  const { id, event, reason, createdAt } = notification;
  return { id, event, reason, createdAt };
}

/** AppSync Events takes at most this many events in one publish request. */
export const MAX_EVENTS_PER_PUBLISH = 5;

/**
 * The namespace's onSubscribe handler (APPSYNC_JS, run by AppSync after the Cognito token is
 * verified): refuses any channel but the caller's own. Kept as source here so the unit test runs the
 * very text that is deployed (lib/constructs/live.ts).
 */
export const ON_SUBSCRIBE_CODE = `import { util } from '@aws-appsync/utils';

export function onSubscribe(ctx) {
  const sub = ctx.identity && ctx.identity.sub;
  if (!sub || ctx.info.channel.path !== '/${LIVE_NAMESPACE}/' + sub) {
    util.unauthorized();
  }
}
`;
