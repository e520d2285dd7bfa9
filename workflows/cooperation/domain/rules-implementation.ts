// Rules of implementation: tranches released on a milestone report plus a supervisor's approval and
// never above the budget, periodic reports against their schedule, and the move to final evaluation.
import { addDuration, parseDuration } from '../../domain/duration';
import { atOrBefore } from '../../domain/time';
import { invalid, PARTNER, rejection, STAFF, SUPERVISOR, type Ctx, type ProjectRuleBook } from './engine';
import { times } from './rules-setup';
import { summariseFunds, type ProjectState } from './state';

function hasSubmittedTranche(s: ProjectState) {
  return s.tranches.some((t) => t.status === 'submitted') ? undefined : rejection('NOT_ALLOWED_NOW', 'no tranche awaits a decision');
}

function findSubmitted(ctx: Ctx, trancheId: string) {
  return ctx.s.tranches.find((t) => t.id === trancheId && t.status === 'submitted');
}

export const IMPLEMENTATION_RULES: ProjectRuleBook<
  'submit_milestone_report' | 'approve_tranche' | 'reject_tranche' | 'submit_periodic_report' | 'start_final_evaluation'
> = {
  submit_milestone_report: {
    stages: ['implementation'],
    roles: PARTNER,
    run: (ctx, p) => {
      const s = ctx.s;
      // Asking counts against the budget too, so two pending requests cannot together exceed it.
      const { available } = summariseFunds(s);
      if (p.amount > available) {
        return rejection('OVER_BUDGET', `a tranche of ${p.amount} EUR exceeds the ${available} EUR of the budget not yet released or requested`, [
          { path: 'amount', message: `at most ${available}` },
        ]);
      }
      const id = `t${s.tranches.length + 1}`;
      s.tranches.push({ id, milestone: p.milestone, amount: p.amount, status: 'submitted', submittedAt: ctx.now });
      ctx.actionData.trancheId = id;
      ctx.actionData.amount = p.amount;
      return undefined;
    },
  },

  approve_tranche: {
    stages: ['implementation'],
    roles: SUPERVISOR,
    guard: hasSubmittedTranche,
    run: (ctx, p) => {
      const t = findSubmitted(ctx, p.trancheId);
      if (!t) return invalid('trancheId', 'no submitted tranche with this id');
      const { released, budget } = summariseFunds(ctx.s);
      // The hard rule: money released never exceeds the budget.
      if (released + t.amount > budget) {
        return rejection('OVER_BUDGET', `releasing ${t.amount} EUR would bring the project to ${released + t.amount} EUR of a budget of ${budget} EUR`);
      }
      t.status = 'released';
      t.decidedAt = ctx.now;
      ctx.effects.push({ type: 'pay_tranche', trancheId: t.id, amount: t.amount });
      ctx.events.push({ type: 'project.tranche_released', data: { trancheId: t.id, amount: t.amount, released: released + t.amount, budget } });
      ctx.actionData.trancheId = t.id;
      ctx.actionData.amount = t.amount;
      return undefined;
    },
  },

  reject_tranche: {
    stages: ['implementation'],
    roles: SUPERVISOR,
    guard: hasSubmittedTranche,
    run: (ctx, p) => {
      const t = findSubmitted(ctx, p.trancheId);
      if (!t) return invalid('trancheId', 'no submitted tranche with this id');
      t.status = 'rejected';
      t.decidedAt = ctx.now;
      ctx.actionData.trancheId = t.id;
      ctx.actionData.amount = t.amount;
      return undefined;
    },
  },

  submit_periodic_report: {
    stages: ['implementation'],
    roles: PARTNER,
    guard: (s) => (s.reports.some((r) => r.submittedAt === undefined) ? undefined : rejection('NOT_ALLOWED_NOW', 'every periodic report is already submitted')),
    run: (ctx, p) => {
      const s = ctx.s;
      const r = s.reports.find((x) => x.no === p.report);
      if (!r) return invalid('report', `the project owes reports 1 to ${s.reports.length}`);
      if (r.submittedAt !== undefined) return rejection('ALREADY_DONE', `periodic report ${r.no} is already submitted`);
      // A report covers its period: it can be sent once the period has started, not before.
      const periodStarts = addDuration(s.agreementSignedAt ?? s.stageEnteredAt, times(parseDuration(s.settings.reportEvery), r.no - 1));
      if (!atOrBefore(periodStarts, ctx.now)) return rejection('NOT_DUE_YET', `the period of periodic report ${r.no} starts at ${periodStarts}`);
      r.submittedAt = ctx.now;
      for (const e of s.escalations) if (e.key === `report:${r.no}` && e.resolvedAt === undefined) e.resolvedAt = ctx.now;
      ctx.actionData.report = r.no;
      ctx.actionData.late = !atOrBefore(ctx.now, r.dueAt);
      return undefined;
    },
  },

  start_final_evaluation: {
    stages: ['implementation'],
    roles: STAFF,
    guard: (s) => {
      const missing = s.reports.find((r) => r.submittedAt === undefined);
      if (missing) return rejection('NOT_ALLOWED_NOW', `periodic report ${missing.no} is not submitted yet`);
      return s.tranches.some((t) => t.status === 'submitted') ? rejection('NOT_ALLOWED_NOW', 'a tranche still awaits a decision') : undefined;
    },
    run: (ctx) => {
      ctx.s.stage = 'final_evaluation';
      ctx.actionData.released = summariseFunds(ctx.s).released;
      return undefined;
    },
  },
};
