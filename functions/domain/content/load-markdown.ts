/**
 * The Markdown renderer and sanitizer are loaded on the first write that needs them, never by a read:
 * stored HTML is served as stored, so a Lambda that only answers reads never parses marked or xss
 * (DESIGN.md principle 8; docs/performance.md has the module-load figures).
 */
export type MarkdownModule = typeof import('./markdown');

let loading: Promise<MarkdownModule> | undefined;

export function loadMarkdown(): Promise<MarkdownModule> {
  loading ??= import('./markdown');
  return loading;
}
