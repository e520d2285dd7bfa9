// The audit log as an auditor relies on it: append-only in the database itself, every tampering found by
// verification (changed, forged, deleted, reordered entries), every read and every refused attempt logged,
// a readable history merged with Temporal's, and the state "as of" an entry equal to what the workflow said.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { appendAudit, chainHash, GENESIS_HASH, hashedFields } from '../../db/audit';
import { caseStateQuery } from '../../workflows/case/messages';
import type { CaseState } from '../../workflows/domain/state';
import { singleAdult } from '../support/cases';
import { EMAIL, PARTNER_KEY, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
/** A direct superuser connection, as someone with database access behind the application's back. */
let su: PgClient;

beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
  su = new PgClient({ connectionString: process.env.DATABASE_URL });
  await su.connect();
});
afterAll(async () => {
  await su?.end();
  await h?.stop();
});

const auditor = () => h.token(EMAIL.auditor);

/** A case with a few transitions, so its chain has entries before and after any one we touch. */
async function caseWithChain(): Promise<string> {
  const id = await j.open();
  await j.act(id, 'confirm_intake', 'caseworker');
  await j.act(id, 'record_counselling_session', 'caseworker', { durationMinutes: 30 });
  return id;
}

/** Runs SQL with the append-only trigger bypassed, as only a superuser can. */
async function behindTheBack(sql: string, params: unknown[]): Promise<void> {
  await su.query('BEGIN');
  await su.query('SET LOCAL session_replication_role = replica');
  await su.query(sql, params);
  await su.query('COMMIT');
}

async function entry(caseId: string, entryNo: number) {
  const { rows } = await su.query('SELECT * FROM audit_log WHERE case_id = $1 AND entry_no = $2', [caseId, entryNo]);
  return rows[0];
}

async function lastEntry(caseId: string) {
  const { rows } = await su.query('SELECT * FROM audit_log WHERE case_id = $1 ORDER BY entry_no DESC LIMIT 1', [caseId]);
  return rows[0];
}

async function verify(caseId?: string) {
  const r = await h.http('GET', `/api/v1/audit/verify${caseId ? `?caseId=${caseId}` : ''}`, { token: await auditor() });
  expect(r.status).toBe(200);
  return r.body;
}

describe('append-only in the database', () => {
  test('the app role appends to audit_log but can neither change nor remove an entry', async () => {
    const id = await caseWithChain();
    expect((await h.pool.query('SELECT current_user AS who')).rows[0].who).toBe('avrr_app');
    for (const sql of ['UPDATE audit_log SET reason = $2 WHERE case_id = $1', 'DELETE FROM audit_log WHERE case_id = $1 AND $2::text IS NOT NULL']) {
      await expect(h.pool.query(sql, [id, 'x'])).rejects.toMatchObject({ code: '42501' });
    }
    await expect(h.pool.query('TRUNCATE audit_log')).rejects.toMatchObject({ code: '42501' });
    // Even the owner, trigger in place, is refused.
    await expect(su.query('UPDATE audit_log SET reason = $2 WHERE case_id = $1', [id, 'x'])).rejects.toThrow(/append-only/);
    expect((await verify(id)).ok).toBe(true);
  });

  test('the database writes the hash the verifier recomputes, on awkward text and under concurrent writers', async () => {
    const id = await caseWithChain();
    const awkward = ['quote " and backslash \\ and slash /', 'tab\tnewline\ncr\rbackspace\bformfeed\f', 'controls \u0001\u001f\u007f',
      'àèìòù ß 中文 العربية', 'emoji 🇸🇳 astral 𝄞', 'separators \u2028\u2029', ''];
    // All at once: the case's lock orders them, so the chain neither forks nor skips a number.
    const numbers = await Promise.all(awkward.map((reason, i) => appendAudit(h.pool, {
      caseId: id, kind: 'access', actorId: `u-${i}`, actorRole: 'auditor', action: 'read_case', reason,
      stageBefore: 'counselling', stageAfter: 'counselling', requestId: i % 2 ? null : `req-${i}`, occurredAt: new Date().toISOString(),
    })));
    const { rows } = await su.query('SELECT * FROM audit_log WHERE case_id = $1 ORDER BY entry_no', [id]);
    expect(numbers.sort((a, b) => a - b)).toEqual(rows.slice(-awkward.length).map((r) => r.entry_no));
    expect(rows.map((r) => r.entry_no)).toEqual(rows.map((_, i) => i + 1));
    for (const [i, r] of rows.entries()) {
      expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1].hash);
      expect(r.hash).toBe(chainHash(r.prev_hash, fieldsOf(r)));
    }
    expect(rows.slice(-awkward.length).map((r) => r.reason).sort()).toEqual([...awkward].sort());
    expect((await verify(id)).ok).toBe(true);
  });
});

describe('verification', () => {
  const tampered: { caseId: string; entryNo: number; problem: string }[] = [];

  test('a modified entry is reported with its case and entry number, by the API and the CLI', async () => {
    const id = await caseWithChain();
    expect(await verify(id)).toMatchObject({ ok: true, breaks: [] });
    const before = await entry(id, 2);
    await behindTheBack('UPDATE audit_log SET actor_id = $3 WHERE case_id = $1 AND entry_no = $2', [id, 2, 'u-someone-else']);

    const report = await verify(id);
    expect(report.ok).toBe(false);
    expect(report.breaks).toEqual([
      { caseId: id, entryNo: 2, problem: 'hash_mismatch', expected: chainHash(before.prev_hash, { ...fieldsOf(before), actorId: 'u-someone-else' }), found: before.hash },
    ]);
    tampered.push({ caseId: id, entryNo: 2, problem: 'hash_mismatch' });

    const cli = await runCli('scripts/verify-audit.ts', [id]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`case ${id} entry 2 (hash_mismatch)`);
  });

  test('a forged entry is detected, even when its hash is correctly recomputed', async () => {
    // A crude forgery: a read that never happened, in the right position, with a made-up hash.
    const crude = await caseWithChain();
    const last = await lastEntry(crude);
    await insertEntry({ ...last, entry_no: last.entry_no + 1, kind: 'access', event_seq: null, action: 'read_case', prev_hash: last.hash, hash: 'f'.repeat(64) });
    tampered.push({ caseId: crude, entryNo: last.entry_no + 1, problem: 'hash_mismatch' });

    // A careful one: a transition that never happened, chained with the published algorithm.
    const careful = await caseWithChain();
    const tail = await lastEntry(careful);
    const forged = { ...tail, entry_no: tail.entry_no + 1, event_seq: tail.event_seq + 1, action: 'admit', stage_before: 'admission', stage_after: 'travel_document', prev_hash: tail.hash };
    forged.hash = chainHash(tail.hash, fieldsOf(forged));
    await insertEntry(forged);
    tampered.push({ caseId: careful, entryNo: forged.entry_no, problem: 'entry_without_event' });

    expect((await verify(crude)).breaks).toEqual([expect.objectContaining({ entryNo: last.entry_no + 1, problem: 'hash_mismatch', found: 'f'.repeat(64) })]);
    expect((await verify(careful)).breaks).toEqual([expect.objectContaining({ entryNo: forged.entry_no, problem: 'entry_without_event' })]);
  });

  test('deleted and reordered entries are detected', async () => {
    const middle = await caseWithChain();
    await behindTheBack('DELETE FROM audit_log WHERE case_id = $1 AND entry_no = 2', [middle]);
    tampered.push({ caseId: middle, entryNo: 3, problem: 'entry_no_gap' });

    // Deleting the newest entry leaves no gap; the event it recorded gives it away.
    const end = await caseWithChain();
    const last = await lastEntry(end);
    await behindTheBack('DELETE FROM audit_log WHERE case_id = $1 AND entry_no = $2', [end, last.entry_no]);
    tampered.push({ caseId: end, entryNo: last.entry_no, problem: 'event_without_entry' });

    const swapped = await caseWithChain();
    // Through a free number: the unique (case_id, entry_no) refuses a swap in one statement.
    for (const [from, to] of [[2, -2], [3, 2], [-2, 3]]) {
      await behindTheBack('UPDATE audit_log SET entry_no = $3 WHERE case_id = $1 AND entry_no = $2', [swapped, from, to]);
    }
    tampered.push({ caseId: swapped, entryNo: 2, problem: 'hash_mismatch' });

    expect((await verify(middle)).breaks).toEqual([expect.objectContaining({ entryNo: 3, problem: 'entry_no_gap', expected: 'entry_no 2', found: 'entry_no 3' })]);
    expect((await verify(end)).breaks).toEqual([expect.objectContaining({ entryNo: last.entry_no, problem: 'event_without_entry' })]);
    expect((await verify(swapped)).breaks).toEqual([expect.objectContaining({ entryNo: 2, problem: 'hash_mismatch' })]);
  });

  test('verifying every chain reports exactly the tampered cases, each at its first broken link', async () => {
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.casesChecked).toBeGreaterThanOrEqual(tampered.length);
    const found = report.breaks.map((b: { caseId: string; entryNo: number; problem: string }) => ({ caseId: b.caseId, entryNo: b.entryNo, problem: b.problem }));
    const byCase = (a: { caseId: string }, b: { caseId: string }) => a.caseId.localeCompare(b.caseId);
    expect(found.sort(byCase)).toEqual([...tampered].sort(byCase));
  });
});

describe('reads and refusals are audited', () => {
  test('reading a case as a caseworker, an auditor and a partner leaves three access entries; a read out of scope none', async () => {
    const created = await h.http('POST', '/api/v1/cases', { token: await h.token(EMAIL.caseworker), body: singleAdult({ partnerIds: ['iom-dakar'] }) });
    const id = created.body.caseId;
    for (const token of [await h.token(EMAIL.caseworker), await auditor(), PARTNER_KEY.iom]) {
      expect((await h.http('GET', `/api/v1/cases/${id}`, { token })).status).toBe(200);
    }
    // Another office's caseworker and a partner the case was not sent to see nothing, so nothing was read.
    for (const token of [await h.token(EMAIL.caseworkerMilano), PARTNER_KEY.prefettura]) {
      expect((await h.http('GET', `/api/v1/cases/${id}`, { token })).status).toBe(404);
    }
    const { rows } = await su.query(`SELECT actor_id, actor_role, action FROM audit_log WHERE case_id = $1 AND kind = 'access' ORDER BY entry_no`, [id]);
    expect(rows).toEqual([
      { actor_id: 'u-caseworker', actor_role: 'caseworker', action: 'read_case' },
      { actor_id: 'u-auditor', actor_role: 'auditor', action: 'read_case' },
      { actor_id: 'partner:iom-dakar', actor_role: 'partner', action: 'read_case' },
    ]);
    expect((await verify(id)).ok).toBe(true);
  });

  test("an auditor's attempt to change a case answers 403, changes nothing and is logged as denied", async () => {
    const id = await caseWithChain();
    const token = await auditor();
    const r = await h.http('POST', `/api/v1/cases/${id}/actions/withdraw`, { token, body: {} });
    expect(r.status).toBe(403);
    expect((await h.http('POST', '/api/v1/cases', { token, body: {} })).status).toBe(403);

    const { rows } = await su.query(`SELECT actor_id, actor_role, action, reason FROM audit_log WHERE case_id = $1 AND kind = 'denied'`, [id]);
    expect(rows).toEqual([{ actor_id: 'u-auditor', actor_role: 'auditor', action: 'POST /cases/:id/actions/withdraw', reason: 'missing permission case.act' }]);
    expect((await h.temporal.workflow.getHandle(id).query(caseStateQuery)).stage).toBe('counselling');
    expect((await verify(id)).ok).toBe(true);

    // Other roles' refusals are ordinary 403s, not audit entries.
    expect((await h.http('POST', `/api/v1/cases/${id}/replay`, { token: await h.token(EMAIL.caseworker) })).status).toBe(403);
    expect((await su.query(`SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND kind = 'denied'`, [id])).rows[0].n).toBe(1);
  });
});

describe('history', () => {
  test('merges the audit log with Temporal history in time order, as JSON and CSV, within scope', async () => {
    const id = await caseWithChain();
    // Counselling's deadline is seconds in the test programme: a timer fires and the case escalates.
    await j.until(id, (v) => v.openEscalations > 0);
    const r = await h.http('GET', `/api/v1/cases/${id}/history`, { token: await auditor() });
    expect(r.status).toBe(200);
    expect(r.body.temporal).toBe('available');
    const entries: Record<string, any>[] = r.body.entries;
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());

    const temporal = entries.filter((e) => e.source === 'temporal');
    expect(temporal[0]).toMatchObject({ kind: 'workflow_started', action: 'caseWorkflow' });
    expect(temporal).toContainEqual(expect.objectContaining({ kind: 'update_accepted', update: 'caseAction', action: 'confirm_intake', actor: 'u-caseworker', role: 'caseworker' }));
    expect(temporal).toContainEqual(expect.objectContaining({ kind: 'update_completed', update: 'caseAction', action: 'record_counselling_session' }));
    expect(temporal).toContainEqual(expect.objectContaining({ kind: 'local_activity_completed', action: 'commitTransition' }));
    expect(temporal).toContainEqual(expect.objectContaining({ kind: 'timer_fired' }));

    const audit = entries.filter((e) => e.source === 'audit');
    expect(audit).toContainEqual(expect.objectContaining({ kind: 'transition', action: 'confirm_intake', actor: 'u-caseworker', stageBefore: 'intake', stageAfter: 'counselling' }));
    expect(audit).toContainEqual(expect.objectContaining({ kind: 'transition', action: 'case.escalated', actor: 'system' }));
    for (const e of audit.filter((x) => x.kind === 'transition')) expect(e.stateAsOf).toBe(`/api/v1/cases/${id}/state-as-of/${e.seq}`);

    const csv = await h.http('GET', `/api/v1/cases/${id}/history?format=csv`, { token: await auditor() });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,source,kind,actor,role,action,reason,stageBefore,stageAfter,seq,entryNo,eventId,update,runId');
    // The CSV was read after the JSON, which was itself logged: one access entry more.
    expect(lines.length - 1).toBeGreaterThanOrEqual(entries.length + 1);
    expect(lines).toContainEqual(expect.stringMatching(/,temporal,update_accepted,u-caseworker,caseworker,confirm_intake,/));

    expect((await h.http('GET', `/api/v1/cases/${id}/history`, { token: PARTNER_KEY.iom })).status).toBe(403);
    expect((await h.http('GET', `/api/v1/cases/${id}/history`, { token: await h.token(EMAIL.caseworkerMilano) })).status).toBe(404);
    expect((await h.http('GET', `/api/v1/cases/${id}/history`, { token: await h.token(EMAIL.caseworker) })).status).toBe(200);
  }, 60_000);

  test("the state as of each transition is what the workflow's query returned at that moment", async () => {
    const id = await j.open();
    const handle = h.temporal.workflow.getHandle(id);
    const seen: CaseState[] = [await handle.query(caseStateQuery)];
    const steps: [Parameters<Journey['act']>[1], Parameters<Journey['act']>[2], unknown?][] = [
      ['confirm_intake', 'caseworker'],
      ['record_counselling_session', 'caseworker', { durationMinutes: 45 }],
      ['sign_declaration', 'caseworker'],
      ['lodge_application', 'caseworker'],
      ['record_eligibility', 'prefettura', { eligible: true }],
      ['admit', 'prefettura'],
      ['record_passport', 'caseworker', { expiresOn: new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10) }],
      ['submit_plan', 'caseworker', { kind: 'business', amount: 1000 }],
      ['approve_plan', 'supervisor'],
      ['pay_predeparture_allowance', 'caseworker'],
    ];
    for (const [action, who, payload] of steps) {
      await j.act(id, action, who, payload);
      seen.push(await handle.query(caseStateQuery));
    }
    // A deadline passes: the escalation is a transition of its own, with its own state.
    await j.until(id, (v) => v.openEscalations > 0);
    seen.push(await handle.query(caseStateQuery));

    const pick = (s: Record<string, any>) => ({ stage: s.stage, seq: s.seq, amounts: s.amounts, deadlines: s.deadlines, escalations: s.escalations });
    const token = await auditor();
    for (const state of seen) {
      const r = await h.http('GET', `/api/v1/cases/${id}/state-as-of/${state.seq}`, { token });
      expect(r.status).toBe(200);
      expect(pick(r.body.state)).toEqual(pick(state));
    }
    // The comparison covers distinct moments: stages move, money is paid, an escalation opens.
    expect(new Set(seen.map((s) => s.stage)).size).toBeGreaterThanOrEqual(5);
    expect(seen.at(-1)!.escalations.length).toBeGreaterThan(0);
    expect(seen.at(-1)!.amounts).not.toEqual(seen[0].amounts);
    expect((await h.http('GET', `/api/v1/cases/${id}/state-as-of/${seen.at(-1)!.seq + 50}`, { token })).status).toBe(404);
  }, 60_000);
});

function fieldsOf(row: Record<string, any>) {
  return hashedFields({
    caseId: row.case_id,
    entryNo: row.entry_no,
    kind: row.kind,
    eventSeq: row.event_seq,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    reason: row.reason,
    stageBefore: row.stage_before,
    stageAfter: row.stage_after,
    requestId: row.request_id,
    occurredAt: new Date(row.occurred_at).toISOString(),
  });
}

async function insertEntry(e: Record<string, any>): Promise<void> {
  await su.query(
    `INSERT INTO audit_log (case_id, entry_no, kind, event_seq, actor_id, actor_role, action, reason, stage_before, stage_after,
       request_id, occurred_at, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
    [e.case_id, e.entry_no, e.kind, e.event_seq, e.actor_id, e.actor_role, e.action, e.reason, e.stage_before, e.stage_after,
      e.request_id, e.occurred_at, e.prev_hash, e.hash],
  );
}

async function runCli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, '..', '..');
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, script), ...args], { cwd: root, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (err: any) {
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
