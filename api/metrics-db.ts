// Business metrics read from Postgres when Prometheus scrapes: cases per stage, escalations, webhook attempts
// and dead letters. Every API replica reports the same figures, so aggregate them with max(), not sum().
// The queries are cheap on purpose (a grouped scan of the read model, a small table, or only the rows new since
// the last scrape), run once per scrape, and bounded by a timeout so a slow database never hangs a scrape.
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';

const QUERY_TIMEOUT_MS = 2_000;

export function registerDatabaseMetrics(registry: Registry, pool: Pool): void {
  const dbUp = new Gauge({ name: 'avrr_metrics_database_up', help: '1 when the last scrape could read the database figures', registers: [registry] });
  const query = async <R extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[] | undefined> => {
    const client = await pool.connect().catch(() => undefined);
    if (!client) return void dbUp.set(0);
    try {
      // A server-side limit: a client-side timeout would leave the query running and the connection busy.
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${QUERY_TIMEOUT_MS}`);
      const { rows } = await client.query<R>(text, values);
      await client.query('COMMIT');
      dbUp.set(1);
      return rows;
    } catch {
      await client.query('ROLLBACK').catch(() => undefined);
      dbUp.set(0);
      return undefined;
    } finally {
      client.release();
    }
  };

  const byStage = shared(() =>
    query<{ stage: string; programme: string; cases: number; escalated: number; escalations: number }>(
      `SELECT stage, programme_id AS programme, count(*)::int AS cases,
              count(*) FILTER (WHERE open_escalations > 0)::int AS escalated,
              coalesce(sum(open_escalations), 0)::int AS escalations
         FROM cases GROUP BY stage, programme_id`,
    ),
  );
  const stageGauge = (name: string, help: string, pick: (r: { cases: number; escalated: number; escalations: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stage', 'programme'],
      registers: [registry],
      async collect() {
        const rows = await byStage();
        if (!rows) return;
        this.reset();
        for (const r of rows) this.set({ stage: r.stage, programme: r.programme }, pick(r));
      },
    });
  stageGauge('avrr_cases_by_stage', 'Cases in the read model by stage and programme (closed cases stay in their final stage)', (r) => r.cases);
  stageGauge('avrr_cases_escalated', 'Cases with at least one open escalation (a missed deadline), by stage and programme', (r) => r.escalated);
  stageGauge('avrr_open_escalations', 'Open escalations, by stage and programme', (r) => r.escalations);

  new Gauge({
    name: 'avrr_webhook_dead_letters_open',
    help: 'Webhook deliveries given up on and not yet redelivered',
    registers: [registry],
    async collect() {
      const rows = await query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_dead_letters WHERE resolved_at IS NULL');
      if (rows) this.set(rows[0].n);
    },
  });

  // Attempts only grow, so each scrape counts the rows after the highest ID it has seen (a primary-key range
  // scan). An ID that commits late, below one already counted, is missed: a small undercount, never a double.
  let lastId: string | undefined;
  new Counter({
    name: 'avrr_webhook_attempts_total',
    help: 'Webhook delivery attempts seen since this process started, by result (2xx is success)',
    labelNames: ['result'],
    registers: [registry],
    async collect() {
      if (lastId === undefined) {
        const first = await query<{ last: string }>('SELECT coalesce(max(id), 0)::text AS last FROM webhook_attempts');
        if (!first) return;
        lastId = first[0].last;
        this.inc({ result: 'success' }, 0);
        this.inc({ result: 'failure' }, 0);
      }
      const rows = await query<{ last: string | null; ok: number; failed: number }>(
        `SELECT max(id)::text AS last,
                count(*) FILTER (WHERE status_code BETWEEN 200 AND 299)::int AS ok,
                count(*) FILTER (WHERE status_code IS NULL OR status_code NOT BETWEEN 200 AND 299)::int AS failed
           FROM webhook_attempts WHERE id > $1`,
        [lastId],
      );
      if (!rows || rows[0].last === null) return;
      lastId = rows[0].last;
      this.inc({ result: 'success' }, rows[0].ok);
      this.inc({ result: 'failure' }, rows[0].failed);
    },
  });
}

/**
 * prom-client collects a registry's metrics concurrently, so the gauges reading one query share the query in
 * flight (as do overlapping scrapes); the next scrape queries afresh.
 */
function shared<T>(load: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => (inFlight ??= load().finally(() => (inFlight = undefined)));
}
