// (b) Reading a case: GET /api/v1/cases/{id} (bearer auth, the read-model row, the personal part decrypted, an
// access entry appended to the audit log) against a Temporal query of the same workflow (caseStateQuery, decoded
// with the same codec). Two query cases: the workflow in the worker's cache (hot), and not in it (cold: the worker
// replays the history first, which is what most reads would meet with 100,000 open cases and a bounded cache).
//   npx tsx bench/read-case.ts      BENCH_READ_CASES (100), BENCH_READ_REQUESTS (600), BENCH_READ_CONCURRENCY (16)
import { caseStateQuery } from '../workflows/case/messages';
import { EMAIL } from '../test/support/harness';
import { Api, driveToClosure, openCase } from '../test/reliability/support/drive';
import { ApiClient, benchStack, envInt, load, log, runBench } from './lib/harness';
import { Report, summarize } from './lib/report';
import { APP_TUNING } from './lib/tuning';

runBench(async () => {
  const cases = envInt('BENCH_READ_CASES', 100);
  const requests = envInt('BENCH_READ_REQUESTS', 600);
  const concurrency = envInt('BENCH_READ_CONCURRENCY', 16);
  const report = new Report('read-case', '(b) Read a case: GET /cases/{id} vs Temporal query', 'npx tsx bench/read-case.ts', { cases, requests, concurrency, tuning: APP_TUNING });
  const b = await benchStack('read-case');
  try {
    let app = await b.stack.spawnApp({ tuning: APP_TUNING });
    const driver = new Api(app.url);
    log(`opening ${cases} cases and taking a fifth of them to reintegration (longer histories)`);
    const ids: string[] = [];
    await load({ concurrency: 8, total: cases }, async (i) => {
      const id = await openCase(driver, { programmeId: 'test-calm' });
      ids.push(id);
      // A mix of history lengths, like a real caseload: most cases early, some far along.
      if (i % 5 === 0) {
        let steps = 0;
        await driveToClosure(driver, id, { giveUpAt: Date.now() + 300_000, onStep: (v) => { if (++steps >= 14 || v.stage === 'reintegration') throw new Stop(); } }).catch((e) => { if (!(e instanceof Stop)) throw e; });
      }
    });
    const api = new ApiClient(app.url);
    const token = await api.token(EMAIL.supervisor);
    const pick = (i: number) => ids[(i * 7919) % ids.length];
    const get = async (i: number) => {
      const r = await api.http('GET', `/api/v1/cases/${pick(i)}`, { token });
      if (r.status !== 200) throw new Error(`GET ${r.status}`);
    };
    const query = async (i: number) => {
      await b.client.workflow.getHandle(pick(i)).query(caseStateQuery);
    };
    log('warm-up');
    await load({ concurrency: 4, total: 200 }, get);
    await load({ concurrency: 4, total: 200 }, query);

    log('one client at a time (latency)');
    const seqGet = await load({ concurrency: 1, total: requests }, get);
    const seqQuery = await load({ concurrency: 1, total: requests }, query);
    log(`${concurrency} concurrent clients (throughput)`);
    const conGet = await load({ concurrency, total: requests * 2 }, get);
    const conQuery = await load({ concurrency, total: requests * 2 }, query);

    // Cold: a worker whose cache holds 2 workflows (the SDK's minimum), so nearly every query replays the history.
    log('restarting the worker with a 2-workflow cache (cold queries)');
    await app.stop();
    app = await b.stack.spawnApp({ tuning: { ...APP_TUNING, maxCachedWorkflows: 2 }, api: false });
    const coldN = Math.min(requests, 300);
    await load({ concurrency: 1, total: 20 }, query);
    const seqCold = await load({ concurrency: 1, total: coldN }, query);

    const g = summarize(seqGet.latencies);
    const q = summarize(seqQuery.latencies);
    const c = summarize(seqCold.latencies);
    report.speedup('latency median, 1 client: GET vs query (workflow cached)', g.median, q.median, 10);
    report.speedup('latency p99, 1 client: GET vs query (workflow cached)', g.p99, q.p99, 10);
    report.speedup('latency median, 1 client: GET vs query (not cached, replayed)', g.median, c.median, 10);
    report.speedup('latency p99, 1 client: GET vs query (not cached, replayed)', g.p99, c.p99, 10);
    report.throughput(`throughput, ${concurrency} clients: GET vs query (cached)`, 'reads/s', conGet.perSecond, conQuery.perSecond);
    report.latencyRatio(`latency median, ${concurrency} clients (cached)`, summarize(conGet.latencies).median, summarize(conQuery.latencies).median);
    report.row({ metric: 'errors', unit: '', project: seqGet.errors.length + conGet.errors.length, baseline: seqQuery.errors.length + conQuery.errors.length + seqCold.errors.length });
    report.note('GET = HTTP with a supervisor bearer token; reads the cases row, decrypts the personal part and appends an access entry to the audit log (a write per read). Query = client.workflow.getHandle(id).query(caseStateQuery) through the app codec, answered by the worker.');
    report.finish({ get: g, queryHot: q, queryCold: c, concurrentGet: summarize(conGet.latencies), concurrentQuery: summarize(conQuery.latencies) });
  } catch (err) {
    report.fail(err);
  } finally {
    await b.stop();
  }
});

class Stop extends Error {}
