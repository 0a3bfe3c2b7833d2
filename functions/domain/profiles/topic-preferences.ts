/**
 * Correction and consent for derived expertise: a person hides topics they do not want to be listed
 * for (the expertise ranking and their "knows about" leave them out, whatever the evidence) and pins
 * the ones they want known (shown first on their profile). Both live on the profile item and are
 * written with its version, so a concurrent profile edit is detected, not lost.
 */
import { keys } from '../../data/keys';
import type { DomainContext } from '../context';
import { Conflict, EditConflict, InvalidInput, NotFound } from '../errors';
import type { Principal } from '../principal';
import { skillKey } from './endorsements';
import { toProfile } from './profile';

export const MAX_TOPIC_CHOICES = 30;

export interface TopicChoices {
  hidden: string[];
  pinned: string[];
}

/** Topics as keys (tags), each once; refuses what is not a topic, too many, or one both hidden and pinned. */
export function normalizeChoices(choices: TopicChoices): TopicChoices {
  const clean = (list: string[], field: string) => {
    const out: string[] = [];
    for (const topic of list) {
      const key = skillKey(topic);
      if (!key)
        throw new InvalidInput('Topics are tags', [{ field, message: `not a topic: ${topic.slice(0, 60)}` }]);
      if (!out.includes(key)) out.push(key);
    }
    if (out.length > MAX_TOPIC_CHOICES)
      throw new InvalidInput(`At most ${MAX_TOPIC_CHOICES} topics`, [{ field, message: 'too many' }]);
    return out;
  };
  const hidden = clean(choices.hidden, 'hidden');
  const pinned = clean(choices.pinned, 'pinned');
  const both = pinned.filter((topic) => hidden.includes(topic));
  // 409, not 400: each list is valid on its own; it is the two together that cannot hold.
  if (both.length)
    throw new Conflict('A topic cannot be both hidden and pinned', [
      { field: 'pinned', message: `also hidden: ${both.join(', ')}` },
    ]);
  return { hidden, pinned };
}

export class TopicPreferences {
  constructor(private readonly ctx: DomainContext) {}

  /** Replaces the caller's hidden and pinned topics; a stale `version` gets 409. */
  async set(
    principal: Principal,
    choices: TopicChoices,
    version: number,
  ): Promise<TopicChoices & { version: number }> {
    const { hidden, pinned } = normalizeChoices(choices);
    const item = await this.ctx.table.get(keys.profile(principal.userId));
    if (!item) throw new NotFound('Person');
    const current = toProfile(item).version ?? 1;
    if (version !== current) throw new EditConflict('Your profile', current);
    try {
      await this.ctx.table.update({
        Key: keys.profile(principal.userId),
        UpdateExpression:
          'SET hiddenTopics = :hidden, pinnedTopics = :pinned, version = :next, updatedAt = :now',
        ConditionExpression:
          item.version === undefined ? 'attribute_not_exists(version)' : 'version = :expected',
        ExpressionAttributeValues: {
          ':hidden': hidden,
          ':pinned': pinned,
          ':next': current + 1,
          ':now': this.ctx.clock.now().toISOString(),
          ...(item.version === undefined ? {} : { ':expected': current }),
        },
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException')
        throw new EditConflict('Your profile', current + 1);
      throw error;
    }
    return { hidden, pinned, version: current + 1 };
  }
}
