/** Who an e-mail goes to: name and address from the profile (one BatchGetItem for many people). */
import { keys } from '../../data/keys';
import type { Table } from '../../data/table';
import type { Recipient } from './message';
import { type MailPreferences, preferencesFrom } from './preferences';

/** Each person's recipient details (absent when the profile is gone) and current preferences. */
export async function recipientsOf(
  table: Table,
  userIds: readonly string[],
): Promise<Map<string, { recipient?: Recipient; prefs: MailPreferences }>> {
  const people = [...new Set(userIds)];
  const found = await table.getMany(
    people.flatMap((userId) => [keys.profile(userId), keys.mailPreferences(userId)]),
  );
  return new Map(
    people.map((userId, i) => {
      const profile = found[i * 2];
      const email = profile?.email as string | undefined;
      return [
        userId,
        {
          recipient: email ? { userId, email, name: (profile?.name as string) ?? '' } : undefined,
          prefs: preferencesFrom(found[i * 2 + 1]),
        },
      ];
    }),
  );
}
