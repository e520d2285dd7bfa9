// `npm run projection:rebuild [-- caseId ...]`: re-derives the read model from Temporal while the
// workers run (queries need them). Prints a summary; exits non-zero if any case failed.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../common/config';
import { loadProgrammes } from '../common/programmes';
import { temporalConnectionOptions } from '../common/temporal';
import { createPool } from '../db/pool';
import { rebuildProjection } from '../db/rebuild-projection';
import { createEncryption } from '../common/crypto/data-converter';

async function main(): Promise<number> {
  const cfg = loadConfig();
  if (!cfg.DATABASE_URL || !cfg.TEMPORAL_ADDRESS) {
    process.stderr.write('Set DATABASE_URL and TEMPORAL_ADDRESS to the running system (see docs/operations.md).\n');
    return 2;
  }
  const pool = createPool(cfg.DATABASE_URL, 4);
  const connection = await Connection.connect(temporalConnectionOptions(cfg, cfg.TEMPORAL_ADDRESS));
  const encryption = createEncryption(pool, cfg);
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: encryption.dataConverter });
  const ids = process.argv.slice(2);
  try {
    const report = await rebuildProjection(
      { pool, temporal, programmes: loadProgrammes(cfg.PROGRAMMES_DIR), keys: encryption.keys },
      { caseIds: ids.length ? ids : undefined, onProgress: (n) => n % 100 === 0 && process.stderr.write(`${n} cases rebuilt\n`) },
    );
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.failed.length ? 1 : 0;
  } finally {
    await pool.end();
    await connection.close();
  }
}

main().then((code) => (process.exitCode = code));
