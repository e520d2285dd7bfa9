// A case's history for auditors: the audit log (who did or read what, hash-chained) merged with Temporal's
// own event history into one timeline ordered by time, as JSON or CSV.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { fetchRunHistories } from '../common/workflow-runs';
import { temporalEntries } from './temporal-timeline';

export interface TimelineEntry {
  at: string;
  source: 'audit' | 'temporal';
  /** audit: transition | access | denied | erasure; temporal: workflow_started, update_accepted, timer_fired, ... */
  kind: string;
  actor: string | null;
  role: string | null;
  action: string | null;
  reason: string | null;
  stageBefore: string | null;
  stageAfter: string | null;
  /** The case event's sequence number (audit transitions). */
  seq: number | null;
  /** The audit entry's number in the case's chain. */
  entryNo?: number;
  /** Temporal's event ID within its run. */
  eventId?: number;
  runId?: string;
  /** The Update's name, for Temporal update entries. */
  update?: string;
  /** Link to the case's state as of this entry (audit transitions). */
  stateAsOf?: string;
}

export interface CaseHistory {
  /** unavailable once Temporal has dropped a closed workflow (namespace retention): the audit log remains. */
  temporal: 'available' | 'unavailable';
  entries: TimelineEntry[];
}

export async function caseHistory(pool: Pool, temporal: Client, caseId: string, stateAsOfBase: string): Promise<CaseHistory> {
  const [audit, runs] = await Promise.all([
    auditEntries(pool, caseId, stateAsOfBase),
    fetchRunHistories(temporal, caseId).catch((err) => (err instanceof WorkflowNotFoundError ? undefined : Promise.reject(err))),
  ]);
  const merged = [...audit, ...(runs ? await temporalEntries(temporal, runs) : [])];
  // Stable order: time, then Temporal before the audit entries its step produced, then each source's own order.
  merged.sort((a, b) => a.at.localeCompare(b.at) || order(a) - order(b));
  return { temporal: runs ? 'available' : 'unavailable', entries: merged };
}

function order(e: TimelineEntry): number {
  return e.source === 'temporal' ? (e.eventId ?? 0) : 1e12 + (e.entryNo ?? 0);
}

async function auditEntries(pool: Pool, caseId: string, stateAsOfBase: string): Promise<TimelineEntry[]> {
  const { rows } = await pool.query(
    `SELECT entry_no, kind, event_seq, actor_id, actor_role, action, reason, stage_before, stage_after, occurred_at
     FROM audit_log WHERE case_id = $1 ORDER BY entry_no`,
    [caseId],
  );
  return rows.map((r) => ({
    at: (r.occurred_at as Date).toISOString(),
    source: 'audit' as const,
    kind: r.kind,
    actor: r.actor_id,
    role: r.actor_role,
    action: r.action,
    reason: r.reason,
    stageBefore: r.stage_before,
    stageAfter: r.stage_after,
    seq: r.event_seq,
    entryNo: r.entry_no,
    ...(r.kind === 'transition' && r.event_seq !== null ? { stateAsOf: `${stateAsOfBase}/${r.event_seq}` } : {}),
  }));
}

const CSV_COLUMNS = ['at', 'source', 'kind', 'actor', 'role', 'action', 'reason', 'stageBefore', 'stageAfter', 'seq', 'entryNo', 'eventId', 'update', 'runId'] as const;

export function historyCsv(entries: TimelineEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of entries) lines.push(CSV_COLUMNS.map((c) => csvCell(e[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @) is defused with a leading quote. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
