// Worker tuning used by the benchmarks (docs/benchmarks.md, "Worker tuning", says what was measured and why).
// Both default to the product's own (worker/worker.ts DEFAULT_WORKER_TUNING: a sticky cache of 500), so the figures
// describe the worker as shipped; BENCH_SCALE_TUNING (JSON) overrides the scale benchmark's for experiments.
import type { WorkerTuning } from '../../worker/worker';

/** The scale benchmark's worker: the shipped defaults. */
export const SCALE_TUNING: WorkerTuning = {};

/** The throughput benchmarks' workers (the app's and the baseline's, so both are equal): the shipped defaults. */
export const APP_TUNING: WorkerTuning = {};
