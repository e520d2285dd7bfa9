// What a decision emits: domain events (facts for the audit log, projection and webhooks)
// and effects (side effects the workflow must run through activities).
import { z } from 'zod';
import type { ComponentKind, PaymentMoment } from './amounts';
import { Role, type Action, type EventType, type Stage } from './vocabulary';

export const ActorSchema = z.strictObject({
  userId: z.string().min(1).max(100),
  role: Role,
});
export type Actor = z.infer<typeof ActorSchema>;

/** Non-personal facts only: codes, amounts, stage names, escalation keys, counts. */
export type EventData = Readonly<Record<string, string | number | boolean | null>>;

export interface DomainEvent {
  readonly type: EventType;
  /** Stage before and after the whole command or tick that produced the event. */
  readonly stageBefore: Stage;
  readonly stageAfter: Stage;
  readonly action?: Action;
  readonly actor?: Actor;
  /**
   * Free text typed by staff. Kept for auditors; thin webhook payloads should not carry it
   * because staff may type personal details into it.
   */
  readonly reason?: string;
  readonly data: EventData;
}

export interface StampedEvent extends DomainEvent {
  readonly seq: number;
  readonly at: string;
}

/**
 * Numbers events the way decide/tick already counted them in state.seq and the timeline:
 * consecutively from the state's previous seq + 1, all at the decision's instant.
 */
export function stampEvents(previousSeq: number, events: readonly DomainEvent[], at: string): StampedEvent[] {
  return events.map((e, i) => ({ ...e, seq: previousSeq + i + 1, at }));
}

/**
 * Side effects for activities. reserve_place must run BEFORE the workflow commits the new
 * state: if no funded place is left, the workflow rejects the command with NO_PLACES_LEFT.
 * All others run after the commit and must be idempotent (keyed by case and seq).
 */
export type Effect =
  | { readonly type: 'reserve_place'; readonly programmeId: string }
  | { readonly type: 'release_place'; readonly programmeId: string }
  | { readonly type: 'cancel_booking' }
  | { readonly type: 'stop_payments' }
  | {
      readonly type: 'pay';
      readonly paymentId: string;
      readonly kind: ComponentKind;
      readonly when: PaymentMoment;
      readonly amount: number;
      readonly currency: 'EUR';
    }
  | { readonly type: 'notify_partners'; readonly reason: string }
  /** Retention is over: erase personal data (key shredding), tell partners, then call applyErasure. */
  | { readonly type: 'erase'; readonly reason?: 'retention_ended' | 'erasure_request_approved' };

export type EffectType = Effect['type'];
