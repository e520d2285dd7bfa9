// The bare Temporal baselines the benchmarks compare the project with. Bundled apart from the app's workflows
// (bench/lib/harness.ts bundleBaseline) and run by bench/baseline-worker.ts with no-op activities.
import { allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BaselineActivities {
  noop(seq: number): Promise<number>;
}

// The same activity options as the case workflow (workflows/case/workflow.ts).
const { noop } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** (a) The cheapest workflow there is: started, one workflow task, completed. */
export async function emptyWorkflow(): Promise<void> {
  return;
}

/** One step: run this many activities in a row, then count one more event. Returns the new sequence number. */
export const stepUpdate = defineUpdate<number, [number]>('step');
/** The last step: like step, then the workflow ends. */
export const closeUpdate = defineUpdate<number, [number]>('close');
export const seqQuery = defineQuery<number>('seq');

/**
 * (d) The case workflow's skeleton with no domain in it: open with `openActivities` activities, then serialised
 * updates each running its activities, and one deadline timer re-armed after every change (like nextWakeup), so a
 * lifecycle through it has the same count of updates, activities and timers as a case, and nothing else.
 */
export async function lifecycleBaseline(a: { openActivities: number; timerMs: number }): Promise<number> {
  let seq = 0;
  let changed = false;
  let closed = false;
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn);
    turn = run.catch(() => undefined);
    return run;
  };
  const commit = async (activities: number) => {
    for (let i = 0; i < activities; i++) await noop(seq);
    seq++;
    changed = true;
    return seq;
  };
  setHandler(seqQuery, () => seq);
  setHandler(stepUpdate, (n) => exclusive(() => commit(n)));
  setHandler(closeUpdate, (n) => exclusive(async () => {
    const s = await commit(n);
    closed = true;
    return s;
  }));
  await exclusive(() => commit(a.openActivities));
  while (!closed) {
    await condition(() => changed || closed, a.timerMs);
    changed = false;
  }
  await condition(allHandlersFinished);
  return seq;
}
