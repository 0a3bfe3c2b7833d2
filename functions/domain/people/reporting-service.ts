/**
 * Reporting lines and the org chart around a person. Reads are a constant number of requests: the
 * person and their line (one BatchGetItem), their reports and their peers (two Queries in parallel),
 * then the profiles of the chain, reports and peers (one BatchGetItem) — 4 whatever the size of the
 * company. A change of manager is one transaction for the person (conditioned on the lines it read),
 * then their subtree's stored chains rewritten in pages (docs/data-model.md, "Reporting lines").
 */
import { TransactionFailed } from '../../data/errors';
import { keys } from '../../data/keys';
import type { Item, Page, TransactItem } from '../../data/table';
import type { DomainContext } from '../context';
import { Conflict, Forbidden, MissingReference, NotFound } from '../errors';
import { isAdmin, type Principal } from '../principal';
import { type Profile, toProfile } from '../profiles/profile';
import { canSeePerson } from '../spaces/space-access';
import { type DirectoryPerson, directoryPerson } from './directory-entry';
import {
  MAX_DEPTH,
  newLinePut,
  pathOf,
  type ReportingLine,
  reportAdded,
  reportingLineItem,
  toReportingLine,
} from './reporting-line';

export interface ChartPerson extends DirectoryPerson {
  /** How many report to them (0 when none): what an expander shows. */
  reportCount?: number;
  managerId?: string;
}

export interface OrgChart {
  person: ChartPerson;
  /** From the top down to the person's manager. */
  chain: ChartPerson[];
  reports: ChartPerson[];
  reportsCursor?: string;
  /** Others with the same manager (the person not among them). */
  peers: ChartPerson[];
  peersCursor?: string;
}

/** Reports and peers shown around a person; with a chain of ≤ 15, their profiles fit one BatchGetItem. */
const AROUND = 40;

export class ReportingService {
  constructor(private readonly ctx: DomainContext) {}

  async chart(principal: Principal, userId: string): Promise<OrgChart> {
    const [profileItem, lineItem] = await this.ctx.table.getMany([
      keys.profile(userId),
      keys.reportingLine(userId),
    ]);
    if (!profileItem) throw new NotFound('Person');
    const profile = toProfile(profileItem);
    if (!canSeePerson(principal, profile)) throw new NotFound('Person');
    const line = lineItem ? toReportingLine(lineItem) : undefined;
    const [reports, peers] = await Promise.all([
      this.ctx.table.query({ index: 'GSI1', partition: keys.reportsOf(userId), limit: AROUND }),
      line?.managerId
        ? this.ctx.table.query({
            index: 'GSI1',
            partition: keys.reportsOf(line.managerId),
            limit: AROUND + 1,
          })
        : Promise.resolve({ items: [] as Item[], cursor: undefined }),
    ]);
    const peerLines = peers.items.filter((item) => item.userId !== userId);
    const chainIds = line?.chain ?? [];
    const profiles = await this.ctx.table.getMany([
      ...chainIds.map(keys.profile),
      ...reports.items.map((item) => keys.profile(item.userId as string)),
      ...peerLines.map((item) => keys.profile(item.userId as string)),
    ]);
    const byId = new Map(
      profiles.filter((item): item is Item => !!item).map((item) => [item.userId as string, toProfile(item)]),
    );
    const shown = (p: Profile | undefined) => !!p && canSeePerson(principal, p);
    const fromLine = (item: Item): ChartPerson | undefined => {
      const p = byId.get(item.userId as string);
      return shown(p) ? withLine(p!, toReportingLine(item)) : undefined;
    };
    return {
      person: withLine(profile, line),
      chain: [...chainIds]
        .reverse()
        .map((id) => byId.get(id))
        .filter(shown)
        .map((p) => directoryPerson(p!)),
      reports: reports.items.map(fromLine).filter((p): p is ChartPerson => !!p),
      ...(reports.cursor ? { reportsCursor: reports.cursor } : {}),
      peers: peerLines
        .slice(0, AROUND)
        .map(fromLine)
        .filter((p): p is ChartPerson => !!p),
      ...(peers.cursor || peerLines.length > AROUND ? { peersCursor: peers.cursor ?? 'more' } : {}),
    };
  }

  /** A person's direct reports by name, a page at a time: one Query and one BatchGetItem. */
  async reports(
    principal: Principal,
    userId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ChartPerson>> {
    const person = await this.ctx.table.get(keys.profile(userId));
    if (!person || !canSeePerson(principal, toProfile(person))) throw new NotFound('Person');
    const page = await this.ctx.table.query({
      index: 'GSI1',
      partition: keys.reportsOf(userId),
      limit,
      cursor,
    });
    const profiles = await this.ctx.table.getMany(
      page.items.map((item) => keys.profile(item.userId as string)),
    );
    return {
      items: page.items
        .map((item, i) => ({ line: toReportingLine(item), profile: profiles[i] && toProfile(profiles[i]!) }))
        .filter(({ profile }) => profile && canSeePerson(principal, profile))
        .map(({ line, profile }) => withLine(profile!, line)),
      cursor: page.cursor,
    };
  }

  /** An admin sets (or, with null, removes) a person's manager. */
  async setManager(principal: Principal, userId: string, managerId: string | null): Promise<ChartPerson> {
    if (!isAdmin(principal)) throw new Forbidden('Only admins set managers');
    return this.moveUnder(userId, managerId ?? undefined);
  }

  /** The lines of these people (one BatchGetItem per 100), by id; absent for a person with none. */
  async linesOf(userIds: string[]): Promise<Map<string, ReportingLine>> {
    const items = await this.ctx.table.getMany(userIds.map(keys.reportingLine));
    return new Map(
      items
        .filter((item): item is Item => !!item)
        .map((item) => [item.userId as string, toReportingLine(item)]),
    );
  }

  /**
   * Puts `userId` below `managerId` (or at the top). Refused: a manager who does not exist or is not
   * an employee, a cycle (the manager reports, at any depth, to the person), a line deeper than
   * MAX_DEPTH. Idempotent: the same manager again changes nothing.
   */
  async moveUnder(userId: string, managerId: string | undefined): Promise<ChartPerson> {
    const { profile, line } = await this.place(userId, managerId);
    return withLine(profile, line);
  }

  /** moveUnder, answering the person's line as it is after the move (the HR import goes on from it). */
  async moveLine(userId: string, managerId: string | undefined): Promise<ReportingLine> {
    return (await this.place(userId, managerId)).line;
  }

  private async place(
    userId: string,
    managerId: string | undefined,
  ): Promise<{ profile: Profile; line: ReportingLine }> {
    const [profileItem, lineItem, managerProfileItem, managerLineItem] = await this.ctx.table.getMany([
      keys.profile(userId),
      keys.reportingLine(userId),
      ...(managerId ? [keys.profile(managerId), keys.reportingLine(managerId)] : []),
    ]);
    if (!profileItem) throw new NotFound('Person');
    const profile = toProfile(profileItem);
    if (profile.kind !== 'employee')
      throw new Conflict('Only employees have a place in the reporting lines', [
        { field: 'userId', message: 'not an employee' },
      ]);
    const line = lineItem ? toReportingLine(lineItem) : undefined;
    let newChain: string[] = [];
    let managerLine: ReportingLine | undefined;
    if (managerId) {
      if (!managerProfileItem)
        throw new MissingReference('The manager does not exist', [
          { field: 'managerId', message: 'no such person' },
        ]);
      const manager = toProfile(managerProfileItem);
      assertCanManage(manager);
      managerLine = managerLineItem ? toReportingLine(managerLineItem) : undefined;
      newChain = [managerId, ...(managerLine?.chain ?? [])];
      if (newChain.includes(userId))
        throw new Conflict(
          managerId === userId
            ? 'A person cannot be their own manager'
            : `${manager.name} reports to ${profile.name}: that would make a cycle`,
          [{ field: 'managerId', message: 'manager cycle' }],
        );
    }
    // The same manager again changes nothing — except that it finishes a subtree rewrite a failure
    // stopped half-way (below: the line keeps `pendingFrom` until its subtree is rewritten).
    const unchanged = !!line && line.managerId === managerId && sameChain(line.chain, newChain);
    if (unchanged && (line!.reportCount === 0 || !line!.pendingFrom)) return { profile, line: line! };

    // The subtree below the person, whose stored chains change with theirs.
    const oldPath = line ? pathOf(line) : userId;
    // Also under the path of a move whose subtree rewrite was stopped half-way (`pendingFrom`).
    const pendingFrom = line?.pendingFrom;
    const subtree: { item: Item; from: string }[] = [];
    for (const from of line && line.reportCount > 0 ? [oldPath, ...(pendingFrom ? [pendingFrom] : [])] : []) {
      let cursor: string | undefined;
      do {
        const page = await this.ctx.table.query({
          index: 'GSI2',
          partition: keys.orgChart,
          beginsWith: `${from}/`,
          limit: 100,
          cursor,
        });
        subtree.push(...page.items.map((item) => ({ item, from })));
        cursor = page.cursor;
      } while (cursor);
    }
    const deepest = Math.max(
      newChain.length,
      ...subtree.map(({ item }) => {
        const chain = toReportingLine(item).chain;
        return chain.indexOf(userId) + 1 + newChain.length;
      }),
    );
    if (deepest > MAX_DEPTH)
      throw new Conflict(`Reporting lines are at most ${MAX_DEPTH} levels deep`, [
        { field: 'managerId', message: 'too deep' },
      ]);

    const moved: ReportingLine = {
      userId,
      ...(managerId ? { managerId } : {}),
      chain: newChain,
      reportCount: line?.reportCount ?? 0,
      name: profile.name,
    };
    const movedItem = reportingLineItem(moved);
    const writes: TransactItem[] = [
      {
        Update: {
          Key: keys.reportingLine(userId),
          UpdateExpression: `SET #type = :type, userId = :userId, #name = :name, chain = :chain, GSI2PK = :chart, GSI2SK = :path, reportCount = if_not_exists(reportCount, :zero)${
            subtree.length ? ', pendingFrom = :oldPath' : ''
          }${managerId ? ', managerId = :managerId, GSI1PK = :reports, GSI1SK = :byName' : ''}${
            managerId ? '' : ' REMOVE managerId, GSI1PK, GSI1SK'
          }`,
          ConditionExpression: line ? 'GSI2SK = :oldPath' : 'attribute_not_exists(PK)',
          ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
          ExpressionAttributeValues: {
            ':type': 'reportingLine',
            ':userId': userId,
            ':name': profile.name,
            ':chain': newChain,
            ':chart': keys.orgChart,
            ':path': movedItem.GSI2SK,
            ':zero': 0,
            ...(managerId
              ? { ':managerId': managerId, ':reports': movedItem.GSI1PK, ':byName': movedItem.GSI1SK }
              : {}),
            ...(line || subtree.length ? { ':oldPath': oldPath } : {}),
          },
        },
      },
    ];
    // The manager's own line: created at the top when they have none yet; its path read above must
    // still hold, or a concurrent move of the manager would leave this chain stale.
    if (managerId && managerId !== line?.managerId)
      writes.push(reportAdded({ userId: managerId, name: toProfile(managerProfileItem!).name }, managerLine));
    if (line?.managerId && line.managerId !== managerId)
      writes.push({
        Update: {
          Key: keys.reportingLine(line.managerId),
          UpdateExpression: 'ADD reportCount :minus',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':minus': -1 },
        },
      });
    try {
      await this.ctx.table.transact(writes);
    } catch (error) {
      if (error instanceof TransactionFailed)
        throw new Conflict('The reporting lines changed meanwhile; try again', [
          { field: 'managerId', message: 'changed meanwhile' },
        ]);
      throw error;
    }
    // The subtree, 25 items a BatchWriteItem (not atomic: the same request again rewrites what a
    // failure left stale, since it reads the subtree by the person's path and compares chains).
    const newPath = movedItem.GSI2SK as string;
    const rewritten = subtree
      .map(({ item, from }) => {
        const below = toReportingLine(item);
        const chain = [...below.chain.slice(0, below.chain.indexOf(userId) + 1), ...newChain];
        return { ...item, chain, GSI2SK: newPath + (item.GSI2SK as string).slice(from.length) };
      })
      .filter((item, i) => item.GSI2SK !== subtree[i].item.GSI2SK);
    await this.ctx.table.writeMany(rewritten, []);
    if (subtree.length)
      await this.ctx.table.update({
        Key: keys.reportingLine(userId),
        UpdateExpression: 'REMOVE pendingFrom',
        ConditionExpression: 'GSI2SK = :path',
        ExpressionAttributeValues: { ':path': newPath },
      });
    return { profile, line: moved };
  }
}

/** Refuses a manager who cannot have reports (moveUnder, placeNewcomer). */
function assertCanManage(manager: Profile) {
  if (manager.kind !== 'employee')
    throw new Conflict('A manager must be an employee', [{ field: 'managerId', message: 'not an employee' }]);
}

/**
 * A place in the lines for a person being created: the writes that go into the transaction creating
 * them (their line, one more report on their manager's, made at the top when missing) and the lines as
 * they are once it commits. `managerLine` is the manager's line as read (undefined: none); the write is
 * conditioned on it, so a stale read fails the transaction rather than storing a stale chain. Refuses
 * what moveUnder refuses; a person who does not exist yet can be in no cycle and has no subtree.
 */
export function placeNewcomer(
  person: { userId: string; name: string },
  manager: Profile | undefined,
  managerLine: ReportingLine | undefined,
): { writes: TransactItem[]; line: ReportingLine; managerLine?: ReportingLine } {
  if (!manager) {
    const line: ReportingLine = { userId: person.userId, chain: [], reportCount: 0, name: person.name };
    return { writes: [newLinePut(line)], line };
  }
  assertCanManage(manager);
  const chain = [manager.userId, ...(managerLine?.chain ?? [])];
  if (chain.length > MAX_DEPTH)
    throw new Conflict(`Reporting lines are at most ${MAX_DEPTH} levels deep`, [
      { field: 'managerId', message: 'too deep' },
    ]);
  const line: ReportingLine = {
    userId: person.userId,
    managerId: manager.userId,
    chain,
    reportCount: 0,
    name: person.name,
  };
  return {
    writes: [newLinePut(line), reportAdded(manager, managerLine)],
    line,
    managerLine: {
      ...(managerLine ?? { userId: manager.userId, chain: [], name: manager.name, reportCount: 0 }),
      reportCount: (managerLine?.reportCount ?? 0) + 1,
    },
  };
}

function withLine(profile: Profile, line: ReportingLine | undefined): ChartPerson {
  return {
    ...directoryPerson(profile),
    reportCount: line?.reportCount ?? 0,
    ...(line?.managerId ? { managerId: line.managerId } : {}),
  };
}

function sameChain(a: string[], b: string[]) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
