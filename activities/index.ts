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
  return {
    ...createWebhookActivities({ pool: deps.pool, keys: deps.keys }),
    async recordTransition(rec: TransitionRecord): Promise<{ inserted: number }> {
      return recordTransition(deps.pool, deps.keys, rec);
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
