// Webhook delivery limits from the environment, validated with zod. Read where a delivery workflow is
// started (the fan-out activity, the redelivery API) and passed to it as arguments, so tests use small values.
import { z } from 'zod';
import type { DeliveryPolicy } from '../../workflows/webhooks/messages';

const ms = (dflt: number) => z.coerce.number().int().positive().default(dflt);

/** Exported so common/config.ts can take these keys into the one config schema (`...WebhookEnv.shape`). */
export const WebhookEnv = z.object({
  WEBHOOK_MAX_ATTEMPTS: ms(83),
  WEBHOOK_INITIAL_INTERVAL: ms(1_000),
  WEBHOOK_MAX_INTERVAL: ms(3_600_000),
  WEBHOOK_RETRY_WINDOW: ms(3 * 24 * 3_600_000),
  WEBHOOK_REQUEST_TIMEOUT: ms(10_000),
  WEBHOOK_IDLE: ms(5 * 60_000),
  WEBHOOK_EVENTS_PER_RUN: ms(500),
  /** Delivery runs on its own task queue so hanging endpoints cannot take the case workers' activity slots. */
  WEBHOOK_TASK_QUEUE: z.string().min(1).optional(),
});

export interface WebhookSettings {
  policy: DeliveryPolicy;
  taskQueue?: string;
}

/**
 * The defaults give about three days of retries: waits of 1 s doubling reach the 1 h ceiling after 12 retries
 * (68 minutes in all), then 70 hourly retries make 83 attempts in about 72 h; the retry window caps it there too.
 */
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = WebhookEnv.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  return {
    policy: {
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      initialIntervalMs: e.WEBHOOK_INITIAL_INTERVAL,
      maxIntervalMs: e.WEBHOOK_MAX_INTERVAL,
      retryWindowMs: e.WEBHOOK_RETRY_WINDOW,
      requestTimeoutMs: e.WEBHOOK_REQUEST_TIMEOUT,
      idleMs: e.WEBHOOK_IDLE,
      eventsPerRun: e.WEBHOOK_EVENTS_PER_RUN,
    },
    taskQueue: e.WEBHOOK_TASK_QUEUE,
  };
}

/** The delivery task queue: configured, or derived from the case task queue. */
export function webhookTaskQueue(settings: WebhookSettings, caseTaskQueue: string): string {
  return settings.taskQueue ?? `${caseTaskQueue}-webhooks`;
}
