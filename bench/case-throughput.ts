// The measured inputs of docs/operations.md "Sizing": the production build (npm run build) runs as its own
// processes — dist/worker/main.js and dist/api/main.js — and cases are driven over HTTP along the main path
// (intake to post-arrival, about 17 steps each), as caseworkers and partners would. Reports throughput and the
// CPU and memory each process spent. Starts its own Temporal dev server and PostgreSQL unless TEMPORAL_ADDRESS
// and DATABASE_URL name running ones (a staging cluster; the cases it opens stay there).
//   npm run build && npx tsx bench/case-throughput.ts      (BENCH_CASES, BENCH_CONCURRENCY)
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../common/config';
import { createPool } from '../db/pool';
import { startServices } from '../scripts/services';
import { stopChild } from '../scripts/temporal-dev-server';
import { freePort } from '../test/support/free-port';
import { remoteHarness } from '../test/support/http-client';
import { Journey } from '../test/support/journey';

const Params = z.object({
  BENCH_CASES: z.coerce.number().int().positive().default(40),
  BENCH_CONCURRENCY: z.coerce.number().int().positive().default(8),
});
const ROOT = path.resolve(__dirname, '..');
const TICKS_PER_SECOND = 100; // Linux USER_HZ, the unit of /proc/<pid>/stat times

async function main(): Promise<void> {
  const params = Params.parse(process.env);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'workflow-bundle.js'))) throw new Error('run `npm run build` first');
  const dataDir = path.join(ROOT, 'data', 'bench', String(process.pid));
  const cfg = loadConfig({ ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'error', DATA_DIR: dataDir, TEMPORAL_DEV_PORT: String(await freePort()), TEMPORAL_UI_PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
  const services = await startServices(cfg, () => undefined, { persistent: false });
  const children: ChildProcess[] = [];
  try {
    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'development', // demo accounts, so the bench can log in as caseworker, supervisor and partners
      LOG_LEVEL: 'error',
      DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: services.temporalAddress,
      DATABASE_URL: services.databaseUrl,
      TEMPORAL_TASK_QUEUE: `bench-${crypto.randomUUID()}`,
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
    };
    const worker = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], { env, stdio: 'inherit' });
    const api = spawn(process.execPath, [path.join(ROOT, 'dist', 'api', 'main.js')], { env, stdio: 'inherit' });
    children.push(worker, api);
    await waitHealthy(`http://127.0.0.1:${port}/health`);
    await waitHealthy(`http://127.0.0.1:${env.METRICS_PORT}/health`);

    const journey = new Journey(remoteHarness(`http://127.0.0.1:${port}`));
    const pool = createPool(services.databaseUrl, 1);
    const dbBytes = async () => Number((await pool.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    const before = { worker: cpuSeconds(worker.pid!), api: cpuSeconds(api.pid!), at: Date.now(), db: await dbBytes() };
    let next = 0;
    let steps = 0;
    const lane = async () => {
      while (next < params.BENCH_CASES) {
        next++;
        const id = await journey.open({ programmeId: 'it-rva-fami' });
        const view = await journey.advance(id, 'reintegration');
        steps += (view.timeline?.length as number | undefined) ?? 0;
      }
    };
    await Promise.all(Array.from({ length: params.BENCH_CONCURRENCY }, lane));
    const seconds = (Date.now() - before.at) / 1000;
    const workerCpu = cpuSeconds(worker.pid!) - before.worker;
    const apiCpu = cpuSeconds(api.pid!) - before.api;
    const dbGrowth = (await dbBytes()) - before.db;
    await pool.end();
    const n = params.BENCH_CASES;
    const report = {
      cases: n,
      concurrency: params.BENCH_CONCURRENCY,
      wallSeconds: round(seconds),
      casesPerMinute: round((n / seconds) * 60),
      timelineEntriesPerCase: round(steps / n),
      workerCpuMsPerCase: round((workerCpu / n) * 1000),
      apiCpuMsPerCase: round((apiCpu / n) * 1000),
      workerPeakRssMiB: peakRssMiB(worker.pid!),
      apiPeakRssMiB: peakRssMiB(api.pid!),
      // Whole-database growth (tables, indexes, TOAST), no webhook endpoints configured.
      appDatabaseKiBPerCase: round(dbGrowth / 1024 / n),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const c of children) await stopChild(c);
    await services.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function cpuSeconds(pid: number): number {
  // Fields 14 and 15 (utime, stime) follow the command name, which is in parentheses and may contain spaces.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function peakRssMiB(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return round(kb / 1024);
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} never became healthy`);
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
