// Lists come from indexed SQL with keyset pagination: over 10,000 cases, filtered and paged, every
// case appears exactly once even while new cases keep arriving. Rows are written straight into the
// read model here, because the subject is the list, not the workflow.
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
const office = `paging-${Date.now()}`;
const TOTAL = 10_000;

beforeAll(async () => {
  h = await startHarness();
  await insertCases(TOTAL, 0, new Date('2026-01-01T00:00:00Z'));
});
afterAll(async () => h?.stop());

async function insertCases(n: number, offset: number, from: Date): Promise<void> {
  await h.pool.query(
    `INSERT INTO cases (case_id, programme_id, country, office, stage, open_escalations, opened_at, updated_at, last_seq, summary)
     SELECT $1 || '-' || (g + $4), 'test-fast', CASE WHEN g % 2 = 0 THEN 'SN' ELSE 'GH' END, $2,
            (ARRAY['counselling','admission','departure'])[1 + g % 3], (g % 7 = 0)::int,
            -- Many cases share a timestamp, so the tie-break on case_id is exercised.
            $3::timestamptz + ((g / 4) * interval '1 second'), now(), 1, '{}'
     FROM generate_series(1, $5) AS g`,
    [`list-${office}`, office, from.toISOString(), offset, n],
  );
}

async function pageThrough(query: string, token: string, whileRunning?: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await h.http('GET', `/api/v1/cases?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token });
    expect(r.status).toBe(200);
    seen.push(...r.body.items.map((c: any) => c.caseId));
    cursor = r.body.nextCursor;
    if (whileRunning) await whileRunning();
  } while (cursor);
  return seen;
}

test('every case exactly once across pages, newest first, while new cases are created', async () => {
  const token = await h.token(EMAIL.auditor);
  let extra = 0;
  const seen = await pageThrough(`office=${office}`, token, async () => {
    await insertCases(25, TOTAL + extra, new Date(Date.now() + extra * 1000));
    extra += 25;
  });
  const originals = seen.filter((id) => Number(id.split('-').pop()) <= TOTAL);
  expect(originals).toHaveLength(TOTAL);
  expect(new Set(seen).size).toBe(seen.length);
});

test('filters and an ascending sort page correctly too', async () => {
  const token = await h.token(EMAIL.auditor);
  const senegal = await pageThrough(`office=${office}&country=SN&stage=admission&sort=openedAt`, token);
  const expected = await h.pool.query(`SELECT count(*)::int AS n FROM cases WHERE office = $1 AND country = 'SN' AND stage = 'admission'`, [office]);
  expect(senegal).toHaveLength(expected.rows[0].n);
  expect(new Set(senegal).size).toBe(senegal.length);
  const escalated = await pageThrough(`office=${office}&escalated=true`, token);
  const expectedEscalated = await h.pool.query(`SELECT count(*)::int AS n FROM cases WHERE office = $1 AND open_escalations > 0`, [office]);
  expect(escalated).toHaveLength(expectedEscalated.rows[0].n);
});

test('sorted by deadline, cases without one come last and page correctly too', async () => {
  // None of these rows has a deadline: every page ends on one, and its cursor carries no sort value.
  const token = await h.token(EMAIL.auditor);
  const seen = await pageThrough(`office=${office}&stage=departure&sort=nextDeadline`, token);
  const expected = await h.pool.query(`SELECT count(*)::int AS n FROM cases WHERE office = $1 AND stage = 'departure'`, [office]);
  expect(seen).toHaveLength(expected.rows[0].n);
  expect(new Set(seen).size).toBe(seen.length);
});

test('a caseworker sees only the cases of their own office', async () => {
  const token = await h.token(EMAIL.caseworker);
  const r = await h.http('GET', `/api/v1/cases?office=${office}`, { token });
  expect(r.status).toBe(200);
  expect(r.body.items).toEqual([]);
});

test('a list item is the case as GET shows it, without its timeline and personal part', async () => {
  const j = new Journey(h);
  const id = await j.open({ programmeId: 'test-calm' });
  const view = await j.advance(id, 'application'); // an assignee, deadlines, a longer summary
  const token = await h.token(EMAIL.auditor);
  const list = await h.http('GET', `/api/v1/cases?office=${view.office}&programme=test-calm&limit=200`, { token });
  const one = await h.http('GET', `/api/v1/cases/${id}`, { token: await h.token(EMAIL.supervisor) });
  const { personal, timeline, ...rest } = one.body;
  expect(personal).toBeDefined();
  expect(timeline.length).toBeGreaterThan(1);
  expect(list.body.items.find((c: { caseId: string }) => c.caseId === id)).toEqual(rest);
}, 120_000);
