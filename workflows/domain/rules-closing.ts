// Rules that end a case by a person's decision: withdrawal (any time before departure,
// with compensations) and closing, early by staff or at the end of the lifecycle.
import { closeCase, invalid, roles, STAFF, SUPERVISOR, type RuleBook } from './engine';
import { PRE_DEPARTURE_STAGES, type Stage } from './vocabulary';

export const CLOSING_RULES: RuleBook<'withdraw' | 'close_case'> = {
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
