// Security at the HTTP edge: the full role × endpoint matrix, OIDC bearer tokens, CORS, rate limits,
// headers, and a property-based fuzz of every endpoint that must never produce a 5xx.
import http from 'node:http';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MATRIX, type Permission } from '../../api/authz';
import { ROLES, type Role } from '../../workflows/domain/vocabulary';
import { EMAIL, PARTNER_KEY, startHarness, type Harness } from '../support/harness';
import { Journey } from '../support/journey';

let h: Harness;
let j: Journey;
let doc: any;
let closedCase: string;
const creds = {} as Record<Role, string>;

beforeAll(async () => {
  h = await startHarness();
  j = new Journey(h);
  doc = (await h.http('GET', '/api/openapi.json')).body;
  creds.caseworker = await h.token(EMAIL.caseworker);
  creds.supervisor = await h.token(EMAIL.supervisor);
  creds.auditor = await h.token(EMAIL.auditor);
  creds.admin = await h.token(EMAIL.admin);
  creds.partner = PARTNER_KEY.iom;
  // A closed case in everyone's scope: requests reach every check, and none can change it.
  closedCase = await j.open({ programmeId: 'test-calm', partnerIds: ['iom-dakar'] });
  await j.act(closedCase, 'withdraw', 'caseworker');
});
afterAll(async () => h?.stop());

function operations(): { method: string; path: string; permission?: Permission | 'authenticated' }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
    Object.entries(ops).map(([method, op]: [string, any]) => ({ method: method.toUpperCase(), path, permission: op['x-permission'] })),
  );
}

function concrete(path: string): string {
  return path
    .replace('{id}', path.startsWith('/api/v1/partners') ? 'iom-dakar' : closedCase)
    .replace(/\{(\w+)\}/g, (_m, name) => (name === 'seq' ? '1' : `no-such-${name}`));
}

test('every protected route refuses anonymous callers with 401', async () => {
  const protectedOps = operations().filter((o) => o.permission);
  expect(protectedOps.length).toBeGreaterThan(40);
  for (const op of protectedOps) {
    const r = await h.http(op.method, concrete(op.path), { body: op.method === 'GET' ? undefined : {} });
    expect([op.method, op.path, r.status]).toEqual([op.method, op.path, 401]);
  }
});

test('the full role × endpoint matrix: each role is allowed or denied exactly as MATRIX says', async () => {
  const mismatches: string[] = [];
  for (const op of operations().filter((o) => o.permission)) {
    for (const role of ROLES) {
      const r = await h.http(op.method, concrete(op.path), { token: creds[role], body: op.method === 'GET' ? undefined : {} });
      const deniedByMatrix = r.status === 403 && String(r.body.detail).includes(`(${op.permission})`);
      // 'authenticated' means any logged-in role (e.g. /me).
      const shouldDeny = op.permission !== 'authenticated' && !MATRIX[role].includes(op.permission as Permission);
      if (deniedByMatrix !== shouldDeny || r.status >= 500) mismatches.push(`${role} ${op.method} ${op.path} → ${r.status} ${r.body.detail ?? ''}`);
    }
  }
  expect(mismatches).toEqual([]);
}, 120_000);

test('a partner cannot see or act on a case not assigned to it: 404, not 403', async () => {
  const other = await j.open({ programmeId: 'test-calm', partnerIds: ['prefettura-roma'] });
  expect((await h.http('GET', `/api/v1/cases/${other}`, { token: PARTNER_KEY.iom })).status).toBe(404);
  expect((await h.http('POST', `/api/v1/cases/${other}/actions/confirm_arrival`, { token: PARTNER_KEY.iom, body: {} })).status).toBe(404);
  expect((await h.http('GET', `/api/v1/cases/${other}`, { token: PARTNER_KEY.prefettura })).status).toBe(200);
});

test('a caseworker of another office gets 404 for a case outside their office', async () => {
  const milano = await h.token(EMAIL.caseworkerMilano);
  expect((await h.http('GET', `/api/v1/cases/${closedCase}`, { token: milano })).status).toBe(404);
});

test('health and vulnerability details only for roles that need them', async () => {
  const id = await j.open({ programmeId: 'test-calm', partnerIds: ['iom-dakar'], vulnerabilities: ['medical'], medicalNeed: true });
  const caseworker = await h.http('GET', `/api/v1/cases/${id}`, { token: creds.caseworker });
  expect(caseworker.body.personal.vulnerabilities).toEqual(['medical']);
  const auditor = await h.http('GET', `/api/v1/cases/${id}`, { token: creds.auditor });
  expect(auditor.body.personal.household).toBeDefined();
  expect(auditor.body.personal.vulnerabilities).toBeUndefined();
  expect(auditor.body.personal.medicalNeed).toBeUndefined();
  const partner = await h.http('GET', `/api/v1/cases/${id}`, { token: creds.partner });
  expect(partner.body.personal).toBeUndefined();
});

test('OIDC: a token from the configured issuer is accepted; wrong issuer, audience or key is not', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const jwks = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(jwks.address() as any).port}`;
  const oidc = await startHarness({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'avrr-api', OIDC_JWKS_URI: `${issuer}/jwks` });
  try {
    const sign = (claims: Record<string, unknown>, opts: { iss?: string; aud?: string; key?: any } = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('oidc-user-1').setIssuer(opts.iss ?? issuer)
        .setAudience(opts.aud ?? 'avrr-api').setIssuedAt().setExpirationTime('5m').sign(opts.key ?? privateKey);
    const good = await sign({ avrr_role: 'auditor' });
    expect((await oidc.http('GET', '/api/v1/cases', { token: good })).status).toBe(200);
    expect((await oidc.http('GET', '/api/v1/cases', { token: await sign({ avrr_role: 'auditor' }, { aud: 'someone-else' }) })).status).toBe(401);
    expect((await oidc.http('GET', '/api/v1/cases', { token: await sign({ avrr_role: 'auditor' }, { iss: 'https://evil.example' }) })).status).toBe(401);
    const stranger = await generateKeyPair('ES256');
    expect((await oidc.http('GET', '/api/v1/cases', { token: await sign({ avrr_role: 'auditor' }, { key: stranger.privateKey }) })).status).toBe(401);
    expect((await oidc.http('GET', '/api/v1/cases', { token: await sign({ avrr_role: 'emperor' }) })).status).toBe(401);
    // The role from the token is enforced like any other.
    expect((await oidc.http('POST', '/api/v1/cases', { token: good, body: {} })).status).toBe(403);
  } finally {
    await oidc.stop();
    jwks.close();
  }
});

test('CORS is closed by default and open only to configured origins', async () => {
  const r = await h.http('GET', '/health', { headers: { origin: 'https://evil.example' } });
  expect(r.headers.get('access-control-allow-origin')).toBeNull();
  const ui = await startHarness({ CORS_ORIGINS: 'http://127.0.0.1:8233' });
  try {
    const pre = await ui.http('OPTIONS', '/codec/decode', { headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const other = await ui.http('OPTIONS', '/codec/decode', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  } finally {
    await ui.stop();
  }
});

test('rate limits: past the limit a client gets 429 with Retry-After; another client is unaffected', async () => {
  const limited = await startHarness({ RATE_LIMIT_PER_MINUTE: '5' });
  try {
    const token = await limited.token(EMAIL.auditor); // the login is request 1 of the anonymous client
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await limited.http('GET', '/api/v1/programmes', { token })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const blocked = await limited.http('GET', '/api/v1/programmes', { token });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.http('GET', '/api/v1/programmes', { token: PARTNER_KEY.iom })).status).toBe(200);
    expect((await limited.http('GET', '/health')).status).toBe(200);
  } finally {
    await limited.stop();
  }
});

test('security headers are set and no stack or server banner leaks', async () => {
  const r = await h.http('GET', '/');
  expect(r.headers.get('x-powered-by')).toBeNull();
  expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(r.headers.get('x-content-type-options')).toBe('nosniff');
});

test('fuzz: thousands of generated requests to every endpoint, with and without credentials, never get a 5xx', async () => {
  const ops = operations();
  const credential = fc.constantFrom(undefined, 'garbage', 'avrr_pk_bogus', creds.caseworker, creds.supervisor, creds.auditor, creds.admin, creds.partner);
  const segment = fc.oneof(fc.constant(closedCase), fc.constant('iom-dakar'), fc.string({ maxLength: 40 }), fc.constant('../../etc/passwd'), fc.constant('%00'));
  const body = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ payload: fc.jsonValue({ maxDepth: 2 }), reason: fc.string() }), fc.string({ maxLength: 50 }));
  const query = fc.dictionary(fc.constantFrom('stage', 'programme', 'country', 'limit', 'cursor', 'sort', 'escalated', 'format', 'caseId', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 });
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ops), segment, body, query, credential, async (op, seg, b, q, token) => {
      const path = op.path.replace(/\{\w+\}/g, () => encodeURIComponent(seg));
      const qs = new URLSearchParams(q as Record<string, string>).toString();
      const r = await h.http(op.method, `${path}${qs ? `?${qs}` : ''}`, {
        token,
        body: op.method === 'GET' || b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b),
      });
      if (r.status >= 500) failures.push(`${op.method} ${path} → ${r.status}`);
      return r.status < 500;
    }),
    { numRuns: 2500, seed: 20261126 },
  );
  expect(failures).toEqual([]);
}, 300_000);
