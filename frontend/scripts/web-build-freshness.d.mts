/** Types of web-build-freshness.mjs (plain JavaScript, so that `npm start` checks it before any TypeScript loader runs). */
export const distDir: string;
export const manifestPath: string;
/** frontend/dist is there and no older than the client's sources, the Markdown renderer and the lock file. */
export function webClientIsFresh(): boolean;
