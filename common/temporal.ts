// Connection options for any Temporal: the local dev server, a self-hosted cluster (TLS/mTLS) or Temporal Cloud (API key).
// Chosen by configuration alone; the client and the worker build their connections from this.
import fs from 'node:fs';
import type { Config } from './config';

/** Options accepted by both the client's Connection and the worker's NativeConnection. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: { serverNameOverride?: string; serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

export function temporalConnectionOptions(cfg: Config, address: string): TemporalConnectionOptions {
  const tlsWanted = Boolean(cfg.TEMPORAL_TLS_CA || cfg.TEMPORAL_TLS_CERT || cfg.TEMPORAL_API_KEY);
  const tls = tlsWanted
    ? {
        serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: cfg.TEMPORAL_TLS_CA ? fs.readFileSync(cfg.TEMPORAL_TLS_CA) : undefined,
        clientCertPair:
          cfg.TEMPORAL_TLS_CERT && cfg.TEMPORAL_TLS_KEY
            ? { crt: fs.readFileSync(cfg.TEMPORAL_TLS_CERT), key: fs.readFileSync(cfg.TEMPORAL_TLS_KEY) }
            : undefined,
      }
    : undefined;
  return { address, tls, apiKey: cfg.TEMPORAL_API_KEY };
}
