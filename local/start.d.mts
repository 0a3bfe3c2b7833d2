/** Types of local/start.mjs (plain JavaScript, so that no TypeScript loader runs before the bundle). */
/** Whether `.build/local-runtime.mjs` is there and no older than any of its sources. */
export function bundleIsFresh(): boolean;
/** Builds `.build/local-runtime.mjs` from local/main.ts. */
export function buildBundle(): Promise<void>;
