// Webhook activities: fan-out after a case transition (runs on the case task queue) and the delivery attempts
// and dead letters of the per-(endpoint, case) delivery workflow (run on the webhook task queue).
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { KeyStore } from '../common/crypto/key-store';
import { attemptDelivery, deadLetter, type AttemptArgs, type AttemptOutcome } from './webhooks/attempt';
import { fanOut } from './webhooks/fanout';
import { loadWebhookSettings, webhookTaskQueue, type WebhookSettings } from './webhooks/settings';

export interface WebhookActivityDeps {
  pool: Pool;
  /** Unseals the endpoints' signing secrets. */
  keys: KeyStore;
  settings?: WebhookSettings;
}

export function createWebhookActivities(deps: WebhookActivityDeps) {
  const settings = deps.settings ?? loadWebhookSettings();
  return {
    /** Call after recordTransition with the transition's last seq: routes its events and signals their deliveries. */
    async dispatchWebhooks(args: { caseId: string; seq: number }): Promise<{ signalled: number }> {
      const ctx = Context.current();
      return fanOut(
        { pool: deps.pool, client: ctx.client, taskQueue: webhookTaskQueue(settings, ctx.info.taskQueue), policy: settings.policy },
        args,
      );
    },
    async deliverWebhook(args: AttemptArgs): Promise<{ outcome: AttemptOutcome }> {
      return attemptDelivery(deps.pool, deps.keys, args);
    },
    async deadLetterWebhook(args: { endpointId: string; caseId: string; seq: number; reason: string }): Promise<void> {
      await deadLetter(deps.pool, args);
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
