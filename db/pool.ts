// The PostgreSQL pool and a transaction helper. Every query is parameterised.
import { Pool, PoolClient } from 'pg';

export type Db = Pool;

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its server (Postgres restarted) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

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
