// `npm run build:bundle [-- --out <file>]`: builds the workflow bundle ahead of time (default
// dist/workflow-bundle.js), with the tracing interceptors compiled in, so production workers start in seconds
// and every replica runs byte-identical workflow code. Prints the bundle's SHA-256, which the worker logs and
// exports as `avrr_worker_info{workflow_code="bundle:<prefix>"}`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_TRACING_MODULE } from '../common/tracing';
import { WORKFLOWS_PATH } from '../worker/worker';

export async function buildBundle(out: string): Promise<{ path: string; sha256: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
    logger: quietLogger,
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  return { path: out, sha256: crypto.createHash('sha256').update(code).digest('hex'), bytes: Buffer.byteLength(code) };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: (m: string) => process.stderr.write(`${m}\n`), error: (m: string) => process.stderr.write(`${m}\n`), log: noop };

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join('dist', 'workflow-bundle.js') } } });
  buildBundle(path.resolve(values.out))
    .then((b) => process.stdout.write(`workflow bundle: ${b.path} (${(b.bytes / 1024).toFixed(0)} KiB, sha256 ${b.sha256})\n`))
    .catch((err) => {
      process.stderr.write(`workflow bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
