// Activities: every side effect of a case. Built from their dependencies so tests pass real ones.
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { recordTransition } from './record-transition';
import { reservePlace } from './places';
import { pendingErasureAcks } from './erasure-acks';
import { createWebhookActivities } from './webhooks';
import { createCooperationActivities } from './cooperation';
import type { TransitionRecord } from '../workflows/case/records';
import type { KeyStore } from '../common/crypto/key-store';

export function createActivities(deps: { pool: Pool; keys: KeyStore }) {
  const webhooks = createWebhookActivities({ pool: deps.pool, keys: deps.keys });
  return {
    ...webhooks,
    /** A transition after the opening (and any transition of a history from before commitTransition). */
    async recordTransition(rec: TransitionRecord): Promise<{ inserted: number }> {
      return recordTransition(deps.pool, deps.keys, rec);
    },
    /**
     * The opening's whole write: the record (one transaction), then the fan-out to partners. The workflow runs it as
     * a local activity inside the case's first workflow task: no activity tasks round the server. Both halves are
     * idempotent, so a retry of the whole is safe.
     */
    async commitTransition(rec: TransitionRecord): Promise<{ inserted: number; signalled: number }> {
      const { inserted } = await recordTransition(deps.pool, deps.keys, rec);
      const { signalled } = await webhooks.dispatchWebhooks({ caseId: rec.caseId, seq: rec.projection.lastSeq });
      return { inserted, signalled };
    },
    async pendingErasureAcks(args: { caseId: string }): Promise<string[]> {
      return pendingErasureAcks(deps.pool, args.caseId);
    },
    async reservePlace(args: { programmeId: string; caseId: string }): Promise<{ ok: boolean; placesLeft: number }> {
      try {
        return await reservePlace(deps.pool, args.programmeId, args.caseId);
      } catch (err) {
        if (err instanceof Error && err.message.includes('no funded-place ledger')) {
          throw ApplicationFailure.nonRetryable(err.message, 'NO_PLACE_LEDGER');
        }
        throw err;
      }
    },
    ...createCooperationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
