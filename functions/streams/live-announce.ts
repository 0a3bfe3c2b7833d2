/**
 * The live channel as the fan-out sees it: told of the inbox items just written (AppSync Events in
 * AWS, functions/live/appsync-events-channel.ts; the local server's hub locally,
 * local/live/event-socket.ts). Best effort: the items are already in the inbox and the client also
 * polls, so a failure is logged and counted, never a failure of the fan-out.
 */
import type { Notification } from '../domain/subscriptions/notification';
import { logger } from '../platform/logger';

export interface LiveChannel {
  publish(notifications: Notification[]): Promise<void> | void;
}

/** The log message of a failed publish; a metric filter counts it in AWS (lib/constructs/live.ts). */
export const LIVE_PUBLISH_FAILED = 'live publish failed';

/** Tells the live channel of the items written; a failure is logged, never thrown. */
export async function announce(live: LiveChannel | undefined, written: Notification[]): Promise<void> {
  if (!live || written.length === 0) return;
  try {
    await live.publish(written);
  } catch (error) {
    logger.warn(LIVE_PUBLISH_FAILED, { items: written.length, error: (error as Error).message });
  }
}
