// The public contract: a valid OpenAPI 3.1 document that lists every route the server answers,
// RFC 9457 problems for every kind of bad request, and Idempotency-Key semantics.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../api/app';
import { loadProgrammes } from '../../common/programmes';
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { familyOfFour, singleAdult } from '../support/cases';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

test('the OpenAPI document validates as OpenAPI 3.1', async () => {
  const doc = (await h.http('GET', '/api/openapi.json')).body;
  expect(doc.openapi).toBe('3.1.0');
  // The validator is an ES module, which Jest on Node 20 cannot load: run it in plain Node.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const script = `require('@apidevtools/swagger-parser').validate(process.argv[1]).then(() => console.log('valid'), (e) => { console.error(e.message); process.exit(1); })`;
  expect(execFileSync(process.execPath, ['-e', script, file], { encoding: 'utf8' }).trim()).toBe('valid');

  const broken = { ...doc, info: { title: 'no version' } };
  fs.writeFileSync(file, JSON.stringify(broken));
  expect(() => execFileSync(process.execPath, ['-e', script, file], { stdio: 'pipe' })).toThrow(/version/);
});

test('every route the server answers is in the OpenAPI document', () => {
  const { document, routers } = createApp({ config: h.cfg, pool: h.pool, temporal: h.temporal, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys });
  const served: string[] = [];
  for (const api of routers) {
    for (const layer of (api.router as any).stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) {
        served.push(`${method} ${api.basePath}${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  const documented = Object.entries(document.paths ?? {}).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m} ${p}`));
  expect(served.length).toBeGreaterThan(30);
  expect(served.filter((s) => !documented.includes(s))).toEqual([]);
  expect(documented.filter((d) => !served.includes(d))).toEqual([]);
});

test('the interactive API docs are served without a CDN', async () => {
  const page = await h.http('GET', '/api/docs');
  expect(page.status).toBe(200);
  expect(page.body).toContain('/api/docs/assets/swagger-ui-bundle.js');
  expect((await h.http('GET', '/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
});

describe('bad requests get a problem document and change nothing', () => {
  let token: string;
  let caseId: string;
  let seq: number;
  beforeAll(async () => {
    token = await h.token(EMAIL.caseworker);
    // A programme with deadlines in weeks: no timer adds an event while these tests run.
    const created = await h.http('POST', '/api/v1/cases', { token, body: singleAdult({ programmeId: 'test-calm' }) });
    caseId = created.body.caseId;
    seq = created.body.seq;
  });

  const valid = () => singleAdult() as any;
  const badCases: [string, () => unknown, number][] = [
    ['a body that is not an object', () => '"just a string"', 400],
    ['an array body', () => [], 422],
    ['malformed JSON', () => '{"programmeId": ', 400],
    ['a missing field', () => { const b = valid(); delete b.principal; return b; }, 422],
    ['a wrong type', () => ({ ...valid(), medicalNeed: 'yes' }), 422],
    ['an extra field', () => ({ ...valid(), favouriteColour: 'blue' }), 422],
    ['an extra nested field', () => ({ ...valid(), principal: { ...valid().principal, passportNumber: 'X123' } }), 422],
    ['a huge string', () => ({ ...valid(), notes: 'x'.repeat(5000) }), 422],
    ['a body over the size limit', () => ({ ...valid(), notes: 'x'.repeat(200_000) }), 413],
    ['an invalid date', () => ({ ...valid(), principal: { ...valid().principal, dateOfBirth: '1990-02-30' } }), 422],
    ['a date in the future', () => ({ ...valid(), principal: { ...valid().principal, dateOfBirth: '2999-01-01' } }), 422],
    ['an unknown enum value', () => ({ ...valid(), referringBody: 'embassy' }), 422],
    ['an unknown programme', () => ({ ...valid(), programmeId: 'no-such-programme' }), 422],
    ['a bad country code', () => ({ ...valid(), countryOfReturn: 'Senegal' }), 422],
  ];

  test.each(badCases)('POST /cases with %s', async (_name, make, status) => {
    const before = await h.pool.query('SELECT count(*)::int AS n FROM cases');
    const body = make();
    const r = await h.http('POST', '/api/v1/cases', { token, body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
    expect(JSON.stringify(r.body)).not.toMatch(/at \w+ \(|node_modules/); // no stack trace
    if (status === 422 && typeof body !== 'string' && !Array.isArray(body)) expect(r.body.errors[0].path).toMatch(/^body\./);
    const after = await h.pool.query('SELECT count(*)::int AS n FROM cases');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  const badActions: [string, string, unknown, number][] = [
    ['an unknown field', 'confirm_intake', { payload: {}, comment: 'x' }, 422],
    ['a payload of the wrong type', 'record_counselling_session', { payload: 'sixty minutes' }, 422],
    ['a number out of range', 'record_counselling_session', { payload: { durationMinutes: 100000 } }, 422],
    ['an unknown enum value', 'submit_plan', { payload: { kind: 'spaceship', amount: 10 } }, 422],
    ['an invalid date', 'record_passport', { payload: { expiresOn: '2027-13-45' } }, 422],
    ['a huge reason', 'confirm_intake', { reason: 'r'.repeat(50_000) }, 422],
    ['a missing payload field', 'record_eligibility', { payload: {} }, 422],
  ];

  test.each(badActions)('an action with %s', async (_name, action, body, status) => {
    const r = await h.http('POST', `/api/v1/cases/${caseId}/actions/${action}`, { token, body });
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token })).body.seq).toBe(seq);
  });

  test('a payload that is valid in shape but not allowed now is a 409, not a change', async () => {
    const r = await h.http('POST', `/api/v1/cases/${caseId}/actions/record_passport`, { token, body: { payload: { expiresOn: '2030-01-01' } } });
    expect(r.status).toBe(409);
    expect((await h.http('GET', `/api/v1/cases/${caseId}`, { token })).body.seq).toBe(seq);
  });

  test('a wrong content type is 415', async () => {
    const r = await h.http('POST', '/api/v1/cases', { token, body: 'programmeId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.status).toBe(415);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });

  test('an unknown case is 404, and so is an unknown action or route', async () => {
    expect((await h.http('GET', '/api/v1/cases/case-does-not-exist', { token })).status).toBe(404);
    expect((await h.http('POST', '/api/v1/cases/case-does-not-exist/actions/withdraw', { token, body: {} })).status).toBe(404);
    expect((await h.http('POST', `/api/v1/cases/${caseId}/actions/teleport`, { token, body: {} })).status).toBe(404);
    expect((await h.http('GET', '/api/v1/nothing-here', { token })).status).toBe(404);
  });

  test('bad list filters and cursors are 422 with the query path', async () => {
    const r = await h.http('GET', '/api/v1/cases?stage=flying&limit=5000', { token });
    expect(r.status).toBe(422);
    expect(r.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['query.stage', 'query.limit']));
    expect((await h.http('GET', '/api/v1/cases?cursor=not-a-cursor', { token })).status).toBe(422);
    expect((await h.http('GET', '/api/v1/cases?unknown=1', { token })).status).toBe(422);
  });

  test('no token is 401, a bad token is 401', async () => {
    expect((await h.http('GET', '/api/v1/cases')).status).toBe(401);
    expect((await h.http('GET', '/api/v1/cases', { token: 'garbage' })).status).toBe(401);
  });
});

describe('Idempotency-Key', () => {
  test('a retried POST with the same key returns the same case and starts no second workflow', async () => {
    const token = await h.token(EMAIL.caseworker);
    const body = familyOfFour();
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    const [a, b] = await Promise.all([
      h.http('POST', '/api/v1/cases', { token, body, headers }),
      h.http('POST', '/api/v1/cases', { token, body, headers }),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.caseId).toBe(a.body.caseId);
    const c = await h.http('POST', '/api/v1/cases', { token, body, headers });
    expect(c.body.caseId).toBe(a.body.caseId);
    const runs = [];
    for await (const wf of h.temporal.workflow.list({ query: `WorkflowId = '${a.body.caseId}'` })) runs.push(wf.runId);
    expect(runs).toHaveLength(1);
  });

  test('the same key with a different body is refused', async () => {
    const token = await h.token(EMAIL.caseworker);
    const headers = { 'idempotency-key': `k2-${Date.now()}` };
    expect((await h.http('POST', '/api/v1/cases', { token, body: singleAdult(), headers })).status).toBe(201);
    const r = await h.http('POST', '/api/v1/cases', { token, body: singleAdult(), headers });
    expect(r.status).toBe(409);
    expect(r.body.type).toContain('idempotency-key-reused');
  });
});
