/**
 * Audit records: every change to who can see what (sharing, membership and roles, partner
 * organisations, guest end dates, invitations). A record is written as one more Put in the very
 * transaction that makes the change, so there is never a change without its record nor a record
 * without its change; no route updates or deletes one. DynamoDB's TTL drops it after 400 days.
 */
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';
import type { DomainContext } from '../context';
import type { Principal } from '../principal';

export const AUDIT_KINDS = [
  'space.shared',
  'space.unshared',
  'member.added',
  'member.role-changed',
  'member.removed',
  'organisation.added',
  'organisation.updated',
  'organisation.suspended',
  'organisation.reactivated',
  'organisation.access-changed',
  'organisation.removed',
  'person.access-changed',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** What was changed: `space:<id>`, `organisation:<id>`, `person:<id>`, `invitation:<spaceId>/<email>`. */
export type AuditTarget = `${'space' | 'organisation' | 'person' | 'invitation'}:${string}`;

export interface AuditRecord {
  id: string;
  at: string;
  kind: AuditKind;
  actor: { userId: string; name: string };
  target: AuditTarget;
  /** The state before and after, as far as it concerns access (absent: did not exist / no longer does). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** How long a record is kept: 400 days, then DynamoDB's TTL removes it. */
export const AUDIT_RETENTION_DAYS = 400;

export function auditItem(record: AuditRecord): Item {
  const expiresAt = Math.floor(Date.parse(record.at) / 1000) + AUDIT_RETENTION_DAYS * 86_400;
  const sortKey = `${record.at}#${record.id}`;
  return {
    ...keys.audit(record.at, record.id),
    type: 'audit',
    ...record,
    GSI1PK: keys.auditByActor(record.actor.userId),
    GSI1SK: sortKey,
    GSI2PK: keys.auditByTarget(record.target),
    GSI2SK: sortKey,
    expiresAt,
  };
}

/**
 * The Put of one audit record, for the transaction of the change it records. Conditioned on the key
 * being new, so a record is never overwritten, even by an id collision.
 */
export function auditPut(
  ctx: Pick<DomainContext, 'clock' | 'ids'>,
  actor: Pick<Principal, 'userId' | 'name'>,
  change: Pick<AuditRecord, 'kind' | 'target' | 'before' | 'after'>,
  at = ctx.clock.now().toISOString(),
): TransactItem {
  const record: AuditRecord = {
    id: ctx.ids.next(),
    at,
    actor: { userId: actor.userId, name: actor.name },
    ...change,
  };
  return { Put: { Item: auditItem(record), ConditionExpression: 'attribute_not_exists(PK)' } };
}

export function toAuditRecord(item: Item): AuditRecord {
  const { id, at, kind, actor, target, before, after } = item as unknown as AuditRecord;
  return { id, at, kind, actor, target, ...(before ? { before } : {}), ...(after ? { after } : {}) };
}
