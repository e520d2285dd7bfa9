// Re-derives the `cases` read model from Temporal (each workflow's state, by query) and checks it
// against the event log. For recovery: after a restore, or if the read model was damaged.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { caseStateQuery } from '../workflows/case/messages';
import { personalOf, projectionOf } from '../workflows/case/projection';
import type { Programme } from '../workflows/domain/programme';
import { inTransaction } from './pool';
import type { KeyStore } from '../common/crypto/key-store';
import { sealPersonal } from '../common/crypto/personal';

export interface RebuildReport {
  rebuilt: number;
  /** Cases whose event log is ahead of or behind the workflow's state: worth a look by an operator. */
  mismatched: string[];
  failed: { caseId: string; error: string }[];
}

export async function rebuildProjection(deps: { pool: Pool; temporal: Client; programmes: Map<string, Programme>; keys: KeyStore }, opts: { caseIds?: string[]; visibilityFilter?: string; onProgress?: (done: number) => void } = {}): Promise<RebuildReport> {
  const report: RebuildReport = { rebuilt: 0, mismatched: [], failed: [] };
  for await (const caseId of caseIdsFrom(deps.temporal, opts.caseIds, opts.visibilityFilter)) {
    try {
      const state = await deps.temporal.workflow.getHandle(caseId).query(caseStateQuery);
      const programme = deps.programmes.get(state.programmeId);
      if (!programme) throw new Error(`programme ${state.programmeId} is not loaded`);
      const row = projectionOf(state, programme);
      const personal = state.stage === 'erased' ? null : await sealPersonal(deps.keys, caseId, personalOf(state));
      await inTransaction(deps.pool, async (client) => {
        await client.query(
          `INSERT INTO cases (case_id, programme_id, country, office, stage, outcome, assignee, partner_ids, open_escalations,
             next_deadline, opened_at, updated_at, closed_at, departed_at, last_seq, summary, personal, pending_roles)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,now(),$12,$13,$14,$15,$16,$17)
           ON CONFLICT (case_id) DO UPDATE SET
             programme_id = EXCLUDED.programme_id, country = EXCLUDED.country, office = EXCLUDED.office,
             stage = EXCLUDED.stage, outcome = EXCLUDED.outcome, assignee = EXCLUDED.assignee,
             partner_ids = EXCLUDED.partner_ids, open_escalations = EXCLUDED.open_escalations,
             next_deadline = EXCLUDED.next_deadline, opened_at = EXCLUDED.opened_at, updated_at = now(),
             closed_at = EXCLUDED.closed_at, departed_at = EXCLUDED.departed_at, last_seq = EXCLUDED.last_seq,
             summary = EXCLUDED.summary, personal = EXCLUDED.personal, pending_roles = EXCLUDED.pending_roles`,
          [row.caseId, row.programmeId, row.country, row.office, row.stage, row.outcome ?? null, row.assignee ?? null,
            row.partnerIds, row.openEscalations, row.nextDeadline ?? null, row.openedAt, row.closedAt ?? null,
            row.departedAt ?? null, row.lastSeq, row.summary, personal, row.pendingRoles ?? []],
        );
        const log = await client.query<{ last: number | null }>('SELECT max(seq) AS last FROM case_events WHERE case_id = $1', [caseId]);
        if (Number(log.rows[0].last ?? 0) !== row.lastSeq) report.mismatched.push(caseId);
      });
      report.rebuilt++;
      opts.onProgress?.(report.rebuilt);
    } catch (err) {
      report.failed.push({ caseId, error: (err as Error).message });
    }
  }
  return report;
}

async function* caseIdsFrom(temporal: Client, only?: string[], filter?: string): AsyncIterable<string> {
  if (only) {
    yield* only;
    return;
  }
  const query = `WorkflowType = 'caseWorkflow'${filter ? ` AND ${filter}` : ''}`;
  for await (const wf of temporal.workflow.list({ query })) {
    // A case that continued as new appears once per run; the handle always reaches the latest.
    if (wf.status.name === 'CONTINUED_AS_NEW') continue;
    yield wf.workflowId;
  }
}
