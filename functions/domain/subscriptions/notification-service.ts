/**
 * The caller's inbox: newest first with a cursor, the unread count, mark one or all read. Items are
 * written by the fan-out only (functions/streams/fanout.ts). A list is trimmed again to the spaces the
 * caller can read now, so an item told before access was lost shows nothing of the thing.
 */
import { keys } from '../../data/keys';
import type { Page } from '../../data/table';
import type { DomainContext } from '../context';
import { NotFound } from '../errors';
import type { Principal } from '../principal';
import { canSeePerson } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import { type Notification, toNotification } from './notification';

/** The unread count stops here; the client shows "99+". */
export const UNREAD_COUNT_LIMIT = 100;
/** Mark-all-read marks at most this many per request (the client asks again while `more`). */
const MARK_ALL_LIMIT = 500;

export interface NotificationView extends Omit<Notification, 'recipientId'> {
  read: boolean;
}

export class NotificationService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async inbox(principal: Principal, limit: number, cursor?: string): Promise<Page<NotificationView>> {
    const page = await this.ctx.table.query({
      partition: keys.profile(principal.userId).PK,
      beginsWith: keys.notificationPrefix,
      newestFirst: true,
      limit,
      cursor,
    });
    const notes = page.items.map(toNotification);
    const readable = await this.spaces.readableAmong(
      principal,
      notes.map((n) => n.spaceId),
    );
    return {
      items: notes.filter((n) => readable.has(n.spaceId)).map((n) => view(principal, n)),
      cursor: page.cursor,
    };
  }

  /** One Query of the sparse unread index, counting (no items read), up to UNREAD_COUNT_LIMIT. */
  async unreadCount(principal: Principal): Promise<{ unread: number; more: boolean }> {
    const { count, more } = await this.ctx.table.count({
      index: 'GSI2',
      partition: keys.unreadOf(principal.userId),
      limit: UNREAD_COUNT_LIMIT,
    });
    return { unread: count, more };
  }

  /** Marks one of the caller's items read; marking it again changes nothing. 404 if it is not theirs. */
  async markRead(principal: Principal, notificationId: string): Promise<void> {
    try {
      await this.markKey(principal.userId, notificationId);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') throw new NotFound('Notification');
      throw error;
    }
  }

  /** Marks every unread item read, page by page of the unread index; `more` when some are left. */
  async markAllRead(principal: Principal): Promise<{ marked: number; more: boolean }> {
    let marked = 0;
    let cursor: string | undefined;
    do {
      const page = await this.ctx.table.query({
        index: 'GSI2',
        partition: keys.unreadOf(principal.userId),
        limit: 100,
        cursor,
      });
      await Promise.all(
        page.items.map((item) =>
          this.markKey(principal.userId, item.id as string).catch((error) => {
            // Expired (TTL) between the query and the update: nothing left to mark.
            if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          }),
        ),
      );
      marked += page.items.length;
      cursor = page.cursor;
    } while (cursor && marked < MARK_ALL_LIMIT);
    return { marked, more: cursor !== undefined };
  }

  private markKey(userId: string, notificationId: string) {
    return this.ctx.table.update({
      Key: keys.notification(userId, notificationId),
      UpdateExpression: 'SET readAt = if_not_exists(readAt, :now) REMOVE GSI2PK, GSI2SK',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':now': this.ctx.clock.now().toISOString() },
    });
  }
}

/** An actor (or liker) of another partner organisation is not named (as everywhere else). */
function view(principal: Principal, note: Notification): NotificationView {
  const { recipientId: _recipient, ...rest } = note;
  const shown = canSeePerson(principal, { org: note.actorOrg })
    ? rest
    : { ...rest, actorId: 'hidden', actorName: 'External user', actorOrg: undefined };
  const likers = shown.likers?.map((person) =>
    canSeePerson(principal, person) ? person : { id: 'hidden', name: 'External user' },
  );
  return { ...shown, ...(likers ? { likers } : {}), read: !!note.readAt };
}
