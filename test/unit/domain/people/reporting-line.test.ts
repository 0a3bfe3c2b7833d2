/**
 * The HR import's reporting-line rules without a table: when a line already stands as a file says
 * (nothing to write), and the writes that place a person in the transaction creating them.
 */
import { describe, expect, it } from '@jest/globals';
import { alreadyUnder, pathOf, type ReportingLine } from '../../../../functions/domain/people/reporting-line';
import { placeNewcomer } from '../../../../functions/domain/people/reporting-service';
import type { Profile } from '../../../../functions/domain/profiles/profile';

const person = (userId: string, kind: Profile['kind'] = 'employee'): Profile =>
  ({
    userId,
    name: userId.toUpperCase(),
    email: `${userId}@corp.example`,
    handle: userId,
    kind,
    skills: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  }) as Profile;
const line = (userId: string, chain: string[], extra: Partial<ReportingLine> = {}): ReportingLine => ({
  userId,
  ...(chain[0] ? { managerId: chain[0] } : {}),
  chain,
  reportCount: 0,
  name: userId.toUpperCase(),
  ...extra,
});

describe('alreadyUnder', () => {
  const boss = line('boss', ['ceo']);
  it('holds when the manager and the whole chain are as the manager’s line gives them', () => {
    expect(alreadyUnder(line('ann', ['boss', 'ceo']), 'boss', boss)).toBe(true);
    expect(alreadyUnder(line('ceo', []), undefined, undefined)).toBe(true);
  });
  it('fails on another manager, a chain gone stale above, no line, or a rewrite left half-way', () => {
    expect(alreadyUnder(line('ann', ['ceo']), 'boss', boss)).toBe(false);
    expect(alreadyUnder(line('ann', ['boss']), 'boss', boss)).toBe(false);
    expect(alreadyUnder(line('ann', ['boss', 'ceo']), undefined, undefined)).toBe(false);
    expect(alreadyUnder(undefined, 'boss', boss)).toBe(false);
    expect(alreadyUnder(line('ann', ['boss', 'ceo'], { pendingFrom: 'ceo/old/ann' }), 'boss', boss)).toBe(
      false,
    );
  });
});

describe('placeNewcomer', () => {
  it('puts a person with no manager at the top: their line only, on condition it does not exist', () => {
    const placed = placeNewcomer({ userId: 'ceo', name: 'CEO' }, undefined, undefined);
    expect(placed.line).toEqual({ userId: 'ceo', chain: [], reportCount: 0, name: 'CEO' });
    expect(placed.writes).toHaveLength(1);
    expect(placed.writes[0].Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(placed.writes[0].Put?.Item).toMatchObject({ GSI2SK: 'ceo' });
  });

  it('puts a report below their manager and adds one to the manager’s line, on condition of its path', () => {
    const bossLine = line('boss', ['ceo'], { reportCount: 2 });
    const placed = placeNewcomer({ userId: 'ann', name: 'Ann' }, person('boss'), bossLine);
    expect(placed.line).toMatchObject({ managerId: 'boss', chain: ['boss', 'ceo'] });
    expect(placed.writes[0].Put?.Item).toMatchObject({ GSI2SK: 'ceo/boss/ann', GSI1PK: expect.any(String) });
    expect(placed.writes[1].Update).toMatchObject({
      ConditionExpression: 'GSI2SK = :path',
      ExpressionAttributeValues: expect.objectContaining({ ':path': pathOf(bossLine), ':one': 1 }),
    });
    expect(placed.managerLine).toMatchObject({ userId: 'boss', chain: ['ceo'], reportCount: 3 });
  });

  it('makes a manager with no line yet a top of their own, on condition they still have none', () => {
    const placed = placeNewcomer({ userId: 'ann', name: 'Ann' }, person('boss'), undefined);
    expect(placed.line.chain).toEqual(['boss']);
    expect(placed.writes[1].Update?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(placed.managerLine).toMatchObject({ userId: 'boss', chain: [], reportCount: 1 });
  });

  it('refuses a partner as manager and a line deeper than 15 levels', () => {
    expect(() => placeNewcomer({ userId: 'ann', name: 'Ann' }, person('pat', 'partner'), undefined)).toThrow(
      /must be an employee/,
    );
    // A manager 15 levels down (chain of 15): a report would be the 16th.
    const chainOf = (n: number) => Array.from({ length: n }, (_, k) => `m${n - 1 - k}`);
    const deepest = line('m15', chainOf(15));
    expect(() => placeNewcomer({ userId: 'ann', name: 'Ann' }, person('m15'), deepest)).toThrow(/15 levels/);
    const placed = placeNewcomer({ userId: 'ann', name: 'Ann' }, person('m14'), line('m14', chainOf(14)));
    expect(placed.line.chain).toHaveLength(15);
  });
});
