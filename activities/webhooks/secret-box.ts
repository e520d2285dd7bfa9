// Signing secrets must be readable to sign, so they cannot be hashed: they are sealed (AES-256-GCM) with a data
// key from the key store, itself wrapped by MASTER_KEY. A database dump alone does not let anyone forge a
// delivery, and a master-key rotation re-wraps this key like every other.
import type { KeyStore } from '../../common/crypto/key-store';
import { open, seal } from '../../common/crypto/master-keys';

/** The key store owner whose data key seals every endpoint's signing secrets. */
export const SECRETS_OWNER = 'webhook-secrets';

export async function sealSecret(keys: KeyStore, secret: string): Promise<string> {
  const { keyId, key } = await keys.forOwner(SECRETS_OWNER);
  return `${keyId}.${seal(key, Buffer.from(secret, 'utf8'), Buffer.from(keyId)).toString('base64')}`;
}

export async function openSecret(keys: KeyStore, sealed: string): Promise<string> {
  const dot = sealed.lastIndexOf('.');
  const keyId = sealed.slice(0, dot);
  const { key } = await keys.byKeyId(keyId);
  return open(key, Buffer.from(sealed.slice(dot + 1), 'base64'), Buffer.from(keyId)).toString('utf8');
}
