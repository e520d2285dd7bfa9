// Every dashboard figure against values worked out by hand from a fixture of cases written straight into the
// read model, in an office and programmes of their own, including small-cell suppression and the CSV export.
import crypto from 'node:crypto';
import { EMAIL, startHarness, type Harness } from '../support/harness';

let h: Harness;
let auditor: string;
const sfx = crypto.randomUUID().slice(0, 8);
const office = `reports-${sfx}`;
const P1 = `rep-one-${sfx}`;
const P2 = `rep-two-${sfx}`;
const DAY = 86_400_000;

interface Fixture {
  stage: string;
  programme?: string;
  country?: string;
  opened: string;
  escalations?: number;
  departed?: string;
  /** Days from the application to departure. */
  applicationDays?: number;
  /** [offset, days after departure it was reported (undefined: not yet), score]. */
  checkpoints?: [string, number | undefined, number | undefined][];
  place?: 'active' | 'released';
}

const at = (iso: string, plusDays = 0) => new Date(Date.parse(iso) + plusDays * DAY).toISOString();
const MARCH = '2025-03-10T12:00:00.000Z';
const APRIL = '2025-04-10T12:00:00.000Z';

// Twelve departures. March: five to Senegal, two to Ghana; April: five to Senegal. Application to departure
// takes 10, 20, … 120 days. D1–D5 have finished monitoring (P6M reported 180–220 days after departure).
const P3M_SCORES = [80, 85, 90, 95, 100, 86, 60, 65, 70, 75, 79, 45];
const P6M_SCORES = [80, 82, 84, 86, 60];
const departed: Fixture[] = P3M_SCORES.map((p3, i) => ({
  stage: i < 5 ? 'closed' : 'monitoring',
  country: i === 5 || i === 6 ? 'GH' : 'SN',
  opened: '2024-12-01T09:00:00.000Z',
  departed: i < 7 ? MARCH : APRIL,
  applicationDays: 10 * (i + 1),
  escalations: i === 5 || i === 6 ? 1 : 0,
  checkpoints: [
    ['P3M', 95, p3],
    ['P6M', i < 5 ? 180 + 10 * i : undefined, i < 5 ? P6M_SCORES[i] : undefined],
  ],
  place: 'active',
}));

const FIXTURE: Fixture[] = [
  // Six in counselling, five of them with open escalations (six in all).
  ...[1, 1, 1, 2, 1, 0].map((escalations) => ({ stage: 'counselling', opened: '2025-06-01T09:00:00.000Z', escalations })),
  // Three admitted into the second programme: places reserved.
  ...[0, 1, 2].map(() => ({ stage: 'travel_document', programme: P2, opened: '2025-02-01T09:00:00.000Z', place: 'active' as const })),
  // Withdrawn before departure: its place went back to the pool.
  { stage: 'closed', opened: '2025-01-15T09:00:00.000Z', place: 'released' },
  ...departed,
];

async function insertFixture(): Promise<void> {
  await h.pool.query('INSERT INTO programme_places (programme_id, funded_places) VALUES ($1, 20), ($2, 10)', [P1, P2]);
  for (const [i, f] of FIXTURE.entries()) {
    const caseId = `rep-${sfx}-${i}`;
    const programme = f.programme ?? P1;
    const summary = {
      ...(f.applicationDays ? { application: { lodgedAt: at(f.departed!, -f.applicationDays) } } : {}),
      checkpoints: (f.checkpoints ?? []).map(([offset, reported, score]) => ({
        offset,
        dueAt: at(f.departed!, offset === 'P3M' ? 90 : 180),
        ...(reported === undefined ? {} : { reportedAt: at(f.departed!, reported), score }),
      })),
    };
    await h.pool.query(
      `INSERT INTO cases (case_id, programme_id, country, office, stage, open_escalations, opened_at, updated_at, departed_at, last_seq, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, 1, $9)`,
      [caseId, programme, f.country ?? 'SN', office, f.stage, f.escalations ?? 0, f.opened, f.departed ?? null, summary],
    );
    if (f.place) {
      await h.pool.query('INSERT INTO place_reservations (case_id, programme_id, released_at) VALUES ($1, $2, $3)', [
        caseId, programme, f.place === 'released' ? '2025-02-01T00:00:00Z' : null,
      ]);
    }
  }
}

beforeAll(async () => {
  h = await startHarness();
  auditor = await h.token(EMAIL.auditor);
  await insertFixture();
});
afterAll(async () => h?.stop());

async function figure(name: string, query = '', token = auditor) {
  const r = await h.http('GET', `/api/v1/reports/${name}?office=${office}${query}`, { token });
  expect(r.status).toBe(200);
  return r.body.rows as Record<string, unknown>[];
}

/** Rows as compact tuples: the dimensions, then the measure and its value ('•' when suppressed). */
const tuples = (rows: Record<string, unknown>[], dims: string[]) =>
  rows.map((r) => {
    if (r.suppressed) expect(r.value).toBeNull();
    return [...dims.map((d) => r[d]), r.measure, r.suppressed ? '•' : r.value];
  });

test('cases per stage, in lifecycle order; a stage with 1 to 4 cases is suppressed', async () => {
  expect(tuples(await figure('cases-by-stage'), ['stage'])).toEqual([
    ['counselling', 'cases', 6],
    ['travel_document', 'cases', '•'],
    ['monitoring', 'cases', 7],
    ['closed', 'cases', 6],
  ]);
  // The period selects on opening: in 2025 only the counselling, admitted and withdrawn cases were opened.
  expect(tuples(await figure('cases-by-stage', '&from=2025-01-01&to=2025-12-31'), ['stage'])).toEqual([
    ['counselling', 'cases', 6],
    ['travel_document', 'cases', '•'],
    ['closed', 'cases', '•'],
  ]);
});

test('departures per month by programme and country', async () => {
  expect(tuples(await figure('departures-by-month'), ['month', 'programme', 'country'])).toEqual([
    ['2025-03', P1, 'GH', 'departures', '•'],
    ['2025-03', P1, 'SN', 'departures', 5],
    ['2025-04', P1, 'SN', 'departures', 5],
  ]);
  expect(tuples(await figure('departures-by-month', '&from=2025-04-01&to=2025-04-30'), ['month', 'programme', 'country'])).toEqual([
    ['2025-04', P1, 'SN', 'departures', 5],
  ]);
});

test('median and 90th percentile of days, application to departure and departure to last report', async () => {
  // 10, 20, … 120: median (60 + 70) / 2 = 65; p90 at rank 0.9 × 11 = 9.9, so 100 + 0.9 × 10 = 109.
  // Last reports 180, 190, … 220 days after departure: median 200; p90 at rank 3.6, so 210 + 0.6 × 10 = 216.
  expect(tuples(await figure('durations'), ['interval'])).toEqual([
    ['application_to_departure', 'cases', 12],
    ['application_to_departure', 'median_days', 65],
    ['application_to_departure', 'p90_days', 109],
    ['departure_to_last_report', 'cases', 5],
    ['departure_to_last_report', 'median_days', 200],
    ['departure_to_last_report', 'p90_days', 216],
  ]);
  // April departures only: 80, 90, 100, 110, 120 → median 100; p90 at rank 3.6 → 110 + 6 = 116. No monitoring
  // ended in April. Ghana alone is two cases: every value suppressed.
  expect(tuples(await figure('durations', '&from=2025-04-01&to=2025-04-30'), ['interval'])).toEqual([
    ['application_to_departure', 'cases', 5],
    ['application_to_departure', 'median_days', 100],
    ['application_to_departure', 'p90_days', 116],
    ['departure_to_last_report', 'cases', 0],
    ['departure_to_last_report', 'median_days', '•'],
    ['departure_to_last_report', 'p90_days', '•'],
  ]);
  expect(tuples(await figure('durations', '&country=GH'), ['interval']).map((t) => t[2])).toEqual(['•', '•', '•', 0, '•', '•']);
});

test('funded places used and left; a programme using 1 to 4 places shows neither', async () => {
  const rows = (await figure('places')).filter((r) => r.programme === P1 || r.programme === P2);
  expect(tuples(rows, ['programme'])).toEqual([
    [P1, 'funded', 20],
    [P1, 'used', 12],
    [P1, 'left', 8],
    [P2, 'funded', 10],
    [P2, 'used', '•'],
    [P2, 'left', '•'],
  ]);
  expect(tuples(await figure('places', `&programme=${P1}`), ['programme']).map((t) => t[0])).toEqual([P1, P1, P1]);
});

test('open escalations by stage', async () => {
  expect(tuples(await figure('escalations-by-stage'), ['stage'])).toEqual([
    ['counselling', 'cases', 5],
    ['counselling', 'escalations', 6],
    ['monitoring', 'cases', '•'],
    ['monitoring', 'escalations', '•'],
  ]);
});

test('sustainability scores per checkpoint, with secondary suppression of the score bands', async () => {
  // P3M: 12 reports summing to 930 (average 77.5): six of 80–100, five of 60–79, one of 40–59. The lone 40–59
  // is suppressed; with the total shown it could be worked out, so the next smallest band (60–79) goes too.
  // P6M: five reports, 392 in all (78.4): four of 80–100 and one of 60–79, both suppressed.
  expect(tuples(await figure('sustainability-scores'), ['checkpoint'])).toEqual([
    ['P3M', 'reports', 12],
    ['P3M', 'average_score', 77.5],
    ['P3M', 'score_0_19', 0],
    ['P3M', 'score_20_39', 0],
    ['P3M', 'score_40_59', '•'],
    ['P3M', 'score_60_79', '•'],
    ['P3M', 'score_80_100', 6],
    ['P6M', 'reports', 5],
    ['P6M', 'average_score', 78.4],
    ['P6M', 'score_0_19', 0],
    ['P6M', 'score_20_39', 0],
    ['P6M', 'score_40_59', 0],
    ['P6M', 'score_60_79', '•'],
    ['P6M', 'score_80_100', '•'],
  ]);
  // The period selects on the report's date: the P6M reports were made from September on.
  expect((await figure('sustainability-scores', '&from=2025-09-01')).map((r) => r.checkpoint)).toEqual(Array(7).fill('P6M'));
});

test('CSV export: one row per value, suppressed cells empty and flagged', async () => {
  const r = await h.http('GET', `/api/v1/reports/departures-by-month?office=${office}&format=csv`, { token: auditor });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="?departures-by-month-\d{4}-\d{2}-\d{2}\.csv"?$/);
  expect(r.body).toBe(
    'month,programme,country,measure,value,suppressed\r\n' +
      `2025-03,${P1},GH,departures,,true\r\n` +
      `2025-03,${P1},SN,departures,5,false\r\n` +
      `2025-04,${P1},SN,departures,5,false\r\n`,
  );
});

test('reports stay within the reader\'s scope and role', async () => {
  // A supervisor sees their own office only: another office's cases are not counted.
  const supervisor = await h.token(EMAIL.supervisor);
  expect(await figure('cases-by-stage', '', supervisor)).toEqual([]);
  const caseworker = await h.token(EMAIL.caseworker);
  expect((await h.http('GET', '/api/v1/reports/cases-by-stage', { token: caseworker })).status).toBe(403);
  const bad = await h.http('GET', '/api/v1/reports/durations?from=2025-05-01&to=2025-04-01', { token: auditor });
  expect(bad.status).toBe(422);
});
