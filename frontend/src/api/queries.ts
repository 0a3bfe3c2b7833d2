/** Queries more than one screen reads. */
import { useQuery } from '@tanstack/react-query';
import { enc, get } from './client';
import { keys } from './query-keys';
import type { Page, Space } from './types';

export function useSpace(spaceId: string) {
  return useQuery({
    queryKey: keys.space(spaceId),
    queryFn: ({ signal }) => get<Space>(`/spaces/${enc(spaceId)}`, signal),
  });
}

/** Names of the spaces I belong to, to label posts in lists (summaries carry only the space id). */
export function useSpaceNames(): Map<string, string> {
  const spaces = useQuery({
    queryKey: keys.spaceNames(),
    queryFn: ({ signal }) => get<Page<Space>>('/spaces?scope=mine&limit=100', signal),
    staleTime: 5 * 60_000,
    select: (page) => new Map(page.items.map((space) => [space.id, space.name])),
  });
  return spaces.data ?? EMPTY;
}

const EMPTY = new Map<string, string>();
