// The PostgreSQL pool and a transaction helper. Every query is parameterised.
import { Pool, type ClientBase, type PoolClient } from 'pg';

export type Db = Pool;

export function createPool(connectionString: string, max = 10): Pool {
  // Act as the application role where it exists (db/migrations/*_audit_role.sql): it may append to the audit
  // log but never change it. The pool awaits onConnect before handing the client out, and drops it on failure.
  const onConnect = async (client: ClientBase) => {
    await client.query(SET_APP_ROLE);
  };
  const pool = new Pool({ connectionString, max, connectionTimeoutMillis: 5000, onConnect });
  // An idle client losing its server (Postgres restarted) must not crash the process.
  pool.on('error', () => undefined);
  // Nor a checked-out one: the pool takes its own error listener off a client while it is lent out, so a server
  // going away between two queries of a transaction emitted an unhandled 'error' and killed the worker
  // (test/reliability/postgres-outage.test.ts). The next query on that client fails instead, the caller's retry
  // takes over, and the dead client is dropped when released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

const SET_APP_ROLE = `DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avrr_app' AND pg_has_role(current_user, oid, 'MEMBER')) THEN
    SET ROLE avrr_app;
  END IF;
END $$`;

export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
