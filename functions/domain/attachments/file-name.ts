/**
 * Names of attached files as people give them: kept as written (Unicode NFC), but never a path, never
 * a control or bidi-override character (a name is shown in lists and sent in Content-Disposition), and
 * never so long it cannot be shown.
 */

export const MAX_FILE_NAME = 200;

/** Why a name is refused, or undefined when it is fine. */
export function fileNameProblem(name: string): string | undefined {
  if (name !== name.trim() || !name) return 'A file name cannot be empty or start or end with white space';
  if ([...name].length > MAX_FILE_NAME) return `A file name is at most ${MAX_FILE_NAME} characters`;
  if (/[/\\]/.test(name)) return 'A file name cannot contain / or \\ (it is a name, not a path)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'A file name cannot contain control characters';
  if (/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name))
    return 'A file name cannot contain bidirectional override characters';
  if (name === '.' || name === '..' || /^\.+$/.test(name)) return 'A file name cannot be only dots';
  return undefined;
}

/**
 * Content-Disposition for a name (RFC 6266 / 8187): an ASCII fallback for old clients and the exact
 * name in `filename*`.
 */
export function contentDisposition(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
