// (c) A filtered, keyset-paginated list over 100,000 cases: GET /api/v1/cases?… against the very SQL statement the
// API runs (captured from api/case-list.ts listCases with the same principal and query), sent directly with pg.
// The rows are written straight into the read model with generate_series (as test/integration/case-list.test.ts
// does), each carrying the summary and sealed personal part of a real case opened through the API, so rows weigh
// what real rows weigh.
//   npx tsx bench/list-cases.ts     BENCH_LIST_ROWS (100000), BENCH_LIST_ITERATIONS (200 per query shape)
import type { Pool } from 'pg';
import { listCases, ListQuery } from '../api/case-list';
import type { Principal } from '../api/authz';
import { EMAIL } from '../test/support/harness';
import { Api, openCase } from '../test/reliability/support/drive';
import { ApiClient, benchStack, envInt, log, runBench } from './lib/harness';
import { Report, summarize } from './lib/report';
import { APP_TUNING } from './lib/tuning';

interface Shape {
  label: string;
  who: 'auditor' | 'supervisor';
  query: Record<string, string>;
  /** Page number to fetch (1 = first page; later pages follow the cursor). */
  page: number;
}

const SHAPES: Shape[] = [
  { label: 'stage + country, first page', who: 'auditor', query: { stage: 'admission', country: 'SN', limit: '50' }, page: 1 },
  { label: 'stage + country, page 20', who: 'auditor', query: { stage: 'admission', country: 'SN', limit: '50' }, page: 20 },
  { label: 'programme + escalated', who: 'auditor', query: { programme: 'test-fast', escalated: 'true', limit: '50' }, page: 1 },
  { label: 'office scope (supervisor) + stage', who: 'supervisor', query: { stage: 'counselling', limit: '50' }, page: 1 },
  { label: 'everything, oldest first, 200 a page', who: 'auditor', query: { sort: 'openedAt', limit: '200' }, page: 1 },
];

const PRINCIPALS: Record<Shape['who'], Principal> = {
  auditor: { userId: 'u-auditor', role: 'auditor' },
  supervisor: { userId: 'u-supervisor', role: 'supervisor', office: 'roma' },
};

runBench(async () => {
  const rows = envInt('BENCH_LIST_ROWS', 100_000);
  const iterations = envInt('BENCH_LIST_ITERATIONS', 200);
  const report = new Report('list-cases', `(c) List ${rows} cases: GET /cases?filters vs the same SQL`, 'npx tsx bench/list-cases.ts', { rows, iterations, shapes: SHAPES });
  const b = await benchStack('list-cases');
  try {
    const app = await b.stack.spawnApp({ tuning: APP_TUNING });
    const template = await openCase(new Api(app.url), { programmeId: 'test-calm' });
    log(`writing ${rows} rows into the read model`);
    await b.pool.query(
      `INSERT INTO cases (case_id, programme_id, country, office, stage, open_escalations, opened_at, updated_at, last_seq, summary, personal, partner_ids)
       SELECT 'list-' || g,
              (ARRAY['test-fast','test-calm','it-rva-fami','de-reag-garp','eu-eurp'])[1 + g % 5],
              (ARRAY['SN','GH','NG','TN','PK','BD','GM','ML'])[1 + (g / 5) % 8],
              (ARRAY['roma','milano','torino','napoli','bari'])[1 + (g / 40) % 5],
              (ARRAY['intake','counselling','application','eligibility','admission','travel_document','reintegration_plan','travel_booking','departure','reintegration','monitoring','closed'])[1 + g % 12],
              (g % 7 = 0)::int,
              timestamptz '2025-01-01' + (g / 3) * interval '5 minutes', now(), 3, t.summary, t.personal, t.partner_ids
       FROM generate_series(1, $1::int) AS g, (SELECT summary, personal, partner_ids FROM cases WHERE case_id = $2) t`,
      [rows, template],
    );
    await b.pool.query('ANALYZE cases');
    const size = await b.pool.query<{ rows: string; bytes: string }>(`SELECT count(*) AS rows, pg_total_relation_size('cases') AS bytes FROM cases`);
    log(`cases: ${size.rows[0].rows} rows, ${(Number(size.rows[0].bytes) / 2 ** 20).toFixed(0)} MiB with indexes`);

    const api = new ApiClient(app.url);
    const tokens = { auditor: await api.token(EMAIL.auditor), supervisor: await api.token(EMAIL.supervisor) };
    const perShape: Record<string, unknown> = {};
    const allApi: number[] = [];
    const allSql: number[] = [];
    for (const shape of SHAPES) {
      // Walk to the page through the API, keeping the cursor, as a client paging would.
      let cursor: string | undefined;
      for (let p = 1; p < shape.page; p++) {
        const r = await api.http('GET', `/api/v1/cases?${new URLSearchParams({ ...shape.query, ...(cursor ? { cursor } : {}) })}`, { token: tokens[shape.who] });
        cursor = r.body.nextCursor;
      }
      const query = { ...shape.query, ...(cursor ? { cursor } : {}) };
      const url = `/api/v1/cases?${new URLSearchParams(query)}`;
      const stmt = await captureSql(PRINCIPALS[shape.who], query);
      const apiMs: number[] = [];
      const sqlMs: number[] = [];
      let items = 0;
      let sqlRows = 0;
      let bytes = 0;
      for (let i = 0; i < iterations + 20; i++) {
        // Alternate the two, so both see the same moments of a shared machine.
        const r = await api.http('GET', url, { token: tokens[shape.who] });
        if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
        items = r.body.items.length;
        bytes = r.bytes;
        const t = performance.now();
        const res = await b.pool.query(stmt.sql, stmt.params);
        const sql = performance.now() - t;
        sqlRows = res.rowCount ?? 0;
        if (i >= 20) {
          apiMs.push(r.ms);
          sqlMs.push(sql);
        }
      }
      const a = summarize(apiMs);
      const s = summarize(sqlMs);
      allApi.push(...apiMs);
      allSql.push(...sqlMs);
      report.latencyRatio(`${shape.label}: median`, a.median, s.median, 1.5);
      report.latencyRatio(`${shape.label}: p99`, a.p99, s.p99, undefined, `${items} items, ${(bytes / 1024).toFixed(0)} KiB of JSON`);
      perShape[shape.label] = { api: a, sql: s, items, sqlRows, bytes, sql_text: stmt.sql };
    }
    const a = summarize(allApi);
    const s = summarize(allSql);
    report.latencyRatio('all shapes: median', a.median, s.median, 1.5);
    report.latencyRatio('all shapes: p99', a.p99, s.p99);
    report.note('Project = GET /api/v1/cases over HTTP (bearer JWT, zod query validation, scope clause, keyset cursor; each item is JSON built by Postgres, passed through). Baseline = the identical SQL statement and parameters sent from this process through pg.');
    report.finish({ perShape, tableBytes: Number(size.rows[0].bytes) });
  } catch (err) {
    report.fail(err);
  } finally {
    await b.stop();
  }
});

/** The statement listCases sends for this principal and query, captured by a pool that records instead of running. */
async function captureSql(principal: Principal, query: Record<string, string>): Promise<{ sql: string; params: unknown[] }> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const recorder = { query: async (sql: string, params: unknown[]) => { captured = { sql, params }; return { rows: [], rowCount: 0 }; } } as unknown as Pool;
  await listCases(recorder, principal, ListQuery.parse(query));
  return captured!;
}
