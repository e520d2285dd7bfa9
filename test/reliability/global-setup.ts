// Shared preparation for the fault tests: the test environment, the Temporal CLI (provisioned once, cached), and
// the case workflows bundled once into data/test/reliability-<pid>/ (AVRR_TEST_BUNDLE), so every app process the
// tests start and restart loads the same bundle in a second instead of bundling for half a minute.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { WORKFLOWS_PATH } from '../../worker/worker';
import { TEST_ENV } from '../support/test-env';
import { quietLogger } from './support/stack';

export default async function globalSetup(): Promise<void> {
  const dir = path.resolve(__dirname, '..', '..', 'data', 'test', `reliability-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  Object.assign(process.env, TEST_ENV);
  await ensureTemporalCli({ log: (m) => process.stderr.write(`[reliability setup] ${m}\n`) });
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(WORKFLOWS_PATH), logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, code);
  process.env.AVRR_TEST_BUNDLE = bundlePath;
  process.env.AVRR_RELIABILITY_DIR = dir;
}
