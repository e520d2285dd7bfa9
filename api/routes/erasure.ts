// Partners confirm that they erased their copy of a case after its erasure (the case workflow reminds
// those that have not, then escalates). Only for cases assigned to the partner; any other case is a 404.
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { inTransaction } from '../../db/pool';
import { findVisibleCase } from '../case-view';
import type { AppDeps } from '../deps';
import { forbidden, notFound, Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';

const Params = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a case ID') });
const Ack = z.object({ caseId: z.string(), partnerId: z.string(), acknowledgedAt: z.string() });

export function erasureRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'post',
    path: '/cases/:id/erasure-acknowledgement',
    summary: 'A partner confirms it has erased its copy of an erased case',
    tags: ['partners'],
    permission: 'case.act',
    params: Params,
    body: z.strictObject({}),
    responses: {
      200: { description: 'Recorded (repeating it changes nothing)', content: { 'application/json': { schema: Ack } } },
      404: { description: 'No such case assigned to you', content: { 'application/problem+json': { schema: ProblemSchema } } },
      409: { description: 'The case has not been erased', content: { 'application/problem+json': { schema: ProblemSchema } } },
    },
    handler: async ({ req, res, params }) => {
      const p = req.principal!;
      if (p.role !== 'partner' || !p.partnerId) throw forbidden('Only a partner confirms its own erasure');
      const row = await findVisibleCase(deps.pool, p, params.id);
      if (!row) throw notFound();
      const ack = await inTransaction(deps.pool, async (client) => {
        const { rows } = await client.query<{ acknowledged_at: Date }>(
          `UPDATE erasure_acks SET acknowledged_at = COALESCE(acknowledged_at, now()) WHERE case_id = $1 AND partner_id = $2
           RETURNING acknowledged_at`,
          [params.id, p.partnerId],
        );
        if (!rows[0]) throw new Problem(409, 'Conflict', 'This case has not been erased, so there is nothing to confirm', {}, 'not-erased');
        await appendAudit(client, {
          caseId: params.id, kind: 'erasure', actorId: p.userId, actorRole: p.role, action: 'erasure_acknowledged',
          stageBefore: row.stage, stageAfter: row.stage, requestId: String(req.id ?? ''), occurredAt: new Date().toISOString(),
        });
        return rows[0];
      });
      res.json({ caseId: params.id, partnerId: p.partnerId, acknowledgedAt: ack.acknowledged_at.toISOString() });
    },
  });
}
