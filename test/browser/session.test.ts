// The web app's cookie session: what the cookie looks like, and that a cookie alone cannot write
// (cross-site request forgery) while the page, which holds the CSRF token, can.
import { startHarness, EMAIL, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { MATRIX } from '../../api/authz';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

async function startSession(headers: Record<string, string> = {}) {
  const r = await h.http('POST', '/api/v1/auth/session', { body: { email: EMAIL.caseworker, password: 'demo-caseworker' }, headers });
  expect(r.status).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  return { body: r.body, setCookie, cookie: setCookie.split(';')[0] };
}

test('logging in sets an httpOnly, SameSite=Strict session cookie and returns the user and a CSRF token', async () => {
  const { body, setCookie } = await startSession();
  expect(body.user).toEqual({ userId: 'u-caseworker', role: 'caseworker', office: 'roma' });
  expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
  expect(setCookie).toMatch(/^avrr_session=[^;]+;/);
  expect(setCookie).toMatch(/; HttpOnly/i);
  expect(setCookie).toMatch(/; SameSite=Strict/i);
  expect(setCookie).toMatch(/; Path=\//i);
  expect(setCookie).not.toMatch(/; Secure/i);
});

test('behind an https proxy the cookie is Secure', async () => {
  const { setCookie } = await startSession({ 'x-forwarded-proto': 'https' });
  expect(setCookie).toMatch(/; Secure/i);
});

test('a wrong password is 401 and sets no cookie', async () => {
  const r = await h.http('POST', '/api/v1/auth/session', { body: { email: EMAIL.caseworker, password: 'nope' } });
  expect(r.status).toBe(401);
  expect(r.headers.get('set-cookie')).toBeNull();
});

test('GET /me with the cookie tells who you are, what your role may do, and the CSRF token again', async () => {
  const { body, cookie } = await startSession();
  const me = await h.http('GET', '/api/v1/me', { headers: { cookie } });
  expect(me.status).toBe(200);
  expect(me.body).toEqual({ user: { userId: 'u-caseworker', role: 'caseworker', office: 'roma' }, permissions: [...MATRIX.caseworker], csrfToken: body.csrfToken });
  expect((await h.http('GET', '/api/v1/me')).status).toBe(401);
});

test('a write with the cookie needs the CSRF token; with a bearer token it does not', async () => {
  const { body, cookie } = await startSession();
  const noToken = await h.http('POST', '/api/v1/cases', { headers: { cookie }, body: singleAdult() });
  expect(noToken.status).toBe(403);
  expect(noToken.body.type).toMatch(/csrf-token-invalid$/);
  const wrong = await h.http('POST', '/api/v1/cases', { headers: { cookie, 'x-csrf-token': `${body.csrfToken}x` }, body: singleAdult() });
  expect(wrong.status).toBe(403);
  // Another session's token does not fit this one.
  const other = await startSession();
  const foreign = await h.http('POST', '/api/v1/cases', { headers: { cookie, 'x-csrf-token': other.body.csrfToken }, body: singleAdult() });
  expect(foreign.status).toBe(403);

  const ok = await h.http('POST', '/api/v1/cases', { headers: { cookie, 'x-csrf-token': body.csrfToken }, body: singleAdult() });
  expect(ok.status).toBe(201);
  const bearer = await h.http('POST', '/api/v1/cases', { token: await h.token(EMAIL.caseworker), body: singleAdult() });
  expect(bearer.status).toBe(201);
});

test('logging out clears the cookie', async () => {
  const { cookie } = await startSession();
  const r = await h.http('DELETE', '/api/v1/auth/session', { headers: { cookie } });
  expect(r.status).toBe(204);
  expect(r.headers.get('set-cookie')).toMatch(/^avrr_session=;.*Expires=Thu, 01 Jan 1970/i);
});

test('the session endpoints and /me are in the OpenAPI document', async () => {
  const doc = (await h.http('GET', '/api/openapi.json')).body;
  expect(Object.keys(doc.paths['/api/v1/auth/session'])).toEqual(expect.arrayContaining(['post', 'delete']));
  expect(doc.paths['/api/v1/me'].get.security).toEqual([{ bearerAuth: [] }]);
});
