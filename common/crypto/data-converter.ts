// Builds the data converter shared by every Temporal client and worker of the app: the same codec on
// both sides, so the API can read what the worker wrote and nothing is stored in clear.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import type { Config } from '../config';
import { CaseEncryptionCodec } from './codec';
import { KeyStore } from './key-store';
import { parseMasterKeys, type MasterKeyring } from './master-keys';

export interface Encryption {
  keys: KeyStore;
  dataConverter: DataConverter;
}

export function createEncryption(pool: Pool, cfg: Config): Encryption {
  const keys = new KeyStore(pool, masterKeyring(cfg));
  return { keys, dataConverter: { payloadCodecs: [new CaseEncryptionCodec(keys)] } };
}

/**
 * MASTER_KEY from the environment (required in production, see common/config.ts). On the embedded default a
 * key is generated once into DATA_DIR/master.key (mode 0600), so data written before a restart stays readable.
 */
export function masterKeyring(cfg: Config): MasterKeyring {
  if (cfg.MASTER_KEY) return parseMasterKeys(cfg.MASTER_KEY);
  const file = path.join(cfg.DATA_DIR, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(cfg.DATA_DIR, { recursive: true });
    fs.writeFileSync(file, `dev1:${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseMasterKeys(fs.readFileSync(file, 'utf8').trim());
}
