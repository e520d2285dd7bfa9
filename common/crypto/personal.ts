// The read model's personal part is stored sealed with the case's data key: erasing the key
// makes any copy of it (a backup, a replica) unreadable too.
import { KeyDestroyedError, type KeyStore } from './key-store';
import { open, seal } from './master-keys';

export interface SealedPersonal {
  v: 1;
  keyId: string;
  sealed: string;
}

export async function sealPersonal(keys: KeyStore, caseId: string, personal: Record<string, unknown>): Promise<SealedPersonal> {
  const { keyId, key } = await keys.forOwner(caseId);
  return { v: 1, keyId, sealed: seal(key, Buffer.from(JSON.stringify(personal)), Buffer.from(`${caseId}:personal`)).toString('base64') };
}

/** The personal part, or undefined when there is none or its key was destroyed (the case was erased). */
export async function openPersonal(keys: KeyStore, caseId: string, stored: unknown): Promise<Record<string, unknown> | undefined> {
  if (!stored || typeof stored !== 'object' || (stored as SealedPersonal).v !== 1) return undefined;
  const s = stored as SealedPersonal;
  try {
    const { key } = await keys.byKeyId(s.keyId);
    return JSON.parse(open(key, Buffer.from(s.sealed, 'base64'), Buffer.from(`${caseId}:personal`)).toString('utf8'));
  } catch (err) {
    if (err instanceof KeyDestroyedError) return undefined;
    throw err;
  }
}
