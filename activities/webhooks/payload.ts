// The partner-facing webhook body, built from the outbox's thin payload by an allow-list: a field added to the
// outbox later reaches partners only once it is added here. Shape: Standard Webhooks' { type, timestamp, data }.
import { z } from 'zod';
import { WebhookEventType, WebhookStage } from './event-types';

export const WebhookPayload = z.strictObject({
  type: WebhookEventType,
  /** When the event happened in the case (not when this attempt was sent: that is the webhook-timestamp header). */
  timestamp: z.string(),
  data: z.strictObject({
    caseId: z.string(),
    seq: z.number().int().positive(),
    stage: WebhookStage,
    previousStage: WebhookStage,
    action: z.string().optional(),
    /** A return case's programme; absent for a cooperation project. */
    programmeId: z.string().optional(),
    /** Set when the subject is a cooperation project (caseId then carries the project ID too). */
    projectId: z.string().optional(),
    country: z.string(),
    /** The event's non-personal facts a partner may see: codes, amounts, counts, escalation keys. */
    facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/**
 * Event facts a partner may see, by name. Health facts (fitness to travel, escort needs) are withheld, as the API
 * withholds them from roles without case.read_health; a fact not listed here is withheld until someone adds it.
 */
export const PARTNER_FACTS: ReadonlySet<string> = new Set([
  // case.opened
  'programmeId', 'country', 'office', 'referringBody', 'householdSize', 'minors',
  // case.action
  'sessions', 'durationMinutes', 'interpreterUsed', 'entitlementTotal', 'eligible', 'exclusion', 'document', 'kind',
  'amount', 'cooperationProjectId', 'arrivedAt', 'postArrivalPaid', 'trancheId', 'released', 'checkpoint', 'score', 'outcome',
  // case.stage_changed, case.closed, case.compensation, case.payment
  'from', 'to', 'reason', 'effect', 'paymentId', 'when', 'currency',
  // case.escalated, case.reminder
  'key', 'stage', 'dueAt', 'rebookings', 'maxRebookings',
  // project.* events
  'title', 'partnerId', 'budget', 'slots', 'slotsUsed', 'milestone', 'trancheId', 'caseId', 'reportNo', 'round', 'pending',
]);

function partnerFacts(data: unknown): Record<string, unknown> {
  const facts = (data ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(facts).filter(([k]) => PARTNER_FACTS.has(k)));
}

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
      programmeId: outbox.programmeId ?? undefined,
      projectId: outbox.projectId ?? undefined,
      country: outbox.country,
      facts: partnerFacts(outbox.data),
    },
  });
  return JSON.stringify(body);
}
