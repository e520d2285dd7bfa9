// Personal data is encrypted in Temporal with a key per case, and erasure crypto-shreds it: the raw history
// holds no name, date of birth or health detail; after erasure the history no longer decodes.
import { Client, Connection } from '@temporalio/client';
import { verifyCase } from '../../db/verify-audit';
import { createEncryption } from '../../common/crypto/data-converter';
import { CaseEncryptionCodec } from '../../common/crypto/codec';
import { KeyStore } from '../../common/crypto/key-store';
import { parseMasterKeys } from '../../common/crypto/master-keys';
import { rewrapDataKeys } from '../../common/crypto/rewrap';
import { caseStateQuery } from '../../workflows/case/messages';
import { startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
let raw: Client;
beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
  // A client with no codec sees exactly what Temporal stores.
  raw = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }), namespace: h.cfg.TEMPORAL_NAMESPACE });
});
afterAll(async () => {
  await raw?.connection.close();
  await h?.stop();
});

const person = { givenName: 'Zanele', familyName: 'Okonkwo-Distinct', dateOfBirth: '1979-11-23' };

test('the raw Temporal history of a case holds no name, date of birth or health detail', async () => {
  const id = await j.open({ programmeId: 'test-calm', principal: person, vulnerabilities: ['victim_of_trafficking'], medicalNeed: true, notes: 'needs dialysis' });
  await j.advance(id, 'medical');
  const history = JSON.stringify(await raw.workflow.getHandle(id).fetchHistory());
  const decodedText = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');
  // Payload bytes appear base64-encoded in the JSON; look in both forms.
  const blobs = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => decodedText(m[1])).join(' ');
  for (const secret of [person.familyName, person.givenName, person.dateOfBirth, 'victim_of_trafficking', 'dialysis']) {
    expect(history).not.toContain(secret);
    expect(blobs).not.toContain(secret);
  }
  // …while the app, with the key, reads it all.
  const state = await h.temporal.workflow.getHandle(id).query(caseStateQuery);
  expect(state.household.members[0].familyName).toBe(person.familyName);

  // Postgres: the personal part is sealed too, and no other table carries the name.
  const dump = await h.pool.query(
    `SELECT (SELECT json_agg(c) FROM cases c WHERE case_id = $1)::text || (SELECT json_agg(e) FROM case_events e WHERE case_id = $1)::text
        || (SELECT json_agg(o) FROM webhook_outbox o WHERE case_id = $1)::text || (SELECT json_agg(a) FROM audit_log a WHERE case_id = $1)::text AS t`,
    [id],
  );
  expect(dump.rows[0].t).not.toContain(person.familyName);
  expect(dump.rows[0].t).not.toContain('dialysis');
});

test('after erasure: no personal data in Postgres, the history no longer decodes, partners are told, the chain verifies', async () => {
  const id = await j.open({ principal: { ...person, familyName: 'Erased-Person' } }); // test-fast: retention 10 s
  await j.act(id, 'withdraw', 'caseworker');
  await j.until(id, (v) => v.stage === 'erased', 40_000);

  const row = await h.pool.query('SELECT personal FROM cases WHERE case_id = $1', [id]);
  expect(row.rows[0].personal).toBeNull();
  const key = await h.pool.query('SELECT wrapped, destroyed_at FROM case_keys WHERE owner_id = $1', [id]);
  expect(key.rows[0]).toMatchObject({ wrapped: null, destroyed_at: expect.any(Date) });

  // A fresh client (no cached key) cannot read the case's first payloads any more.
  const fresh = new Client({ connection: h.temporal.connection, namespace: h.cfg.TEMPORAL_NAMESPACE, dataConverter: createEncryption(h.pool, h.cfg).dataConverter });
  const history = await raw.workflow.getHandle(id).fetchHistory();
  const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
  await expect(fresh.options.loadedDataConverter.payloadCodecs[0].decode(input)).rejects.toThrow(/destroyed/);

  const erasedEvent = await h.pool.query(`SELECT payload FROM webhook_outbox WHERE case_id = $1 AND event_type = 'case.erased'`, [id]);
  expect(erasedEvent.rowCount).toBe(1);
  const receipt = await h.pool.query(`SELECT action, reason FROM audit_log WHERE case_id = $1 AND kind = 'erasure'`, [id]);
  expect(receipt.rows).toEqual([{ action: 'erase_personal_data', reason: 'retention period ended' }]);
  const verified = await verifyCase(h.pool, id);
  expect(verified.breaks).toEqual([]);
}, 90_000);

test('the codec server decodes for roles allowed personal data only, and logs the read', async () => {
  const id = await j.open({ programmeId: 'test-calm' });
  const history = await raw.workflow.getHandle(id).fetchHistory();
  const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
  const wire = {
    payloads: input.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    })),
  };
  const denied = await h.http('POST', '/codec/decode', { token: await h.token('admin@demo.avrr'), body: wire });
  expect(denied.status).toBe(403);
  expect((await h.http('POST', '/codec/decode', { body: wire })).status).toBe(401);

  const ok = await h.http('POST', '/codec/decode', { token: await h.token('caseworker@demo.avrr'), body: wire });
  expect(ok.status).toBe(200);
  const decoded = JSON.parse(Buffer.from(ok.body.payloads[0].data, 'base64').toString('utf8'));
  expect(decoded.caseId).toBe(id);
  const access = await h.pool.query(`SELECT actor_id FROM audit_log WHERE case_id = $1 AND action = 'codec_decode'`, [id]);
  expect(access.rows).toEqual([{ actor_id: 'u-caseworker' }]);
});

test('a lawful erasure request, approved by a supervisor, erases at once; partners confirm, or are reminded', async () => {
  const id = await j.open({ programmeId: 'test-calm', partnerIds: ['iom-dakar', 'prefettura-roma'] });
  await j.act(id, 'withdraw', 'caseworker');
  const noReason = await j.try(id, 'request_erasure', 'caseworker');
  expect(noReason.status).toBe(422);
  await j.act(id, 'request_erasure', 'caseworker', undefined, 'GDPR art. 17 request received in writing');
  expect((await j.try(id, 'approve_erasure', 'caseworker')).status).toBe(403);
  const erased = await j.act(id, 'approve_erasure', 'supervisor');
  expect(erased.stage).toBe('erased');
  const receipt = await h.pool.query(`SELECT reason FROM audit_log WHERE case_id = $1 AND action = 'erase_personal_data'`, [id]);
  expect(receipt.rows).toEqual([{ reason: 'erasure request approved' }]);

  // One partner confirms; the other is reminded by the workflow (every 3 s in the test programme… this case
  // is on test-calm, weekly, so only the confirmation is checked here).
  const ack = await h.http('POST', `/api/v1/cases/${id}/erasure-acknowledgement`, { token: 'avrr_pk_demo_iom_dakar', body: {} });
  expect(ack.status).toBe(200);
  const acks = await h.pool.query('SELECT partner_id, acknowledged_at IS NOT NULL AS done FROM erasure_acks WHERE case_id = $1 ORDER BY partner_id', [id]);
  expect(acks.rows).toEqual([{ partner_id: 'iom-dakar', done: true }, { partner_id: 'prefettura-roma', done: false }]);
  expect((await h.http('POST', `/api/v1/cases/${id}/erasure-acknowledgement`, { token: await h.token('caseworker@demo.avrr'), body: {} })).status).toBe(403);
});

test('partners that do not confirm an erasure are reminded, then the case escalates', async () => {
  const id = await j.open({ partnerIds: ['iom-dakar'] }); // test-fast: retention 10 s, reminders every 3 s
  await j.act(id, 'withdraw', 'caseworker');
  const v = await j.until(id, (x) => x.stage === 'erased' && x.openEscalations > 0, 60_000);
  expect(v.escalations.some((e: any) => e.reason === 'erasure_ack_missing')).toBe(true);
  const reminders = await h.pool.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'case.erasure_reminder'`, [id]);
  expect(reminders.rows[0].n).toBe(2);
}, 90_000);

test('master key rotation: data keys are re-wrapped, and the old master key can then be dropped', async () => {
  const id = await j.open({ programmeId: 'test-calm' });
  const oldKey = h.cfg.MASTER_KEY!;
  const newKey = `rot2:${Buffer.alloc(32, 7).toString('base64')}`;
  const rotated = parseMasterKeys(`${newKey},${oldKey}`);
  const { rewrapped } = await rewrapDataKeys(h.pool, rotated);
  expect(rewrapped).toBeGreaterThan(0);
  const row = await h.pool.query('SELECT master_key_id FROM case_keys WHERE owner_id = $1', [id]);
  expect(row.rows[0].master_key_id).toBe('rot2');
  // With only the new master key, the case still decodes.
  const onlyNew = new KeyStore(h.pool, parseMasterKeys(newKey));
  const history = await raw.workflow.getHandle(id).fetchHistory();
  const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
  const [decoded] = await new CaseEncryptionCodec(onlyNew).decode(input);
  expect(JSON.parse(Buffer.from(decoded.data!).toString()).caseId).toBe(id);
  // Put the test's master key back for the other tests (re-wrap under it again).
  await rewrapDataKeys(h.pool, parseMasterKeys(`${oldKey},${newKey}`));
});
