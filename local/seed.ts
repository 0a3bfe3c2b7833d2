/**
 * The demo data set: partner organisations, spaces with every audience, posts with tags and
 * @mentions, comments, replies and likes, written through the domain services as the demo people
 * (so every rule applies). Runs once: a marker item records that the data set is loaded.
 */

import { servicesOf } from '../functions/api/module-app';
import { bookmarksModule } from '../functions/api/modules/bookmarks';
import { postsModule } from '../functions/api/modules/posts';
import { wikiModule } from '../functions/api/modules/wiki';
import type { Table } from '../functions/data/table';
import type { Principal } from '../functions/domain/principal';
import { systemClock, ulidGenerator } from '../functions/platform/clock';
import { DEMO_ACCOUNTS, PARTNER_ORGS } from './identity/demo-accounts';
import { registerDemoOrganisations } from './identity/demo-organisations';

const MARKER = { PK: 'SEED', SK: 'demo-v1' };
/** Bookmarks came later: their own marker, so a data folder seeded before them gets them too. */
const BOOKMARKS_MARKER = { PK: 'SEED', SK: 'demo-bookmarks-v1' };

export function demoPrincipal(id: string): Principal {
  const account = DEMO_ACCOUNTS.find((a) => a.id === id);
  if (!account) throw new Error(`no demo account ${id}`);
  return {
    userId: account.id,
    name: account.name,
    email: account.email,
    groups: account.groups,
    ...(account.org ? { org: account.org } : {}),
  };
}

/** Whether the demo data set was loaded into this table (its marker item is there). */
export async function demoDataLoaded(table: Table): Promise<boolean> {
  return (await table.get(MARKER)) !== undefined;
}

export async function seedDemoData(table: Table): Promise<string> {
  // Acme and Globex with their domains and identity providers (once per data folder, also for one
  // seeded before they had them): what the broker and the pre-token trigger read.
  await registerDemoOrganisations(table);
  if (await table.get(MARKER)) {
    await seedDemoBookmarks(table);
    return 'already loaded';
  }
  const services = servicesOf([postsModule, wikiModule], { table, clock: systemClock, ids: ulidGenerator });
  const [alice, bob, admin, pat, gus] = ['alice', 'bob', 'admin', 'pat', 'gus'].map(demoPrincipal);
  for (const person of [alice, bob, admin, pat, gus]) await services.signIn.ensureProfile(person);

  const engineering = await services.spaces.create(alice, {
    id: 'engineering',
    name: 'Engineering',
    description: 'How we build things: architecture notes, incidents, tooling.',
    audience: 'employees',
  });
  await services.spaces.join(bob, engineering.id);
  const leadership = await services.spaces.create(admin, {
    id: 'leadership',
    name: 'Leadership',
    description: 'Planning for the leadership team.',
    audience: 'members',
  });
  await services.spaces.setMember(admin, leadership.id, alice.userId, 'editor');
  const acme = await services.spaces.create(bob, {
    id: 'acme-supply-chain',
    name: 'Acme supply chain',
    description: 'Working with Acme Supplies on deliveries and forecasts.',
    audience: 'members',
  });
  await services.spaces.setSharing(bob, acme.id, { partnerOrgs: ['acme'], version: acme.version });
  await services.spaces.join(pat, acme.id);
  const globex = await services.spaces.create(alice, {
    id: 'globex-pilot',
    name: 'Globex pilot',
    description: 'The pilot project with Globex Partners.',
    audience: 'members',
  });
  await services.spaces.setSharing(alice, globex.id, { partnerOrgs: ['globex'], version: globex.version });
  await services.spaces.join(gus, globex.id);

  const posts = [
    await services.posts.create(alice, engineering.id, {
      title: 'Why we moved our builds to arm64',
      body: '# Faster and cheaper\n\nOur CI now runs on **arm64**. Build times fell by a third and the bill by 20 %.\n\nThanks @bob for the benchmarks. #devops #performance',
      tags: ['ci'],
      status: 'published',
    }),
    await services.posts.create(bob, engineering.id, {
      title: 'Incident review: the Tuesday search outage',
      body: 'The index alias pointed at a half-built index for 12 minutes.\n\n- detection took 4 minutes\n- the fix was a one-line alias swap\n\nAction items tracked in the wiki. #incident #search',
      status: 'published',
    }),
    await services.posts.create(admin, leadership.id, {
      title: 'Q3 planning notes',
      body: 'Draft priorities for the quarter. Please comment before Friday, @alice. #planning',
      status: 'published',
    }),
    await services.posts.create(bob, acme.id, {
      title: 'Weekly delivery forecast',
      body: 'Forecast for week 32 is attached in the table below.\n\n| Site | Pallets |\n| --- | --- |\n| Leeds | 40 |\n| Lyon | 25 |\n\n#logistics',
      status: 'published',
    }),
    await services.posts.create(pat, acme.id, {
      title: 'Acme: new labelling requirements',
      body: 'From next month every pallet needs the new GS1 label. @bob can you confirm? #logistics',
      status: 'published',
    }),
    await services.posts.create(gus, globex.id, {
      title: 'Globex pilot kick-off',
      body: 'Looking forward to the pilot! Our team is ready. #pilot',
      status: 'published',
    }),
    await services.posts.create(alice, `~${alice.userId}`, {
      title: 'Notes on writing good design docs',
      body: 'Start with the problem, not the solution. Write down what you will *not* do. #writing',
      status: 'published',
    }),
    await services.posts.create(alice, engineering.id, {
      title: 'Draft: service ownership',
      body: 'Who owns what? Work in progress.',
      status: 'draft',
    }),
  ];

  const [arm64, incident] = posts;
  const question = await services.comments.add(bob, engineering.id, arm64.id, {
    body: 'Did the Docker images need changes?',
  });
  await services.comments.add(alice, engineering.id, arm64.id, {
    body: 'Only the base image tag, @bob.',
    parentId: question.id,
  });
  await services.comments.add(admin, engineering.id, incident.id, {
    body: 'Good write-up. Can we alarm on alias changes?',
  });
  await services.comments.add(bob, acme.id, posts[4].id, {
    body: 'Confirmed, we will print them from the 1st.',
  });
  await services.posts.like(bob, engineering.id, arm64.id, true);
  await services.posts.like(admin, engineering.id, arm64.id, true);
  await services.posts.like(alice, engineering.id, incident.id, true);
  await services.posts.like(pat, acme.id, posts[3].id, true);

  // A small wiki in the space shared with Acme: a tree, a [[link]], and a page with some history.
  const onboarding = await services.pages.create(bob, acme.id, {
    title: 'Supplier Onboarding',
    body: '# Supplier onboarding\n\n1. Sign the framework agreement.\n2. Set up EDI.\n3. Print [[Shipping Labels]] the Acme way.',
  });
  const labels = await services.pages.create(bob, acme.id, {
    title: 'Shipping Labels',
    body: 'Labels are A6, one per parcel.',
    parentId: onboarding.id,
  });
  await services.pages.update(pat, acme.id, labels.id, {
    title: 'Shipping Labels',
    body: 'Labels are A6, one per parcel, with the PO number in the top right corner.',
    summary: 'Where the PO number goes',
    version: labels.version,
  });

  const links = await seedDemoBookmarks(table);
  await table.put({ ...MARKER, loadedAt: new Date().toISOString() });
  return `${PARTNER_ORGS.length} organisations, 4 spaces (+ personal blogs), ${posts.length} posts, 4 comments, 4 likes, ${links} bookmarks`;
}

/** A handful of links, so the shared basket is not empty: shared, saved twice, private, in spaces. */
async function seedDemoBookmarks(table: Table): Promise<number> {
  if (await table.get(BOOKMARKS_MARKER)) return 0;
  const { bookmarks } = servicesOf([bookmarksModule], { table, clock: systemClock, ids: ulidGenerator });
  const [alice, bob, admin, pat] = ['alice', 'bob', 'admin', 'pat'].map(demoPrincipal);
  const saves: [Principal, Parameters<typeof bookmarks.save>[1]][] = [
    [
      alice,
      {
        url: 'https://12factor.net/',
        title: 'The Twelve-Factor App',
        description: 'Methodology for building software-as-a-service apps.',
        tags: ['architecture', 'saas'],
        visibility: 'employees',
      },
    ],
    [
      bob,
      {
        url: 'https://12factor.net/?utm_source=slack',
        tags: ['architecture', 'devops'],
        visibility: 'employees',
      },
    ],
    [
      bob,
      {
        url: 'https://sre.google/sre-book/table-of-contents/',
        title: 'Site Reliability Engineering (the book)',
        tags: ['sre', 'devops'],
        visibility: 'employees',
        favourite: true,
      },
    ],
    [
      bob,
      {
        url: 'https://www.gs1.org/standards/barcodes',
        title: 'GS1 barcode standards',
        tags: ['logistics'],
        visibility: 'space',
        spaceId: 'acme-supply-chain',
      },
    ],
    [
      pat,
      {
        url: 'https://www.gs1.org/standards/barcodes#labels',
        title: 'GS1 symbol guide',
        tags: ['logistics'],
        visibility: 'space',
        spaceId: 'acme-supply-chain',
      },
    ],
    [
      admin,
      {
        url: 'https://aws.amazon.com/dynamodb/',
        title: 'Amazon DynamoDB',
        tags: ['aws'],
        visibility: 'space',
        spaceId: 'leadership',
      },
    ],
    [alice, { url: 'https://www.example.com/my-reading-list', title: 'My reading list', tags: ['reading'] }],
  ];
  for (const [person, input] of saves) await bookmarks.save(person, input);
  await table.put({ ...BOOKMARKS_MARKER, loadedAt: new Date().toISOString() });
  return saves.length;
}
