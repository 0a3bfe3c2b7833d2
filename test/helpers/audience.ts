/**
 * A large audience written straight into the table (tests, bench/notifications): `count` employees,
 * each with a profile and a watch of one space, in BatchWriteItem calls. Not through sign-in: what
 * matters is what the fan-out reads (profiles and the space's subscriber list).
 */
import type { Item, Table } from '../../functions/data/table';
import { profileItem } from '../../functions/domain/profiles/profile';
import { watchItem } from '../../functions/domain/subscriptions/subscription';

export async function addSpaceWatchers(
  table: Table,
  spaceId: string,
  count: number,
  prefix = 'w',
): Promise<string[]> {
  const now = new Date().toISOString();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
  const items: Item[] = ids.flatMap((userId) => [
    profileItem({
      userId,
      name: `Watcher ${userId}`,
      email: `${userId}@example.com`,
      handle: userId,
      kind: 'employee',
      skills: [],
      createdAt: now,
      version: 1,
    } as never),
    watchItem(userId, { kind: 'space', spaceId }, { label: spaceId, level: 'watching', since: now }),
  ]);
  await table.writeMany(items, []);
  return ids;
}
