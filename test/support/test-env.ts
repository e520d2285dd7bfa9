// Environment for test runs: ports away from a running `npm start`, fast test programmes.
import path from 'node:path';

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  AUTH_SECRET: 'test-secret-not-for-production-0123456789',
  PROGRAMMES_DIR: path.resolve(__dirname, '..', 'fixtures', 'programmes'),
};
