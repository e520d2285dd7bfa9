// Rules from intake to the approved reintegration plan: counselling, application,
// eligibility, admission (which reserves a funded place), travel document, medical fitness
// and the plan.
import {
  closeCase,
  effect,
  invalid,
  rejection,
  roles,
  STAFF,
  STAFF_OR_PARTNER,
  SUPERVISOR,
  type Ctx,
  type RuleBook,
} from './engine';
import { entitlementFor, type CaseState } from './state';
import { dateOf } from './time';

/** After the travel document: the medical check only when a medical need is flagged. */
function afterTravelDocument(ctx: Ctx): void {
  ctx.s.stage = ctx.s.flags.medicalNeed ? 'medical' : 'reintegration_plan';
}

function laissezPasserRequested(s: CaseState) {
  return s.travelDocument?.kind === 'laissez_passer' && s.travelDocument.status === 'requested'
    ? undefined
    : rejection('NOT_ALLOWED_NOW', 'no laissez-passer request is pending');
}

export const PREPARATION_RULES: RuleBook<
  | 'confirm_intake'
  | 'record_counselling_session'
  | 'sign_declaration'
  | 'lodge_application'
  | 'record_eligibility'
  | 'admit'
  | 'refuse_admission'
  | 'record_passport'
  | 'request_laissez_passer'
  | 'issue_laissez_passer'
  | 'refuse_laissez_passer'
  | 'record_fitness'
  | 'submit_plan'
  | 'approve_plan'
  | 'reject_plan'
> = {
  confirm_intake: {
    stages: ['intake'],
    roles: roles(STAFF),
    run: (ctx) => {
      ctx.s.stage = 'counselling';
      return undefined;
    },
  },

  record_counselling_session: {
    stages: ['counselling'],
    roles: roles(STAFF),
    run: (ctx, p) => {
      const c = ctx.s.counselling;
      c.sessions += 1;
      c.lastSessionAt = ctx.now;
      ctx.actionData.sessions = c.sessions;
      if (p.durationMinutes !== undefined) ctx.actionData.durationMinutes = p.durationMinutes;
      if (p.interpreterUsed !== undefined) ctx.actionData.interpreterUsed = p.interpreterUsed;
      return undefined;
    },
  },

  sign_declaration: {
    stages: ['counselling'],
    roles: roles(STAFF),
    // Voluntariness needs information first: no declaration without a counselling session.
    guard: (s) =>
      s.counselling.sessions >= 1
        ? undefined
        : rejection('NOT_ALLOWED_NOW', 'sign_declaration needs at least one recorded counselling session'),
    run: (ctx) => {
      ctx.s.counselling.declarationSignedAt = ctx.now;
      ctx.actionData.sessions = ctx.s.counselling.sessions;
      ctx.s.stage = 'application';
      return undefined;
    },
  },

  lodge_application: {
    stages: ['application'],
    roles: roles(STAFF),
    run: (ctx) => {
      ctx.s.application = { lodgedAt: ctx.now };
      // Ages on the application date decide the amounts (a child may have come of age since intake).
      ctx.s.entitlement = entitlementFor(ctx.programme, ctx.s.household, ctx.s.flags.medicalNeed, ctx.now);
      ctx.actionData.entitlementTotal = ctx.s.entitlement.totals.total;
      ctx.s.stage = 'eligibility';
      return undefined;
    },
  },

  record_eligibility: {
    stages: ['eligibility'],
    roles: roles(['partner', 'supervisor']),
    run: (ctx, p) => {
      ctx.s.eligibility = { eligible: p.eligible, ...(p.exclusion ? { exclusion: p.exclusion } : {}), decidedAt: ctx.now };
      ctx.actionData.eligible = p.eligible;
      if (p.eligible) {
        ctx.s.stage = 'admission';
      } else {
        ctx.actionData.exclusion = p.exclusion ?? 'other';
        closeCase(ctx, 'ineligible', p.exclusion ?? 'other');
      }
      return undefined;
    },
  },

  admit: {
    stages: ['admission'],
    roles: (_s, p) => (p.admissionBy === 'prefettura' ? ['partner', 'supervisor'] : ['supervisor']),
    run: (ctx) => {
      // The workflow runs reserve_place before committing and rejects with NO_PLACES_LEFT if it fails.
      effect(ctx, { type: 'reserve_place', programmeId: ctx.s.programmeId });
      ctx.s.placeReserved = true;
      ctx.s.admittedAt = ctx.now;
      ctx.s.stage = 'travel_document';
      return undefined;
    },
  },

  refuse_admission: {
    stages: ['admission'],
    roles: (_s, p) => (p.admissionBy === 'prefettura' ? ['partner', 'supervisor'] : ['supervisor']),
    run: (ctx) => {
      closeCase(ctx, 'not_admitted', 'admission_refused');
      return undefined;
    },
  },

  record_passport: {
    stages: ['travel_document'],
    roles: roles(STAFF),
    run: (ctx, p) => {
      if (p.expiresOn < dateOf(ctx.now)) return invalid('expiresOn', 'the passport has expired');
      ctx.s.travelDocument = { kind: 'passport', status: 'valid', validUntil: p.expiresOn, recordedAt: ctx.now };
      ctx.actionData.document = 'passport';
      afterTravelDocument(ctx);
      return undefined;
    },
  },

  request_laissez_passer: {
    stages: ['travel_document'],
    roles: roles(STAFF),
    guard: (s) =>
      s.travelDocument?.status === 'requested'
        ? rejection('NOT_ALLOWED_NOW', 'a laissez-passer has already been requested')
        : undefined,
    run: (ctx) => {
      ctx.s.travelDocument = { kind: 'laissez_passer', status: 'requested', requestedAt: ctx.now, recordedAt: ctx.now };
      ctx.actionData.document = 'laissez_passer';
      return undefined;
    },
  },

  issue_laissez_passer: {
    stages: ['travel_document'],
    roles: roles(STAFF_OR_PARTNER),
    guard: laissezPasserRequested,
    run: (ctx, p) => {
      if (p.validUntil < dateOf(ctx.now)) return invalid('validUntil', 'the laissez-passer has expired');
      const requestedAt = ctx.s.travelDocument?.requestedAt;
      ctx.s.travelDocument = {
        kind: 'laissez_passer',
        status: 'valid',
        validUntil: p.validUntil,
        ...(requestedAt ? { requestedAt } : {}),
        recordedAt: ctx.now,
      };
      ctx.actionData.document = 'laissez_passer';
      afterTravelDocument(ctx);
      return undefined;
    },
  },

  refuse_laissez_passer: {
    stages: ['travel_document'],
    roles: roles(STAFF_OR_PARTNER),
    guard: laissezPasserRequested,
    run: (ctx) => {
      const doc = ctx.s.travelDocument;
      if (doc) {
        doc.status = 'refused';
        doc.recordedAt = ctx.now;
      }
      closeCase(ctx, 'other', 'laissez_passer_refused');
      return undefined;
    },
  },

  record_fitness: {
    stages: ['medical'],
    roles: roles(STAFF),
    run: (ctx, p) => {
      ctx.s.fitness = { fit: p.fit, escortNeeded: p.escortNeeded ?? false, assessedAt: ctx.now };
      ctx.actionData.fit = p.fit;
      ctx.actionData.escortNeeded = p.escortNeeded ?? false;
      if (p.fit) ctx.s.stage = 'reintegration_plan';
      else if (p.close === true) closeCase(ctx, 'unfit', 'unfit_to_travel');
      // Unfit without close: the case waits in medical for a new assessment.
      return undefined;
    },
  },

  submit_plan: {
    stages: ['reintegration_plan'],
    roles: roles(['caseworker']),
    guard: (s) =>
      s.plan === undefined || s.plan.status === 'rejected' || s.plan.status === 'draft'
        ? undefined
        : rejection('NOT_ALLOWED_NOW', 'the submitted plan awaits a supervisor decision'),
    run: (ctx, p) => {
      const budget = ctx.s.entitlement.totals.inKind;
      if (p.amount > budget) {
        return rejection(
          'OVER_BUDGET',
          `plan amount ${p.amount} EUR exceeds the reintegration budget of ${budget} EUR`,
          [{ path: 'amount', message: `at most ${budget}` }],
        );
      }
      ctx.s.plan = {
        kind: p.kind,
        amount: p.amount,
        status: 'submitted',
        ...(p.cooperationProjectId !== undefined ? { cooperationProjectId: p.cooperationProjectId } : {}),
        submittedAt: ctx.now,
      };
      ctx.actionData.kind = p.kind;
      ctx.actionData.amount = p.amount;
      if (p.cooperationProjectId !== undefined) ctx.actionData.cooperationProjectId = p.cooperationProjectId;
      return undefined;
    },
  },

  approve_plan: {
    stages: ['reintegration_plan'],
    roles: roles(SUPERVISOR),
    guard: (s) => (s.plan?.status === 'submitted' ? undefined : rejection('NOT_ALLOWED_NOW', 'no submitted plan to decide')),
    run: (ctx) => {
      const plan = ctx.s.plan;
      if (!plan) return rejection('NOT_ALLOWED_NOW', 'no submitted plan to decide');
      plan.status = 'approved';
      plan.decidedAt = ctx.now;
      ctx.actionData.amount = plan.amount;
      ctx.s.stage = 'travel_booking';
      return undefined;
    },
  },

  reject_plan: {
    stages: ['reintegration_plan'],
    roles: roles(SUPERVISOR),
    guard: (s) => (s.plan?.status === 'submitted' ? undefined : rejection('NOT_ALLOWED_NOW', 'no submitted plan to decide')),
    run: (ctx) => {
      const plan = ctx.s.plan;
      if (!plan) return rejection('NOT_ALLOWED_NOW', 'no submitted plan to decide');
      plan.status = 'rejected';
      plan.decidedAt = ctx.now;
      ctx.actionData.amount = plan.amount;
      return undefined;
    },
  },
};
