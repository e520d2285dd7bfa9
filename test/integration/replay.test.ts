// Replay is the deploy gate: the committed histories of the case's main paths must replay on the current
// workflow code, a changed workflow must be caught with where it diverged, and a live case (every run of it,
// across continue-as-new) replays identically through the API.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { FIXTURE_HISTORIES_DIR, historyToJson, readHistoryFiles } from '../../common/history-json';
import { replayHistories, replayRuns } from '../../worker/replay';
import { installWorkerRuntime } from '../../worker/worker';

const ROOT = path.resolve(__dirname, '..', '..');
/** Temporary folders inside the project, so the bundler finds node_modules from them. */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(process.env.DATA_DIR ?? path.join(ROOT, 'data'), prefix));
  made.push(dir);
  return dir;
};
// Replaying divergent code makes Core warn on every run; the verdicts are what this file checks.
beforeAll(() => installWorkerRuntime('error'));
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
const bundle = () => ({ codePath: process.env.AVRR_TEST_BUNDLE! });

describe('fixture histories', () => {
  test('every committed history of the main paths replays on the current workflow code', async () => {
    const fixtures = readHistoryFiles(FIXTURE_HISTORIES_DIR);
    expect(fixtures.map((f) => f.workflowId)).toEqual(expect.arrayContaining(['happy-path', 'withdrawal', 'ineligible', 'no-show-rebooking']));
    const results = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: bundle() }, fixtures)) results.push(r);
    expect(results.map((r) => ({ id: r.workflowId, error: r.error?.message }))).toEqual(fixtures.map((f) => ({ id: f.workflowId, error: undefined })));
  });

  test('a workflow that now calls an extra activity, or waits first, is reported as nondeterministic', async () => {
    const [happy] = readHistoryFiles(FIXTURE_HISTORIES_DIR).filter((f) => f.workflowId === 'happy-path');
    const extraActivity = await variantBundle(`
      const { reservePlace } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
      export async function caseWorkflow(args: CaseWorkflowArgs) {
        await reservePlace({ programmeId: args.programme.id, caseId: args.caseId });
        return original(args);
      }`);
    expect(await replayRuns(extraActivity, 'happy-path', [happy])).toEqual({
      verdict: 'nondeterministic',
      error: expect.stringMatching(/Nondeterminism error: Activity type of scheduled event 'recordTransition' does not match .*'reservePlace'/),
    });

    const waitsFirst = await variantBundle(`
      export async function caseWorkflow(args: CaseWorkflowArgs) {
        await sleep('1 minute');
        return original(args);
      }`);
    // The first command the original code gave was scheduling recordTransition, event 5 of every case.
    const firstActivity = Number(String(happy.history.events!.find((e) => e.activityTaskScheduledEventAttributes)!.eventId));
    expect(await replayRuns(waitsFirst, 'happy-path', [happy])).toEqual({ verdict: 'nondeterministic', error: expect.stringContaining('Nondeterminism'), eventId: firstActivity });

    // The unchanged code, through the same path, is identical: the variants are what differs.
    const same = [];
    for await (const r of replayHistories(bundle(), [happy])) same.push(r.verdict);
    expect(same).toEqual([{ verdict: 'identical' }]);
  });

  test('a run whose first task has not been taken yet (just continued as new) is identical, without waiting', async () => {
    const [happy] = readHistoryFiles(FIXTURE_HISTORIES_DIR).filter((f) => f.workflowId === 'happy-path');
    const started = { ...happy.history, events: happy.history.events!.slice(0, 1) };
    expect(await replayRuns(bundle(), 'happy-path', [happy, { history: started }])).toEqual({ verdict: 'identical' });
    const verdicts = [];
    for await (const r of replayHistories(bundle(), [{ workflowId: 'just-started', history: started }, happy])) verdicts.push(r);
    expect(verdicts.map((r) => [r.workflowId, r.verdict.verdict]).sort()).toEqual([['happy-path', 'identical'], ['just-started', 'identical']]);

    // A run whose first task failed decided nothing either, but it is a case stuck at its start: not identical.
    const failed = { ...happy.history, events: [...happy.history.events!.slice(0, 3), { eventId: 4, workflowTaskFailedEventAttributes: {} }] };
    expect(await replayRuns(bundle(), 'happy-path', [happy, { history: failed as typeof happy.history }])).toEqual({ verdict: 'failed', error: expect.stringContaining('first workflow task') });
  }, 30_000);

  test('the batch gate passes on the fixtures and fails, exit 1, on a history the code does not produce', async () => {
    const passed = await runCli(['--fixtures']);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/"summary":\{"identical":[1-9]\d*,"nondeterministic":0,"failed":0/);

    // A history whose recorded activity differs from what the code schedules.
    const dir = tempDir('gate-');
    const [happy] = readHistoryFiles(FIXTURE_HISTORIES_DIR).filter((f) => f.workflowId === 'happy-path');
    const json = JSON.parse(historyToJson(happy.history));
    json.events.find((e: any) => e.activityTaskScheduledEventAttributes).activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    fs.writeFileSync(path.join(dir, 'altered.json'), JSON.stringify(json));
    const failed = await runCli(['--fixtures-dir', dir]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/"workflowId":"altered","verdict":"nondeterministic"/);
    expect(failed.stderr).toContain('GATE FAILED');
  }, 120_000);
});


/**
 * Bundles a variant of the case workflow under the same name, beside every other workflow of the bundle.
 * A local export shadows the star export.
 */
async function variantBundle(body: string): Promise<{ code: string }> {
  const dir = tempDir('variant-');
  const rel = (p: string) => path.relative(dir, path.join(ROOT, p)).split(path.sep).join('/');
  const file = path.join(dir, 'workflows.ts');
  fs.writeFileSync(
    file,
    `import { proxyActivities, sleep } from '@temporalio/workflow';
     import type { Activities } from '${rel('activities')}';
     import { caseWorkflow as original, type CaseWorkflowArgs } from '${rel('workflows/case/workflow')}';
     export * from '${rel('workflows/index')}';
     void proxyActivities; void sleep;
     ${body}`,
  );
  const noop = () => undefined;
  const { code } = await bundleWorkflowCode({ workflowsPath: file, logger: { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop } });
  return { code };
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'replay-batch.ts'), ...args], { cwd: ROOT, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
