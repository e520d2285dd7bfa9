// Re-derives the `cases` read model from Temporal (each workflow's state, by query) and checks it
// against the event log. For recovery: after a restore, or if the read model was damaged.
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { caseStateQuery } from '../workflows/case/messages';
import { personalOf, projectionOf } from '../workflows/case/projection';
import type { Programme } from '../workflows/domain/programme';
import { inTransaction } from './pool';
import { writeProjection } from './projection-row';
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
        await writeProjection(client, row, personal, 'replace');
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
