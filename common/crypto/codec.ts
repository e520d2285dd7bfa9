// The payload codec: every Temporal payload is encrypted with the data key of the case (workflow) it
// belongs to, so personal data never reaches Temporal's storage in clear, and erasing the key shreds it.
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeyStore, SYSTEM_OWNER } from './key-store';
import { open, seal } from './master-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';

export class CaseEncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyStore) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const owner = ownerOf(context);
    const { keyId, key } = await this.keys.forOwner(owner);
    return payloads.map((p) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: new TextEncoder().encode(ENCRYPTED_ENCODING),
        [KEY_ID]: new TextEncoder().encode(keyId),
      },
      // The whole inner payload (metadata and data) is sealed, with the key ID as associated data.
      data: seal(key, Buffer.from(temporal.api.common.v1.Payload.encode(p).finish()), Buffer.from(keyId)),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(
      payloads.map(async (p) => {
        if (new TextDecoder().decode(p.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return p;
        const keyId = new TextDecoder().decode(p.metadata?.[KEY_ID]);
        const { key } = await this.keys.byKeyId(keyId);
        const inner = open(key, Buffer.from(p.data ?? new Uint8Array()), Buffer.from(keyId));
        return temporal.api.common.v1.Payload.decode(inner);
      }),
    );
  }
}

/** Case workflows and their activities share the case's key; anything else uses the system key. */
export function ownerOf(context?: SerializationContext): string {
  const id = context?.workflowId;
  return id && id.startsWith('case-') ? id : SYSTEM_OWNER;
}
