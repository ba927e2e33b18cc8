/**
 * ts-jest transpiles only (tsconfig `isolatedModules`), so tests start fast;
 * `npm test` type-checks the whole project with tsc first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
