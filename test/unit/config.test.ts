// Configuration is validated at start-up: a bad value stops the start with one clear line.
import { ConfigError, loadConfig } from '../../common/config';

test('defaults make a valid embedded configuration', () => {
  const cfg = loadConfig({});
  expect(cfg).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', NODE_ENV: 'development' });
});

test.each([
  [{ PORT: 'eighty' }, 'PORT must be an integer between 1 and 65535'],
  [{ PORT: '70000' }, 'PORT must be an integer between 1 and 65535'],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a postgres:// URL'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ NODE_ENV: 'production' }, 'AUTH_SECRET, MASTER_KEY must be set in production'],
])('%j is refused with a message naming it', (env, message) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(message);
});
