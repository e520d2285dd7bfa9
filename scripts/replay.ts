// `npm run replay -- <caseId>`: replays one case's Temporal history (every run) against the current workflow
// code. Prints the verdict as JSON; exits 0 when identical, 1 when the code diverges, 2 when it could not check.
import { fetchRunHistories } from '../common/workflow-runs';
import { currentWorkflowCode, replayRuns } from '../worker/replay';
import { installWorkerRuntime } from '../worker/worker';
import { cliConfig, fail, openTemporal } from './replay-connect';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0].startsWith('-')) fail('usage: npm run replay -- <caseId>');
  const caseId = args[0];
  const cfg = cliConfig();
  installWorkerRuntime('error');
  const temporal = await openTemporal(cfg);
  try {
    const runs = await fetchRunHistories(temporal.client, caseId);
    const verdict = await replayRuns(await currentWorkflowCode(), caseId, runs, temporal.dataConverter);
    process.stdout.write(`${JSON.stringify({ caseId, runs: runs.length, ...verdict }, null, 2)}\n`);
    process.exitCode = verdict.verdict === 'identical' ? 0 : 1;
  } finally {
    await temporal.close();
  }
}

main().catch((err) => {
  process.stderr.write(`replay failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
