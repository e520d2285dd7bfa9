// /health tells which dependency is down: 503 naming Postgres or Temporal, 200 when both answer.
import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { loadProgrammes } from '../../common/programmes';
import { createPool } from '../../db/pool';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/free-port';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.stop());

async function healthOf(deps: Parameters<typeof createApp>[0]) {
  const server = http.createServer(createApp(deps).app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/health`);
    return { status: res.status, body: await res.json() };
  } finally {
    server.close();
  }
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
