// URL normalisation and the Netscape format: pure rules, no runtime.
import { describe, expect, it } from '@jest/globals';
import { matchesBundle } from '../../../../functions/domain/bookmarks/bookmark';
import { parseNetscape, renderNetscape } from '../../../../functions/domain/bookmarks/netscape';
import { isUrlProblem, normaliseUrl, urlHash } from '../../../../functions/domain/bookmarks/url';

const norm = (input: string) => {
  const result = normaliseUrl(input);
  if (isUrlProblem(result)) throw new Error(`${input}: ${result.message}`);
  return result.url;
};

describe('normaliseUrl', () => {
  it.each([
    ['HTTPS://Example.COM/', 'https://example.com'],
    ['https://example.com:443/a/', 'https://example.com/a'],
    ['http://example.com:80/a//', 'http://example.com/a'],
    ['http://example.com:8080/', 'http://example.com:8080'],
    ['https://example.com/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    [
      'https://example.com/a?utm_source=x&id=7&UTM_Medium=y&fbclid=z&gclid=g&mc_eid=m',
      'https://example.com/a?id=7',
    ],
    ['https://example.com/a?flag&x=%20y', 'https://example.com/a?flag&x=%20y'],
    ['https://example.com/doc#Section-2', 'https://example.com/doc#Section-2'],
    ['https://example.com/?utm_campaign=x#top', 'https://example.com#top'],
    ['  https://bücher.example/ ', 'https://xn--bcher-kva.example'],
    ['https://example.com/Case/Path', 'https://example.com/Case/Path'],
  ])('%s → %s', (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it('gives differently spelled URLs one hash', () => {
    expect(urlHash(norm('HTTPS://www.Example.com:443/page/?b=1&a=2&utm_source=news'))).toBe(
      urlHash(norm('https://www.example.com/page?a=2&b=1#')),
    );
    expect(urlHash('x')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['javascript:alert(1)', 'not http(s)'],
    ['ftp://example.com/file', 'not http(s)'],
    ['file:///etc/passwd', 'not http(s)'],
    ['data:text/html,hi', 'not http(s)'],
    ['not a url', 'not a URL'],
    ['https://user:secret@example.com/', 'has credentials'],
  ])('refuses %s (%s)', (input, message) => {
    const result = normaliseUrl(input);
    expect(isUrlProblem(result) && result.message).toBe(message);
  });

  it('refuses a URL over 2,048 characters, and takes one of exactly 2,048', () => {
    const long = normaliseUrl(`https://example.com/${'a'.repeat(2040)}`);
    expect(isUrlProblem(long) && long.message).toBe('too long');
    const exact = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
    expect(norm(exact)).toHaveLength(2048);
  });
});

describe('the Netscape bookmark file', () => {
  it('is parsed with tags, dates, descriptions and entities; other files are not bookmark files', () => {
    const links = parseNetscape(
      [
        '<!DOCTYPE NETSCAPE-Bookmark-file-1>',
        '<DL><p>',
        '<DT><H3>Folder</H3>',
        '<DT><A HREF="https://example.com/?a=1&amp;b=2" ADD_DATE="1700000000" TAGS="one,Two">A &amp; B &lt;i&gt;</A>',
        '<DD>About &quot;it&quot;',
        "<DT><A HREF='https://example.org/x'>No date</A>",
        '</DL><p>',
      ].join('\n'),
    );
    expect(links).toEqual([
      {
        line: 4,
        href: 'https://example.com/?a=1&b=2',
        title: 'A & B <i>',
        description: 'About "it"',
        tags: ['one', 'Two'],
        addedAt: '2023-11-14T22:13:20.000Z',
      },
      { line: 6, href: 'https://example.org/x', title: 'No date', description: '', tags: [] },
    ]);
    expect(parseNetscape('<html><body>hello</body></html>')).toBeNull();
  });

  it('escapes what it writes and reads back what it wrote', () => {
    const file = renderNetscape([
      {
        url: 'https://example.com/?a=1&b="2"',
        title: '<script>alert(1)</script> & co',
        description: 'line one\nline <two>',
        tags: ['x', 'y'],
        savedAt: '2024-01-02T03:04:05.000Z',
        private: true,
      },
    ]);
    expect(file).not.toContain('<script>');
    expect(parseNetscape(file)).toEqual([
      expect.objectContaining({
        href: 'https://example.com/?a=1&b="2"',
        title: '<script>alert(1)</script> & co',
        description: 'line one line <two>',
        tags: ['x', 'y'],
        addedAt: '2024-01-02T03:04:05.000Z',
      }),
    ]);
  });
});

describe('bundles', () => {
  it('match any, all and none of their tags', () => {
    const bundle = { any: ['a', 'b'], all: ['c'], none: ['d'] };
    expect(matchesBundle(['a', 'c'], bundle)).toBe(true);
    expect(matchesBundle(['b', 'c', 'd'], bundle)).toBe(false);
    expect(matchesBundle(['c'], bundle)).toBe(false);
    expect(matchesBundle(['x'], { any: [], all: [], none: [] })).toBe(true);
  });
});
