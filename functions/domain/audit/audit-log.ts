/**
 * Reading the audit trail (admins only): a filtered, cursor-paged list, newest first, and exports as
 * CSV or JSON Lines. Every page is one Query whatever the filters: the most selective of them picks
 * the partition (target → GSI2, actor → GSI1, otherwise the time-ordered base partition), the time
 * range is the sort-key condition, the rest is a FilterExpression (so a page may hold fewer records
 * than asked for, and its cursor goes on).
 */
import { keys } from '../../data/keys';
import type { Item, Page } from '../../data/table';
import type { DomainContext } from '../context';
import { Forbidden, InvalidInput } from '../errors';
import { isAdmin, type Principal } from '../principal';
import { type AuditKind, type AuditRecord, toAuditRecord } from './audit-record';

export interface AuditFilter {
  kind?: AuditKind;
  actor?: string;
  target?: string;
  /** ISO-8601, both included. */
  from?: string;
  to?: string;
}

/** At most this many records per export (a larger export is done in several, from `next`). */
export const EXPORT_MAX_RECORDS = 10_000;
const EXPORT_PAGE = 500;

export class AuditLog {
  constructor(private readonly ctx: DomainContext) {}

  async list(
    principal: Principal,
    filter: AuditFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<AuditRecord>> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins can read the audit trail');
    if (filter.from && filter.to && filter.from > filter.to)
      throw new InvalidInput('The time range ends before it starts', [
        { field: 'query.to', message: 'before from' },
      ]);
    const page = await this.ctx.table.query<Item>({ ...queryOf(filter), limit, cursor, newestFirst: true });
    return { items: page.items.map(toAuditRecord), cursor: page.cursor };
  }

  /** The matching records, newest first, up to EXPORT_MAX_RECORDS; `next` continues a longer export. */
  async export(
    principal: Principal,
    filter: AuditFilter,
    format: 'csv' | 'jsonl',
    cursor?: string,
  ): Promise<{ body: string; next?: string; count: number }> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins can export the audit trail');
    const records: AuditRecord[] = [];
    let next = cursor;
    do {
      const page = await this.list(principal, filter, EXPORT_PAGE, next);
      records.push(...page.items);
      next = page.cursor;
    } while (next && records.length < EXPORT_MAX_RECORDS);
    const body =
      format === 'jsonl'
        ? records.map((r) => `${JSON.stringify(r)}\n`).join('')
        : [CSV_HEADER, ...records.map(csvRow)].map((row) => `${row}\r\n`).join('');
    return { body, count: records.length, ...(next ? { next } : {}) };
  }
}

function queryOf(filter: AuditFilter) {
  const between = [filter.from ?? '0', `${filter.to ?? '9'}#~`] as const;
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.kind) {
    conditions.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
  }
  if (filter.actor && filter.target) {
    conditions.push('#actor.#userId = :actor');
    Object.assign(names, { '#actor': 'actor', '#userId': 'userId' });
    values[':actor'] = filter.actor;
  }
  const where = conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {};
  if (filter.target)
    return { index: 'GSI2' as const, partition: keys.auditByTarget(filter.target), between, ...where };
  if (filter.actor)
    return { index: 'GSI1' as const, partition: keys.auditByActor(filter.actor), between, ...where };
  return { partition: keys.auditPartition, between, ...where };
}

const CSV_HEADER = 'at,kind,actorId,actorName,target,before,after,id';

function csvRow(r: AuditRecord): string {
  return [
    r.at,
    r.kind,
    r.actor.userId,
    r.actor.name,
    r.target,
    r.before ? JSON.stringify(r.before) : '',
    r.after ? JSON.stringify(r.after) : '',
    r.id,
  ]
    .map(csvField)
    .join(',');
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
