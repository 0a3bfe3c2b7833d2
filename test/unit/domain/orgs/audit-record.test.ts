/** Audit records: keys in their own range, the 400-day TTL, and the CSV export's quoting. */
import { expect, it } from '@jest/globals';
import type { Table } from '../../../../functions/data/table';
import { AuditLog } from '../../../../functions/domain/audit/audit-log';
import { auditItem, auditPut } from '../../../../functions/domain/audit/audit-record';
import type { Principal } from '../../../../functions/domain/principal';

const at = '2026-11-30T09:00:00.000Z';
const record = {
  id: '01J0000000000000000000000A',
  at,
  kind: 'organisation.suspended' as const,
  actor: { userId: 'admin', name: '=HYPERLINK("x")' },
  target: 'organisation:acme' as const,
  before: { status: 'active', name: 'Acme, "the" supplier' },
  after: { status: 'suspended' },
};

it('keeps records in their own key range, by actor and by target, expiring after 400 days', () => {
  const item = auditItem(record);
  expect(item).toMatchObject({
    PK: 'AUDIT',
    SK: `${at}#${record.id}`,
    GSI1PK: 'AUDIT#ACTOR#admin',
    GSI2PK: 'AUDIT#TARGET#organisation:acme',
    type: 'audit',
  });
  expect(item.expiresAt).toBe(Date.parse(at) / 1000 + 400 * 86_400);
});

it('writes a record only where none is (never overwrites one)', () => {
  const put = auditPut(
    { clock: { now: () => new Date(at) }, ids: { next: () => 'X1' } },
    { userId: 'bob', name: 'Bob' },
    { kind: 'space.shared', target: 'space:s1', after: { partnerOrgs: ['acme'] } },
  );
  expect(put.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
  expect(put.Put?.Item).toMatchObject({ at, id: 'X1', actor: { userId: 'bob', name: 'Bob' } });
});

it('exports CSV with RFC 4180 quoting and no spreadsheet formulas', async () => {
  const table = {
    query: async () => ({ items: [auditItem(record)] }),
  } as unknown as Table;
  const log = new AuditLog({ table, clock: { now: () => new Date(at) }, ids: { next: () => 'x' } });
  const admin: Principal = { userId: 'admin', name: 'A', email: '', groups: ['employee', 'admin'] };
  const { body, count } = await log.export(admin, {}, 'csv');
  expect(count).toBe(1);
  const [header, row] = body.split('\r\n');
  expect(header).toBe('at,kind,actorId,actorName,target,before,after,id');
  expect(row).toContain(`"'=HYPERLINK(""x"")"`);
  expect(row).toContain('"{""status"":""active"",""name"":""Acme, \\""the\\"" supplier""}"');
  const jsonl = await log.export(admin, {}, 'jsonl');
  expect(JSON.parse(jsonl.body.trim())).toEqual(record);
});
