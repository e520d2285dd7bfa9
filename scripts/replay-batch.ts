// `npm run replay:batch -- [--all] [--open] [--programme <id>] [--closed-since <date>] [--fixtures [dir]]`
// The gate before deploying a new worker build: replays the selected cases' histories (case IDs from the read
// model, filters combined with AND) and the committed fixture histories against the current workflow code.
// Exits 0 when every history replays identically, 1 on any divergence or failed replay, 2 when it could not check.
import { parseArgs } from 'node:util';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import type { Pool } from 'pg';
import { FIXTURE_HISTORIES_DIR, readHistoryFiles } from '../common/history-json';
import { fetchRunHistories, type RunHistory } from '../common/workflow-runs';
import { currentWorkflowCode, replayHistories, type Verdict } from '../worker/replay';
import type { DataConverter } from '@temporalio/common';
import { installWorkerRuntime } from '../worker/worker';
import { cliConfig, fail, openPool, openTemporal } from './replay-connect';

const PAGE = 500;
/** Histories fetched ahead of the replay, so the network and the replay overlap. */
const PREFETCH = 8;

interface Selection {
  all: boolean;
  open: boolean;
  programme?: string;
  closedSince?: string;
}

function parse() {
  const { values } = parseArgs({
    options: {
      all: { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      programme: { type: 'string' },
      'closed-since': { type: 'string' },
      fixtures: { type: 'boolean', default: false },
      'fixtures-dir': { type: 'string' },
    },
    allowPositionals: false,
  });
  const sel: Selection = { all: values.all, open: values.open, programme: values.programme, closedSince: values['closed-since'] };
  if (sel.closedSince !== undefined && Number.isNaN(Date.parse(sel.closedSince))) fail('--closed-since needs a date, e.g. 2025-01-31');
  const fixtures = values.fixtures || values['fixtures-dir'] !== undefined;
  const cases = sel.all || sel.open || sel.programme !== undefined || sel.closedSince !== undefined;
  if (!cases && !fixtures) fail('usage: npm run replay:batch -- [--all] [--open] [--programme <id>] [--closed-since <date>] [--fixtures [--fixtures-dir <dir>]]');
  return { sel: cases ? sel : undefined, fixturesDir: fixtures ? values['fixtures-dir'] ?? FIXTURE_HISTORIES_DIR : undefined };
}

function where(sel: Selection): { sql: string; params: unknown[] } {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (sel.programme !== undefined) conds.push(`programme_id = $${params.push(sel.programme)}`);
  if (sel.closedSince !== undefined) conds.push(`closed_at >= $${params.push(new Date(sel.closedSince))}`);
  if (sel.open) conds.push('closed_at IS NULL');
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}

async function countCases(pool: Pool, sel: Selection): Promise<number> {
  const w = where(sel);
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases WHERE ${w.sql}`, w.params);
  return Number(rows[0].n);
}

/** Case IDs in keyset pages, so a national deployment's 100,000 cases never sit in memory at once. */
async function* caseIds(pool: Pool, sel: Selection): AsyncGenerator<string> {
  const w = where(sel);
  for (let after = ''; ; ) {
    const { rows } = await pool.query<{ case_id: string }>(
      `SELECT case_id FROM cases WHERE ${w.sql} AND case_id > $${w.params.length + 1} ORDER BY case_id LIMIT ${PAGE}`,
      [...w.params, after],
    );
    for (const r of rows) yield r.case_id;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].case_id;
  }
}

/** Every run of every case, fetched a few cases ahead; a case Temporal no longer holds is counted and skipped. */
async function* caseHistories(client: Client, ids: AsyncIterable<string>, onSkip: () => void): AsyncGenerator<HistoryAndWorkflowId> {
  const ahead: { caseId: string; runs: Promise<RunHistory[] | undefined> }[] = [];
  async function* next(): AsyncGenerator<HistoryAndWorkflowId> {
    const { caseId, runs } = ahead.shift()!;
    const got = await runs;
    if (!got) onSkip();
    for (const run of got ?? []) yield { workflowId: caseId, history: run.history };
  }
  for await (const caseId of ids) {
    const runs = fetchRunHistories(client, caseId).catch((err) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err)));
    // Rejections surface when awaited in order; until then they must not count as unhandled.
    runs.catch(() => undefined);
    ahead.push({ caseId, runs });
    if (ahead.length >= PREFETCH) yield* next();
  }
  while (ahead.length) yield* next();
}

interface Tally {
  identical: number;
  nondeterministic: number;
  failed: number;
  skipped: number;
}

function progressBar(total: number, t: Tally): void {
  const done = t.identical + t.nondeterministic + t.failed;
  const width = 30;
  const filled = total ? Math.min(width, Math.round((done / total) * width)) : width;
  const bad = t.nondeterministic + t.failed;
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} histories  ${bad} diverged  ${t.skipped} skipped`);
}

async function main(): Promise<void> {
  const { sel, fixturesDir } = parse();
  const cfg = cliConfig();
  installWorkerRuntime('error');
  const tally: Tally = { identical: 0, nondeterministic: 0, failed: 0, skipped: 0 };
  const diverged: { workflowId: string; verdict: Verdict }[] = [];
  const code = await currentWorkflowCode();
  const tty = process.stderr.isTTY;

  const run = async (histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>, total: number, dataConverter?: DataConverter) => {
    for await (const r of replayHistories(code, histories, dataConverter)) {
      tally[r.verdict.verdict]++;
      if (r.verdict.verdict !== 'identical') diverged.push(r);
      if (tty) progressBar(total, tally);
    }
  };

  if (fixturesDir) {
    const files = readHistoryFiles(fixturesDir);
    if (!files.length) fail(`no *.json histories in ${fixturesDir}`);
    await run(files, files.length);
    if (tty) process.stderr.write('\n');
  }
  if (sel) {
    const pool = openPool(cfg);
    const temporal = await openTemporal(cfg);
    try {
      const total = await countCases(pool, sel);
      const before = tally.identical + tally.nondeterministic + tally.failed;
      await run(caseHistories(temporal.client, caseIds(pool, sel), () => tally.skipped++), before + total, temporal.dataConverter);
      if (tty) process.stderr.write('\n');
    } finally {
      await pool.end();
      await temporal.close();
    }
  }

  for (const d of diverged) process.stdout.write(`${JSON.stringify({ workflowId: d.workflowId, ...d.verdict })}\n`);
  process.stdout.write(`${JSON.stringify({ summary: tally })}\n`);
  const bad = tally.nondeterministic + tally.failed;
  process.stderr.write(
    bad
      ? `GATE FAILED: ${bad} history(ies) do not replay on this build (${tally.nondeterministic} nondeterministic, ${tally.failed} failed)\n`
      : `gate passed: ${tally.identical} history(ies) replay identically${tally.skipped ? `, ${tally.skipped} case(s) no longer in Temporal` : ''}\n`,
  );
  process.exit(bad ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`\nreplay:batch could not check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
