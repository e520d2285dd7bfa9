// Worker tuning used by the benchmarks (docs/benchmarks.md, "Worker tuning", says what was measured and why).
import type { WorkerTuning } from '../../worker/worker';

/**
 * The sticky cache is bounded explicitly instead of the SDK's heap-derived default (≈ 2,300 workflows with a 4 GiB
 * heap), so the worker's memory no longer depends on the machine's heap limit and stays flat however many cases
 * are open: a case that is not cached is replayed from history on its next task, which for a case waiting a month
 * on a timer is rare and cheap.
 */
export const SCALE_TUNING: WorkerTuning = {
  maxCachedWorkflows: 500,
};

/** The tuning the throughput benchmarks run the app's worker with (and the baseline's, so both are equal). */
export const APP_TUNING: WorkerTuning = {
  maxCachedWorkflows: 1000,
};
