// (e) Webhook delivery: throughput and latency from a transition's commit to the partner's verified receipt,
// through the real path (recordTransition → outbox → dispatchWebhooks fan-out → per-case delivery workflow on the
// app worker's webhook task queue → signed POST), driven by bench/webhooks.ts's Bench — against a plain loop of
// signed HTTP POSTs to the same receiver (test/support/webhook-receiver.ts, which verifies every signature with the
// standardwebhooks library), with the same concurrency and the same number of messages.
//   npx tsx bench/webhook-delivery.ts   BENCH_WEBHOOK_CASES (200), BENCH_WEBHOOK_EVENTS (10 per case),
//                                       BENCH_WEBHOOK_CONCURRENCY (50), BENCH_WEBHOOK_LIGHT (100 events one at a time)
import { Webhook } from 'standardwebhooks';
import { createEndpoint } from '../activities/webhooks/endpoints';
import type { FanoutDeps } from '../activities/webhooks/fanout';
import { loadWebhookSettings, webhookTaskQueue } from '../activities/webhooks/settings';
import { EVENT_TYPES } from '../workflows/domain/vocabulary';
import { WebhookReceiver } from '../test/support/webhook-receiver';
import { Bench } from './webhooks';
import { benchStack, envInt, load, log, runBench } from './lib/harness';
import { Report, summarize } from './lib/report';
import { APP_TUNING } from './lib/tuning';

runBench(async () => {
  const cases = envInt('BENCH_WEBHOOK_CASES', 200);
  const eventsPerCase = envInt('BENCH_WEBHOOK_EVENTS', 10);
  const concurrency = envInt('BENCH_WEBHOOK_CONCURRENCY', 50);
  const light = envInt('BENCH_WEBHOOK_LIGHT', 100);
  const report = new Report('webhook-delivery', '(e) Webhook delivery: transition → partner receipt vs a plain signed POST loop', 'npx tsx bench/webhook-delivery.ts', { cases, eventsPerCase, concurrency, light, tuning: APP_TUNING });
  const b = await benchStack('webhooks');
  const receiver = await new WebhookReceiver().start();
  try {
    await b.stack.spawnApp({ api: false, tuning: APP_TUNING });
    const settings = loadWebhookSettings();
    await b.pool.query(`INSERT INTO partners (partner_id, name, kind) VALUES ('bench', 'Bench partner', 'ngo') ON CONFLICT DO NOTHING`);
    const { secret } = await createEndpoint(b.pool, b.encryption.keys, { partnerId: 'bench', url: receiver.url, eventTypes: [...EVENT_TYPES], scope: { kind: 'assigned' } });
    receiver.secrets.push(secret);
    const deps: FanoutDeps = { pool: b.pool, client: b.client, taskQueue: webhookTaskQueue(settings, b.stack.cfg.TEMPORAL_TASK_QUEUE), policy: settings.policy };
    const bench = new Bench(deps, b.encryption.keys, receiver);

    // The plain loop: the same receiver, the same signature scheme, a body of the same shape.
    const signer = new Webhook(secret);
    let n = 0;
    const sentAt = new Map<string, number>();
    const post = async () => {
      const id = `msg_plain_${n++}`;
      const body = JSON.stringify({ type: 'case.action', timestamp: new Date().toISOString(), data: { caseId: `plain-${n}`, seq: 1, stage: 'intake', previousStage: 'intake', country: 'SN', facts: { n } } });
      const now = new Date();
      sentAt.set(id, Date.now());
      const res = await fetch(receiver.url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signer.sign(id, now, body) } });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`receiver answered ${res.status}`);
    };
    const plainLatency = (from: number) => receiver.accepted.slice(from).filter((r) => sentAt.has(r.webhookId)).map((r) => r.at - sentAt.get(r.webhookId)!);

    log('warm-up');
    await bench.run('warmup', 10, 2, 10);
    await load({ concurrency: 10, total: 50 }, post);

    log(`light load: ${light} events one at a time`);
    const projectLight = await bench.run('light', Math.ceil(light / 10), 10, 1);
    let from = receiver.accepted.length;
    await load({ concurrency: 1, total: light }, post);
    const plainLightLatency = plainLatency(from);

    const total = cases * eventsPerCase;
    log(`load: ${total} events over ${cases} cases, ${concurrency} at a time`);
    const projectLoad = await bench.run('load', cases, eventsPerCase, concurrency);
    from = receiver.accepted.length;
    const plainLoad = await load({ concurrency, total }, post);
    const plainLoadLatency = plainLatency(from);

    const pl = summarize(projectLight.latency);
    const bl = summarize(plainLightLatency);
    const pL = summarize(projectLoad.latency);
    const bL = summarize(plainLoadLatency);
    report.throughput(`throughput, ${concurrency} cases/senders at a time`, 'deliveries/s', projectLoad.events / (projectLoad.wallMs / 1000), plainLoad.perSecond);
    report.latencyRatio('under load: latency to receipt, median', pL.median, bL.median);
    report.latencyRatio('under load: latency to receipt, p99', pL.p99, bL.p99);
    report.latencyRatio('one at a time: latency to receipt, median', pl.median, bl.median);
    report.latencyRatio('one at a time: latency to receipt, p99', pl.p99, bl.p99);
    const unverified = receiver.received.filter((r) => r.verifiedBy.length === 0).length;
    const duplicates = receiver.received.length - new Set(receiver.received.map((r) => r.webhookId)).size;
    report.row({ metric: 'order violations / unverified / duplicate receipts', unit: '', project: bench.orderViolations, baseline: unverified + duplicates, ratioOf: 'baseline column = unverified + duplicates (all traffic)' });
    report.note('Project latency = the event\'s commit in Postgres (recordTransition) → the receiver got the verified POST; it includes the fan-out activity, starting or signalling the per-case delivery workflow, its workflow task, and the delivery activity (load the endpoint, decrypt its secret, sign, POST, record the attempt). Plain latency = fetch() called → receipt.');
    report.note('Project throughput is per-case ordered (a case\'s events are delivered one after another by its delivery workflow); the plain loop has no order at all.');
    report.finish({ projectLight: pl, plainLight: bl, projectLoad: pL, plainLoad: bL, fanoutMs: summarize(projectLoad.fanout), plainErrors: plainLoad.errors.slice(0, 5) });
  } catch (err) {
    report.fail(err);
  } finally {
    await receiver.stop();
    await b.stop();
  }
});
