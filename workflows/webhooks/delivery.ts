// Delivers one case's events to one partner endpoint, strictly in seq order: the next event is not sent
// until the previous one was acknowledged (2xx) or dead-lettered. Each attempt is an activity with backoff.
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../../activities/webhooks';
import { WEBHOOK_GONE, webhookEventsSignal, type DeliveryArgs, type DeliveryPolicy } from './messages';

export async function webhookDeliveryWorkflow(args: DeliveryArgs): Promise<{ handled: number }> {
  const { endpointId, caseId, policy } = args;
  const queue: number[] = [];
  const enqueue = (seq: number) => {
    if (queue.includes(seq)) return;
    queue.push(seq);
    queue.sort((a, b) => a - b);
  };
  (args.carried ?? []).forEach(enqueue);
  setHandler(webhookEventsSignal, ({ seqs }) => seqs.forEach(enqueue));

  const { deliverWebhook } = proxyActivities<WebhookActivities>({
    // The HTTP request has its own timeout; this only catches a worker that died mid-attempt.
    startToCloseTimeout: policy.requestTimeoutMs + 5_000,
    scheduleToCloseTimeout: policy.retryWindowMs,
    retry: {
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: policy.maxIntervalMs,
      maximumAttempts: policy.maxAttempts,
      nonRetryableErrorTypes: [WEBHOOK_GONE],
    },
  });
  // Bookkeeping in Postgres: keep trying while the database is away, the order must not skip it.
  const { deadLetterWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

  let handled = 0;
  for (;;) {
    if (!queue.length) {
      await condition(() => queue.length > 0, policy.idleMs);
      if (!queue.length) break;
    }
    if (handled >= policy.eventsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      log.info('continuing as new', { endpointId, caseId, queued: queue.length });
      return continueAsNew<typeof webhookDeliveryWorkflow>({ ...args, carried: [...queue] });
    }
    const seq = queue.shift()!;
    try {
      await deliverWebhook({ endpointId, caseId, seq, requestTimeoutMs: policy.requestTimeoutMs });
    } catch (err) {
      const reason = giveUpReason(err, policy);
      log.warn('webhook dead-lettered', { endpointId, caseId, seq, reason });
      await deadLetterWebhook({ endpointId, caseId, seq, reason });
    }
    handled++;
  }
  await condition(allHandlersFinished);
  return { handled };
}

/** Why an event was given up on. Anything but an activity failure is a bug and fails the workflow task. */
function giveUpReason(err: unknown, policy: DeliveryPolicy): string {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type === WEBHOOK_GONE) return 'endpoint answered 410 Gone; endpoint disabled';
  if (cause instanceof TimeoutFailure) return `retry window of ${Math.round(policy.retryWindowMs / 1000)} s elapsed`;
  return `gave up after ${policy.maxAttempts} attempts; last error: ${cause?.message ?? 'unknown'}`;
}
