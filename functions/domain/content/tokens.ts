/**
 * Markdown → marked's token tree, the one parse that rendering, extraction and plain text share.
 * Node-free: the browser runs it too (the editor preview).
 */
import { Marked, type Token, type Tokens } from 'marked';

/** The lexer every reader of Markdown uses (GitHub-flavoured, as rendering). */
export const markdownLexer = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Runs `use` on the document's tokens. marked recurses once per nesting level, so a hostile
 * document (thousands of nested quotes or lists) overflows the stack; such a document, or any other
 * that marked cannot handle, is treated as one paragraph of plain text instead of failing the request.
 * NUL becomes U+FFFD first, as CommonMark requires.
 */
export function withTokens<T>(markdown: string, use: (tokens: Token[]) => T): T {
  const source = markdown.replace(/\0/g, '\ufffd');
  try {
    return use(markdownLexer.lexer(source));
  } catch {
    const text: Tokens.Text = { type: 'text', raw: source, text: source, escaped: false };
    return use([{ type: 'paragraph', raw: source, text: source, tokens: [text] } satisfies Tokens.Paragraph]);
  }
}
