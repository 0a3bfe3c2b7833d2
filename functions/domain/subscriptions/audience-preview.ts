/**
 * "Who will be notified": before a post is published or saved, or a page edit is saved, the editor
 * asks what the fan-out would do with the draft. The draft is turned into the same before/after images
 * the stream would carry and given to the same rules (`plan`, `audienceLists` in fanout-rules.ts), so
 * the preview says what the fan-out does. It is a read: nothing is written.
 *
 * Cost is bounded whatever the audience:
 * - the newly @mentioned are resolved by handle (one Query each, at most MAX_MENTIONS, as the fan-out)
 *   plus one BatchGetItem of their memberships, and named with their reason — but only people the
 *   caller may see (a partner never learns of another organisation's people: they are left out);
 * - each followers / watchers list is counted, not read: one Query with `Select: COUNT` up to
 *   PREVIEW_COUNT_LIMIT (shown as "1,000+" beyond), plus one BatchGetItem for whether the caller is on
 *   those lists themself (the actor is never told, so they are not counted).
 * Counts are of the lists: someone on two lists, or who muted the place, the author or the thing, or
 * who has lost access, is counted but told at most once or not at all. Mutes are never shown: they are
 * the other person's private choice.
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';
import { loadMarkdown } from '../content/load-markdown';
import type { DomainContext } from '../context';
import { Forbidden, NotFound } from '../errors';
import type { Principal } from '../principal';
import { toMember } from '../spaces/space';
import { canContribute, canSeePerson } from '../spaces/space-access';
import type { LoadedSpace, SpaceService } from '../spaces/space-service';
import { audienceLists, MAX_MENTIONS, plan, recipientCanRead } from './fanout-rules';
import type { EventKind, Reason } from './notification';
import { targetKey } from './subscription';

/** Lists are counted up to this many people; beyond it the count says `more`. */
export const PREVIEW_COUNT_LIMIT = 1000;

export interface PostDraft {
  postId?: string;
  title: string;
  body: string;
  tags?: string[];
  status?: 'draft' | 'published';
  minorEdit?: boolean;
}

export interface PageDraft {
  pageId?: string;
  title: string;
  body: string;
  minorEdit?: boolean;
}

export interface AudiencePreview {
  /** What the save would be, when it tells anyone. */
  event?: EventKind;
  /** Why nobody is told: a draft, a minor edit, or an edit that adds no new @mention. */
  silent?: 'draft' | 'minor-edit' | 'nothing-new';
  /** The people named: newly mentioned, able to read it, and visible to the caller. */
  people: { userId: string; name: string; handle: string; reason: Reason }[];
  /** Newly mentioned people (visible to the caller) who cannot read it, so are not told. */
  notTold: { userId: string; name: string; handle: string }[];
  /** Lists counted: followers of the author, watchers of the space, its tags, the post or page. */
  groups: { reason: Reason; label: string; count: number; more: boolean }[];
}

export class AudiencePreviewService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly spaces: SpaceService,
  ) {}

  /** Publishing or saving a post: the author only (writers of the space for a new one). */
  async forPost(principal: Principal, spaceId: string, draft: PostDraft): Promise<AudiencePreview> {
    const loaded = await this.spaces.loadReadable(
      principal,
      spaceId,
      draft.postId ? [keys.post(spaceId, draft.postId)] : [],
    );
    if (!canContribute(principal, loaded.space, loaded.membership))
      throw new Forbidden('You need to be an editor or owner of this space to write posts');
    const before = draft.postId ? loaded.extras[0] : undefined;
    if (draft.postId) {
      if (!before || (before.status !== 'published' && before.authorId !== principal.userId))
        throw new NotFound('Post');
      if (before.authorId !== principal.userId) throw new Forbidden('Only the author can edit a post');
    }
    const { extractMentions, extractTags, plainText } = await loadMarkdown();
    const status = draft.status ?? 'published';
    const after: Item = {
      ...(before ?? {}),
      ...keys.post(spaceId, draft.postId ?? 'new'),
      type: 'post',
      id: draft.postId ?? 'new',
      spaceId,
      authorId: principal.userId,
      authorName: principal.name,
      title: draft.title,
      excerpt: plainText(draft.body, 280),
      tags: [...new Set([...(draft.tags ?? []), ...extractTags(draft.body)])].slice(0, 20),
      mentions: extractMentions(draft.body),
      status,
      version: ((before?.version as number) ?? 0) + 1,
      minorEdit: !!draft.minorEdit && before?.status === 'published',
    };
    const silent = status === 'draft' ? 'draft' : after.minorEdit ? 'minor-edit' : 'nothing-new';
    return this.preview(principal, loaded, before, after, silent);
  }

  /** Creating or editing a page: editors and owners of the space. */
  async forPage(principal: Principal, spaceId: string, draft: PageDraft): Promise<AudiencePreview> {
    const loaded = await this.spaces.loadReadable(
      principal,
      spaceId,
      draft.pageId ? [keys.page(spaceId, draft.pageId)] : [],
    );
    if (!canContribute(principal, loaded.space, loaded.membership))
      throw new Forbidden('You need to be an editor or owner of this space to edit its wiki');
    const found = loaded.extras[0];
    const before = found && !found.deleting ? found : undefined;
    const { extractMentions, plainText } = await loadMarkdown();
    const id = draft.pageId ?? 'new';
    const after: Item = {
      ...(before ?? { createdBy: principal.userId, createdByName: principal.name }),
      ...keys.page(spaceId, id),
      type: 'page',
      id,
      spaceId,
      title: draft.title,
      excerpt: plainText(draft.body, 280),
      mentions: extractMentions(draft.body),
      updatedBy: principal.userId,
      updatedByName: principal.name,
      version: ((before?.version as number) ?? 0) + 1,
      minorEdit: !!draft.minorEdit && !!before,
    };
    return this.preview(principal, loaded, before, after, after.minorEdit ? 'minor-edit' : 'nothing-new');
  }

  private async preview(
    principal: Principal,
    loaded: LoadedSpace,
    before: Item | undefined,
    after: Item,
    silent: AudiencePreview['silent'],
  ): Promise<AudiencePreview> {
    const planned = plan(before, after);
    if (!planned) return { silent, people: [], notTold: [], groups: [] };
    const { event, audience } = planned;
    const lists = audienceLists(audience);
    const [mentioned, counts, mine] = await Promise.all([
      this.mentioned(principal, loaded, event.newMentions),
      Promise.all(
        lists.map(({ partition }) =>
          this.ctx.table.count({ index: 'GSI1', partition, limit: PREVIEW_COUNT_LIMIT }),
        ),
      ),
      // Whether the caller watches the places themself (they are never told, so not counted).
      this.ctx.table.getMany(
        lists.flatMap(({ target }) =>
          target ? [keys.subscription(principal.userId, target.kind, targetKey(target))] : [],
        ),
      ),
    ]);
    const watching = new Set(
      mine.filter((item) => item?.level === 'watching').map((item) => item!.SK as string),
    );
    const groups = lists
      .map(({ reason, target }, i) => {
        const self =
          target && watching.has(keys.subscription(principal.userId, target.kind, targetKey(target)).SK);
        const count = Math.max(0, counts[i].count - (self && !counts[i].more ? 1 : 0));
        return { reason, label: labelOf(reason, loaded.space.name, target), count, more: counts[i].more };
      })
      .filter((group) => group.count > 0);
    return { event: event.event, ...mentioned, groups };
  }

  /** The newly mentioned, as the fan-out resolves them, split into told and not told; unseen left out. */
  private async mentioned(principal: Principal, loaded: LoadedSpace, handles: string[]) {
    const pages = await Promise.all(
      handles
        .slice(0, MAX_MENTIONS)
        .map((handle) => this.ctx.table.query({ index: 'GSI2', partition: keys.handle(handle), limit: 1 })),
    );
    const profiles = pages
      .flatMap((page) => page.items)
      .filter((profile) => profile.type === 'profile' && profile.userId !== principal.userId)
      .filter((profile) => canSeePerson(principal, { org: profile.org as string | undefined }));
    const members = await this.ctx.table.getMany(
      profiles.map((profile) => keys.member(loaded.space.id, profile.userId as string)),
    );
    const people: AudiencePreview['people'] = [];
    const notTold: AudiencePreview['notTold'] = [];
    profiles.forEach((profile, i) => {
      const person = {
        userId: profile.userId as string,
        name: profile.name as string,
        handle: profile.handle as string,
      };
      const member = members[i];
      if (recipientCanRead(profile, loaded.space, member ? toMember(member) : undefined))
        people.push({ ...person, reason: 'mention' });
      else notTold.push(person);
    });
    return { people, notTold };
  }
}

function labelOf(reason: Reason, spaceName: string, target?: { kind: string; tag?: string }): string {
  if (reason === 'followed-author') return 'followers of you';
  switch (target?.kind) {
    case 'space':
      return `watchers of ${spaceName}`;
    case 'tag':
      return `watchers of #${target.tag}`;
    case 'post':
      return 'watchers of this post';
    case 'page':
      return 'watchers of this page';
    default:
      return reason;
  }
}
