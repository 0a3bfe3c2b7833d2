/**
 * A deterministic synthetic corpus for search benchmarks: Zipf-distributed words from a generated
 * vocabulary, spaces of every audience, partner-shared spaces, authors and profiles.
 */
import type { AccessFilter, SearchDocument } from '../../functions/domain/search/search-document';

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'to',
  'vi',
  'ze',
  'po',
  'qua',
  'ter',
  'bri',
  'dol',
  'fen',
  'gar',
  'hul',
  'jin',
  'kor',
  'lum',
];

export function vocabulary(size = 20_000, random = rng(7)): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

export function generateCorpus(count: number, seed = 42) {
  const random = rng(seed);
  const words = vocabulary();
  // A few real topic words at realistic (mid-table) ranks.
  [
    'kubernetes',
    'terraform',
    'forecast',
    'incident',
    'roadmap',
    'pricing',
    'onboarding',
    'security',
    'latency',
    'invoice',
  ].forEach((w, i) => {
    words[300 + i * 97] = w;
  });
  // Zipf over the vocabulary as it reaches the index: the first ranks stand for stop words, which
  // the analyzers drop, so drawing starts below them (rank 100 onwards) as in real text.
  const weights = words.map((_, i) => 1 / (i + 100));
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative.at(-1)!;
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const spaces = Array.from({ length: 60 }, (_, i) => ({
    spaceId: `space-${i}`,
    spaceName: `Space ${i}`,
    audience: (i % 3 === 0
      ? 'employees'
      : i % 3 === 1
        ? 'members'
        : 'partners') as SearchDocument['audience'],
    partnerOrgs: i % 3 === 2 ? [i % 2 === 0 ? 'acme' : 'globex'] : [],
  }));
  const tags = Array.from({ length: 200 }, (_, i) => words[(i * 7) % words.length]);
  const now = Date.now();
  const documents: SearchDocument[] = [];
  for (let i = 0; i < count; i++) {
    const space = spaces[Math.floor(random() * spaces.length)];
    const author = Math.floor(random() * 500);
    const updated = new Date(now - Math.floor(random() * 730) * 86_400_000).toISOString();
    const isComment = random() < 0.3;
    documents.push({
      id: `${isComment ? 'comment' : 'post'}:${space.spaceId}:${i}`,
      type: isComment ? 'comment' : 'post',
      title: sentence(4 + Math.floor(random() * 5)),
      body: sentence(40 + Math.floor(random() * 80)),
      tags: Array.from(
        { length: 1 + Math.floor(random() * 3) },
        () => tags[Math.floor(random() * tags.length)],
      ),
      authorId: `user-${author}`,
      authorName: `Person ${author}`,
      ...space,
      createdAt: updated,
      updatedAt: updated,
      likeCount: Math.floor(random() * 20),
      commentCount: 0,
      saveCount: 0,
      url: `/spaces/${space.spaceId}/posts/${i}`,
    });
  }
  return { documents, spaces, words };
}

/** The queries measured: common and rare words, two-word queries, prefixes and a typo, per caller kind. */
export function benchmarkQueries(words: string[]) {
  // Frequent, middling and rare words; two- and three-word queries; a prefix as typed; a typo.
  return [
    words[0],
    words[40],
    words[2000],
    `${words[10]} ${words[900]}`,
    words[25].slice(0, 4),
    'kubernetse',
    `${words[5]} ${words[50]} ${words[5000]}`,
    'forecast',
  ];
}

export const CALLERS: Record<string, AccessFilter> = {
  admin: {
    allContent: true,
    employeeContent: true,
    memberSpaces: [],
    sharedSpaces: [],
    people: { allOrgs: true },
  },
  employee: {
    allContent: false,
    employeeContent: true,
    memberSpaces: ['space-1', 'space-4', 'space-7'],
    sharedSpaces: [],
    people: { allOrgs: true },
  },
  partner: {
    allContent: false,
    employeeContent: false,
    memberSpaces: [],
    partnerOrg: 'acme',
    sharedSpaces: ['space-2', 'space-8', 'space-14', 'space-20'],
    people: { allOrgs: false, org: 'acme' },
  },
};

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
