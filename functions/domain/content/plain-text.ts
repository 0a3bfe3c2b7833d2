/**
 * Markdown → plain text for search, excerpts and previews: blocks on lines of their own, syntax gone.
 * Node-free.
 */
import type { Token, Tokens } from 'marked';
import { PAGE_LINK } from './references';
import { withTokens } from './tokens';
import { decodeEntities } from './urls';

/** Where one block ends and the next begins; NUL cannot occur in the text (withTokens replaces it). */
const BLOCK_BREAK = '\u0000';

const BLOCK_TOKENS = new Set([
  'paragraph',
  'heading',
  'code',
  'blockquote',
  'list_item',
  'hr',
  'space',
  'table',
  'br',
  'def',
]);

function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?(?:-->|$)/g, ' ')
      .replace(/<(script|style|template|noscript|textarea|title)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
      .replace(/<[^>]*>?/g, ' '),
  );
}

/** Text as it reads: `[[Page|label]]` is its label, `[[Page]]` its title. */
function readableText(text: string): string {
  return text.replace(PAGE_LINK, (_whole, title: string, label?: string) => (label ?? title).trim());
}

function tokensToText(tokens: Token[]): string {
  let text = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'code':
      case 'codespan':
        text += token.text;
        break;
      case 'text':
        text += token.tokens ? tokensToText(token.tokens) : readableText(decodeEntities(token.text));
        break;
      case 'escape':
        text += token.text;
        break;
      case 'html':
        text += htmlToText(token.text);
        // Raw HTML on its own lines is a block; inline tags like <b> are not.
        if ((token as Tokens.HTML).block) text += BLOCK_BREAK;
        break;
      case 'image':
        text += decodeEntities(token.text);
        break;
      case 'list':
        // A list nested in an item starts on a line of its own.
        text += BLOCK_BREAK + tokensToText(token.items);
        break;
      case 'table':
        for (const cell of token.header) text += `${tokensToText(cell.tokens)} `;
        for (const row of token.rows) {
          text += BLOCK_BREAK;
          for (const cell of row) text += `${tokensToText(cell.tokens)} `;
        }
        break;
      case 'checkbox':
      case 'def':
        break;
      default:
        if ('tokens' in token && Array.isArray(token.tokens)) text += tokensToText(token.tokens);
    }
    if (BLOCK_TOKENS.has(token.type)) text += BLOCK_BREAK;
  }
  return text;
}

/**
 * The readable text of a document without markup, for excerpts and the search index: blocks
 * (paragraphs, headings, list items, table rows) on lines of their own, whitespace within a line
 * collapsed, Markdown syntax gone (`**bold**` is bold, `[[Page|label]]` is label), code kept, raw
 * HTML tags dropped. With maxLength, the result is at most that many characters, cut at a word
 * boundary where there is one and ended with '…'. It is text, not HTML: escape it before putting it
 * in a page (and show its line breaks, e.g. with `white-space: pre-line`).
 */
export function plainText(markdown: string, maxLength?: number): string {
  const text = withTokens(markdown, tokensToText)
    .replace(/\s+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: BLOCK_BREAK, the marker tokensToText leaves between blocks
    .replace(/ ?\u0000[\s\u0000]*/g, '\n')
    .trim();
  if (maxLength === undefined || text.length <= maxLength) return text;
  if (maxLength < 1) return '';
  let cut = text.slice(0, maxLength - 1);
  const space = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'));
  if (!/\s/.test(text[maxLength - 1]) && space > 0) cut = cut.slice(0, space);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s.,;:!?\-–—]+$/, '')}…`;
}
