// `npm run keys:rewrap`: after putting a new master key first in MASTER_KEY (keeping the old one after it),
// re-wraps every data key under the new one. Then the old master key can be removed from MASTER_KEY.
import { masterKeyring } from '../common/crypto/data-converter';
import { cliConfig, openPool } from './replay-connect';
import { rewrapDataKeys } from '../common/crypto/rewrap';

async function main(): Promise<void> {
  const cfg = cliConfig();
  const pool = openPool(cfg);
  try {
    const keyring = masterKeyring(cfg);
    const { rewrapped } = await rewrapDataKeys(pool, keyring);
    process.stdout.write(`${JSON.stringify({ currentMasterKey: keyring.current.id, rewrapped })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`keys:rewrap failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
