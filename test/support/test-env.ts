// Environment for test runs: ports away from a running `npm start`, fast test programmes.
import path from 'node:path';

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  // High enough that no ordinary test is throttled; the rate-limit test sets its own.
  RATE_LIMIT_PER_MINUTE: '100000',
  AUTH_SECRET: 'test-secret-not-for-production-0123456789',
  // A fixed test master key (never used anywhere else).
  MASTER_KEY: 'test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=',
  PROGRAMMES_DIR: path.resolve(__dirname, '..', 'fixtures', 'programmes'),
};
