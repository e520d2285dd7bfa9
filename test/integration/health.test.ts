// /health tells which dependency is down: 503 naming Postgres or Temporal, 200 when both answer.
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { loadProgrammes } from '../../common/programmes';
import { createPool } from '../../db/pool';
import { EMAIL, startHarness, type Harness } from '../support/harness';
import { singleAdult } from '../support/cases';
import { freePort } from '../support/free-port';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

async function healthOf(deps: Parameters<typeof createApp>[0]) {
  const { status, body } = await request(createApp(deps), 'GET', '/health');
  return { status, body };
}

test('Postgres down: 503 naming postgres', async () => {
  const deadPool = createPool(`postgres://postgres:postgres@127.0.0.1:${await freePort()}/avrr`, 1);
  const r = await healthOf({ config: h.cfg, pool: deadPool, temporal: h.temporal, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys });
  expect(r).toEqual({ status: 503, body: { status: 'degraded', temporal: 'ok', postgres: 'down' } });
  await deadPool.end();
});

test('Temporal down: 503 naming temporal', async () => {
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const deadTemporal = new Client({ connection });
  const r = await healthOf({ config: h.cfg, pool: h.pool, temporal: deadTemporal, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys });
  expect(r).toEqual({ status: 503, body: { status: 'degraded', temporal: 'down', postgres: 'ok' } });
  await connection.close().catch(() => undefined);
});

test('a request that meets a dependency outage gets 503 with Retry-After, not a 500', async () => {
  const caseworker = await h.token(EMAIL.caseworker);
  const created = await h.http('POST', '/api/v1/cases', { token: caseworker, body: singleAdult() });
  expect(created.status).toBe(201);
  const deadPool = createPool(`postgres://postgres:postgres@127.0.0.1:${await freePort()}/avrr`, 1);
  const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  const deps = { config: h.cfg, programmes: loadProgrammes(h.cfg.PROGRAMMES_DIR), keys: h.encryption.keys };
  try {
    // Postgres down: a list. Temporal down (Postgres up): a step, which goes to the workflow.
    const postgresDown = await request(createApp({ ...deps, pool: deadPool, temporal: h.temporal }), 'GET', '/api/v1/cases', caseworker);
    const temporalDown = await request(createApp({ ...deps, pool: h.pool, temporal: new Client({ connection }) }), 'POST', `/api/v1/cases/${created.body.caseId}/actions/confirm_intake`, caseworker);
    for (const r of [postgresDown, temporalDown]) {
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('5');
      expect(r.body).toMatchObject({ status: 503, type: expect.stringMatching(/dependency-unavailable$/) });
    }
  } finally {
    await deadPool.end();
    await connection.close().catch(() => undefined);
  }
  // Nothing happened to the case on the way.
  expect((await h.http('GET', `/api/v1/cases/${created.body.caseId}`, { token: caseworker })).body.stage).toBe('intake');
}, 120_000);

/** One request to the app on a throw-away server. */
async function request(app: ReturnType<typeof createApp>, method: string, path: string, token?: string) {
  const server = http.createServer(app.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  } finally {
    server.close();
  }
}
