/**
 * A person's place in the reporting lines: their manager, the chain of managers up to the top (nearest
 * first) and how many report to them. The chain is stored, so a person's chain is one read; a change
 * of manager rewrites the moved person's subtree (found by the path from the top, GSI2).
 */
import { keys } from '../../data/keys';
import type { Item } from '../../data/table';

export interface ReportingLine {
  userId: string;
  managerId?: string;
  /** Managers from the nearest up to the top. */
  chain: string[];
  reportCount: number;
  /** Kept for the reports list's sort key (by name). */
  name: string;
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
  };
}
