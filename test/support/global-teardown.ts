// Stops the servers that global setup started.
import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../../scripts/services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __AVRR_SERVICES__?: Services }).__AVRR_SERVICES__?.stop();
  // Each run has its own data folder; it is of no use afterwards.
  if (process.env.DATA_DIR?.includes(`${path.sep}test${path.sep}`)) fs.rmSync(process.env.DATA_DIR, { recursive: true, force: true });
}
