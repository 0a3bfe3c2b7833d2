/**
 * A person's place in the reporting lines: their manager, the chain of managers up to the top (nearest
 * first) and how many report to them. The chain is stored, so a person's chain is one read; a change
 * of manager rewrites the moved person's subtree (found by the path from the top, GSI2).
 */
import { keys } from '../../data/keys';
import type { Item, TransactItem } from '../../data/table';

export interface ReportingLine {
  userId: string;
  managerId?: string;
  /** Managers from the nearest up to the top. */
  chain: string[];
  reportCount: number;
  /** Kept for the reports list's sort key (by name). */
  name: string;
  /** The old path of a move whose subtree rewrite was stopped half-way (read only). */
  pendingFrom?: string;
}

/** Deeper lines than this are refused: the path from the top must fit an index sort key (1,024 bytes). */
export const MAX_DEPTH = 15;

/** `top/…/manager/person`: a subtree is every path that starts with the person's path and '/'. */
export const pathOf = (line: Pick<ReportingLine, 'userId' | 'chain'>) =>
  [...line.chain].reverse().concat(line.userId).join('/');

export function reportingLineItem(line: ReportingLine): Item {
  return {
    ...keys.reportingLine(line.userId),
    type: 'reportingLine',
    userId: line.userId,
    name: line.name,
    chain: line.chain,
    reportCount: line.reportCount,
    ...(line.managerId
      ? {
          managerId: line.managerId,
          GSI1PK: keys.reportsOf(line.managerId),
          GSI1SK: `${line.name.toLowerCase()}#${line.userId}`,
        }
      : {}),
    GSI2PK: keys.orgChart,
    GSI2SK: pathOf(line),
  };
}

export function toReportingLine(item: Item): ReportingLine {
  return {
    userId: item.userId as string,
    ...(item.managerId ? { managerId: item.managerId as string } : {}),
    chain: (item.chain as string[] | undefined) ?? [],
    reportCount: Math.max(0, Number(item.reportCount ?? 0)),
    name: (item.name as string | undefined) ?? '',
    ...(typeof item.pendingFrom === 'string' ? { pendingFrom: item.pendingFrom } : {}),
  };
}

/**
 * Whether `line` already puts its person below `managerId` (undefined: at the top) with the chain that
 * manager's line gives, and no subtree rewrite was left half-way: then setting that manager again
 * would change nothing.
 */
export function alreadyUnder(
  line: ReportingLine | undefined,
  managerId: string | undefined,
  managerLine: ReportingLine | undefined,
): boolean {
  if (!line || line.pendingFrom || line.managerId !== managerId) return false;
  const chain = managerId ? [managerId, ...(managerLine?.chain ?? [])] : [];
  return line.chain.length === chain.length && line.chain.every((id, i) => id === chain[i]);
}

/** The transaction item that puts the line of a person who has none yet. */
export function newLinePut(line: ReportingLine): TransactItem {
  return { Put: { Item: reportingLineItem(line), ConditionExpression: 'attribute_not_exists(PK)' } };
}

/**
 * One more report on a manager's line, the line made at the top when they have none. Conditioned on
 * the line as read (its path, or that there is none): a concurrent move of the manager fails the
 * transaction instead of leaving the new report's stored chain stale.
 */
export function reportAdded(
  manager: { userId: string; name: string },
  line: ReportingLine | undefined,
): TransactItem {
  return {
    Update: {
      Key: keys.reportingLine(manager.userId),
      UpdateExpression:
        'SET #type = :type, userId = :userId, #name = if_not_exists(#name, :name), chain = if_not_exists(chain, :empty), GSI2PK = :chart, GSI2SK = if_not_exists(GSI2SK, :userId) ADD reportCount :one',
      ConditionExpression: line ? 'GSI2SK = :path' : 'attribute_not_exists(PK)',
      ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
      ExpressionAttributeValues: {
        ':type': 'reportingLine',
        ':userId': manager.userId,
        ':name': manager.name,
        ':empty': [],
        ':chart': keys.orgChart,
        ':one': 1,
        ...(line ? { ':path': pathOf(line) } : {}),
      },
    },
  };
}
