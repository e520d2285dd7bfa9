// Starts one real Temporal dev server and one real PostgreSQL for the whole test run (unless
// TEMPORAL_ADDRESS / DATABASE_URL point at running ones), migrates, and bundles the workflows once.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../../common/config';
import { startServices, type Services } from '../../scripts/services';
import { WORKFLOWS_PATH } from '../../worker/worker';
import { TEST_ENV } from './test-env';
import { freePort } from './free-port';

export const CONTINUE_AS_NEW_AFTER_EVENTS = 120;

export default async function globalSetup(): Promise<void> {
  // One data folder and free ports per run, so two runs on one machine never collide.
  const dataDir = path.resolve(__dirname, '..', '..', 'data', 'test', String(process.pid));
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, TEST_ENV, {
    DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
  });
  const cfg = loadConfig();
  const services: Services = await startServices(cfg, (m) => process.stderr.write(`[test setup] ${m}\n`), {
    persistent: false,
    // Temporal suggests continue-as-new after ~4k events in production; here after a few lifecycle
    // steps, so that every long test also proves the state and timers survive it.
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': CONTINUE_AS_NEW_AFTER_EVENTS },
  });
  (globalThis as { __AVRR_SERVICES__?: Services }).__AVRR_SERVICES__ = services;
  process.env.TEMPORAL_ADDRESS = services.temporalAddress;
  process.env.DATABASE_URL = services.databaseUrl;
  try {
    const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quietLogger });
    const bundlePath = path.join(dataDir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, code);
    process.env.AVRR_TEST_BUNDLE = bundlePath;
  } catch (err) {
    // Jest skips global teardown when setup throws: stop the servers here so none is left behind.
    await services.stop();
    throw err;
  }
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`${m}\n`), log: noop };
