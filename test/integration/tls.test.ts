// Connecting to any Temporal by configuration alone: the production entries (api/main.ts, worker/main.ts) run
// as their own processes against a Temporal given only by environment variables — mTLS with a throwaway CA,
// and the namespace `avrr-test`, not `default` — and carry a case forward there.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../common/config';
import { temporalConnectionOptions } from '../../common/temporal';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { startTemporalDevServer, stopChild, type RunningTemporal } from '../../scripts/temporal-dev-server';
import { singleAdult } from '../support/cases';
import { freePort } from '../support/free-port';
import { EMAIL } from '../support/harness';
import { DEMO_ACCOUNTS } from '../../db/seed';
import { makeCertificates, startTlsProxy, type Certificates, type TlsProxy } from '../support/tls';

const ROOT = path.resolve(__dirname, '..', '..');
const NAMESPACE = 'avrr-test';
const SERVER_NAME = 'temporal.test';

let temporal: RunningTemporal;
let certs: Certificates;
let mtls: TlsProxy;
let tlsOnly: TlsProxy;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const dir = path.join(process.env.DATA_DIR!, `tls-${crypto.randomUUID().slice(0, 8)}`);
  certs = makeCertificates(path.join(dir, 'certs'), SERVER_NAME);
  const cli = await ensureTemporalCli({ log: () => undefined });
  temporal = await startTemporalDevServer({ cliPath: cli.path, dataDir: dir, port: await freePort(), uiPort: await freePort(), namespace: NAMESPACE, persistent: false });
  const upstreamPort = Number(temporal.address.split(':')[1]);
  mtls = await startTlsProxy({ certs, upstreamPort, mtls: true });
  tlsOnly = await startTlsProxy({ certs, upstreamPort, mtls: false });
});

afterAll(async () => {
  for (const c of children) await stopChild(c);
  await mtls?.close();
  await tlsOnly?.close();
  await temporal?.stop();
});

/** The environment an operator would set: nothing else tells the processes where Temporal is. */
function operatorEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: mtls.address,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TLS_CA: certs.ca,
    TEMPORAL_TLS_CERT: certs.clientCert,
    TEMPORAL_TLS_KEY: certs.clientKey,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** `node --import tsx <entry>`: one process, so SIGTERM reaches the entry itself. */
function run(entry: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(url: string, what: string, timeoutMs = 90_000, output?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not come up at ${url}:\n${output?.() ?? ''}`);
}

test('migrate, worker and API start from the environment alone and run a case in namespace avrr-test over mTLS', async () => {
  const migrate = run('scripts/migrate.ts', operatorEnv({}));
  expect(await migrate.exited).toBe(0);

  const apiPort = await freePort();
  const metricsPort = await freePort();
  const env = operatorEnv({
    TEMPORAL_TASK_QUEUE: `tls-${crypto.randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: process.env.AVRR_TEST_BUNDLE!,
    PORT: String(apiPort),
    METRICS_PORT: String(metricsPort),
  });
  const worker = run('worker/main.ts', env);
  const api = run('api/main.ts', env);
  await until(`http://127.0.0.1:${metricsPort}/health`, 'worker', 90_000, worker.output);
  await until(`http://127.0.0.1:${apiPort}/health`, 'api', 90_000, api.output);

  // The worker says which code it runs: the pre-built bundle, in the configured namespace.
  const started = worker.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.msg === 'worker: workflow code');
  expect(started).toMatchObject({ namespace: NAMESPACE, bundle: process.env.AVRR_TEST_BUNDLE });
  expect(started.workflowCode).toMatch(/^bundle:[0-9a-f]{12}$/);

  const base = `http://127.0.0.1:${apiPort}/api/v1`;
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL.caseworker, password: DEMO_ACCOUNTS[0].password }),
  });
  const auth = { authorization: `Bearer ${(await login.json()).token}`, 'content-type': 'application/json' };
  const created = await fetch(`${base}/cases`, { method: 'POST', headers: auth, body: JSON.stringify(singleAdult()) });
  expect(created.status).toBe(201);
  const { caseId } = await created.json();
  // A step returns only after the worker recorded it: the worker's side of the TLS connection works too.
  const step = await fetch(`${base}/cases/${caseId}/actions/confirm_intake`, { method: 'POST', headers: auth, body: '{}' });
  expect(step.status).toBe(200);
  expect((await step.json()).stage).toBe('counselling');

  const connection = await Connection.connect(temporalConnectionOptions(loadConfig(env), mtls.address));
  try {
    const inNamespace = await new Client({ connection, namespace: NAMESPACE }).workflow.getHandle(caseId).describe();
    expect(inNamespace.status.name).toBe('RUNNING');
    await expect(new Client({ connection, namespace: 'default' }).workflow.getHandle(caseId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  } finally {
    await connection.close();
  }

  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`avrr_worker_info\\{[^}]*namespace="${NAMESPACE}"[^}]*workflow_code="bundle:`));
  expect(metrics).toMatch(/^temporal_\w+/m);
});

test('mTLS is enforced: without the client certificate the connection is refused', async () => {
  const cfg = loadConfig({ TEMPORAL_TLS_CA: certs.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
  const refusedBefore = mtls.refused;
  await expect(Connection.connect({ ...temporalConnectionOptions(cfg, mtls.address), connectTimeout: 3000 })).rejects.toThrow();
  expect(mtls.refused).toBeGreaterThan(refusedBefore);
});

test('the server is authenticated: the CA and server name must match', async () => {
  const good = loadConfig({ TEMPORAL_TLS_CA: certs.ca, TEMPORAL_TLS_SERVER_NAME: SERVER_NAME });
  const connection = await Connection.connect(temporalConnectionOptions(good, tlsOnly.address));
  await expect(connection.workflowService.describeNamespace({ namespace: NAMESPACE })).resolves.toBeDefined();
  await connection.close();
  const wrongName = loadConfig({ TEMPORAL_TLS_CA: certs.ca, TEMPORAL_TLS_SERVER_NAME: 'elsewhere.test' });
  await expect(Connection.connect({ ...temporalConnectionOptions(wrongName, tlsOnly.address), connectTimeout: 3000 })).rejects.toThrow();
});

test('a Temporal Cloud API key turns TLS on with the system CAs and is sent as the key', () => {
  const opts = temporalConnectionOptions(loadConfig({ TEMPORAL_API_KEY: 'tcak-example' }), 'avrr.a1b2c.tmprl.cloud:7233');
  expect(opts).toMatchObject({ address: 'avrr.a1b2c.tmprl.cloud:7233', apiKey: 'tcak-example' });
  expect(opts.tls).toBeDefined();
  expect(opts.tls!.serverRootCACertificate).toBeUndefined();
});
