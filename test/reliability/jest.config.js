// The reliability suite (npm run test:reliability): fault tests that kill, restart and stop real servers on purpose.
// Each test file owns a whole stack (test/reliability/support/stack.ts: a PERSISTENT Temporal dev server, so it can
// be restarted, an embedded PostgreSQL, and the worker and API as child processes), because a test can only restart
// what it started. The global setup prepares what they share: the Temporal CLI and one workflow bundle.
// The main jest config ignores this folder.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/reliability/**/*.test.ts'],
  globalSetup: '<rootDir>/test/reliability/global-setup.ts',
  globalTeardown: '<rootDir>/test/reliability/global-teardown.ts',
  // Each file is bounded by its own give-up times; this is the backstop.
  testTimeout: 22 * 60 * 1000,
  maxWorkers: 1,
};
