// Rules that end a case by a person's decision: withdrawal (any time before departure,
// with compensations) and closing, early by staff or at the end of the lifecycle.
import { closeCase, effect, invalid, rejection, roles, STAFF, SUPERVISOR, type RuleBook } from './engine';
import { PRE_DEPARTURE_STAGES, type Stage } from './vocabulary';

export const CLOSING_RULES: RuleBook<'withdraw' | 'close_case' | 'request_erasure' | 'approve_erasure'> = {
  // A lawful erasure request (GDPR art. 17) on a closed case: recorded by staff, approved by a supervisor,
  // then personal data is erased at once instead of at the end of the retention period.
  request_erasure: {
    stages: ['closed'],
    roles: roles(STAFF),
    guard: (s) => (s.erasureRequestedAt !== undefined ? rejection('ALREADY_DONE', 'an erasure request is already recorded') : undefined),
    run: (ctx) => {
      if (ctx.reason === undefined || ctx.reason.trim() === '') return invalid('reason', 'required: the legal basis of the request');
      ctx.s.erasureRequestedAt = ctx.now;
      return undefined;
    },
  },

  approve_erasure: {
    stages: ['closed'],
    roles: roles(SUPERVISOR),
    guard: (s) => (s.erasureRequestedAt === undefined ? rejection('NOT_ALLOWED_NOW', 'no erasure request awaits approval') : undefined),
    run: (ctx) => {
      effect(ctx, { type: 'erase', reason: 'erasure_request_approved' });
      return undefined;
    },
  },

  withdraw: {
    // Return must stay voluntary: the person may withdraw at any moment before departure.
    stages: PRE_DEPARTURE_STAGES,
    roles: roles(STAFF),
    run: (ctx) => {
      closeCase(ctx, 'withdrawn', 'withdrawn');
      return undefined;
    },
  },

  close_case: {
    stages: [...PRE_DEPARTURE_STAGES, 'closure'] as Stage[],
    // At the end a supervisor signs the case off; before departure staff may stop it early.
    roles: (s) => (s.stage === 'closure' ? SUPERVISOR : STAFF),
    run: (ctx, p) => {
      if (p.outcome === 'other' && (ctx.reason === undefined || ctx.reason.trim() === '')) {
        return invalid('reason', 'required when closing with outcome other');
      }
      if (ctx.s.stage === 'closure') {
        ctx.actionData.outcome = p.outcome;
        closeCase(ctx, p.outcome, p.outcome === 'completed' ? 'completed' : 'closed_by_supervisor');
        return undefined;
      }
      if (p.outcome !== 'other') {
        return invalid('outcome', 'before departure a case can only be closed early with outcome "other" (or withdrawn)');
      }
      ctx.actionData.outcome = p.outcome;
      closeCase(ctx, 'other', 'closed_early');
      return undefined;
    },
  },
};
