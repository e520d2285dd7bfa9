// `npx tsx scripts/record-cooperation-histories.ts`: the cooperation sibling of record-histories.ts. Runs a
// project from proposal to closure over the API (a missed report escalating, a tranche, a returnee enrolled from
// an approved plan who then withdraws), and writes both Temporal histories, payloads decoded, to
// test/fixtures/histories/cooperation-*.json for the replay tests and the gate: the project's to its end, the
// case's up to its wait for retention (after that its key is shredded and its payloads are unreadable).
// Starts its own throw-away servers. The people and the project are made up.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { loadConfig } from '../common/config';
import { createEncryption } from '../common/crypto/data-converter';
import { decodePayloads, FIXTURE_HISTORIES_DIR, historyToJson } from '../common/history-json';
import { fetchRunHistories } from '../common/workflow-runs';
import { createPool } from '../db/pool';
import { startApp } from './app-runtime';
import { casePaths, FIXTURE_PARTNER, fixtureApi, fixtureCase, freePort, sleep, type Who } from './history-paths';
import { openTemporal } from './replay-connect';
import { startServices } from './services';

type Api = (who: Who, method: string, url: string, body?: unknown) => Promise<Record<string, unknown>>;

async function main(): Promise<void> {
  const dataDir = path.resolve(__dirname, '..', 'data', 'record-cooperation-histories');
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    PROGRAMMES_DIR: path.resolve(__dirname, '..', 'test', 'fixtures', 'programmes'),
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: `record-cooperation-${crypto.randomUUID()}`,
  });
  const cfg = loadConfig();
  const services = await startServices(cfg, (m) => process.stderr.write(`${m}\n`), { persistent: false });
  const app = await startApp(cfg, services);
  const temporal = await openTemporal({ ...cfg, TEMPORAL_ADDRESS: services.temporalAddress });
  const pool = createPool(services.databaseUrl, 2);
  try {
    const api = await apiClient(app.url);
    const codec = createEncryption(pool, cfg).dataConverter.payloadCodecs![0];
    const save = async (name: string, id: string, toItsEnd: boolean) => {
      if (toItsEnd) await temporal.client.workflow.getHandle(id).result();
      else await sleep(1_000); // the last workflow task settles
      const [run, ...more] = await fetchRunHistories(temporal.client, id);
      if (more.length) throw new Error(`${name}: continued as new; a fixture is one run`);
      // Stored decoded: a fixture must replay without this run's throw-away keys.
      const history = (await decodePayloads(run.history, (p) => codec.decode([p]).then(([d]) => d))) as History;
      fs.writeFileSync(path.join(FIXTURE_HISTORIES_DIR, `${name}.json`), `${historyToJson(history)}\n`);
      process.stderr.write(`${name}: ${history.events?.length} events\n`);
    };
    await runProject(api, save);
  } finally {
    await pool.end();
    await temporal.close();
    await app.stop();
    await services.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runProject(api: Api, save: (name: string, id: string, toItsEnd: boolean) => Promise<void>): Promise<void> {
  const project = await api('caseworker', 'POST', '/api/v1/cooperation-projects', {
    title: 'Fixture cooperative',
    partnerId: FIXTURE_PARTNER,
    country: fixtureCase().countryOfReturn,
    municipality: 'Comune di Roma',
    budget: 50_000,
    slots: 2,
    settings: { reportEvery: 'PT2S', reportCount: 1, reminderAfter: 'PT1S', escalateAfter: 'PT2S' },
  });
  const projectId = String(project.projectId);
  const step = (who: Who, action: string, payload?: unknown) =>
    api(who, 'POST', `/api/v1/cooperation-projects/${projectId}/actions/${action}`, payload === undefined ? {} : { payload });
  await step('caseworker', 'submit_for_due_diligence');
  await step('supervisor', 'record_due_diligence', { passed: true });
  await step('supervisor', 'sign_agreement');
  const signedAt = Date.now();

  // A returnee enrolled by the approval of a plan naming the project, who then withdraws and frees the slot.
  const opened = await api('caseworker', 'POST', '/api/v1/cases', fixtureCase());
  const caseId = String(opened.caseId);
  for (const s of casePaths().find((p) => p.name === 'withdrawal')!.steps) {
    const payload = s.action === 'submit_plan' ? { ...s.payload, cooperationProjectId: projectId } : s.payload;
    await api(s.as, 'POST', `/api/v1/cases/${caseId}/actions/${s.action}`, { ...(payload ? { payload } : {}), ...(s.reason ? { reason: s.reason } : {}) });
  }
  // Closed, the case now waits for its retention to end; once it does, its key is shredded and its history can
  // no longer be decoded, so the fixture is the run up to this wait (replay needs no completed history).
  await save('cooperation-case-withdrawal', caseId, false);

  // Report 1 is due 2 s after the signature: let its reminder and escalation fire first.
  await sleep(signedAt + 5_000 - Date.now());
  await step('partner', 'submit_periodic_report', { report: 1 });
  await step('partner', 'submit_milestone_report', { milestone: 'workshop equipped', amount: 30_000 });
  await step('supervisor', 'approve_tranche', { trancheId: 't1' });
  await step('caseworker', 'start_final_evaluation');
  await step('partner', 'submit_final_evaluation', { score: 70 });
  await step('supervisor', 'close_project');
  await save('cooperation-project', projectId, true);
}


/** The shared fixture API, failing loudly on an answer that is not a success. */
async function apiClient(baseUrl: string): Promise<Api> {
  const call = await fixtureApi(baseUrl);
  return async (who, method, url, body) => {
    const { status, body: answer } = await call(who, method, url, body);
    if (status >= 300) throw new Error(`${method} ${url.replace(/[0-9a-f-]{36}/g, ':id')} answered ${status} ${String(answer.detail ?? '')}`);
    return answer;
  };
}



main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`record-cooperation-histories failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
