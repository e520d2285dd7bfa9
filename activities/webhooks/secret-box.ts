// Signing secrets must be readable to sign, so they cannot be hashed: they are sealed with AES-256-GCM under
// a key derived from MASTER_KEY, and a database dump alone does not let anyone forge a delivery.
import crypto from 'node:crypto';

const VERSION = 'v1.';
// Outside production MASTER_KEY may be unset (config refuses that in production).
const DEV_MASTER_KEY = 'dev-only-master-key';

const derived = new Map<string, Buffer>();

function keyFrom(masterKey: string | undefined): Buffer {
  const master = masterKey ?? DEV_MASTER_KEY;
  let key = derived.get(master);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', master, 'avrr', 'webhook-signing-secrets', 32));
    derived.set(master, key);
  }
  return key;
}

export function sealSecret(secret: string, masterKey: string | undefined): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFrom(masterKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function openSecret(sealed: string, masterKey: string | undefined): string {
  if (!sealed.startsWith(VERSION)) throw new Error('unknown sealed-secret format');
  const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyFrom(masterKey), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
