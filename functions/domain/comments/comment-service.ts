/**
 * Comments on posts: one level of replies, edit and delete your own, space owners and admins
 * moderate. A deleted comment leaves a tombstone so the replies under it keep their place.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Page } from '../../data/table';
import { loadMarkdown } from '../content/load-markdown';
import type { DomainContext } from '../context';
import { Conflict, EditConflict, Forbidden, MissingReference, NotFound } from '../errors';
import type { PostService } from '../posts/post-service';
import type { Principal } from '../principal';
import { canManage, canParticipate, visibleAuthor } from '../spaces/space-access';
import type { SpaceService } from '../spaces/space-service';
import { type Comment, toComment } from './comment';

export type { Comment };

export interface CommentView extends Omit<Comment, 'text'> {
  permissions: { edit: boolean; delete: boolean };
}

export class CommentService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
    private readonly posts: PostService,
  ) {}

  async list(
    principal: Principal,
    spaceId: string,
    postId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<CommentView>> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [keys.post(spaceId, postId)]);
    this.posts.visiblePost(principal, loaded.extras[0]);
    const page = await this.ctx.table.query({
      partition: keys.space(spaceId).PK,
      beginsWith: keys.commentPrefix(postId),
      limit,
      cursor,
    });
    const manage = canManage(principal, loaded.space, loaded.membership);
    const items = page.items.map((item) =>
      visibleAuthor(principal, view(principal, toComment(item), manage)),
    );
    return { items, cursor: page.cursor };
  }

  async add(
    principal: Principal,
    spaceId: string,
    postId: string,
    input: { body: string; parentId?: string },
  ): Promise<CommentView> {
    const parentKey = input.parentId ? [keys.comment(spaceId, postId, input.parentId)] : [];
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.post(spaceId, postId),
      ...parentKey,
    ]);
    const post = this.posts.visiblePost(principal, loaded.extras[0]);
    if (post.status !== 'published') throw new Conflict('Drafts cannot be commented on');
    if (!canParticipate(principal, loaded.space, loaded.membership))
      throw new Forbidden('You cannot comment in this space');
    if (input.parentId) {
      const parent = loaded.extras[1];
      if (!parent || parent.deleted)
        throw new MissingReference('The comment you reply to does not exist', [
          { field: 'parentId', message: 'no such comment' },
        ]);
      if (parent.parentId)
        throw new Conflict('Replies are one level deep: reply to the top-level comment', [
          { field: 'parentId', message: 'is a reply' },
        ]);
    }
    const now = this.ctx.clock.now().toISOString();
    const comment: Comment = {
      id: this.ctx.ids.next(),
      spaceId,
      postId,
      ...(input.parentId ? { parentId: input.parentId } : {}),
      authorId: principal.userId,
      authorName: principal.name,
      ...(principal.org ? { authorOrg: principal.org } : {}),
      ...(await rendered(input.body)),
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    try {
      await this.ctx.table.transact([
        {
          Put: {
            Item: { ...keys.comment(spaceId, postId, comment.id), type: 'comment', ...comment },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            Key: keys.post(spaceId, postId),
            UpdateExpression: 'ADD commentCount :one',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(1)) throw new NotFound('Post');
      if (error instanceof TransactionFailed) throw new Conflict('The post is busy; please try again');
      throw error;
    }
    return view(principal, comment, false);
  }

  async edit(
    principal: Principal,
    spaceId: string,
    postId: string,
    commentId: string,
    input: { body: string; version: number },
  ): Promise<CommentView> {
    const { comment, manage } = await this.load(principal, spaceId, postId, commentId);
    if (comment.authorId !== principal.userId) throw new Forbidden('Only the author can edit a comment');
    if (comment.version !== input.version) throw new EditConflict('The comment', comment.version);
    const updated: Comment = {
      ...comment,
      ...(await rendered(input.body)),
      updatedAt: this.ctx.clock.now().toISOString(),
      version: comment.version + 1,
    };
    try {
      await this.ctx.table.update({
        Key: keys.comment(spaceId, postId, commentId),
        UpdateExpression:
          'SET body = :body, html = :html, #text = :text, mentions = :mentions, updatedAt = :now, version = :next',
        ExpressionAttributeNames: { '#text': 'text' },
        ConditionExpression: 'version = :expected AND attribute_not_exists(deleted)',
        ExpressionAttributeValues: {
          ':body': updated.body,
          ':html': updated.html,
          ':text': updated.text,
          ':mentions': updated.mentions,
          ':now': updated.updatedAt,
          ':next': updated.version,
          ':expected': input.version,
        },
      });
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException')
        throw new EditConflict('The comment', comment.version + 1);
      throw error;
    }
    return view(principal, updated, manage);
  }

  async delete(principal: Principal, spaceId: string, postId: string, commentId: string): Promise<void> {
    const { comment, manage } = await this.load(principal, spaceId, postId, commentId);
    if (comment.authorId !== principal.userId && !manage)
      throw new Forbidden('Only the author, space owners and admins can delete a comment');
    try {
      await this.ctx.table.transact([
        {
          Update: {
            Key: keys.comment(spaceId, postId, commentId),
            UpdateExpression:
              'SET deleted = :yes, body = :empty, html = :empty, #text = :empty, mentions = :none, deletedBy = :who, updatedAt = :now',
            ExpressionAttributeNames: { '#text': 'text' },
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleted)',
            ExpressionAttributeValues: {
              ':yes': true,
              ':empty': '',
              ':none': [],
              ':who': principal.userId,
              ':now': this.ctx.clock.now().toISOString(),
            },
          },
        },
        {
          Update: {
            Key: keys.post(spaceId, postId),
            UpdateExpression: 'ADD commentCount :minus',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new NotFound('Comment');
      throw error;
    }
  }

  private async load(principal: Principal, spaceId: string, postId: string, commentId: string) {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.post(spaceId, postId),
      keys.comment(spaceId, postId, commentId),
    ]);
    this.posts.visiblePost(principal, loaded.extras[0]);
    const item = loaded.extras[1];
    if (!item || item.deleted) throw new NotFound('Comment');
    return { comment: toComment(item), manage: canManage(principal, loaded.space, loaded.membership) };
  }
}

function view(principal: Principal, comment: Comment, manage: boolean): CommentView {
  const own = comment.authorId === principal.userId;
  const { text: _text, ...shown } = comment;
  return {
    ...shown,
    permissions: { edit: own && !comment.deleted, delete: !comment.deleted && (own || manage) },
  };
}

/** What a comment stores beside its Markdown: the sanitized HTML, plain text and mentions. */
async function rendered(body: string) {
  const { extractMentions, plainText, renderMarkdown } = await loadMarkdown();
  return { body, html: renderMarkdown(body), text: plainText(body), mentions: extractMentions(body) };
}
