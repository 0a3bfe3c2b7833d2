/**
 * The people directory, reporting lines and the HR import over the real local runtime (issue 15,
 * items 1–2): filters, paging and type-ahead within what each caller may see, a constant number of
 * DynamoDB requests per read, manager cycles refused, subtrees moved, and a CSV imported in steps with
 * its bad rows reported and the rest imported, twice without a change.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { provisionedUserId } from '../../functions/domain/people/provisioning';
import { reportingLineItem } from '../../functions/domain/people/reporting-line';
import { seedDemoData } from '../../local/seed';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

let rt: TestRuntime;

const ok: TestRuntime['ok'] = (...args) => rt.ok(...args);

const ids = (page: { items: { userId: string }[] }) => page.items.map((p) => p.userId);

/** DynamoDB requests the API made for one call (the caller has called before, so no sign-in write). */
async function requestsOf(account: string, pathname: string): Promise<{ body: any; requests: number }> {
  const before = rt.table.roundTrips;
  const body = await ok(account, 'GET', pathname);
  return { body, requests: rt.table.roundTrips - before };
}

/** Every page of a list, following cursors. */
async function all(account: string, pathname: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const sep = pathname.includes('?') ? '&' : '?';
    const page = await ok(account, 'GET', `${pathname}${sep}limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    found.push(...ids(page));
    cursor = page.cursor;
  } while (cursor);
  return found;
}

/** Runs an import to its end as the web client does; returns every step's answer. */
async function importCsv(csv: string, account = 'admin') {
  const steps: any[] = [];
  let cursor: string | undefined;
  do {
    const step = await ok(account, 'POST', '/people/import', { csv, ...(cursor ? { cursor } : {}) });
    steps.push(step);
    cursor = step.cursor;
  } while (cursor);
  return steps;
}

beforeAll(async () => {
  rt = await startTestRuntime();
  await seedDemoData(rt.table);
  for (const account of ['alice', 'bob', 'admin', 'pat', 'gus']) await ok(account, 'GET', '/me');
  const edit = async (account: string, changes: Record<string, unknown>) => {
    const me = await ok(account, 'GET', '/me');
    await ok(account, 'PATCH', '/me', { ...changes, version: me.version });
  };
  await edit('alice', { department: 'Platform', location: 'Oslo', skills: ['Kubernetes'] });
  await edit('bob', { department: ' platform ', location: 'Berlin', skills: ['kubernetes'] });
  await edit('pat', { department: 'Platform', skills: ['Kubernetes'] });
  await edit('gus', { department: 'Platform', skills: ['Kubernetes'] });
}, 180_000);

afterAll(async () => {
  await rt?.close();
});

describe('the people directory', () => {
  it('lists everyone an employee may see, by name, and a partner only employees and their own organisation', async () => {
    expect(await all('alice', '/people')).toEqual(['admin', 'alice', 'bob', 'gus', 'pat']);
    expect(await all('pat', '/people')).toEqual(['admin', 'alice', 'bob', 'pat']);
    expect(await all('gus', '/people')).toEqual(['admin', 'alice', 'bob', 'gus']);
    expect(await all('alice', '/people?order=desc')).toEqual(['pat', 'gus', 'bob', 'alice', 'admin']);
    expect(await all('pat', '/people?order=desc')).toEqual(['pat', 'bob', 'alice', 'admin']);
  });

  it('filters by department, location, skill and organisation, never past what the caller may see', async () => {
    expect(await all('alice', '/people?department=PLATFORM')).toEqual(['alice', 'bob', 'gus', 'pat']);
    expect(await all('pat', '/people?department=platform')).toEqual(['alice', 'bob', 'pat']);
    expect(await all('alice', '/people?location=oslo')).toEqual(['alice']);
    expect(await all('alice', '/people?department=platform&location=berlin')).toEqual(['bob']);
    expect(await all('alice', '/people?skill=kubernetes')).toEqual(['alice', 'bob', 'gus', 'pat']);
    expect(await all('gus', '/people?skill=Kubernetes')).toEqual(['alice', 'bob', 'gus']);
    expect(await all('alice', '/people?org=acme')).toEqual(['pat']);
    expect(await all('alice', '/people?org=employees&department=platform')).toEqual(['alice', 'bob']);
    expect(await all('pat', '/people?org=globex')).toEqual([]);
    expect(await all('pat', '/people?org=acme&skill=kubernetes')).toEqual(['pat']);
    const row = (await ok('alice', 'GET', '/people?location=Oslo')).items[0];
    expect(row).toMatchObject({
      userId: 'alice',
      name: 'Alice Andersen',
      handle: 'alice',
      department: 'Platform',
    });
  });

  it('suggests people by the start of their name or @handle', async () => {
    expect(ids(await ok('alice', 'GET', '/people/suggest?q=Al'))).toEqual(['alice']);
    expect(ids(await ok('alice', 'GET', '/people/suggest?q=%40bo'))).toEqual(['bob']);
    expect(ids(await ok('alice', 'GET', '/people/suggest?q=g'))).toEqual(['gus']);
    expect(ids(await ok('pat', 'GET', '/people/suggest?q=g'))).toEqual([]);
    expect(ids(await ok('pat', 'GET', '/people/suggest?q=pat'))).toEqual(['pat']);
  });

  it('refuses bad input with a problem naming the field', async () => {
    for (const query of ['cursor=bogus!', 'cursor=eyJhIjoxfQ', 'limit=0', 'department=a%23b', 'order=up']) {
      const response = await rt.api('alice', 'GET', `/people?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await rt.api('alice', 'GET', '/people/suggest')).status).toBe(400);
    expect((await rt.api('anonymous', 'GET', '/people')).status).toBe(401);
  });
});

describe('reporting lines', () => {
  it('are set by admins only; a cycle is refused and changes nothing', async () => {
    expect((await rt.api('alice', 'PUT', '/people/bob/manager', { managerId: 'alice' })).status).toBe(403);
    expect((await rt.api('pat', 'PUT', '/people/bob/manager', { managerId: 'alice' })).status).toBe(403);
    await ok('admin', 'PUT', '/people/bob/manager', { managerId: 'alice' });
    await ok('admin', 'PUT', '/people/alice/manager', { managerId: 'admin' });
    const before = rt.front.stream(rt.tableName).length;
    const cycle = await rt.api('admin', 'PUT', '/people/admin/manager', { managerId: 'bob' });
    expect(cycle.status).toBe(409);
    expect(cycle.body.errors[0].field).toBe('managerId');
    expect((await rt.api('admin', 'PUT', '/people/bob/manager', { managerId: 'bob' })).status).toBe(409);
    expect((await rt.api('admin', 'PUT', '/people/bob/manager', { managerId: 'pat' })).status).toBe(409);
    expect((await rt.api('admin', 'PUT', '/people/bob/manager', { managerId: 'nobody' })).status).toBe(404);
    expect((await rt.api('admin', 'PUT', '/people/bob/manager', { managerId: 'a#b' })).status).toBe(400);
    expect(rt.front.stream(rt.tableName).length).toBe(before);
    const chart = await ok('pat', 'GET', '/people/bob/org-chart');
    expect(chart.person).toMatchObject({ userId: 'bob', managerId: 'alice', reportCount: 0 });
    expect(chart.chain.map((p: any) => p.userId)).toEqual(['admin', 'alice']);
    expect((await ok('alice', 'GET', '/people/admin/org-chart')).reports.map((p: any) => p.userId)).toEqual([
      'alice',
    ]);
    expect((await rt.api('pat', 'GET', '/people/gus/org-chart')).status).toBe(404);
  });
});

describe('the HR import', () => {
  // A company of 300: a CEO, 5 VPs, 30 managers, 264 engineers; plus bad rows.
  const people: string[][] = [];
  const email = (i: number) => `p${i}@corp.example`;
  people.push([email(0), 'Casey CEO', 'CEO', 'Board', '', 'E0']);
  for (let v = 1; v <= 5; v++) people.push([email(v), `Vic VP${v}`, 'VP', 'Engineering', email(0), `E${v}`]);
  for (let m = 6; m < 36; m++)
    people.push([email(m), `Max Manager${m}`, 'Manager', 'Engineering', email(1 + (m % 5)), `E${m}`]);
  for (let e = 36; e < 300; e++)
    people.push([email(e), `Eve Engineer${e}`, 'Engineer', 'Engineering', email(6 + (e % 30)), `E${e}`]);
  const rows = people.map(
    ([mail, name, title, dept, manager, id]) => `${mail},"${name}",${title},${dept},Oslo,${manager},${id},x`,
  );
  const csv = [
    'Work Email,Display Name,Job Title,Department,Office,Manager Email,Employee ID,Favourite Colour',
    ...rows,
    'p5@corp.example,Duplicate Vic,VP,Engineering,Oslo,,E5b,x',
    'p900@corp.example,Orphan Olly,Engineer,Engineering,Oslo,nobody@corp.example,E900,x',
    'p901@corp.example,Cy Cle,Engineer,Engineering,Oslo,p902@corp.example,E901,x',
    'p902@corp.example,Cy Clone,Engineer,Engineering,Oslo,p901@corp.example,E902,x',
    'not-an-email,Broken Row,Engineer,Engineering,Oslo,,E903,x',
  ].join('\r\n');

  it('imports people and managers in steps, reporting bad rows and importing the rest', async () => {
    expect((await rt.api('alice', 'POST', '/people/import', { csv })).status).toBe(403);
    const steps = await importCsv(csv);
    expect(steps.map((s) => s.done)).toEqual([200, 303]);
    expect(steps[0].total).toBe(303);
    const problems = steps.flatMap((s) => s.problems);
    const byRow = (row: number) => problems.filter((p) => p.row === row).map((p) => p.message);
    expect(byRow(1)[0]).toMatch(/unknown column.*Favourite Colour/);
    expect(byRow(302)[0]).toMatch(/duplicate e-mail \(first on row 7\)/);
    expect(byRow(303)[0]).toMatch(/nobody@corp\.example/);
    expect(byRow(304)[0]).toMatch(/cycle/);
    expect(byRow(305)[0]).toMatch(/cycle/);
    expect(byRow(306)[0]).toMatch(/not an e-mail/);
    expect(problems).toHaveLength(6);
    const counted = steps.reduce((sum, s) => sum + s.created, 0);
    expect(counted).toBe(303);
    // Everyone's line but the orphan's (a missing manager) and the two in a cycle.
    expect(steps.reduce((sum, s) => sum + s.managersSet, 0)).toBe(300);
    expect(ids(await ok('alice', 'GET', '/people/suggest?q=orphan'))).toHaveLength(1);

    const again = await importCsv(csv);
    expect(again.reduce((sum, s) => sum + s.created + s.updated + s.managersSet, 0)).toBe(0);
    expect(again.reduce((sum, s) => sum + s.unchanged, 0)).toBe(303);
  }, 120_000);

  it('draws the chart around anyone in a constant number of requests', async () => {
    const eve = ids(await ok('alice', 'GET', '/people/suggest?q=eve%20engineer299'))[0];
    const small = await requestsOf('alice', `/people/${eve}/org-chart`);
    expect(small.body.chain.map((p: any) => p.name)).toEqual(['Casey CEO', 'Vic VP1', 'Max Manager35']);
    expect(small.body.peers.length).toBeGreaterThan(5);
    expect(small.requests).toBeLessThanOrEqual(4);
    const ceo = ids(await ok('alice', 'GET', '/people/suggest?q=casey'))[0];
    const top = await requestsOf('alice', `/people/${ceo}/org-chart`);
    expect(top.body.reports).toHaveLength(5);
    expect(top.body.reports[0].reportCount).toBe(6);
    expect(top.requests).toBeLessThanOrEqual(4);
    const list = await requestsOf('alice', '/people?department=engineering&limit=50');
    expect(list.body.items).toHaveLength(50);
    expect(list.requests).toBe(1);
    // A partner's page: two Queries (employees, their organisation) in parallel; every partner request
    // also reads its organisation once (the per-request partner check, issue 16b).
    const queries = rt.table.queries;
    const partnerList = await requestsOf('pat', '/people?limit=50');
    expect(rt.table.queries - queries).toBe(2);
    expect(partnerList.requests).toBeLessThanOrEqual(3);
  });

  it('moves a subtree: everyone below gets the new chain', async () => {
    const [vp1, vp2] = [
      ids(await ok('alice', 'GET', '/people/suggest?q=vic%20vp1'))[0],
      ids(await ok('alice', 'GET', '/people/suggest?q=vic%20vp2'))[0],
    ];
    // Manager10 reports to VP1 (6 + 10 % 5 = 1 → p1); move VP1 below VP2.
    await ok('admin', 'PUT', `/people/${vp1}/manager`, { managerId: vp2 });
    const manager10 = ids(await ok('alice', 'GET', '/people/suggest?q=max%20manager10'))[0];
    const chart = await ok('alice', 'GET', `/people/${manager10}/org-chart`);
    expect(chart.chain.map((p: any) => p.name)).toEqual(['Casey CEO', 'Vic VP2', 'Vic VP1']);
    const below = chart.reports[0];
    const leaf = await ok('alice', 'GET', `/people/${below.userId}/org-chart`);
    expect(leaf.chain.map((p: any) => p.name)).toEqual(['Casey CEO', 'Vic VP2', 'Vic VP1', 'Max Manager10']);
    // VP2 cannot now go below anyone in VP1's subtree.
    const cycle = await rt.api('admin', 'PUT', `/people/${vp2}/manager`, { managerId: below.userId });
    expect(cycle.status).toBe(409);
    const ceo = ids(await ok('alice', 'GET', '/people/suggest?q=casey'))[0];
    expect((await ok('alice', 'GET', `/people/${ceo}/org-chart`)).person.reportCount).toBe(4);
  });

  it('deactivates a person from the file; their reports stay in the chart', async () => {
    // The HR system marks Max as terminated (the Status column) and sends the file again.
    const row6 = 'p6@corp.example,"Max Manager6",Manager,Engineering,Oslo,p2@corp.example,E6,x';
    expect(csv).toContain(row6);
    const withStatus = csv
      .replace('Employee ID,Favourite Colour', 'Employee ID,Status')
      .replace(row6, row6.replace(/,x$/, ',terminated'));
    const steps = await importCsv(withStatus);
    expect(steps.reduce((sum, s) => sum + s.updated, 0)).toBe(1);
    const max = (await ok('alice', 'GET', '/people/suggest?q=max%20manager6')).items[0];
    expect(max.active).toBe(false);
    const chart = await ok('alice', 'GET', `/people/${max.userId}/org-chart`);
    expect(chart.person.active).toBe(false);
    expect(chart.reports.length).toBeGreaterThan(0);
    const report = await ok('alice', 'GET', `/people/${chart.reports[0].userId}/org-chart`);
    expect(report.chain.at(-1)).toMatchObject({ userId: max.userId, active: false });
  });

  it('refuses what cannot be a people file, writing nothing', async () => {
    const before = rt.front.stream(rt.tableName).length;
    for (const bad of ['Name,Title\nAl,Boss', '', 'Email\na@b.example']) {
      const response = await rt.api('admin', 'POST', '/people/import', { csv: bad });
      expect(response.status).toBe(400);
    }
    expect(
      (await rt.api('admin', 'POST', '/people/import', { csv: 'Email,Name\n', cursor: 'nope!' })).status,
    ).toBe(400);
    expect(rt.front.stream(rt.tableName).length).toBe(before);
  });
});

describe('the HR import, per row', () => {
  // 250 new people, 10 reports each: a step of 200 creates managers and their reports together.
  const email = (i: number) => `q${i}@team.example`;
  const csv = [
    'Email,Name,Department,Manager Email',
    ...Array.from(
      { length: 250 },
      (_, i) => `${email(i)},Quinn Q${i},Team ${i % 5},${i === 0 ? '' : email(Math.floor((i - 1) / 10))}`,
    ),
  ].join('\n');

  /** The DynamoDB requests of each step, by operation, counted at the front once the stream is quiet. */
  async function stepsWithRequests() {
    const steps: { step: any; requests: Record<string, number> }[] = [];
    let cursor: string | undefined;
    do {
      await rt.drain();
      const before: Record<string, number> = rt.front.requestCounts();
      const step = await ok('admin', 'POST', '/people/import', { csv, ...(cursor ? { cursor } : {}) });
      const after: Record<string, number> = rt.front.requestCounts();
      const requests = Object.fromEntries(
        Object.entries(after)
          .map(([operation, n]) => [operation, n - (before[operation] ?? 0)] as const)
          .filter(([operation, n]) => n > 0 && operation !== 'total'),
      );
      steps.push({ step, requests });
      cursor = step.cursor;
    } while (cursor);
    return steps;
  }

  it('creates a person and their reporting line in one transaction, with a few reads a step', async () => {
    // A stale line left where a new person's will go: their creation with it fails, and the person is
    // created and then placed as a move does.
    await rt.table.put(
      reportingLineItem({ userId: provisionedUserId(email(7)), chain: [], reportCount: 0, name: 'Stale' }),
    );
    const steps = await stepsWithRequests();
    expect(steps.map(({ step }) => [step.created, step.managersSet, step.problems.length])).toEqual([
      [200, 200, 0],
      [50, 50, 0],
    ]);
    // One transaction a new person (two more for the one with a stale line: without it, then the move);
    // reads: a few BatchGetItems a step (people and managers by e-mail, their lines), never one a row.
    // GetItems are the stream's indexer reading the new profiles, not the import.
    const [first, second] = steps.map(({ requests }) => requests);
    expect(first.TransactWriteItems).toBe(202);
    expect(second.TransactWriteItems).toBe(50);
    // At most 3 BatchGetItems per 100 people and managers (e-mail items, @handles, profiles) and one
    // per 100 lines; 2 more in the first step for the stale line (the move's read; the manager's line).
    expect(first.BatchGetItem).toBeLessThanOrEqual(8 + 2);
    expect(second.BatchGetItem).toBeLessThanOrEqual(4);
    for (const requests of [first, second])
      for (const operation of ['Query', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'Scan'])
        expect(requests[operation] ?? 0).toBe(0);

    // The chart: a leaf created in the second step, below managers created in the first.
    const leaf = await ok('alice', 'GET', `/people/${provisionedUserId(email(249))}/org-chart`);
    expect(leaf.chain.map((p: any) => p.name)).toEqual(['Quinn Q0', 'Quinn Q2', 'Quinn Q24']);
    const ceo = await ok('alice', 'GET', `/people/${provisionedUserId(email(0))}/org-chart`);
    expect(ceo.person.reportCount).toBe(10);
    expect(ceo.reports).toHaveLength(10);
    const seven = await ok('alice', 'GET', `/people/${provisionedUserId(email(7))}/org-chart`);
    expect(seven.chain.map((p: any) => p.name)).toEqual(['Quinn Q0']);
    expect(seven.person.reportCount).toBe(10);

    // The same file again: reads only, the same few a step, nothing written.
    const again = await stepsWithRequests();
    expect(again.map(({ step }) => step.unchanged)).toEqual([200, 50]);
    expect(again.map(({ requests }) => requests)).toEqual([{ BatchGetItem: 6 }, { BatchGetItem: 3 }]);
  }, 120_000);

  it('places reports listed before their managers just the same: still one transaction a person', async () => {
    const mail = (i: number) => `r${i}@team.example`;
    // Bottom-up: the deepest first, the head last.
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${mail(i)},Rory R${i},${i === 0 ? '' : mail(Math.floor((i - 1) / 5))}`,
    ).reverse();
    const file = ['Email,Name,Manager Email', ...rows].join('\n');
    await rt.drain();
    const before: Record<string, number> = rt.front.requestCounts();
    const step = await ok('admin', 'POST', '/people/import', { csv: file });
    const after: Record<string, number> = rt.front.requestCounts();
    expect(step).toMatchObject({ total: 30, done: 30, created: 30, managersSet: 30, problems: [] });
    expect(step.cursor).toBeUndefined();
    expect(after.TransactWriteItems - before.TransactWriteItems).toBe(30);
    const deepest = await ok('alice', 'GET', `/people/${provisionedUserId(mail(29))}/org-chart`);
    expect(deepest.chain.map((p: any) => p.name)).toEqual(['Rory R0', 'Rory R5']);
    expect(deepest.peers.map((p: any) => p.name).sort()).toEqual(['Rory R26', 'Rory R27', 'Rory R28']);
  });

  it('places someone below a manager cycle under their manager, who keeps no line of their own', async () => {
    const file = [
      'Email,Name,Manager Email',
      'below@loop.example,Bea Below,ann@loop.example',
      'ann@loop.example,Ann Loop,ben@loop.example',
      'ben@loop.example,Ben Loop,ann@loop.example',
    ].join('\n');
    const step = await ok('admin', 'POST', '/people/import', { csv: file });
    expect(step).toMatchObject({ created: 3, managersSet: 1 });
    expect(step.problems.map((p: any) => [p.row, p.message])).toEqual([
      [3, expect.stringMatching(/cycle/)],
      [4, expect.stringMatching(/cycle/)],
    ]);
    const bea = await ok('alice', 'GET', `/people/${provisionedUserId('below@loop.example')}/org-chart`);
    expect(bea.chain.map((p: any) => p.name)).toEqual(['Ann Loop']);
  });
});
