// The partner-facing webhook body, built from the outbox's thin payload by an allow-list: a field added to the
// outbox later reaches partners only once it is added here. Shape: Standard Webhooks' { type, timestamp, data }.
import { z } from 'zod';
import { EventType, Stage } from '../../workflows/domain/vocabulary';

export const WebhookPayload = z.strictObject({
  type: EventType,
  /** When the event happened in the case (not when this attempt was sent: that is the webhook-timestamp header). */
  timestamp: z.string(),
  data: z.strictObject({
    caseId: z.string(),
    seq: z.number().int().positive(),
    stage: Stage,
    previousStage: Stage,
    action: z.string().optional(),
    programmeId: z.string(),
    country: z.string(),
    /** The event's non-personal facts: codes, amounts, counts, escalation keys. */
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** The outbox row's payload (activities/record-transition.ts thinPayload) to the body partners receive. */
export function webhookBody(outbox: Record<string, unknown>): string {
  const body = WebhookPayload.parse({
    type: outbox.type,
    timestamp: outbox.occurredAt,
    data: {
      caseId: outbox.caseId,
      seq: outbox.seq,
      stage: outbox.stage,
      previousStage: outbox.previousStage,
      action: outbox.action ?? undefined,
      programmeId: outbox.programmeId,
      country: outbox.country,
      facts: outbox.data ?? {},
    },
  });
  return JSON.stringify(body);
}
