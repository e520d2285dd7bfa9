// The first read-model row of a new case, written by the API right after the workflow start, so that a 201 does
// not wait for a worker. It is the row the workflow's own first transition writes (same pure functions, same
// opening instant), numbered with the same sequence: whichever of the two lands second changes nothing.
// The event log and the audit chain stay the worker's: the case.opened event is recorded there as before.
import type { Pool } from 'pg';
import type { Actor } from '../workflows/domain/events';
import type { Programme } from '../workflows/domain/programme';
import { openCase } from '../workflows/domain/state';
import { personalOf, projectionOf } from '../workflows/case/projection';
import { sealPersonal } from '../common/crypto/personal';
import type { KeyStore } from '../common/crypto/key-store';
import { writeProjection } from '../db/projection-row';

export interface Opening {
  caseId: string;
  input: unknown;
  programme: Programme;
  openedAt: string;
  openedBy: Actor;
}

export async function writeOpeningRow(pool: Pool, keys: KeyStore, o: Opening): Promise<void> {
  const { state } = openCase(o.caseId, o.input, o.programme, o.openedAt, o.openedBy);
  const personal = await sealPersonal(keys, o.caseId, personalOf(state));
  await writeProjection(pool, projectionOf(state, o.programme), personal, 'newer-only');
}
