/**
 * A digest's content: the waiting items of one person grouped by space, then by kind, newest first
 * within a group, spaces in the order of their newest item. Pure, so the grouping is unit-tested.
 */
import type { Notification } from '../subscriptions/notification';
import { KIND_LABELS, kindOf, MAIL_KINDS, type MailKind } from './preferences';

export interface DigestGroup {
  spaceId: string;
  spaceName: string;
  kinds: { kind: MailKind; label: string; items: Notification[] }[];
}

export function groupDigest(items: readonly Notification[]): DigestGroup[] {
  const newestFirst = [...items].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
  );
  const spaces = new Map<string, DigestGroup & { byKind: Map<MailKind, Notification[]> }>();
  for (const note of newestFirst) {
    let group = spaces.get(note.spaceId);
    if (!group) {
      group = { spaceId: note.spaceId, spaceName: note.spaceName, kinds: [], byKind: new Map() };
      spaces.set(note.spaceId, group);
    }
    const kind = kindOf(note);
    if (!group.byKind.has(kind)) group.byKind.set(kind, []);
    group.byKind.get(kind)!.push(note);
  }
  return [...spaces.values()].map(({ byKind, ...group }) => ({
    ...group,
    kinds: MAIL_KINDS.filter((kind) => byKind.has(kind)).map((kind) => ({
      kind,
      label: KIND_LABELS[kind],
      items: byKind.get(kind)!,
    })),
  }));
}
