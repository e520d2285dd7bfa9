// The first read-model row of a new case, written by the API right after the workflow start, so that a 201 does
// not wait for a worker. It is the row the workflow's own first transition writes (same pure functions, same
// opening instant). It is written only where there is no row yet, and the worker's first transition writes its own
// over it, so the workflow's row is the one that stays.
// The event log and the audit chain stay the worker's: the case.opened event is recorded there as before.
import type { Pool } from 'pg';
import type { Actor } from '../workflows/domain/events';
import type { Programme } from '../workflows/domain/programme';
import { openCase, validateCaseInput, type CaseState } from '../workflows/domain/state';
import { personalOf, projectionOf } from '../workflows/case/projection';
import { sealPersonal } from '../common/crypto/personal';
import type { KeyStore } from '../common/crypto/key-store';
import { writeProjection } from '../db/projection-row';
import type { CaseRow } from './case-view';

export interface Opening {
  caseId: string;
  input: unknown;
  programme: Programme;
  openedAt: string;
  openedBy: Actor;
}

/**
 * The state the workflow opens with (workflows/case/workflow.ts `open`), or why it would refuse the input. The route
 * has validated the input as of now; openCase validates it again as of `openedAt` (earlier, for a keyed retry), so the
 * issues are looked up only when that fails.
 */
export function openingState(o: Opening): { ok: true; state: CaseState } | { ok: false; issues: { path: string; message: string }[] } {
  try {
    return { ok: true, state: openCase(o.caseId, o.input, o.programme, o.openedAt, o.openedBy).state };
  } catch {
    // openCase's message quotes the input, so it is not echoed; the validator's issues name fields only.
    const checked = validateCaseInput(o.input, o.openedAt);
    return { ok: false, issues: checked.ok ? [{ path: 'programmeId', message: 'the programme cannot open a case with this input' }] : checked.issues };
  }
}

/** The row written, or undefined where the worker's (or an earlier request's) row was there first. */
export async function writeOpeningRow(pool: Pool, keys: KeyStore, state: CaseState, programme: Programme): Promise<CaseRow | undefined> {
  const personal = await sealPersonal(keys, state.caseId, personalOf(state));
  return writeProjection<CaseRow>(pool, projectionOf(state, programme), personal, 'opening');
}
