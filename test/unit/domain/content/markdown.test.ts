import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  extractMentions,
  extractPageLinks,
  extractTags,
  plainText,
  renderMarkdown,
} from '../../../../functions/domain/content/markdown';
import { normalizeTag, pageSlug } from '../../../../functions/domain/content/names';

const REL = 'rel="noopener noreferrer nofollow"';

// ---------------------------------------------------------------------------------------------
// An inertness checker written independently of the module: its own tokenizer, its own entity
// decoding, its own idea of what may appear. It reads the output the way a browser would.

const SAFE_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'em',
  'strong',
  'b',
  'i',
  'del',
  's',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'img',
  'input',
]);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'input']);
const SAFE_ATTRIBUTES = new Set([
  'href',
  'src',
  'alt',
  'title',
  'class',
  'rel',
  'align',
  'start',
  'type',
  'checked',
  'disabled',
  'aria-label',
]);
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'poster',
  'background',
  'data',
  'srcset',
  'xlink:href',
  'cite',
]);
const FORBIDDEN_MARKUP = [
  '<script',
  '<iframe',
  '<svg',
  '<style',
  '<base',
  '<meta',
  '<form',
  '<math',
  '<object',
  '<embed',
  '<link',
  '<noscript',
  '<template',
  '<textarea',
  '<xmp',
  '<plaintext',
  '<title',
  '<!--',
  '<![cdata',
  '<?',
  '<button',
  '<body',
  '<video',
  '<source',
  '<details',
];
const CHECKER_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  tab: '\t',
  newline: '\n',
  colon: ':',
};

function checkerDecode(value: string): { text: string; unknownEntity: boolean } {
  let unknownEntity = false;
  const text = value.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X'
          ? Number.parseInt(ref.slice(2), 16)
          : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '\ufffd';
    }
    const named = CHECKER_ENTITIES[ref.toLowerCase()];
    if (named === undefined) unknownEntity = true;
    return named ?? whole;
  });
  return { text, unknownEntity };
}

type ParsedTag = { name: string; closing: boolean; attributes: Array<{ name: string; value: string }> };

/** Splits HTML into tags following the HTML tokenizer's rules for tag and attribute syntax. */
function parseTags(html: string): { tags: ParsedTag[]; problems: string[] } {
  const tags: ParsedTag[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    const head = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(html.slice(lt));
    if (!head) {
      problems.push(`unescaped "<" at ${lt}: ${JSON.stringify(html.slice(lt, lt + 20))}`);
      i = lt + 1;
      continue;
    }
    const tag: ParsedTag = { name: head[2].toLowerCase(), closing: head[1] === '/', attributes: [] };
    let j = lt + head[0].length;
    for (;;) {
      while (j < html.length && /[\s/]/.test(html[j])) j++;
      if (j >= html.length) {
        problems.push(`unterminated tag <${tag.name}`);
        break;
      }
      if (html[j] === '>') {
        j++;
        break;
      }
      let name = html[j++];
      while (j < html.length && !/[\s/>=]/.test(html[j])) name += html[j++];
      while (j < html.length && /\s/.test(html[j])) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < html.length && /\s/.test(html[j])) j++;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, j + 1);
          value = html.slice(j + 1, end === -1 ? html.length : end);
          j = end === -1 ? html.length : end + 1;
        } else {
          while (j < html.length && !/[\s>]/.test(html[j])) value += html[j++];
        }
      }
      tag.attributes.push({ name: name.toLowerCase(), value });
    }
    tags.push(tag);
    i = j;
  }
  return { tags, problems };
}

function urlScheme(raw: string): { scheme: string | null; unknownEntity: boolean } {
  const { text, unknownEntity } = checkerDecode(raw);
  // Stricter than any browser: every control and whitespace character anywhere is removed.
  const squeezed = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what URL parsing strips
    .replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u205f\u3000\ufeff]/g, '')
    .toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1] ?? null;
  return { scheme, unknownEntity };
}

/** Everything that makes an HTML fragment unsafe to insert into a page; empty when inert. */
function inertnessProblems(html: string): string[] {
  const problems: string[] = [];
  const lower = html.toLowerCase();
  for (const needle of FORBIDDEN_MARKUP) if (lower.includes(needle)) problems.push(`contains ${needle}`);
  const parsed = parseTags(html);
  problems.push(...parsed.problems);
  const open: string[] = [];
  for (const tag of parsed.tags) {
    if (!SAFE_TAGS.has(tag.name)) problems.push(`element <${tag.name}>`);
    if (tag.closing) {
      if (open.pop() !== tag.name) problems.push(`unbalanced </${tag.name}>`);
      continue;
    }
    if (!VOID_TAGS.has(tag.name)) open.push(tag.name);
    for (const { name, value } of tag.attributes) {
      if (name.startsWith('on')) problems.push(`event handler ${name} on <${tag.name}>`);
      if (['style', 'srcdoc', 'formaction', 'action', 'id', 'name', 'target', 'srcset'].includes(name)) {
        problems.push(`attribute ${name} on <${tag.name}>`);
      }
      if (!SAFE_ATTRIBUTES.has(name)) problems.push(`unexpected attribute ${name} on <${tag.name}>`);
      if (URL_ATTRIBUTES.has(name)) {
        const { scheme, unknownEntity } = urlScheme(value);
        if (unknownEntity) problems.push(`unrecognised entity in ${name}=${JSON.stringify(value)}`);
        if (scheme === 'javascript' || scheme === 'vbscript' || scheme === 'data') {
          problems.push(`${scheme}: URL in ${name}=${JSON.stringify(value)}`);
        }
        const allowed = tag.name === 'img' ? ['http', 'https'] : ['http', 'https', 'mailto', null];
        if (!allowed.includes(scheme)) problems.push(`scheme ${scheme} in <${tag.name} ${name}>`);
      }
    }
    if (tag.name === 'input') {
      const attrs = new Map(tag.attributes.map((a) => [a.name, a.value]));
      if (attrs.get('type') !== 'checkbox' || !attrs.has('disabled'))
        problems.push('input that is not a disabled checkbox');
    }
    if (tag.name === 'a') {
      const href = tag.attributes.find((a) => a.name === 'href');
      const rel = tag.attributes.find((a) => a.name === 'rel');
      const { scheme } = href ? urlScheme(href.value) : { scheme: null };
      const networkPath = href ? /^\s*[\\/]{2}/.test(checkerDecode(href.value).text) : false;
      if ((scheme || networkPath) && !/noopener/.test(rel?.value ?? ''))
        problems.push(`external link without rel: ${href?.value}`);
    }
  }
  if (open.length > 0) problems.push(`left open: ${open.join(', ')}`);
  return problems;
}

type Payload = { name: string; markdown: string };
const corpus: Payload[] = JSON.parse(
  readFileSync(new URL('../../../fixtures/hostile-markdown.json', import.meta.url), 'utf8'),
);

// ---------------------------------------------------------------------------------------------

describe('the inertness checker itself', () => {
  it.each([
    ['<script>x</script>'],
    ['<img src=x onerror=alert(1)>'],
    ['<a href="&#106;avascript:alert(1)">x</a>'],
    ['<a href="java&Tab;script:alert(1)">x</a>'],
    ['<a href=" JAVA\tSCRIPT:alert(1)">x</a>'],
    ['<a href="vbscript:x">x</a>'],
    ['<img src="data:image/png;base64,AA">'],
    ['<p style="color:red">x</p>'],
    ['<iframe srcdoc="x"></iframe>'],
    ['<div>x</div>'],
    ['<a href="https://x">x</a>'],
    ['<b>unclosed'],
    ['a <3 b'],
    ['<input type="text">'],
  ])('flags %s', (html) => {
    expect(inertnessProblems(html)).not.toEqual([]);
  });

  it('accepts ordinary safe output', () => {
    const html = `<p><a href="https://x.example/?a=1&amp;b=2" ${REL} title="t">x</a> <a href="/people/al" class="mention">@al</a></p><ul><li><input type="checkbox" disabled> y</li></ul><img src="https://x.example/a.png" alt="a">`;
    expect(inertnessProblems(html)).toEqual([]);
  });
});

describe('renderMarkdown: ordinary Markdown', () => {
  it('renders headings, paragraphs and emphasis', () => {
    const html = renderMarkdown('# Title\n\n## Sub\n\nSome *em*, **strong**, ~~gone~~ and `code`.');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<h2>Sub</h2>');
    expect(html).toContain(
      '<p>Some <em>em</em>, <strong>strong</strong>, <del>gone</del> and <code>code</code>.</p>',
    );
  });

  it('renders lists, including ordered lists that start elsewhere', () => {
    expect(renderMarkdown('- a\n- b')).toBe('<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n');
    expect(renderMarkdown('3. c\n4. d')).toBe('<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>\n');
  });

  it('renders GFM tables with alignment', () => {
    const html = renderMarkdown('| L | C | R |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th align="left">L</th>');
    expect(html).toContain('<th align="center">C</th>');
    expect(html).toContain('<td align="right">3</td>');
    expect(html).toContain('</table>');
  });

  it('keeps code block content escaped and does not link inside code', () => {
    const html = renderMarkdown('```ts\nconst a = "<b>" && @alice #tag;\n```\n\nand `@bob #x`');
    expect(html).toContain(
      '<pre><code class="language-ts">const a = &quot;&lt;b&gt;&quot; &amp;&amp; @alice #tag;\n</code></pre>',
    );
    expect(html).toContain('<code>@bob #x</code>');
    expect(html).not.toContain('class="mention"');
    expect(html).not.toContain('class="tag"');
  });

  it('renders blockquotes, rules and hard line breaks', () => {
    expect(renderMarkdown('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>\n');
    expect(renderMarkdown('a\n\n---\n\nb')).toContain('<hr>');
    expect(renderMarkdown('a  \nb')).toBe('<p>a<br>b</p>\n');
  });

  it('renders task lists as disabled checkboxes', () => {
    const html = renderMarkdown('- [x] done\n- [ ] todo');
    // Named, so assistive technology does not meet an unlabelled control (axe: critical).
    expect(html).toContain('<li><input type="checkbox" disabled checked aria-label="task"> done</li>');
    expect(html).toContain('<li><input type="checkbox" disabled aria-label="task"> todo</li>');
  });

  it('gives absolute links rel="noopener noreferrer nofollow" and keeps titles and query strings', () => {
    expect(renderMarkdown('[x](https://example.com/a?b=1&c=2 "The title")')).toBe(
      `<p><a href="https://example.com/a?b=1&amp;c=2" ${REL} title="The title">x</a></p>\n`,
    );
    expect(renderMarkdown('<https://example.com>')).toBe(
      `<p><a href="https://example.com" ${REL}>https://example.com</a></p>\n`,
    );
    expect(renderMarkdown('see www.example.com')).toContain(`<a href="http://www.example.com" ${REL}>`);
    expect(renderMarkdown('[m](mailto:a@example.com)')).toContain(
      `<a href="mailto:a@example.com" ${REL}>m</a>`,
    );
    expect(renderMarkdown('<a href="//evil.example">x</a>')).toContain(
      `<a href="//evil.example" ${REL}>x</a>`,
    );
  });

  it('keeps relative links and anchors as they are', () => {
    expect(renderMarkdown('[page](/wiki/eng/page) [sec](#setup) [up](../x)')).toBe(
      '<p><a href="/wiki/eng/page">page</a> <a href="#setup">sec</a> <a href="../x">up</a></p>\n',
    );
  });

  it('turns http(s) images into links to them, so nothing loads from another host (issue 10)', () => {
    expect(renderMarkdown('![a cat](https://img.example/cat.png "Cat")')).toBe(
      `<p><a href="https://img.example/cat.png" ${REL}>a cat</a></p>\n`,
    );
    // A tracking pixel, in Markdown or raw HTML, is a link to its address and loads nothing.
    expect(renderMarkdown('![](https://t.example/p.gif?u=alice&x=1)')).toBe(
      `<p><a href="https://t.example/p.gif?u=alice&amp;x=1" ${REL}>https://t.example/p.gif?u=alice&amp;x=1</a></p>\n`,
    );
    expect(renderMarkdown('<IMG SRC="http://t.example/px.gif" alt="a &amp; b" onerror=alert(1)>')).toBe(
      `<a href="http://t.example/px.gif" ${REL}>a &amp; b</a>`,
    );
    // Inside a link (a badge) the image is its words: links do not nest.
    expect(renderMarkdown('[![build](https://ci.example/b.svg)](https://ci.example)')).toBe(
      `<p><a href="https://ci.example" ${REL}>build</a></p>\n`,
    );
    for (const markdown of ['![x](https://a.example/i.png)', '<img src="https://a.example/i.png">'])
      expect(renderMarkdown(markdown)).not.toContain('<img');
  });

  it('drops images that are not http(s) down to their alt text', () => {
    expect(renderMarkdown('![local](/files/x.png)')).toBe('<p>local</p>\n');
    expect(renderMarkdown('![bad](javascript:alert(1))')).toBe('<p>bad</p>\n');
  });

  it('renders an unsafe Markdown link as its text', () => {
    expect(renderMarkdown('[click me](javascript:alert(1))')).toBe('<p>click me</p>\n');
  });

  it('keeps allowed raw HTML, strips other tags but keeps their text, drops script bodies', () => {
    expect(renderMarkdown('a <b>bold</b> <kbd>Ctrl</kbd> <span style="color:red">red</span>')).toBe(
      '<p>a <b>bold</b> Ctrl red</p>\n',
    );
    expect(renderMarkdown('before <script>alert(1)</script> after')).toBe('<p>before  after</p>\n');
  });

  it('keeps character references in text', () => {
    expect(renderMarkdown('&copy; 2024 &amp; AT&T')).toBe('<p>&copy; 2024 &amp; AT&amp;T</p>\n');
  });

  it('closes what raw HTML leaves open so nothing leaks past the fragment', () => {
    const html = renderMarkdown('<b>bold\n\n<table><tr><td>x');
    expect(html).toBe('<p><b>bold</b></p>\n<table><tr><td>x</td></tr></table>');
    expect(renderMarkdown('a <a href="https://x.example">open')).toBe(
      `<p>a <a href="https://x.example" ${REL}>open</a></p>\n`,
    );
    expect(renderMarkdown('x </em></table> y')).toBe('<p>x  y</p>\n');
  });

  it('does not let raw HTML dress a link up as a mention or tag', () => {
    expect(renderMarkdown('<a href="https://evil.example" class="mention">@ceo</a>')).toBe(
      `<p><a href="https://evil.example" ${REL}>@ceo</a></p>\n`,
    );
    expect(renderMarkdown('<a href="/people/x" class="tag">y</a> <a class="other" href="/">z</a>')).toBe(
      '<p><a href="/people/x">y</a> <a href="/">z</a></p>\n',
    );
  });

  it('replaces NUL characters', () => {
    expect(renderMarkdown('a\u0000b')).toBe('<p>a\ufffdb</p>\n');
  });

  it('falls back to plain text when a document nests too deeply for the parser', () => {
    const deep = `${'> '.repeat(20000)}@alice <script>alert(1)</script>`;
    const html = renderMarkdown(deep);
    expect(inertnessProblems(html)).toEqual([]);
    expect(html).toContain('<a href="/people/alice" class="mention">@alice</a>');
    expect(extractMentions(deep)).toEqual(['alice']);
    expect(plainText(`${'- '.repeat(20000)}end`, 20)).toMatch(/…$/);
  });

  it('is the same for the same input (deterministic)', () => {
    const md = '# t\n\n@alice #tag [x](https://e.com)';
    expect(renderMarkdown(md)).toBe(renderMarkdown(md));
  });
});

describe('mentions', () => {
  it('extracts unique lowercase handles in order', () => {
    expect(extractMentions('Hi @Alice, @bob.smith and @alice again; cc @carol_d-e.')).toEqual([
      'alice',
      'bob.smith',
      'carol_d-e',
    ]);
  });

  it('strips trailing dots', () => {
    expect(extractMentions('thanks @alice... and @bob.')).toEqual(['alice', 'bob']);
  });

  it('does not count e-mail addresses or handles glued to words', () => {
    expect(extractMentions('write to alice@example.com or foo@bar')).toEqual([]);
    expect(extractMentions('x@alice')).toEqual([]);
  });

  it('ignores code spans and code blocks', () => {
    expect(extractMentions('`@alice`\n\n```\n@bob\n```\n\n    @carol\n\n@dave')).toEqual(['dave']);
  });

  it('ignores link text, link URLs and raw HTML anchors', () => {
    expect(extractMentions('[ask @alice](https://x.example/@bob) <a href="/x">@carol</a> @dave')).toEqual([
      'dave',
    ]);
  });

  it('accepts only ASCII handle characters', () => {
    // U+017F (long s) and U+212A (Kelvin sign) case-fold to s and k; they must not pass for them.
    expect(extractMentions('@\u017fam @\u212Aim @Zoë @zoe')).toEqual(['zoe']);
    expect(renderMarkdown('@\u017fam')).toBe('<p>@\u017fam</p>\n');
  });

  it('ignores escaped @ and over-long handles', () => {
    expect(extractMentions('\\@alice')).toEqual([]);
    expect(extractMentions(`@${'a'.repeat(40)}`)).toEqual(['a'.repeat(40)]);
    expect(extractMentions(`@${'a'.repeat(41)}`)).toEqual([]);
  });

  it('finds mentions in headings, lists, tables and emphasis', () => {
    expect(extractMentions('# @a\n\n- @b\n\n| @c |\n|---|\n| @d |\n\n**@e**')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('renders mentions as links to people', () => {
    expect(renderMarkdown('@alice')).toBe('<p><a href="/people/alice" class="mention">@alice</a></p>\n');
    expect(renderMarkdown('Thanks @Bob.')).toBe(
      '<p>Thanks <a href="/people/bob" class="mention">@Bob</a>.</p>\n',
    );
  });

  it('does not render e-mail addresses, code or link text as mentions', () => {
    const html = renderMarkdown(
      'mail a@b.com, `@alice`, [@carol](https://x.example), <a href="/p">@dave</a>',
    );
    expect(html).not.toContain('class="mention"');
    expect(html).toContain(`<a href="mailto:a@b.com" ${REL}>a@b.com</a>`);
    expect(html).toContain(`<a href="https://x.example" ${REL}>@carol</a>`);
    expect(html).toContain('<a href="/p">@dave</a>');
  });
});

describe('tags', () => {
  it('extracts unique normalised tags in order', () => {
    expect(extractTags('#DevOps and #devops, #k8s-ops #release_2024 #Café')).toEqual([
      'devops',
      'k8s-ops',
      'release_2024',
      'café',
    ]);
  });

  it('does not count headings, numbers, fragments, entities or words with #', () => {
    expect(
      extractTags('# Heading\n\n## Sub heading\n\n#123 C# page#frag &#x41 http://x.example/#anchor'),
    ).toEqual([]);
  });

  it('ignores code, links and raw HTML', () => {
    expect(extractTags('`#a`\n\n```\n#b\n```\n\n[#c](https://x.example) <a href="/t">#d</a> #e')).toEqual([
      'e',
    ]);
  });

  it('ignores over-long tags and escaped #', () => {
    expect(extractTags(`#${'a'.repeat(50)}`)).toEqual(['a'.repeat(50)]);
    expect(extractTags(`#${'a'.repeat(51)}`)).toEqual([]);
    expect(extractTags('\\#notatag')).toEqual([]);
  });

  it('renders tags as links to the tag page', () => {
    expect(renderMarkdown('about #devops')).toBe(
      '<p>about <a href="/tags/devops" class="tag">#devops</a></p>\n',
    );
    expect(renderMarkdown('#DevOps')).toBe('<p><a href="/tags/devops" class="tag">#DevOps</a></p>\n');
  });

  it('does not render URL fragments, headings or code as tags', () => {
    const html = renderMarkdown('# Title\n\nhttp://x.example/#anchor and `#code` and page#frag');
    expect(html).not.toContain('class="tag"');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain(`<a href="http://x.example/#anchor" ${REL}>http://x.example/#anchor</a>`);
  });

  it('normalizeTag lowercases, drops one leading #, and validates', () => {
    expect(normalizeTag('  #DevOps ')).toBe('devops');
    expect(normalizeTag('k8s')).toBe('k8s');
    expect(normalizeTag('Café')).toBe('café');
    expect(normalizeTag('a'.repeat(50))).toBe('a'.repeat(50));
    expect(normalizeTag('a'.repeat(51))).toBeNull();
    expect(normalizeTag('')).toBeNull();
    expect(normalizeTag('#')).toBeNull();
    expect(normalizeTag('##devops')).toBeNull();
    expect(normalizeTag('1abc')).toBeNull();
    expect(normalizeTag('dev ops')).toBeNull();
    expect(normalizeTag('<script>')).toBeNull();
  });
});

describe('wiki links', () => {
  it('turn [[title]] and [[title|label]] into links to the space’s pages, only when rendering a page', () => {
    const source = 'See [[Release Process]], [[Café au lait|the café]] and `[[code]]`.';
    expect(renderMarkdown(source, { pageLinksIn: 'eng' })).toBe(
      '<p>See <a href="/spaces/eng/pages/release-process" class="page">Release Process</a>, ' +
        '<a href="/spaces/eng/pages/cafe-au-lait" class="page">the café</a> and <code>[[code]]</code>.</p>\n',
    );
    expect(renderMarkdown(source)).toBe(
      '<p>See [[Release Process]], [[Café au lait|the café]] and <code>[[code]]</code>.</p>\n',
    );
    expect(extractPageLinks(`${source} [[release process]] \\[[escaped]] [[日本]]`)).toEqual([
      'release-process',
      'cafe-au-lait',
    ]);
  });

  it('escape what they show, and raw HTML cannot pass for one', () => {
    const html = renderMarkdown(
      '[[Tom & Jerry|a < b "c"]] <a href="https://evil.example" class="page">e</a> <a href="/spaces/x/pages/y" class="page">ok</a>',
      { pageLinksIn: 'eng' },
    );
    expect(html).toContain('<a href="/spaces/eng/pages/tom-jerry" class="page">a &lt; b &quot;c&quot;</a>');
    expect(html).toContain('<a href="https://evil.example" rel="noopener noreferrer nofollow">e</a>');
    expect(html).toContain('<a href="/spaces/x/pages/y" class="page">ok</a>');
  });

  it('slug titles: accents dropped, runs of other characters one dash, at most 64, none for non-Latin', () => {
    expect(pageSlug('  Ünïcode -- Title!! ')).toBe('unicode-title');
    expect(pageSlug('a'.repeat(70))).toHaveLength(64);
    expect(pageSlug(`${'a'.repeat(63)} b`)).toBe('a'.repeat(63));
    expect(pageSlug('日本')).toBeNull();
    expect(pageSlug('---')).toBeNull();
  });
});

describe('plainText', () => {
  it('returns the text without markup, each block on a line of its own', () => {
    expect(plainText('# Title\n\nSome **bold** and [a link](https://x.example).\n\n- one\n- two')).toBe(
      'Title\nSome bold and a link.\none\ntwo',
    );
  });

  it('keeps list items and paragraphs apart, joins soft line breaks (issue 10)', () => {
    expect(
      plainText('Lessons:\n\n- detection took 4 minutes\n- the fix was\n  a one-liner\n  - nested\n\nDone.'),
    ).toBe('Lessons:\ndetection took 4 minutes\nthe fix was a one-liner\nnested\nDone.');
    expect(plainText('1. first\n2. second\n\n> quoted\n> on')).toBe('first\nsecond\nquoted on');
    expect(plainText('a <b>bold</b> word')).toBe('a bold word');
  });

  it('drops Markdown syntax: wiki links read as their label or title, emphasis as its text', () => {
    expect(
      plainText('Print [[Shipping Labels]] per [[Runbook|the runbook]]; **CI** and _why_ ~~not~~.'),
    ).toBe('Print Shipping Labels per the runbook; CI and why not.');
    expect(plainText('`[[kept in code]]`')).toBe('[[kept in code]]');
  });

  it('cuts excerpts at a word or line boundary', () => {
    expect(plainText('- alpha beta\n- gamma delta', 14)).toBe('alpha beta…');
  });

  it('keeps code, drops raw HTML tags and script content, decodes entities', () => {
    expect(
      plainText(
        'Run `npm test`.\n\n<div>in <b>div</b></div>\n\n<script>alert(1)</script>\n\nAT&amp;T &copy;',
      ),
    ).toBe('Run npm test.\nin div\nAT&T ©');
  });

  it('includes table cells and image alt text', () => {
    expect(plainText('| a | b |\n|---|---|\n| 1 | 2 |\n\n![a cat](https://x.example/c.png)')).toBe(
      'a b\n1 2\na cat',
    );
  });

  it('truncates at a word boundary with an ellipsis', () => {
    expect(plainText('one two three four', 10)).toBe('one two…');
    expect(plainText('one two three four', 10).length).toBeLessThanOrEqual(10);
    expect(plainText('abcdefghijkl', 5)).toBe('abcd…');
    expect(plainText('one two', 7)).toBe('one two');
    expect(plainText('one two', 100)).toBe('one two');
    expect(plainText('one, two three', 6)).toBe('one…');
  });
});

describe('portability', () => {
  // The browser runs the same renderer (the editor preview must equal what the server stores).
  const folder = new URL('../../../../functions/domain/content/', import.meta.url);
  const files = readdirSync(folder).filter((file) => file.endsWith('.ts'));
  it.each(files)('%s imports nothing Node-specific, so the browser can run it', (file) => {
    const source = readFileSync(new URL(file, folder), 'utf8');
    const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.filter((name) => !name.startsWith('./') && !['marked', 'xss'].includes(name))).toEqual([]);
    expect(source).not.toMatch(/\b(require\(|process\.|Buffer\b|__dirname)/);
  });

  it('covers the renderer and its parts', () => {
    expect(files).toEqual(expect.arrayContaining(['markdown.ts', 'sanitize.ts', 'references.ts', 'urls.ts']));
  });
});
