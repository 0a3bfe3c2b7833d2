/**
 * The optimistic-concurrency write every editable item uses: rewrite the item's attributes from the
 * new state, conditioned on the version the editor started from. Counters maintained with ADD
 * (likes, members, …) change concurrently without a new version, so they are left out of the rewrite;
 * optional attributes absent from the new state (a sparse index key, say) are removed.
 */
import type { Item, TransactItem } from './table';

export function versionedRewrite(
  item: Item,
  options: { expectedVersion: number; counters: readonly string[]; optional: readonly string[] },
): TransactItem {
  const { PK, SK, ...attributes } = item;
  for (const counter of options.counters) delete attributes[counter];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': options.expectedVersion };
  const sets = Object.entries(attributes).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:v${i}`] = value;
    return `#a${i} = :v${i}`;
  });
  const removals = options.optional
    .filter((name) => !(name in attributes))
    .map((name, i) => {
      names[`#r${i}`] = name;
      return `#r${i}`;
    });
  return {
    Update: {
      Key: { PK, SK },
      UpdateExpression: `SET ${sets.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: 'version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
