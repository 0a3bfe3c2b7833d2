// Native ESM jest: several dependencies (middy 6, oidc-provider, jose) ship ESM only, so test files
// are compiled by swc to ES modules and node_modules load untransformed.
const swc = [
  '@swc/jest',
  { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  // The default output, then a list of every suite that skipped itself and the command that enables it.
  reporters: ['default', '<rootDir>/test/reporters/skipped-suites.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
