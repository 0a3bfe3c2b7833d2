/**
 * Snippets and highlighting: what a search asks OpenSearch's highlighter for, and how its fragments
 * become the snippet and title the port promises — in exactly the form the embedded engine's
 * highlight() produces (escaped by escapeHtml, matches in <mark>), whatever OpenSearch's encoder did.
 */
import { escapeHtml } from '../../domain/content/escape-html';
import { excerptAround, type SearchDocument } from '../../domain/search/search-document';

const SNIPPET_SIZE = 200;

/** The `highlight` part of a search request with text: the whole title, one fragment of the body. */
export const HIGHLIGHT = {
  pre_tags: ['<mark>'],
  post_tags: ['</mark>'],
  encoder: 'html',
  fields: {
    title: { number_of_fragments: 0 },
    body: { fragment_size: SNIPPET_SIZE, number_of_fragments: 1 },
  },
};

/** What the highlighter returned for one hit. */
export interface Highlight {
  title?: string[];
  body?: string[];
}

/**
 * A hit's snippet and title: the highlighter's fragments where it found something, otherwise an
 * excerpt around the query's words and the plain title, both escaped.
 */
export function hitSnippets(
  document: SearchDocument,
  highlight: Highlight | undefined,
  terms: string[],
): { snippet: string; titleHighlight: string } {
  const body = highlight?.body?.[0];
  return {
    snippet: body
      ? withEllipses(toSnippet(body), body, document.body)
      : escapeHtml(excerptAround(document.body, terms, SNIPPET_SIZE)),
    titleHighlight: highlight?.title?.[0] ? toSnippet(highlight.title[0]) : escapeHtml(document.title),
  };
}

/** The words of the query, for the excerpt when the highlighter found nothing in the body. */
export function queryTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A highlighter fragment in exactly the form highlight() produces: text escaped by escapeHtml, matches
 * in <mark>. The fragment is already HTML-encoded by OpenSearch (encoder: html), but with its own
 * entities; decoding and re-escaping each piece between the marks makes the result the same whatever
 * the encoder did, and never lets markup from a document through.
 */
export function toSnippet(fragment: string): string {
  return fragment
    .split(/(<\/?mark>)/)
    .map((part) => (part === '<mark>' || part === '</mark>' ? part : escapeHtml(decodeEntities(part))))
    .join('');
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? Number.parseInt(name.slice(2), 16)
          : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** Marks a fragment that starts or ends inside the body with …, as excerptAround does. */
function withEllipses(snippet: string, fragment: string, body: string): string {
  const plain = decodeEntities(fragment.replace(/<\/?mark>/g, ''));
  const at = body.indexOf(plain);
  if (at < 0) return snippet;
  return `${at > 0 ? '…' : ''}${snippet}${at + plain.length < body.length ? '…' : ''}`;
}
