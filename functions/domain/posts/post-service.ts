/**
 * Blog posts: write, edit (optimistic concurrency on `version`), delete, read, list by space, author
 * and tag, like. Markdown is rendered and sanitized here, once, on write; @mentions and #tags are
 * extracted for notifications and search.
 */

import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, Page, TransactItem } from '../../data/table';
import { versionedRewrite } from '../../data/versioned-rewrite';
import { loadMarkdown } from '../content/load-markdown';
import type { DomainContext } from '../context';
import { Conflict, EditConflict, Forbidden, NotFound } from '../errors';
import type { Principal } from '../principal';
import { readWhileChecking } from '../read-while-checking';
import {
  canContribute,
  canManage,
  canParticipate,
  canSeePerson,
  visibleAuthor,
} from '../spaces/space-access';
import type { LoadedSpace, SpaceService } from '../spaces/space-service';
import { type Post, type PostStatus, postItem, postTagItems, toPost } from './post';

export interface PostInput {
  title: string;
  body: string;
  tags?: string[];
  status: PostStatus;
  /** An edit of a published post that tells nobody (stored on the post as `minorEdit` until the next edit). */
  minorEdit?: boolean;
}

export interface PostView extends Omit<Post, 'body' | 'text'> {
  body: string;
  likedByMe: boolean;
  permissions: { edit: boolean; delete: boolean; comment: boolean };
}

export type PostSummary = Omit<PostView, 'body' | 'html'>;

const MAX_TAGS = 20;

export class PostService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  async create(principal: Principal, spaceId: string, input: PostInput): Promise<PostView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId);
    if (!canContribute(principal, loaded.space, loaded.membership)) {
      throw new Forbidden('You need to be an editor or owner of this space to write posts');
    }
    const now = this.ctx.clock.now().toISOString();
    const post: Post = {
      id: this.ctx.ids.next(),
      spaceId,
      authorId: principal.userId,
      authorName: principal.name,
      ...(principal.org ? { authorOrg: principal.org } : {}),
      ...(await derived(input)),
      status: input.status,
      createdAt: now,
      updatedAt: now,
      ...(input.status === 'published' ? { publishedAt: now } : {}),
      version: 1,
      likeCount: 0,
      commentCount: 0,
    };
    await this.ctx.table.transact([
      { Put: { Item: postItem(post), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...postTagItems(post).map((Item) => ({ Put: { Item } })),
    ]);
    return this.view(principal, loaded, post, false);
  }

  /** One round trip: space, membership, post and the caller's like in a single BatchGetItem. */
  async get(principal: Principal, spaceId: string, postId: string): Promise<PostView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.post(spaceId, postId),
      keys.like(spaceId, postId, principal.userId),
    ]);
    const post = this.visiblePost(principal, loaded.extras[0]);
    return this.view(principal, loaded, post, !!loaded.extras[1]);
  }

  async update(
    principal: Principal,
    spaceId: string,
    postId: string,
    input: PostInput & { version: number },
  ): Promise<PostView> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.post(spaceId, postId),
      keys.like(spaceId, postId, principal.userId),
    ]);
    const current = this.visiblePost(principal, loaded.extras[0]);
    if (current.authorId !== principal.userId) throw new Forbidden('Only the author can edit a post');
    if (input.version !== current.version) throw new EditConflict('The post', current.version);
    const now = this.ctx.clock.now().toISOString();
    const updated: Post = {
      ...current,
      ...(await derived(input)),
      status: input.status,
      updatedAt: now,
      publishedAt: current.publishedAt ?? (input.status === 'published' ? now : undefined),
      version: current.version + 1,
    };
    if (!updated.publishedAt) delete updated.publishedAt;
    // Minor only as an edit of what was already published: publishing always tells.
    delete updated.minorEdit;
    if (input.minorEdit && current.status === 'published') updated.minorEdit = true;
    const newTags = postTagItems(updated);
    const staleTags = postTagItems(current).filter((old) => !newTags.some((item) => item.SK === old.SK));
    try {
      await this.ctx.table.transact([
        versionedRewrite(postItem(updated), {
          expectedVersion: current.version,
          counters: ['likeCount', 'commentCount'],
          optional: ['GSI1PK', 'GSI1SK', 'publishedAt', 'minorEdit'],
        }),
        ...newTags.map((Item) => ({ Put: { Item } })),
        ...staleTags.map((item) => ({ Delete: { Key: { PK: item.PK, SK: item.SK } } })),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed && error.failedAt(0)) {
        const latest = await this.ctx.table.get(keys.post(spaceId, postId));
        if (!latest) throw new NotFound('Post');
        throw new EditConflict('The post', latest.version as number);
      }
      throw error;
    }
    return this.view(
      principal,
      loaded,
      { ...updated, likeCount: current.likeCount, commentCount: current.commentCount },
      !!loaded.extras[1],
    );
  }

  /** Deletes a post (author, space owners, admins); its comments and likes go with it. */
  async delete(principal: Principal, spaceId: string, postId: string): Promise<void> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [keys.post(spaceId, postId)]);
    const post = this.visiblePost(principal, loaded.extras[0]);
    if (post.authorId !== principal.userId && !canManage(principal, loaded.space, loaded.membership)) {
      throw new Forbidden('Only the author, space owners and admins can delete a post');
    }
    try {
      await this.ctx.table.transact([
        { Delete: { Key: keys.post(spaceId, postId), ConditionExpression: 'attribute_exists(PK)' } },
        ...postTagItems(post).map(
          (item) => ({ Delete: { Key: { PK: item.PK, SK: item.SK } } }) as TransactItem,
        ),
      ]);
    } catch (error) {
      if (error instanceof TransactionFailed) throw new NotFound('Post');
      throw error;
    }
    // Comments and likes are unreachable once the post is gone; remove them too.
    for (const prefix of [keys.commentPrefix(postId), keys.likePrefix(postId)])
      await this.ctx.table.deleteAllUnder(keys.space(spaceId).PK, prefix);
  }

  async listBySpace(
    principal: Principal,
    spaceId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<PostSummary>> {
    const loaded = await this.spaces.loadReadable(principal, spaceId);
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.spacePosts(spaceId),
      newestFirst: true,
      limit,
      cursor,
    });
    return {
      items: page.items.map((item) => summary(this.view(principal, loaded, toPost(item), false))),
      cursor: page.cursor,
    };
  }

  /** A person's published posts in spaces the caller can read; `drafts` lists the caller's own drafts. */
  async listByAuthor(
    principal: Principal,
    authorId: string,
    options: { drafts?: boolean; limit: number; cursor?: string },
  ): Promise<Page<PostSummary>> {
    if (options.drafts && authorId !== principal.userId)
      throw new Forbidden('Drafts are private to their author');
    const [, page] = await readWhileChecking(
      this.ctx.table.get(keys.profile(authorId)).then((author) => {
        if (!author || !canSeePerson(principal, author as { org?: string })) throw new NotFound('Person');
      }),
      this.ctx.table.query({
        index: 'GSI2',
        partition: keys.authorPosts(authorId),
        beginsWith: options.drafts ? 'D#' : 'P#',
        newestFirst: true,
        limit: options.limit,
        cursor: options.cursor,
      }),
    );
    return { items: await this.trim(principal, page.items.map(toPost)), cursor: page.cursor };
  }

  /** Published posts with a tag, across every space the caller can read. */
  async listByTag(
    principal: Principal,
    tag: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<PostSummary>> {
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.taggedPosts(tag),
      newestFirst: true,
      limit,
      cursor,
    });
    const readable = await this.spaces.readableAmong(
      principal,
      page.items.map((item) => item.spaceId as string),
    );
    const postKeys = page.items
      .filter((item) => readable.has(item.spaceId as string))
      .map((item) => keys.post(item.spaceId as string, item.postId as string));
    const posts = (await this.ctx.table.getMany(postKeys)).filter((item): item is Item => !!item).map(toPost);
    return {
      items: posts.map((post) => summary(this.view(principal, readable.get(post.spaceId)!, post, false))),
      cursor: page.cursor,
    };
  }

  async like(
    principal: Principal,
    spaceId: string,
    postId: string,
    liked: boolean,
  ): Promise<{ likeCount: number; likedByMe: boolean }> {
    const loaded = await this.spaces.loadReadable(principal, spaceId, [
      keys.post(spaceId, postId),
      keys.like(spaceId, postId, principal.userId),
    ]);
    const post = this.visiblePost(principal, loaded.extras[0]);
    if (post.status !== 'published') throw new Conflict('Drafts cannot be liked');
    if (!canParticipate(principal, loaded.space, loaded.membership))
      throw new Forbidden('You cannot like posts in this space');
    const already = !!loaded.extras[1];
    if (already === liked) return { likeCount: post.likeCount, likedByMe: liked };
    const likeKey = keys.like(spaceId, postId, principal.userId);
    try {
      await this.ctx.table.transact([
        liked
          ? {
              Put: {
                Item: {
                  ...likeKey,
                  type: 'like',
                  spaceId,
                  postId,
                  userId: principal.userId,
                  name: principal.name,
                  ...(principal.org ? { org: principal.org } : {}),
                  likedAt: this.ctx.clock.now().toISOString(),
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            }
          : { Delete: { Key: likeKey, ConditionExpression: 'attribute_exists(PK)' } },
        {
          Update: {
            Key: keys.post(spaceId, postId),
            UpdateExpression: 'ADD likeCount :delta',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':delta': liked ? 1 : -1 },
          },
        },
      ]);
    } catch (error) {
      if (!(error instanceof TransactionFailed)) throw error;
      if (error.failedAt(1)) throw new NotFound('Post');
      // A concurrent like/unlike by the same person got there first: the outcome is what was asked.
      if (!error.failedAt(0)) throw new Conflict('The post is busy; please try again');
    }
    const latest = await this.ctx.table.get(keys.post(spaceId, postId));
    return { likeCount: (latest?.likeCount as number) ?? 0, likedByMe: liked };
  }

  /** The post if it exists and the caller may see it: drafts are visible to their author only. */
  visiblePost(principal: Principal, item: Item | undefined): Post {
    if (!item) throw new NotFound('Post');
    const post = toPost(item);
    if (post.status === 'draft' && post.authorId !== principal.userId) throw new NotFound('Post');
    return post;
  }

  private async trim(principal: Principal, posts: Post[]): Promise<PostSummary[]> {
    const readable = await this.spaces.readableAmong(
      principal,
      posts.map((p) => p.spaceId),
    );
    return posts
      .filter((post) => readable.has(post.spaceId))
      .map((post) => summary(this.view(principal, readable.get(post.spaceId)!, post, false)));
  }

  private view(
    principal: Principal,
    loaded: Pick<LoadedSpace, 'space' | 'membership'>,
    post: Post,
    likedByMe: boolean,
  ): PostView {
    const manage = canManage(principal, loaded.space, loaded.membership);
    const { text: _text, ...shown } = post;
    return {
      ...visibleAuthor(principal, shown),
      likedByMe,
      permissions: {
        edit: post.authorId === principal.userId,
        delete: post.authorId === principal.userId || manage,
        comment: post.status === 'published' && canParticipate(principal, loaded.space, loaded.membership),
      },
    };
  }
}

async function derived(input: PostInput) {
  const { extractMentions, extractTags, plainText, renderMarkdown } = await loadMarkdown();
  const explicit = input.tags ?? [];
  const tags = [...new Set([...explicit, ...extractTags(input.body)])].slice(0, MAX_TAGS);
  return {
    title: input.title,
    body: input.body,
    html: renderMarkdown(input.body),
    text: plainText(input.body),
    excerpt: plainText(input.body, 280),
    tags,
    mentions: extractMentions(input.body),
  };
}

function summary(view: PostView): PostSummary {
  const { body: _body, html: _html, ...rest } = view;
  return rest;
}
