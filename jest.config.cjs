/** Jest runs the TypeScript sources through ts-jest as CommonJS; `tsc --noEmit` does the type checking. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }] },
  // The companion package imports the root package by name; in the repo that is its source.
  moduleNameMapper: { '^tokensmith$': '<rootDir>/src/index-node.ts', '^tokensmith/redis$': '<rootDir>/src/redis/index.ts', '^tokensmith/oauth2$': '<rootDir>/src/oauth2/index.ts', '^tokensmith/store$': '<rootDir>/src/store/index.ts', '^tokensmith/client$': '<rootDir>/src/client/index-node.ts', '^tokensmith/schemas$': '<rootDir>/src/schemas/index.ts' },
  testTimeout: 30000,
  // After the summary, why any tests were skipped (e.g. the Redis suites without REDIS_URL).
  reporters: ['default', '<rootDir>/test/reporters/skip-reasons.cjs'],
  maxWorkers: 2,
};
