// Rules after departure: arrival, in-kind reintegration tranches within the approved plan,
// stopping assistance, and monitoring reports (which may release a second cash tranche).
import {
  afterReintegration,
  effect,
  invalid,
  orderPayment,
  payMoment,
  PARTNER,
  rejection,
  roles,
  SUPERVISOR,
  type Ctx,
  type RuleBook,
} from './engine';
import type { CaseState } from './state';
import { atOrBefore, toInstant } from './time';

function approvedTranches(s: CaseState): number {
  return s.tranches.filter((t) => t.status === 'approved').reduce((a, t) => a + t.amount, 0);
}

function pendingTranches(s: CaseState): number {
  return s.tranches.filter((t) => t.status === 'submitted').reduce((a, t) => a + t.amount, 0);
}

/** In-kind money of the approved plan not yet released. */
export function planRemaining(s: CaseState): number {
  return s.plan?.status === 'approved' ? Math.max(0, s.plan.amount - approvedTranches(s)) : 0;
}

function hasSubmittedTranche(s: CaseState) {
  return s.tranches.some((t) => t.status === 'submitted') ? undefined : rejection('NOT_ALLOWED_NOW', 'no tranche report awaits a decision');
}

function findSubmitted(ctx: Ctx, trancheId: string) {
  return ctx.s.tranches.find((t) => t.id === trancheId && t.status === 'submitted');
}

export const AFTER_RETURN_RULES: RuleBook<
  | 'confirm_arrival'
  | 'submit_tranche_report'
  | 'approve_tranche'
  | 'reject_tranche'
  | 'stop_assistance'
  | 'submit_monitoring_report'
> = {
  confirm_arrival: {
    stages: ['post_arrival'],
    roles: roles(PARTNER),
    run: (ctx, p) => {
      const s = ctx.s;
      const arrivedAt = p.arrivedAt !== undefined ? toInstant(p.arrivedAt) : ctx.now;
      if (!atOrBefore(arrivedAt, ctx.now)) return invalid('arrivedAt', 'is in the future');
      if (s.departedAt !== undefined && !atOrBefore(s.departedAt, arrivedAt)) return invalid('arrivedAt', 'is before departure');
      s.arrivedAt = arrivedAt;
      ctx.actionData.arrivedAt = arrivedAt;
      const paid = payMoment(ctx, 'post_arrival');
      if (paid > 0) ctx.actionData.postArrivalPaid = paid;
      // A plan with nothing to release (amount 0) needs no reintegration stage.
      if (planRemaining(s) > 0) s.stage = 'reintegration';
      else afterReintegration(ctx);
      return undefined;
    },
  },

  submit_tranche_report: {
    stages: ['reintegration'],
    roles: roles(PARTNER),
    run: (ctx, p) => {
      const s = ctx.s;
      const available = planRemaining(s) - pendingTranches(s);
      if (p.amount > available) {
        return rejection(
          'OVER_BUDGET',
          `tranche of ${p.amount} EUR exceeds the ${available} EUR of the approved plan not yet released or requested`,
          [{ path: 'amount', message: `at most ${Math.max(0, available)}` }],
        );
      }
      const id = `t${s.tranches.length + 1}`;
      s.tranches.push({ id, amount: p.amount, description: p.description, status: 'submitted', submittedAt: ctx.now });
      ctx.actionData.trancheId = id;
      ctx.actionData.amount = p.amount;
      return undefined;
    },
  },

  approve_tranche: {
    stages: ['reintegration'],
    roles: roles(SUPERVISOR),
    guard: hasSubmittedTranche,
    run: (ctx, p) => {
      const s = ctx.s;
      const t = findSubmitted(ctx, p.trancheId);
      if (!t) return invalid('trancheId', 'no submitted tranche with this id');
      const approved = approvedTranches(s);
      const limit = s.plan?.status === 'approved' ? s.plan.amount : 0;
      // The hard rule: released money never exceeds the approved plan.
      if (approved + t.amount > limit) {
        return rejection(
          'OVER_BUDGET',
          `approving ${t.amount} EUR would release ${approved + t.amount} EUR of a plan of ${limit} EUR`,
        );
      }
      t.status = 'approved';
      t.decidedAt = ctx.now;
      const kind = s.plan?.kind === 'medical' ? 'medical' : 'in_kind';
      const paymentId = `tranche:${t.id}`;
      s.payments.push({ id: paymentId, kind, when: 'reintegration', amount: t.amount, status: 'paid', trancheId: t.id, paidAt: ctx.now });
      orderPayment(ctx, paymentId, kind, 'reintegration', t.amount);
      ctx.actionData.trancheId = t.id;
      ctx.actionData.amount = t.amount;
      ctx.actionData.released = approved + t.amount;
      if (planRemaining(s) === 0) afterReintegration(ctx);
      return undefined;
    },
  },

  reject_tranche: {
    stages: ['reintegration'],
    roles: roles(SUPERVISOR),
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

  stop_assistance: {
    stages: ['post_arrival', 'reintegration'],
    roles: roles(SUPERVISOR),
    run: (ctx) => {
      const s = ctx.s;
      s.assistanceStopped = true;
      for (const pmt of s.payments) if (pmt.status === 'scheduled') pmt.status = 'cancelled';
      for (const t of s.tranches) if (t.status === 'submitted') t.status = 'cancelled';
      effect(ctx, { type: 'stop_payments' });
      ctx.actionData.released = approvedTranches(s);
      afterReintegration(ctx);
      return undefined;
    },
  },

  submit_monitoring_report: {
    stages: ['reintegration', 'monitoring'],
    roles: roles(PARTNER),
    guard: (s) =>
      s.checkpoints.some((c) => c.reportedAt === undefined)
        ? undefined
        : rejection('NOT_ALLOWED_NOW', 'every monitoring checkpoint is already reported'),
    run: (ctx, p) => {
      const s = ctx.s;
      const cp = s.checkpoints.find((c) => c.offset === p.checkpoint);
      if (!cp) {
        const known = s.checkpoints.map((c) => c.offset).join(', ');
        return invalid('checkpoint', `not a checkpoint of this case (${known})`);
      }
      if (cp.reportedAt !== undefined) return rejection('ALREADY_DONE', `checkpoint ${cp.offset} is already reported`);
      if (!atOrBefore(cp.dueAt, ctx.now)) return rejection('NOT_DUE_YET', `checkpoint ${cp.offset} is due at ${cp.dueAt}`);
      cp.reportedAt = ctx.now;
      cp.score = p.score;
      for (const e of s.escalations) {
        if (e.key === `checkpoint:${cp.offset}` && e.resolvedAt === undefined) e.resolvedAt = ctx.now;
      }
      ctx.actionData.checkpoint = cp.offset;
      ctx.actionData.score = p.score;
      // The check-in that confirms the person is still in the country releases held-back money.
      if (ctx.programme.tranches?.secondTrancheOnCheckpoint === cp.offset) {
        for (const pmt of s.payments) {
          if (pmt.when !== 'second_tranche' || pmt.status !== 'scheduled') continue;
          pmt.status = 'paid';
          pmt.paidAt = ctx.now;
          orderPayment(ctx, pmt.id, pmt.kind, 'second_tranche', pmt.amount);
        }
      }
      if (s.stage === 'monitoring' && s.checkpoints.every((c) => c.reportedAt !== undefined)) s.stage = 'closure';
      return undefined;
    },
  },
};
