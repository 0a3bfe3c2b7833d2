/**
 * A service whose code loads with import() on its first call: for the rare administrative routes of a
 * module (partner organisations, the audit trail), so the module's cold start does not pay for them.
 * Every method of such a service is async, so the caller cannot tell the difference.
 */
export type LazyService<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never;
};

export function lazyService<T extends object>(load: () => Promise<T>): LazyService<T> {
  let service: Promise<T> | undefined;
  return new Proxy({} as LazyService<T>, {
    get: (_target, name) => {
      return async (...args: unknown[]) => {
        service ??= load();
        const loaded = (await service) as Record<string | symbol, (...a: unknown[]) => unknown>;
        return loaded[name](...args);
      };
    },
  });
}
