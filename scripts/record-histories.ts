// `npm run record:histories`: runs the main paths of a return case (scripts/history-paths.ts) over the API
// on a real Temporal server and PostgreSQL, waits for each case to run to its end (closure, then erasure),
// and writes each Temporal history to test/fixtures/histories/<path>.json for the replay tests and the gate.
// Starts its own throw-away servers unless TEMPORAL_ADDRESS and DATABASE_URL point at running ones.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../common/config';
import { decodePayloads, FIXTURE_HISTORIES_DIR, historyToJson } from '../common/history-json';
import type { Client } from '@temporalio/client';
import { caseStateQuery } from '../workflows/case/messages';
import { fetchRunHistories } from '../common/workflow-runs';
import { startApp } from './app-runtime';
import { casePaths, fixtureApi, fixtureCase, freePort, sleep, type CasePath, type FixtureApi } from './history-paths';
import { openTemporal } from './replay-connect';
import { startServices } from './services';

const PROGRAMMES_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'programmes');

async function main(): Promise<void> {
  // Under the project's data/ (as the tests' servers), which the embedded Postgres's own user can reach.
  const dataDir = path.resolve(__dirname, '..', 'data', 'record-histories');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    PROGRAMMES_DIR,
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    // Its own task queue: no other worker on a shared server picks up these cases.
    TEMPORAL_TASK_QUEUE: `record-histories-${crypto.randomUUID()}`,
  });
  const cfg = loadConfig();
  const services = await startServices(cfg, (m) => process.stderr.write(`${m}\n`), { persistent: false });
  const app = await startApp(cfg, services);
  const temporal = await openTemporal({ ...cfg, TEMPORAL_ADDRESS: services.temporalAddress });
  try {
    const api = await fixtureApi(app.url);
    fs.mkdirSync(FIXTURE_HISTORIES_DIR, { recursive: true });
    // One at a time: each path's history stays free of the others' timing.
    for (const p of casePaths()) {
      const caseId = await runPath(api, p);
      // Up to closure: after retention the case's key is shredded and its payloads no longer decode.
      await closed(temporal.client, caseId);
      const [run, ...more] = await fetchRunHistories(temporal.client, caseId);
      if (more.length) throw new Error(`${p.name}: continued as new; a fixture is one run`);
      // Stored decoded: a fixture must replay without this run's throw-away keys.
      const codec = temporal.dataConverter.payloadCodecs![0];
      const history = (await decodePayloads(run.history, (x) => codec.decode([x]).then(([d]) => d))) as typeof run.history;
      fs.writeFileSync(path.join(FIXTURE_HISTORIES_DIR, `${p.name}.json`), `${historyToJson(history)}\n`);
      process.stderr.write(`${p.name}: ${run.history.events?.length} events\n`);
    }
  } finally {
    await temporal.close();
    await app.stop();
    await services.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

type Api = FixtureApi;

async function runPath(api: Api, p: CasePath): Promise<string> {
  const created = await api('caseworker', 'POST', '/api/v1/cases', fixtureCase());
  if (created.status !== 201) throw new Error(`${p.name}: opening the case answered ${created.status}`);
  const caseId = String(created.body.caseId);
  let departedAt = 0;
  for (const step of p.steps) {
    if (step.afterDepartureMs !== undefined) await sleep(departedAt + step.afterDepartureMs - Date.now());
    const r = await api(step.as, 'POST', `/api/v1/cases/${caseId}/actions/${step.action}`, {
      ...(step.payload ? { payload: step.payload } : {}),
      ...(step.reason ? { reason: step.reason } : {}),
    });
    if (r.status !== 200) throw new Error(`${p.name}: ${step.action} answered ${r.status} ${String(r.body.detail ?? '')}`);
    if (step.action === 'confirm_departure') departedAt = Date.now();
  }
  return caseId;
}




main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`record:histories failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);

async function closed(client: Client, caseId: string): Promise<void> {
  for (;;) {
    const state = await client.workflow.getHandle(caseId).query(caseStateQuery);
    if (state.stage === 'closed') return;
    await sleep(200);
  }
}
