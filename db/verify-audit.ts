// Verifies the hash-chained audit log: recomputes every entry's hash from its fields and its predecessor,
// and cross-checks transition entries against the event log, so a changed, forged, deleted or reordered
// entry is reported with its case, entry number, and the expected against the found value.
import type { Pool, PoolClient } from 'pg';
import { chainHash, GENESIS_HASH, hashedFields, type AuditKind } from './audit';

export type BreakProblem =
  /** The entry's content no longer hashes to its stored hash: it was changed after writing. */
  | 'hash_mismatch'
  /** The entry does not point at its predecessor's hash: reordered, or a predecessor was replaced. */
  | 'prev_hash_mismatch'
  /** Entry numbers skip: an entry was deleted. */
  | 'entry_no_gap'
  /** A transition entry with no recorded event: forged, even with a correctly recomputed hash. */
  | 'entry_without_event'
  /** A recorded event with no transition entry: its entry was deleted (also at the end of a chain). */
  | 'event_without_entry'
  /** A transition entry that says something else than its event. */
  | 'entry_event_mismatch';

export interface ChainBreak {
  caseId: string;
  entryNo: number;
  problem: BreakProblem;
  expected: string;
  found: string;
}

export interface VerifyReport {
  ok: boolean;
  casesChecked: number;
  entriesChecked: number;
  /** The first broken link of each broken case, in case order; the first of all is breaks[0]. */
  breaks: ChainBreak[];
}

interface AuditRow {
  case_id: string;
  entry_no: number;
  kind: AuditKind;
  event_seq: number | null;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  reason: string | null;
  stage_before: string | null;
  stage_after: string | null;
  request_id: string | null;
  occurred_at: Date;
  prev_hash: string;
  hash: string;
}

interface EventRow {
  case_id: string;
  seq: number;
  type: string;
  action: string | null;
  stage_before: string;
  stage_after: string;
}

const BATCH = 200;

/** Verifies one case's chain. */
export async function verifyCase(pool: Pool, caseId: string): Promise<VerifyReport> {
  return inSnapshot(pool, async (client) => {
    const { audit, events } = await load(client, [caseId]);
    const brk = verifyChain(caseId, audit.get(caseId) ?? [], events.get(caseId) ?? []);
    return { ok: !brk, casesChecked: 1, entriesChecked: audit.get(caseId)?.length ?? 0, breaks: brk ? [brk] : [] };
  });
}

/** Verifies every chain, in batches of cases; onProgress gets the number of cases checked so far. */
export async function verifyAll(pool: Pool, onProgress?: (casesChecked: number) => void): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, casesChecked: 0, entriesChecked: 0, breaks: [] };
  for (let after = ''; ; ) {
    const done = await inSnapshot(pool, async (client) => {
      const ids = await nextCaseIds(client, after);
      if (!ids.length) return true;
      const { audit, events } = await load(client, ids);
      for (const id of ids) {
        const entries = audit.get(id) ?? [];
        const brk = verifyChain(id, entries, events.get(id) ?? []);
        if (brk) report.breaks.push(brk);
        report.entriesChecked += entries.length;
      }
      report.casesChecked += ids.length;
      after = ids[ids.length - 1];
      return false;
    });
    if (done) break;
    onProgress?.(report.casesChecked);
  }
  report.ok = report.breaks.length === 0;
  return report;
}

/** The first broken link of one case's chain, or undefined when the chain holds. Pure: rows in entry order. */
export function verifyChain(caseId: string, entries: AuditRow[], events: EventRow[]): ChainBreak | undefined {
  const at = (entryNo: number, problem: BreakProblem, expected: string, found: string): ChainBreak => ({ caseId, entryNo, problem, expected, found });
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const seen = new Set<number>();
  let prevHash = GENESIS_HASH;
  for (const [i, row] of entries.entries()) {
    if (row.entry_no !== i + 1) return at(row.entry_no, 'entry_no_gap', `entry_no ${i + 1}`, `entry_no ${row.entry_no}`);
    const recomputed = chainHash(row.prev_hash, fieldsOf(row));
    if (recomputed !== row.hash) return at(row.entry_no, 'hash_mismatch', recomputed, row.hash);
    if (row.prev_hash !== prevHash) return at(row.entry_no, 'prev_hash_mismatch', prevHash, row.prev_hash);
    prevHash = row.hash;
    if (row.kind !== 'transition') continue;
    const ev = row.event_seq === null ? undefined : bySeq.get(row.event_seq);
    if (!ev) return at(row.entry_no, 'entry_without_event', `an event with seq ${row.event_seq}`, 'none');
    const said = describe(row.action, row.stage_before, row.stage_after);
    const happened = entryNamesFor(ev).map((name) => describe(name, ev.stage_before, ev.stage_after));
    if (!happened.includes(said)) return at(row.entry_no, 'entry_event_mismatch', happened[0], said);
    seen.add(ev.seq);
  }
  const missing = events.find((e) => !seen.has(e.seq));
  if (missing) return at(entries.length + 1, 'event_without_entry', `an entry for event seq ${missing.seq}`, 'none');
  return undefined;
}

/**
 * The audit action an event may be recorded under: the step's action for its case.action event, the event
 * type otherwise; earlier entries named every event of a step by the step's action, and stay valid.
 */
function entryNamesFor(ev: EventRow): string[] {
  const current = ev.type === 'case.action' && ev.action ? ev.action : ev.type;
  return [current, ev.action ?? ev.type];
}

function describe(action: string, before: string | null, after: string | null): string {
  return `${action} ${before ?? '-'}→${after ?? '-'}`;
}

function fieldsOf(row: AuditRow): Record<string, unknown> {
  return hashedFields({
    caseId: row.case_id,
    entryNo: row.entry_no,
    kind: row.kind,
    eventSeq: row.event_seq,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    reason: row.reason,
    stageBefore: row.stage_before,
    stageAfter: row.stage_after,
    requestId: row.request_id,
    occurredAt: row.occurred_at.toISOString(),
  });
}

/** The next case IDs that have audit entries or events; each half is a bounded walk of its primary key index. */
async function nextCaseIds(client: PoolClient, after: string): Promise<string[]> {
  const { rows } = await client.query<{ case_id: string }>(
    `SELECT case_id FROM (
       (SELECT DISTINCT case_id FROM audit_log WHERE case_id > $1 ORDER BY case_id LIMIT $2)
       UNION
       (SELECT DISTINCT case_id FROM case_events WHERE case_id > $1 ORDER BY case_id LIMIT $2)
     ) ids ORDER BY case_id LIMIT $2`,
    [after, BATCH],
  );
  return rows.map((r) => r.case_id);
}

async function load(client: PoolClient, caseIds: string[]) {
  const audit = await client.query<AuditRow>(
    `SELECT case_id, entry_no, kind, event_seq, actor_id, actor_role, action, reason, stage_before, stage_after,
            request_id, occurred_at, prev_hash, hash
     FROM audit_log WHERE case_id = ANY($1) ORDER BY case_id, entry_no`,
    [caseIds],
  );
  const events = await client.query<EventRow>(
    'SELECT case_id, seq, type, action, stage_before, stage_after FROM case_events WHERE case_id = ANY($1) ORDER BY case_id, seq',
    [caseIds],
  );
  return { audit: groupBy(audit.rows), events: groupBy(events.rows) };
}

function groupBy<R extends { case_id: string }>(rows: R[]): Map<string, R[]> {
  const m = new Map<string, R[]>();
  for (const r of rows) {
    const list = m.get(r.case_id);
    if (list) list.push(r);
    else m.set(r.case_id, [r]);
  }
  return m;
}

/**
 * One consistent snapshot per batch: a transition writes its event and its audit entry in one transaction,
 * and a concurrent one must not look like an event without its entry.
 */
async function inSnapshot<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
