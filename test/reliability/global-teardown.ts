// Removes the shared bundle folder; each test file has already stopped and removed its own stack.
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.AVRR_RELIABILITY_DIR;
  if (dir?.includes('reliability-')) fs.rmSync(dir, { recursive: true, force: true });
}
