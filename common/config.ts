// Configuration from the environment, validated once at start-up with zod.
// A bad value stops the process with one line naming the variable and the problem.
import path from 'node:path';
import { z } from 'zod';

const port = (name: string, dflt: number) =>
  z.coerce
    .number({ error: `${name} must be an integer between 1 and 65535` })
    .int(`${name} must be an integer between 1 and 65535`)
    .min(1, `${name} must be an integer between 1 and 65535`)
    .max(65535, `${name} must be an integer between 1 and 65535`)
    .default(dflt);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: port('PORT', 3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default(path.resolve(__dirname, '..', 'data')),
  DATABASE_URL: optionalString.pipe(z.url({ error: 'DATABASE_URL must be a postgres:// URL' }).optional()),
  EMBEDDED_PG_PORT: port('EMBEDDED_PG_PORT', 5433),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('avrr-cases'),
  TEMPORAL_DEV_PORT: port('TEMPORAL_DEV_PORT', 7233),
  TEMPORAL_UI_PORT: port('TEMPORAL_UI_PORT', 8233),
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_TLS_SERVER_NAME: optionalString,
  TEMPORAL_API_KEY: optionalString,
  PROGRAMMES_DIR: z.string().default(path.resolve(__dirname, '..', 'programmes')),
  AUTH_SECRET: optionalString,
  /** Production sign-in: bearer JWTs from this OIDC issuer, verified against its JWKS. */
  OIDC_ISSUER: optionalString,
  OIDC_AUDIENCE: optionalString,
  OIDC_JWKS_URI: optionalString,
  /** Claims that carry the user's role, office and partner ID in the issuer's tokens. */
  OIDC_ROLE_CLAIM: z.string().default('avrr_role'),
  OIDC_OFFICE_CLAIM: z.string().default('avrr_office'),
  OIDC_PARTNER_CLAIM: z.string().default('avrr_partner'),
  /** Origins allowed to call the API from a browser (comma-separated), e.g. the Temporal UI for the codec server. */
  CORS_ORIGINS: optionalString,
  /** Requests per minute per client (user, API key or IP) before 429. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'RATE_LIMIT_PER_MINUTE must be an integer' }).int().min(1).default(600),
  MASTER_KEY: optionalString,
  // Production and observability (docs/operations.md).
  SERVICE_NAME: z.string().min(1).default('avrr'),
  WORKFLOW_BUNDLE_PATH: optionalString,
  WORKER_DEPLOYMENT_NAME: optionalString,
  WORKER_BUILD_ID: optionalString,
  METRICS_PORT: port('METRICS_PORT', 9100),
  METRICS_TOKEN: optionalString,
  // 0: any free loopback port; the SDK's metrics are served merged into /metrics, never on their own.
  TEMPORAL_METRICS_PORT: z.coerce
    .number({ error: 'TEMPORAL_METRICS_PORT must be 0 or a port' })
    .int('TEMPORAL_METRICS_PORT must be 0 or a port')
    .min(0, 'TEMPORAL_METRICS_PORT must be 0 or a port')
    .max(65535, 'TEMPORAL_METRICS_PORT must be 0 or a port')
    .default(0),
  OTEL_ENABLED: z
    .enum(['true', 'false', '1', '0', ''], { error: 'OTEL_ENABLED must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ error: 'OTEL_EXPORTER_OTLP_ENDPOINT must be a URL' }).optional()),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Every variable the configuration reads, so deployment files can be checked against it. */
export const CONFIG_ENV_NAMES = Object.keys(ConfigSchema.shape) as (keyof Config)[];

/** Parses the environment; throws ConfigError with one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? 'config');
      return i.message.startsWith(key) ? i.message : `${key}: ${i.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production') {
    const missing = (['AUTH_SECRET', 'MASTER_KEY'] as const).filter((k) => !cfg[k]);
    if (missing.length) throw new ConfigError(`${missing.join(', ')} must be set in production`);
  }
  // A deployment version is a (name, build ID) pair: one without the other would poll unversioned.
  if (Boolean(cfg.WORKER_DEPLOYMENT_NAME) !== Boolean(cfg.WORKER_BUILD_ID)) {
    throw new ConfigError('WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID must be set together');
  }
  return cfg;
}

export class ConfigError extends Error {
  name = 'ConfigError';
}
