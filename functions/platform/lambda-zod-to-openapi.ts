/**
 * `@asteasolutions/zod-to-openapi` as the Lambda bundles see it, put in its place by an esbuild alias
 * (lib/constructs/lambda-bundle.ts).
 *
 * Requests need two of its pieces: `extendZodWithOpenApi` (the `.openapi()` metadata the route schemas
 * carry) and `OpenAPIRegistry` (where @hono/zod-openapi records each route). Both are the library's
 * own code, unchanged, so schemas validate exactly as elsewhere and keep all their metadata. Only the
 * OpenAPI document needs the rest, the generators that turn the registry into a document: ~20 KiB that
 * every cold start compiled and no request used. They are loaded with `import()` on first use instead:
 * the document awaits `loadGenerators()` before it builds (functions/api/openapi-document.ts), and the
 * generator classes exported here delegate to the loaded ones.
 *
 * The bundle needs the library twice for that, as two modules (esbuild splits chunks by module, not
 * by statement): this file is bundled first on its own with the library's two pieces inside
 * (`zod-to-openapi-complete`, tree-shaken), and the Lambda bundle then reaches the whole library as
 * `zod-to-openapi-generators`, in a chunk of its own. Code run outside Lambda (tests, `npm start`) is
 * not bundled and imports the library as it is.
 */
import type {
  OpenApiGeneratorV3 as GeneratorV3,
  OpenApiGeneratorV31 as GeneratorV31,
} from 'zod-to-openapi-complete';

export { extendZodWithOpenApi, OpenAPIRegistry } from 'zod-to-openapi-complete';

let generators: typeof import('zod-to-openapi-generators') | undefined;

/** Loads the document generators; await it before generating a document. */
export async function loadGenerators(): Promise<void> {
  generators ??= await import('zod-to-openapi-generators');
}

const loaded = () => {
  if (!generators) throw new Error('The OpenAPI generators are not loaded: await loadGenerators() first');
  return generators;
};

// Called with `new` (as @hono/zod-openapi does), a function that returns an object gives that object:
// the library's own generator. Function declarations, not arrows, because arrows cannot be constructed.
function generatorV3(...args: ConstructorParameters<typeof GeneratorV3>) {
  return new (loaded().OpenApiGeneratorV3)(...args);
}
function generatorV31(...args: ConstructorParameters<typeof GeneratorV31>) {
  return new (loaded().OpenApiGeneratorV31)(...args);
}
export const OpenApiGeneratorV3 = generatorV3 as unknown as typeof GeneratorV3;
export const OpenApiGeneratorV31 = generatorV31 as unknown as typeof GeneratorV31;
