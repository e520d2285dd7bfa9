// Master keys wrap the per-case data keys (AES-256-GCM). Several may be configured for rotation:
// the first wraps new keys, the others still unwrap old ones until `npm run keys:rewrap` moves them.
import crypto from 'node:crypto';

export interface MasterKey {
  id: string;
  key: Buffer;
}

export class MasterKeyring {
  constructor(readonly keys: MasterKey[]) {
    if (!keys.length) throw new Error('at least one master key is required');
  }

  get current(): MasterKey {
    return this.keys[0];
  }

  wrap(dataKey: Buffer): { masterKeyId: string; wrapped: Buffer } {
    return { masterKeyId: this.current.id, wrapped: seal(this.current.key, dataKey, Buffer.from(this.current.id)) };
  }

  unwrap(masterKeyId: string, wrapped: Buffer): Buffer {
    const mk = this.keys.find((k) => k.id === masterKeyId);
    if (!mk) throw new Error(`master key ${masterKeyId} is not configured`);
    return open(mk.key, wrapped, Buffer.from(mk.id));
  }
}

/**
 * MASTER_KEY is `id:base64key[,id:base64key…]` (32-byte keys), newest first. A bare base64 key gets the ID `mk1`.
 */
export function parseMasterKeys(value: string): MasterKeyring {
  const keys = value.split(',').map((part, i) => {
    const [id, b64] = part.includes(':') ? part.split(':', 2) : [`mk${i + 1}`, part];
    const key = Buffer.from(b64.trim(), 'base64');
    if (key.length !== 32) throw new Error(`MASTER_KEY ${id.trim()}: must be 32 bytes, base64-encoded`);
    return { id: id.trim(), key };
  });
  return new MasterKeyring(keys);
}

/** AES-256-GCM: 12-byte IV, 16-byte tag, then ciphertext. The AAD binds a ciphertext to its context. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}
