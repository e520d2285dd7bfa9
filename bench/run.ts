// `npm run bench`: every benchmark, one after another, each in a process of its own with servers of its own, then
// one summary. Each prints its table and writes bench/results/<name>.json; this writes bench/results/summary.json
// and summary.md (the Markdown that goes into docs/benchmarks.md). Never fails a build: the exit code is always 0.
//   BENCH_ONLY=start-case,lifecycle   run only these
//   BENCH_SCALE_CASES_IN_RUN          scale's case count here (default 2000; `npm run bench:scale` runs 100000)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR, render, renderMarkdown, table, fmt, type Result } from './lib/report';

const SCALE_CASES = process.env.BENCH_SCALE_CASES_IN_RUN ?? '2000';
const BENCHES: { name: string; file: string; timeoutMin: number; env?: Record<string, string>; result?: string }[] = [
  { name: 'start-case', file: 'start-case.ts', timeoutMin: 20 },
  { name: 'read-case', file: 'read-case.ts', timeoutMin: 20 },
  { name: 'list-cases', file: 'list-cases.ts', timeoutMin: 20 },
  { name: 'lifecycle', file: 'lifecycle.ts', timeoutMin: 30 },
  { name: 'webhook-delivery', file: 'webhook-delivery.ts', timeoutMin: 20 },
  { name: 'scale', file: 'scale.ts', timeoutMin: 120, env: { BENCH_SCALE_CASES: SCALE_CASES }, result: `scale-${SCALE_CASES}` },
];

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = BENCHES.filter((b) => !only || only.includes(b.name));
  const startedAt = Date.now();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const outcomes: { name: string; exit: string; seconds: number }[] = [];
  for (const b of chosen) {
    const t = Date.now();
    process.stderr.write(`\n[bench] ${b.name} (load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')})\n`);
    const exit = await runChild(path.join(__dirname, b.file), { ...b.env }, b.timeoutMin * 60_000);
    outcomes.push({ name: b.name, exit, seconds: Math.round((Date.now() - t) / 1000) });
  }
  const results: Result[] = [];
  for (const b of chosen) {
    const file = path.join(RESULTS_DIR, `${b.result ?? b.name}.json`);
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= startedAt) results.push(JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  const rows = [['benchmark', 'metric', 'project', 'baseline', 'ratio', 'target', 'met']];
  for (const r of results) {
    for (const x of r.rows.filter((x) => x.target)) {
      rows.push([r.name, x.metric, fmt(x.project), x.baseline === undefined ? '' : fmt(x.baseline), x.ratio === undefined ? '' : `${fmt(x.ratio)}×`, x.target ?? '', x.met ? 'yes' : 'NO']);
    }
  }
  process.stdout.write(`\n== Summary (targets) ==\n${table(rows)}\n`);
  for (const o of outcomes) process.stdout.write(`${o.name}: ${o.exit}, ${o.seconds} s\n`);
  const missing = chosen.filter((b) => !results.some((r) => r.name === (b.result ?? b.name))).map((b) => b.name);
  if (missing.length) process.stdout.write(`no result from: ${missing.join(', ')}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.json'), `${JSON.stringify({ outcomes, results }, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.md'), `${results.map(renderMarkdown).join('\n\n')}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.txt'), `${results.map(render).join('\n\n')}\n`);
  process.stdout.write(`written: ${path.relative(process.cwd(), path.join(RESULTS_DIR, 'summary.md'))}\n`);
}

/** Runs one benchmark file with tsx; kills it (SIGTERM, then SIGKILL) past its time. Resolves to how it ended. */
function runChild(file: string, env: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env: { ...process.env, ...env }, cwd: path.resolve(__dirname, '..') });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 60_000).unref();
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(timedOut ? `timed out after ${timeoutMs / 60_000} min` : signal ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(0);
  },
);
