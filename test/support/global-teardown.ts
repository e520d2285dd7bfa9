// Stops the servers that global setup started.
import type { Services } from '../../scripts/services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __AVRR_SERVICES__?: Services }).__AVRR_SERVICES__?.stop();
}
