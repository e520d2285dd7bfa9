// The delivery workflow's messages and arguments, defined once: the fan-out activity, the redelivery API,
// the tests and the workflow all import these.
import { defineSignal } from '@temporalio/workflow';

/** Retry limits of one delivery. Read from the environment where the workflow starts, then fixed for its run. */
export interface DeliveryPolicy {
  maxAttempts: number;
  initialIntervalMs: number;
  maxIntervalMs: number;
  /** Give up on an event after this long, whatever the attempt count (about 3 days by default). */
  retryWindowMs: number;
  requestTimeoutMs: number;
  /** With nothing queued for this long the workflow ends; the next event starts a fresh run. */
  idleMs: number;
  /** Events handled before continue-as-new, so the history stays small for a long-lived case. */
  eventsPerRun: number;
}

export interface DeliveryArgs {
  endpointId: string;
  caseId: string;
  policy: DeliveryPolicy;
  /** Set by continue-as-new: the sequence numbers still queued. */
  carried?: number[];
}

/** "Look at these events of the case": the delivery rows in Postgres say whether each still needs sending. */
export const webhookEventsSignal = defineSignal<[{ seqs: number[] }]>('webhookEvents');

/** One workflow per (endpoint, case): the unit of ordering, and the unit a slow endpoint can hold up. */
export function deliveryWorkflowId(endpointId: string, caseId: string): string {
  return `webhook-${endpointId}-${caseId}`;
}

/** Failure types of a delivery attempt. */
export const WEBHOOK_GONE = 'WEBHOOK_GONE';
export const WEBHOOK_FAILED = 'WEBHOOK_FAILED';
