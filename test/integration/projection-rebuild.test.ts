// The read model can be re-derived from Temporal: wipe and damage rows, rebuild, get the same rows back.
import { rebuildProjection } from '../../db/rebuild-projection';
import { loadProgrammes } from '../../common/programmes';
import { openPersonal } from '../../common/crypto/personal';
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
});
afterAll(async () => h?.stop());

// The personal part is sealed with a fresh IV each time: compared after unsealing, below.
const COLUMNS = 'case_id, programme_id, country, office, stage, outcome, partner_ids, open_escalations, opened_at, closed_at, last_seq, summary';

test('rebuild restores deleted and damaged rows exactly', async () => {
  const a = await j.open({ programmeId: 'test-calm' });
  const b = await j.open({ programmeId: 'test-calm', medicalNeed: true });
  await j.advance(b, 'travel_document');
  const c = await j.open({ programmeId: 'test-calm' });
  await j.act(c, 'withdraw', 'caseworker');
  const ids = [a, b, c];
  const before = await h.pool.query(`SELECT ${COLUMNS} FROM cases WHERE case_id = ANY($1) ORDER BY case_id`, [ids]);
  const personalBefore = await personalOfCases(ids);

  await h.pool.query('DELETE FROM cases WHERE case_id = ANY($1)', [[a, c]]);
  await h.pool.query(`UPDATE cases SET stage = 'closed', summary = '{}' WHERE case_id = $1`, [b]);

  const report = await rebuildProjection({ pool: h.pool, temporal: h.temporal, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys }, { caseIds: ids });
  expect(report).toEqual({ rebuilt: 3, mismatched: [], failed: [] });
  const after = await h.pool.query(`SELECT ${COLUMNS} FROM cases WHERE case_id = ANY($1) ORDER BY case_id`, [ids]);
  expect(after.rows).toEqual(before.rows);
  expect(await personalOfCases(ids)).toEqual(personalBefore);
  expect(personalBefore[0]).toHaveProperty('household');
});

async function personalOfCases(ids: string[]) {
  const { rows } = await h.pool.query('SELECT case_id, personal FROM cases WHERE case_id = ANY($1) ORDER BY case_id', [ids]);
  return Promise.all(rows.map((r) => openPersonal(h.encryption.keys, r.case_id, r.personal)));
}

test('a full rebuild walks every case workflow known to Temporal', async () => {
  const id = await j.open({ programmeId: 'test-calm' });
  await h.pool.query('DELETE FROM cases WHERE case_id = $1', [id]);
  // Visibility is eventually consistent: wait until the new workflow is listed.
  for (let i = 0; i < 50; i++) {
    const n = await h.temporal.workflow.count(`WorkflowId = '${id}'`);
    if (n.count > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Other test files' workers are gone, so their workflows cannot answer queries: stay on this file's queue.
  const report = await rebuildProjection(
    { pool: h.pool, temporal: h.temporal, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys },
    { visibilityFilter: `TaskQueue = '${h.cfg.TEMPORAL_TASK_QUEUE}'` },
  );
  expect(report.failed).toEqual([]);
  expect(report.rebuilt).toBeGreaterThan(0);
  const row = await h.pool.query('SELECT stage FROM cases WHERE case_id = $1', [id]);
  expect(row.rows[0].stage).toBe('intake');
});
