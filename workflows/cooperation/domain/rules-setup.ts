// Rules before any money moves: the proposal goes to partner due diligence, a passed due diligence
// leads to the agreement, and signing it starts implementation with its schedule of periodic reports.
import { addDuration, parseDuration, type Duration } from '../../domain/duration';
import { closeProject, STAFF, SUPERVISOR, type ProjectRuleBook } from './engine';

export const SETUP_RULES: ProjectRuleBook<'submit_for_due_diligence' | 'record_due_diligence' | 'sign_agreement'> = {
  submit_for_due_diligence: {
    stages: ['proposal'],
    roles: STAFF,
    run: (ctx) => {
      ctx.s.stage = 'due_diligence';
      return undefined;
    },
  },

  record_due_diligence: {
    stages: ['due_diligence'],
    roles: SUPERVISOR,
    run: (ctx, p) => {
      ctx.s.dueDiligence = { passed: p.passed, decidedAt: ctx.now };
      ctx.actionData.passed = p.passed;
      // A partner that fails due diligence ends the proposal: no agreement is signed with it.
      if (p.passed) ctx.s.stage = 'agreement';
      else closeProject(ctx, 'rejected', 'due_diligence_failed');
      return undefined;
    },
  },

  sign_agreement: {
    stages: ['agreement'],
    roles: SUPERVISOR,
    run: (ctx) => {
      const s = ctx.s;
      s.agreementSignedAt = ctx.now;
      // Reporting periods run from the signature; report n is due at the end of period n.
      const every = parseDuration(s.settings.reportEvery);
      s.reports = Array.from({ length: s.settings.reportCount }, (_, i) => ({ no: i + 1, dueAt: addDuration(ctx.now, times(every, i + 1)) }));
      ctx.actionData.reports = s.reports.length;
      s.stage = 'implementation';
      return undefined;
    },
  },
};

/** n periods counted from the start at once, so month ends do not drift (31 Aug + P6M + P6M would be 28 Aug). */
export function times(d: Duration, n: number): Duration {
  return {
    years: d.years * n,
    months: d.months * n,
    weeks: d.weeks * n,
    days: d.days * n,
    hours: d.hours * n,
    minutes: d.minutes * n,
    seconds: d.seconds * n,
  };
}
