// The codec server the Temporal Web UI calls to show decrypted payloads: only to logged-in users whose role
// may read personal data, and each decode of a case's payloads leaves an access entry in the audit log.
import type { Request } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { CaseEncryptionCodec } from '../../common/crypto/codec';
import { KeyDestroyedError } from '../../common/crypto/key-store';
import { appendAudit } from '../../db/audit';
import { accessEntry } from '../access-log';
import type { AppDeps } from '../deps';
import { Problem } from '../problem';
import { endpoint, type Api } from '../route';

const WirePayload = z.strictObject({
  metadata: z.record(z.string().max(200), z.string().max(10_000)).optional(),
  data: z.string().max(2_000_000).optional(),
});
const CodecBody = z.strictObject({ payloads: z.array(WirePayload).max(1000) });

export function codecRoutes(api: Api, deps: AppDeps): void {
  const codec = new CaseEncryptionCodec(deps.keys);
  endpoint(api, {
    method: 'post',
    path: '/codec/decode',
    summary: 'Codec server for the Temporal Web UI: decrypts payloads for roles allowed to read personal data',
    tags: ['system'],
    permission: 'case.read_personal',
    body: CodecBody,
    responses: {
      200: { description: 'Decoded payloads', content: { 'application/json': { schema: CodecBody } } },
      410: { description: 'The case was erased: its key is destroyed' },
    },
    handler: async ({ req, res, body }) => {
      const payloads = body.payloads.map(fromWire);
      try {
        const decoded = await codec.decode(payloads);
        await auditDecode(deps, req, payloads);
        res.json({ payloads: decoded.map(toWire) });
      } catch (err) {
        if (err instanceof KeyDestroyedError) throw new Problem(410, 'Gone', 'These payloads belong to an erased case; they can no longer be decoded');
        throw new Problem(422, 'Unprocessable Content', 'The payloads could not be decrypted');
      }
    },
  });
}

/** One access entry per case whose payloads were decoded, so reading through the UI is as visible as through the API. */
async function auditDecode(deps: AppDeps, req: Request, payloads: Payload[]): Promise<void> {
  const keyIds = [...new Set(payloads.map((p) => (p.metadata?.['encryption-key-id'] ? Buffer.from(p.metadata['encryption-key-id']).toString() : '')).filter(Boolean))];
  if (!keyIds.length) return;
  const { rows } = await deps.pool.query<{ owner_id: string }>(`SELECT owner_id FROM case_keys WHERE key_id = ANY($1) AND owner_id <> 'system'`, [keyIds]);
  for (const { owner_id } of rows) {
    await appendAudit(deps.pool, accessEntry(req, owner_id, 'codec_decode'));
  }
}

function fromWire(p: z.infer<typeof WirePayload>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
  };
}

function toWire(p: Payload): z.infer<typeof WirePayload> {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
  };
}
