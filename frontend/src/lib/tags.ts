/** Tags as typed in the editor ("devops, #Performance  ci") → the list the API takes. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((tag) => tag.replace(/^#/, '').toLowerCase())
        .filter(Boolean),
    ),
  ];
}
