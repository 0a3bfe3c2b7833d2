/**
 * The names under which a Lambda bundle reaches `@asteasolutions/zod-to-openapi` itself, while that
 * name is taken by lambda-zod-to-openapi.ts (esbuild aliases in lib/constructs/lambda-bundle.ts).
 */
declare module 'zod-to-openapi-complete' {
  export * from '@asteasolutions/zod-to-openapi';
}
declare module 'zod-to-openapi-generators' {
  export * from '@asteasolutions/zod-to-openapi';
}
