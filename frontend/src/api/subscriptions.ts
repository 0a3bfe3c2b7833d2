/**
 * Follows and watches as the client reads them: each list is read whole (every page) and cached once,
 * so every Watch, Mute and Follow button shows its state from the same answer, and a change refreshes
 * them all.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, enc, get, query } from './client';
import { keys } from './query-keys';
import type { Follow, Page, Watch } from './types';

export type WatchTarget =
  | { kind: 'space'; spaceId: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'post'; spaceId: string; postId: string }
  | { kind: 'page'; spaceId: string; pageId: string };

export type WatchLevel = Watch['level'];
export type FollowLevel = Follow['level'];

/** Every page of a list (at most 1,000 items). */
async function all<T>(path: string, signal: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await get<Page<T>>(`${path}${query({ limit: 100, cursor })}`, signal);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < 1000);
  return items;
}

export function useWatches() {
  return useQuery({
    queryKey: keys.watches(),
    queryFn: ({ signal }) => all<Watch>('/me/watches', signal),
  });
}

export function useFollows() {
  return useQuery({
    queryKey: keys.follows(),
    queryFn: ({ signal }) => all<Follow>('/me/follows', signal),
  });
}

export function watchPath(target: WatchTarget): string {
  switch (target.kind) {
    case 'space':
      return `/me/watches/spaces/${enc(target.spaceId)}`;
    case 'tag':
      return `/me/watches/tags/${enc(target.tag)}`;
    case 'post':
      return `/me/watches/spaces/${enc(target.spaceId)}/posts/${enc(target.postId)}`;
    case 'page':
      return `/me/watches/spaces/${enc(target.spaceId)}/pages/${enc(target.pageId)}`;
  }
}

/** The watch (or mute) of this thing, if any. Tags compare case-insensitively, as the server keeps them. */
export function findWatch(watches: Watch[] | undefined, target: WatchTarget): Watch | undefined {
  return watches?.find((watch) => {
    if (watch.kind !== target.kind) return false;
    switch (target.kind) {
      case 'space':
        return watch.spaceId === target.spaceId;
      case 'tag':
        return watch.tag?.toLowerCase() === target.tag.toLowerCase();
      case 'post':
        return watch.spaceId === target.spaceId && watch.postId === target.postId;
      case 'page':
        return watch.spaceId === target.spaceId && watch.pageId === target.pageId;
      default:
        return false;
    }
  });
}

/** The target a listed watch names, to change or remove it. */
export function targetOf(watch: Watch): WatchTarget {
  switch (watch.kind) {
    case 'space':
      return { kind: 'space', spaceId: watch.spaceId ?? '' };
    case 'tag':
      return { kind: 'tag', tag: watch.tag ?? '' };
    case 'post':
      return { kind: 'post', spaceId: watch.spaceId ?? '', postId: watch.postId ?? '' };
    case 'page':
      return { kind: 'page', spaceId: watch.spaceId ?? '', pageId: watch.pageId ?? '' };
  }
}

/** Watch, mute (a level) or stop either (null). */
export function useSetWatch() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { target: WatchTarget; level: WatchLevel | null }>({
    mutationFn: ({ target, level }) =>
      level ? api('PUT', watchPath(target), { level }) : api('DELETE', watchPath(target)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.watches() }),
  });
}

/** Follow, mute (a level) or stop either (null). */
export function useSetFollow() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { userId: string; level: FollowLevel | null }>({
    mutationFn: ({ userId, level }) =>
      level
        ? api('PUT', `/me/follows/${enc(userId)}`, { level })
        : api('DELETE', `/me/follows/${enc(userId)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.follows() }),
  });
}
