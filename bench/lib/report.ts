// What every benchmark reports: the machine it ran on, medians and p99s, project-vs-baseline ratios against the
// issue's targets, as a table on stdout and as JSON in bench/results/<name>.json (git-ignored).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(__dirname, '..', 'results');

export interface Machine {
  date: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average at start and at the end: the machine is shared, so figures move with it. */
  loadAvgStart: number[];
  loadAvgEnd: number[];
  commit: string;
}

export function machineAtStart(): Machine {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    /* not a git checkout */
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvgStart: os.loadavg().map(round2),
    loadAvgEnd: [],
    commit,
  };
}

export interface Summary {
  n: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(values: number[]): Summary {
  if (!values.length) return { n: 0, median: NaN, p99: NaN, mean: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export interface Row {
  metric: string;
  unit: string;
  project: number;
  baseline?: number;
  /** project / baseline for throughputs, baseline / project for latencies (so > 1 always means "project faster"), or as stated by ratioOf. */
  ratio?: number;
  /** How the ratio is read, e.g. "project ÷ bare (≥ 0.7)". */
  ratioOf?: string;
  target?: string;
  met?: boolean;
  note?: string;
}

export interface Result {
  name: string;
  title: string;
  command: string;
  machine: Machine;
  params: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  details?: Record<string, unknown>;
  error?: string;
}

export class Report {
  readonly result: Result;

  constructor(name: string, title: string, command: string, params: Record<string, unknown>) {
    this.result = { name, title, command, machine: machineAtStart(), params, rows: [], notes: [] };
  }

  row(r: Row): void {
    this.result.rows.push(r);
  }

  /** A throughput pair: ratio = project / baseline, met when ≥ min. */
  throughput(metric: string, unit: string, project: number, baseline: number, min?: number, note?: string): void {
    const ratio = project / baseline;
    this.row({ metric, unit, project, baseline, ratio, ratioOf: 'project ÷ baseline', target: min === undefined ? undefined : `≥ ${min}×`, met: min === undefined ? undefined : ratio >= min, note });
  }

  /** A latency pair: ratio = project / baseline (lower is better), met when ≤ max. */
  latencyRatio(metric: string, project: number, baseline: number, max?: number, note?: string): void {
    const ratio = project / baseline;
    this.row({ metric, unit: 'ms', project, baseline, ratio, ratioOf: 'project ÷ baseline', target: max === undefined ? undefined : `≤ ${max}×`, met: max === undefined ? undefined : ratio <= max, note });
  }

  /** A speed-up pair: ratio = baseline / project (how many times faster the project is), met when ≥ min. */
  speedup(metric: string, project: number, baseline: number, min?: number, note?: string): void {
    const ratio = baseline / project;
    this.row({ metric, unit: 'ms', project, baseline, ratio, ratioOf: 'baseline ÷ project (× faster)', target: min === undefined ? undefined : `≥ ${min}×`, met: min === undefined ? undefined : ratio >= min, note });
  }

  note(text: string): void {
    this.result.notes.push(text);
  }

  /** Prints the table and writes bench/results/<name>.json; returns the file path. */
  finish(details?: Record<string, unknown>): string {
    this.result.machine.loadAvgEnd = os.loadavg().map(round2);
    if (details) this.result.details = details;
    process.stdout.write(`${render(this.result)}\n`);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${this.result.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(this.result, null, 2)}\n`);
    return file;
  }

  fail(err: unknown): string {
    this.result.error = err instanceof Error ? err.stack ?? err.message : String(err);
    return this.finish();
  }
}

export function render(r: Result): string {
  const m = r.machine;
  const head = [
    `== ${r.title} (${r.name}) ==`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}; commit ${m.commit}; ${m.date}`,
    `load average (1/5/15 min): ${m.loadAvgStart.join(' / ')} at start, ${m.loadAvgEnd.join(' / ') || '-'} at end`,
    `command: ${r.command}; params: ${JSON.stringify(r.params)}`,
  ];
  const rows = [['metric', 'project', 'baseline', 'ratio', 'target', 'met'], ...r.rows.map((x) => [
    `${x.metric}${x.unit ? ` (${x.unit})` : ''}`,
    fmt(x.project),
    x.baseline === undefined ? '' : fmt(x.baseline),
    x.ratio === undefined ? '' : `${fmt(x.ratio)}×`,
    x.target ?? '',
    x.met === undefined ? '' : x.met ? 'yes' : 'NO',
  ])];
  const out = [...head, table(rows)];
  for (const x of r.rows.filter((x) => x.note)) out.push(`  note (${x.metric}): ${x.note}`);
  for (const n of r.notes) out.push(`  - ${n}`);
  if (r.error) out.push(`  ERROR: ${r.error.split('\n')[0]}`);
  return out.join('\n');
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r, k) => {
    const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    return k === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 10) return v.toFixed(2);
  return v.toFixed(3);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The same result as a Markdown section, for docs/benchmarks.md. */
export function renderMarkdown(r: Result): string {
  const m = r.machine;
  const out = [
    `### ${r.title}`,
    '',
    `\`${r.command}\` — ${m.date.slice(0, 16).replace('T', ' ')} UTC, commit ${m.commit}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, node ${m.node}; load average ${m.loadAvgStart[0]} at start, ${m.loadAvgEnd[0] ?? '-'} at end.`,
    '',
  ];
  if (r.error) out.push(`**Did not complete:** \`${r.error.split('\n')[0]}\``, '');
  if (r.rows.length) {
    out.push('| metric | project | baseline | ratio | target | met |', '|---|---:|---:|---:|---|---|');
    for (const x of r.rows) {
      out.push(`| ${x.metric.trim()}${x.unit ? ` (${x.unit})` : ''} | ${fmt(x.project)} | ${x.baseline === undefined ? '' : fmt(x.baseline)} | ${x.ratio === undefined ? '' : `${fmt(x.ratio)}×`} | ${x.target ?? ''} | ${x.met === undefined ? '' : x.met ? 'yes' : '**no**'} |`);
    }
    out.push('');
  }
  for (const n of r.notes) out.push(`- ${n}`);
  return out.join('\n');
}
