// The case state machine: every stage transition, every rejection path, withdrawal with its
// compensations from each pre-departure stage, and the time-driven rules (tick, nextWakeup).
import { addDuration } from '../../workflows/domain/duration';
import { applyErasure } from '../../workflows/domain/erasure';
import { stampEvents } from '../../workflows/domain/events';
import { initialState, openCase, validateCaseInput, type CaseState } from '../../workflows/domain/state';
import { nextWakeup, tick } from '../../workflows/domain/tick';
import { allowedActions, decide, type Decision } from '../../workflows/domain/transitions';
import type { Stage } from '../../workflows/domain/vocabulary';
import { AUDITOR, Case, caseInput, CW, expectNoPersonalData, FAMILY, PARTNER, SUP, T0 } from './case-driver';
import { DE_REAG, DE_SHP, EU_EURP, FAST, IT_RVA } from './load-programmes';

const it_ = IT_RVA();

function refused(d: Decision) {
  if (d.ok) throw new Error('expected a rejection');
  return d;
}

function allowedNames(c: Case): string[] {
  return allowedActions(c.state, c.programme).map((a) => a.action);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

describe('opening a case', () => {
  test('initialState is the blank case at seq 0; openCase records case.opened as seq 1', () => {
    const blank = initialState('case-1', caseInput('it-rva-fami'), it_, T0);
    expect(blank).toMatchObject({ seq: 0, timeline: [], stage: 'intake', openedAt: T0 });

    const { state, events } = openCase('case-1', caseInput('it-rva-fami', FAMILY), it_, T0, CW);
    expect(state).toMatchObject({
      caseId: 'case-1',
      programmeId: 'it-rva-fami',
      country: 'TN',
      nationality: 'TN',
      office: 'Torino',
      referringBody: 'sai',
      stage: 'intake',
      seq: 1,
      placeReserved: false,
      rebookings: 0,
      counselling: { sessions: 0 },
      flags: { medicalNeed: false },
      partnerIds: [],
    });
    expect(state.household.members.map((m) => [m.role, m.relationship])).toEqual([
      ['principal', undefined],
      ['dependant', 'spouse'],
      ['dependant', 'child'],
    ]);
    // 3 people × 615 cash = 1845; in kind 2000 + 2 × 1000 = 4000
    expect(state.entitlement.totals).toMatchObject({ cash: 1845, inKind: 4000, total: 5845 });
    expect(state.amounts).toEqual({ planned: 5845, paid: 0, remaining: 5845 });
    // intake SLA P7D from opening
    expect(state.deadlines).toEqual([{ key: 'sla:intake:1', stage: 'intake', dueAt: '2025-03-10T09:00:00.000Z' }]);
    expect(state.timeline).toEqual([
      { seq: 1, at: T0, type: 'case.opened', actor: CW, stageBefore: 'intake', stageAfter: 'intake' },
    ]);
    expect(events).toEqual([
      {
        type: 'case.opened',
        stageBefore: 'intake',
        stageAfter: 'intake',
        actor: CW,
        data: { programmeId: 'it-rva-fami', country: 'TN', office: 'Torino', referringBody: 'sai', householdSize: 3, minors: 1 },
      },
    ]);
    expectNoPersonalData(events);
  });

  test('input is validated strictly, and errors name fields, never values', () => {
    expect(() => initialState('c', caseInput('it-rva-fami', { principal: { givenName: 'Amina', familyName: 'Benali', dateOfBirth: '2031-01-01' } }), it_, T0)).toThrow(
      'invalid case input: principal.dateOfBirth: is in the future',
    );
    const bad = validateCaseInput(
      caseInput('it-rva-fami', { countryOfReturn: 'tn', nationality: 'UK', extra: 1, notes: 'x'.repeat(2001) }),
      T0,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues.map((i) => i.path).sort()).toEqual(['', 'countryOfReturn', 'nationality', 'notes']);
      expectNoPersonalData(bad.issues);
    }
    const tooMany = validateCaseInput(
      caseInput('it-rva-fami', { dependants: Array.from({ length: 21 }, () => FAMILY.dependants[1]) }),
      T0,
    );
    expect(tooMany.ok).toBe(false);
    expect(validateCaseInput(caseInput('it-rva-fami', { nationality: 'XX' }), T0).ok).toBe(true);
    expect(() => initialState('c', caseInput('eu-eurp'), it_, T0)).toThrow('programmeId: does not match the programme given');
    expect(() => initialState('c', caseInput('it-rva-fami', { principal: { givenName: 'A', familyName: 'B', dateOfBirth: '1990-02-30' } }), it_, T0)).toThrow(
      /principal\.dateOfBirth/,
    );
  });
});

describe('the normal path (Italy RVA, one person)', () => {
  test('every stage in order, with events, effects and money', () => {
    const c = new Case(it_);
    c.planAmount = 1800;
    const step = (target: Stage) => {
      const before = c.log.length;
      c.driveTo(target);
      return c.log.slice(before);
    };

    expect(step('counselling').map((e) => e.type)).toEqual(['case.action', 'case.stage_changed']);
    expect(c.state.deadlines).toEqual([{ key: 'sla:counselling:3', stage: 'counselling', dueAt: addDuration(c.now, 'P30D') }]);
    step('application');
    expect(c.state.counselling).toMatchObject({ sessions: 1 });
    expect(c.state.counselling.declarationSignedAt).toBe(c.now);
    step('eligibility');
    expect(c.state.application).toEqual({ lodgedAt: c.now });
    step('admission');
    expect(c.state.eligibility).toEqual({ eligible: true, decidedAt: c.now });

    c.advance('PT1H');
    const admitted = c.do('admit', PARTNER);
    expect(admitted.effects).toEqual([{ type: 'reserve_place', programmeId: 'it-rva-fami' }]);
    expect(c.state).toMatchObject({ stage: 'travel_document', placeReserved: true, admittedAt: c.now });

    c.advance('PT1H');
    c.do('record_passport', CW, { expiresOn: '2031-12-31' });
    // no medical need flagged: straight to the plan
    expect(c.state.stage).toBe('reintegration_plan');
    expect(c.state.travelDocument).toEqual({ kind: 'passport', status: 'valid', validUntil: '2031-12-31', recordedAt: c.now });

    c.advance('PT1H');
    const submitted = c.do('submit_plan', CW, { kind: 'business', amount: 1800, cooperationProjectId: 'coop-tn-1' });
    expect(submitted.events[0]?.data).toEqual({ kind: 'business', amount: 1800, cooperationProjectId: 'coop-tn-1' });
    expect(c.state.stage).toBe('reintegration_plan');
    c.do('approve_plan', SUP);
    expect(c.state.plan).toMatchObject({ status: 'approved', amount: 1800 });
    expect(c.state.stage).toBe('travel_booking');
    // planned: 615 cash + 1800 approved plan
    expect(c.state.amounts).toEqual({ planned: 2415, paid: 0, remaining: 2415 });

    const paid = c.do('pay_predeparture_allowance', CW);
    expect(paid.effects).toEqual([
      { type: 'pay', paymentId: 'first-settlement-allowance:pre_departure', kind: 'cash', when: 'pre_departure', amount: 615, currency: 'EUR' },
    ]);
    expect(paid.events.map((e) => e.type)).toEqual(['case.action', 'case.payment']);
    expect(c.state.amounts).toEqual({ planned: 2415, paid: 615, remaining: 1800 });
    expect(refused(c.try('pay_predeparture_allowance', CW))).toMatchObject({
      code: 'NOT_ALLOWED_NOW',
      message: 'no pre-departure allowance is due',
    });

    c.advance('P1D');
    const booked = c.do('book_travel', CW, { departureDate: '2025-03-20', expiresAt: '2025-03-21T00:00:00Z' });
    expect(booked.events[0]?.data).toEqual({ departureDate: '2025-03-20', expiresAt: '2025-03-21T00:00:00.000Z', rebookings: 0 });
    expect(c.state.booking).toEqual({ departureDate: '2025-03-20', expiresAt: '2025-03-21T00:00:00.000Z', status: 'active', bookedAt: c.now });
    expect(c.state.stage).toBe('departure');

    c.at('2025-03-20T06:00:00.000Z');
    const departed = c.do('confirm_departure', PARTNER);
    expect(departed.effects).toEqual([]); // the allowance was already paid
    expect(c.state).toMatchObject({ stage: 'post_arrival', departedAt: '2025-03-20T06:00:00.000Z' });
    expect(c.state.booking?.status).toBe('used');
    expect(c.state.checkpoints).toEqual([
      { offset: 'P3M', dueAt: '2025-06-20T06:00:00.000Z' },
      { offset: 'P6M', dueAt: '2025-09-20T06:00:00.000Z' },
    ]);

    c.advance('PT8H');
    c.do('confirm_arrival', PARTNER);
    expect(c.state).toMatchObject({ stage: 'reintegration', arrivedAt: c.now });

    c.advance('P10D');
    const t1 = c.do('submit_tranche_report', PARTNER, { amount: 1000, description: 'workshop tools' });
    expect(t1.events[0]?.data).toEqual({ trancheId: 't1', amount: 1000 });
    const a1 = c.do('approve_tranche', SUP, { trancheId: 't1' });
    expect(a1.effects).toEqual([
      { type: 'pay', paymentId: 'tranche:t1', kind: 'in_kind', when: 'reintegration', amount: 1000, currency: 'EUR' },
    ]);
    expect(c.state.stage).toBe('reintegration');
    expect(c.state.amounts).toEqual({ planned: 2415, paid: 1615, remaining: 800 });

    c.do('submit_tranche_report', PARTNER, { amount: 800, description: 'stock' });
    c.do('approve_tranche', SUP, { trancheId: 't2' });
    // the plan is fully released: monitoring
    expect(c.state.stage).toBe('monitoring');
    expect(c.state.amounts).toEqual({ planned: 2415, paid: 2415, remaining: 0 });

    c.at('2025-06-20T06:00:00.000Z');
    c.do('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 60 });
    expect(c.state.stage).toBe('monitoring');
    c.at('2025-09-21T00:00:00.000Z');
    c.do('submit_monitoring_report', PARTNER, { checkpoint: 'P6M', score: 75 });
    expect(c.state.stage).toBe('closure');
    expect(c.state.checkpoints.map((x) => x.score)).toEqual([60, 75]);

    const closed = c.do('close_case', SUP, { outcome: 'completed' });
    expect(closed.events.map((e) => e.type)).toEqual(['case.action', 'case.stage_changed', 'case.closed']);
    expect(closed.events[2]?.data).toEqual({ outcome: 'completed', reason: 'completed' });
    expect(closed.effects).toEqual([]);
    expect(c.state).toMatchObject({ stage: 'closed', outcome: 'completed', closedAt: c.now, deadlines: [] });
    expect(c.state.amounts).toEqual({ planned: 2415, paid: 2415, remaining: 0 });
    // A closed case only takes a lawful erasure request.
    expect(allowedNames(c)).toEqual(['request_erasure']);

    // seq and timeline agree, and stamping numbers events the same way
    expect(c.state.seq).toBe(c.log.length);
    expect(c.state.timeline.map((t) => t.seq)).toEqual(c.log.map((_, i) => i + 1));
    expect(c.state.timeline.map((t) => t.type)).toEqual(c.log.map((e) => e.type));
    expect(stampEvents(4, [c.log[0]!, c.log[1]!], c.now).map((e) => e.seq)).toEqual([5, 6]);
    // every accepted command left an entry with its actor
    expect(c.state.timeline.filter((t) => t.type === 'case.action').every((t) => t.actor !== undefined)).toBe(true);
    expectNoPersonalData(c.log);
  });

  test('the medical stage is used only when a medical need is flagged', () => {
    const c = new Case(it_, { medicalNeed: true }).driveTo('travel_document');
    c.do('record_passport', CW, { expiresOn: '2031-12-31' });
    expect(c.state.stage).toBe('medical');
    c.do('record_fitness', CW, { fit: false, escortNeeded: true });
    expect(c.state).toMatchObject({ stage: 'medical', fitness: { fit: false, escortNeeded: true } });
    c.do('record_fitness', CW, { fit: true, escortNeeded: true });
    expect(c.state).toMatchObject({ stage: 'reintegration_plan', fitness: { fit: true, escortNeeded: true } });
  });

  test('unfit with close=true closes the case as unfit and releases the place', () => {
    const c = new Case(it_, { medicalNeed: true }).driveTo('medical');
    const r = c.do('record_fitness', CW, { fit: false, close: true });
    expect(c.state).toMatchObject({ stage: 'closed', outcome: 'unfit', outcomeReason: 'unfit_to_travel', placeReserved: false });
    expect(r.effects).toEqual([
      { type: 'release_place', programmeId: 'it-rva-fami' },
      { type: 'stop_payments' },
      { type: 'notify_partners', reason: 'case_closed_unfit' },
    ]);
    expect(refused(c.try('record_fitness', CW, { fit: true, close: true }))).toMatchObject({ code: 'NOT_ALLOWED_NOW', allowed: ['request_erasure'] });
  });

  test('laissez-passer: requested (waits), issued (moves on) or refused (closes)', () => {
    const c = new Case(it_).driveTo('travel_document');
    expect(allowedNames(c)).toEqual(['record_passport', 'request_laissez_passer', 'record_absconding', 'close_case', 'withdraw']);
    c.do('request_laissez_passer', CW);
    expect(c.state).toMatchObject({ stage: 'travel_document', travelDocument: { kind: 'laissez_passer', status: 'requested' } });
    expect(refused(c.try('request_laissez_passer', CW))).toMatchObject({
      code: 'NOT_ALLOWED_NOW',
      message: 'a laissez-passer has already been requested',
    });
    const refusedCase = new Case(it_).driveTo('travel_document');
    refusedCase.do('request_laissez_passer', CW);
    const r = refusedCase.do('refuse_laissez_passer', PARTNER);
    expect(refusedCase.state).toMatchObject({ stage: 'closed', outcome: 'other', outcomeReason: 'laissez_passer_refused' });
    expect(r.effects.map((e) => e.type)).toEqual(['release_place', 'stop_payments', 'notify_partners']);

    c.do('issue_laissez_passer', CW, { validUntil: '2025-12-31' });
    expect(c.state).toMatchObject({ stage: 'reintegration_plan', travelDocument: { kind: 'laissez_passer', status: 'valid', validUntil: '2025-12-31' } });
  });

  test('a rejected plan can be resubmitted', () => {
    const c = new Case(it_).driveTo('reintegration_plan');
    c.do('submit_plan', CW, { kind: 'education', amount: 1500 });
    expect(allowedNames(c)).toEqual(['approve_plan', 'reject_plan', 'record_absconding', 'close_case', 'withdraw']);
    c.do('reject_plan', SUP, undefined, 'costs not justified');
    expect(c.state).toMatchObject({ stage: 'reintegration_plan', plan: { status: 'rejected', amount: 1500 } });
    expect(c.state.timeline.at(-1)).toMatchObject({ action: 'reject_plan', actor: SUP, reason: 'costs not justified' });
    c.do('submit_plan', CW, { kind: 'education', amount: 1200 });
    c.do('approve_plan', SUP);
    expect(c.state).toMatchObject({ stage: 'travel_booking', plan: { status: 'approved', amount: 1200 } });
  });

  test('ineligible and not admitted close the case', () => {
    const a = new Case(it_).driveTo('eligibility');
    const r = a.do('record_eligibility', PARTNER, { eligible: false, exclusion: 'previous_beneficiary' });
    expect(a.state).toMatchObject({ stage: 'closed', outcome: 'ineligible', outcomeReason: 'previous_beneficiary' });
    expect(r.effects).toEqual([{ type: 'stop_payments' }, { type: 'notify_partners', reason: 'case_closed_ineligible' }]);
    expect(r.events.at(-1)).toMatchObject({ type: 'case.closed', data: { outcome: 'ineligible', reason: 'previous_beneficiary' } });

    const b = new Case(it_).driveTo('admission');
    b.do('refuse_admission', PARTNER, undefined, 'incomplete file');
    expect(b.state).toMatchObject({ stage: 'closed', outcome: 'not_admitted', placeReserved: false });
  });
});

describe('other programmes', () => {
  test('EURP pays the post-arrival package when arrival is confirmed', () => {
    const c = new Case(EU_EURP()).driveTo('post_arrival');
    expect(refused(c.try('pay_predeparture_allowance', CW))).toMatchObject({ code: 'NOT_ALLOWED_NOW' });
    const r = c.do('confirm_arrival', PARTNER);
    expect(r.effects).toEqual([
      { type: 'pay', paymentId: 'post-arrival-package:post_arrival', kind: 'cash', when: 'post_arrival', amount: 615, currency: 'EUR' },
    ]);
    expect(c.state.stage).toBe('reintegration');
    expect(c.state.checkpoints.map((x) => x.offset)).toEqual(['P3M', 'P6M', 'P12M']);
  });

  test('REAG/GARP without in-kind money or follow-up goes from arrival to closure', () => {
    const c = new Case(DE_REAG(), FAMILY);
    c.planAmount = 0;
    c.driveTo('post_arrival');
    // confirm_departure paid the unpaid pre-departure money: travel 2×200 + 1×100 = 500; start-up 2×1000 + 500 = 2500
    expect(c.state.payments.map((p) => [p.id, p.amount, p.status])).toEqual([
      ['travel-allowance:pre_departure', 500, 'paid'],
      ['start-up-aid:pre_departure', 2500, 'paid'],
    ]);
    c.do('confirm_arrival', PARTNER);
    expect(c.state.stage).toBe('closure');
    expect(c.state.amounts).toEqual({ planned: 3000, paid: 3000, remaining: 0 });
  });

  test('REAG/GARP: a plan above the budget is refused (no medical need: budget 0)', () => {
    const c = new Case(DE_REAG()).driveTo('reintegration_plan');
    expect(refused(c.try('submit_plan', CW, { kind: 'medical', amount: 1 }))).toEqual({
      ok: false,
      code: 'OVER_BUDGET',
      message: 'plan amount 1 EUR exceeds the reintegration budget of 0 EUR',
      allowed: ['submit_plan', 'record_absconding', 'close_case', 'withdraw'],
      issues: [{ path: 'amount', message: 'at most 0' }],
    });
    const m = new Case(DE_REAG(), { medicalNeed: true }).driveTo('reintegration_plan');
    expect(m.try('submit_plan', CW, { kind: 'medical', amount: 2000 }).ok).toBe(true);
  });

  test('StarthilfePlus: half at departure, half when the 6-month check-in is reported', () => {
    const c = new Case(DE_SHP());
    c.planAmount = 0;
    c.driveTo('travel_booking');
    expect(c.do('pay_predeparture_allowance', CW).effects).toEqual([
      { type: 'pay', paymentId: 'start-up-before-decision:pre_departure', kind: 'cash', when: 'pre_departure', amount: 600, currency: 'EUR' },
    ]);
    c.driveTo('post_arrival');
    const departedAt = c.state.departedAt!;
    expect(c.state.payments.find((p) => p.when === 'second_tranche')).toEqual({
      id: 'start-up-before-decision:second_tranche',
      kind: 'cash',
      when: 'second_tranche',
      amount: 600,
      status: 'scheduled',
      componentId: 'start-up-before-decision',
      dueAt: addDuration(departedAt, 'P6M'),
    });
    c.do('confirm_arrival', PARTNER);
    expect(c.state.stage).toBe('monitoring');
    expect(c.state.amounts).toEqual({ planned: 1200, paid: 600, remaining: 600 });
    c.at(addDuration(departedAt, 'P6M'));
    const r = c.do('submit_monitoring_report', PARTNER, { checkpoint: 'P6M', score: 80 });
    expect(r.effects).toEqual([
      { type: 'pay', paymentId: 'start-up-before-decision:second_tranche', kind: 'cash', when: 'second_tranche', amount: 600, currency: 'EUR' },
    ]);
    expect(c.state.stage).toBe('closure');
    expect(c.state.amounts).toEqual({ planned: 1200, paid: 1200, remaining: 0 });
  });

  test('stop_assistance ends reintegration, cancels held-back money and moves to monitoring', () => {
    const c = new Case(FAST());
    c.planAmount = 1500;
    c.driveTo('reintegration');
    c.do('submit_tranche_report', PARTNER, { amount: 500, description: 'first delivery' });
    c.do('approve_tranche', SUP, { trancheId: 't1' });
    c.do('submit_tranche_report', PARTNER, { amount: 300, description: 'second delivery' });
    const r = c.do('stop_assistance', SUP, undefined, 'partner lost contact');
    expect(r.effects).toEqual([{ type: 'stop_payments' }]);
    expect(c.state).toMatchObject({ stage: 'monitoring', assistanceStopped: true });
    expect(c.state.tranches.map((t) => t.status)).toEqual(['approved', 'cancelled']);
    expect(c.state.payments.find((p) => p.when === 'second_tranche')?.status).toBe('cancelled');
    // paid: travel 100 + start-up half 100 + post-arrival 150 + tranche 500 = 850; nothing more is planned
    expect(c.state.amounts).toEqual({ planned: 850, paid: 850, remaining: 0 });
    expect(refused(c.try('stop_assistance', SUP)).code).toBe('NOT_ALLOWED_NOW');
  });
});

describe('rejections', () => {
  test('wrong stage: NOT_ALLOWED_NOW with the actions allowed now', () => {
    const c = new Case(it_);
    expect(c.try('admit', SUP)).toEqual({
      ok: false,
      code: 'NOT_ALLOWED_NOW',
      message: 'admit is not allowed in stage intake',
      allowed: ['confirm_intake', 'record_absconding', 'close_case', 'withdraw'],
    });
    c.driveTo('post_arrival');
    expect(refused(c.try('withdraw', CW))).toMatchObject({
      code: 'NOT_ALLOWED_NOW',
      message: 'withdraw is not allowed in stage post_arrival',
      allowed: ['confirm_arrival', 'stop_assistance'],
    });
  });

  test('sign_declaration needs a counselling session first', () => {
    const c = new Case(it_).driveTo('counselling');
    expect(c.try('sign_declaration', CW)).toEqual({
      ok: false,
      code: 'NOT_ALLOWED_NOW',
      message: 'sign_declaration needs at least one recorded counselling session',
      allowed: ['record_counselling_session', 'record_absconding', 'close_case', 'withdraw'],
    });
    c.do('record_counselling_session', CW);
    c.do('record_counselling_session', CW, { interpreterUsed: true });
    expect(c.state.counselling.sessions).toBe(2);
    expect(c.try('sign_declaration', CW).ok).toBe(true);
  });

  test('wrong role: ROLE_NOT_ALLOWED naming the roles', () => {
    const c = new Case(it_);
    expect(refused(c.try('confirm_intake', PARTNER))).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      message: 'confirm_intake needs the role caseworker or supervisor, not partner',
      allowed: ['confirm_intake', 'record_absconding', 'close_case', 'withdraw'],
    });
    expect(refused(c.try('withdraw', AUDITOR)).code).toBe('ROLE_NOT_ALLOWED');
    expect(refused(c.try('withdraw', { userId: 'adm', role: 'admin' })).code).toBe('ROLE_NOT_ALLOWED');

    c.driveTo('eligibility');
    expect(refused(c.try('record_eligibility', CW, { eligible: true })).code).toBe('ROLE_NOT_ALLOWED');
    expect(c.try('record_eligibility', SUP, { eligible: true }).ok).toBe(true);
  });

  test('admission: partner or supervisor under Prefettura admission, only supervisor otherwise', () => {
    const it = new Case(it_).driveTo('admission');
    expect(allowedActions(it.state, it_).find((a) => a.action === 'admit')?.roles).toEqual(['partner', 'supervisor']);
    expect(it.try('admit', PARTNER).ok).toBe(true);
    expect(it.try('admit', SUP).ok).toBe(true);
    expect(refused(it.try('admit', CW)).code).toBe('ROLE_NOT_ALLOWED');

    const de = new Case(DE_REAG()).driveTo('admission');
    expect(allowedActions(de.state, de.programme).find((a) => a.action === 'admit')?.roles).toEqual(['supervisor']);
    expect(refused(de.try('admit', PARTNER))).toMatchObject({
      code: 'ROLE_NOT_ALLOWED',
      message: 'admit needs the role supervisor, not partner',
    });
    expect(de.try('admit', SUP).ok).toBe(true);
  });

  test('plans: only a caseworker submits, only a supervisor decides', () => {
    const c = new Case(it_).driveTo('reintegration_plan');
    expect(refused(c.try('submit_plan', SUP, { kind: 'business', amount: 100 })).code).toBe('ROLE_NOT_ALLOWED');
    c.do('submit_plan', CW, { kind: 'business', amount: 100 });
    expect(refused(c.try('approve_plan', CW)).code).toBe('ROLE_NOT_ALLOWED');
    expect(refused(c.try('submit_plan', CW, { kind: 'business', amount: 100 }))).toMatchObject({
      code: 'NOT_ALLOWED_NOW',
      message: 'the submitted plan awaits a supervisor decision',
    });
  });

  test('invalid payloads: INVALID_PAYLOAD with issue paths', () => {
    const c = new Case(it_).driveTo('eligibility');
    expect(c.try('record_eligibility', PARTNER, { eligible: false })).toEqual({
      ok: false,
      code: 'INVALID_PAYLOAD',
      message: 'invalid payload for record_eligibility: exclusion: required when eligible is false',
      allowed: ['record_eligibility', 'record_absconding', 'close_case', 'withdraw'],
      issues: [{ path: 'exclusion', message: 'required when eligible is false' }],
    });
    expect(refused(c.try('record_eligibility', PARTNER, { eligible: true, extra: 1 })).issues).toEqual([
      { path: '', message: 'Unrecognized key: "extra"' },
    ]);
    expect(refused(c.try('record_eligibility', PARTNER, 'yes')).code).toBe('INVALID_PAYLOAD');

    c.driveTo('travel_document');
    expect(refused(c.try('record_passport', CW, { expiresOn: '2024-12-31' }))).toMatchObject({
      code: 'INVALID_PAYLOAD',
      issues: [{ path: 'expiresOn', message: 'the passport has expired' }],
    });
    expect(refused(c.try('record_passport', CW, { expiresOn: '31/12/2030' })).issues?.[0]?.path).toBe('expiresOn');

    c.do('record_passport', CW, { expiresOn: '2025-04-30' });
    c.driveTo('travel_booking');
    expect(refused(c.try('book_travel', CW, { departureDate: '2025-03-01' })).issues).toEqual([
      { path: 'departureDate', message: 'is in the past' },
    ]);
    expect(refused(c.try('book_travel', CW, { departureDate: '2025-05-02' })).issues).toEqual([
      { path: 'departureDate', message: 'is after the travel document expires' },
    ]);
    expect(refused(c.try('book_travel', CW, { departureDate: '2025-04-01', expiresAt: '2025-03-01T00:00:00Z' })).issues).toEqual([
      { path: 'expiresAt', message: 'must be in the future' },
    ]);
    expect(refused(c.try('book_travel', CW, { departureDate: '2025-04-01', expiresAt: '2025-04-01T10:00' })).code).toBe(
      'INVALID_PAYLOAD',
    );
  });

  test('unknown action, malformed actor, overlong reason', () => {
    const c = new Case(it_);
    expect(refused(c.try('fly_home', CW))).toMatchObject({ code: 'UNKNOWN_ACTION', message: 'unknown action' });
    expect(refused(c.try('confirm_intake', { userId: '', role: 'caseworker' }))).toMatchObject({
      code: 'INVALID_PAYLOAD',
      issues: [{ path: 'actor.userId', message: expect.any(String) }],
    });
    expect(refused(c.try('confirm_intake', CW, {}, 'x'.repeat(1001)))).toMatchObject({ code: 'INVALID_PAYLOAD', issues: [{ path: 'reason' }] });
  });

  test('over budget: tranche reports and approvals never exceed the approved plan', () => {
    const c = new Case(it_);
    c.planAmount = 1000;
    c.driveTo('reintegration');
    expect(refused(c.try('submit_tranche_report', PARTNER, { amount: 1001, description: 'x' }))).toMatchObject({
      code: 'OVER_BUDGET',
      message: 'tranche of 1001 EUR exceeds the 1000 EUR of the approved plan not yet released or requested',
    });
    c.do('submit_tranche_report', PARTNER, { amount: 700, description: 'x' });
    // the pending 700 counts against the budget
    expect(refused(c.try('submit_tranche_report', PARTNER, { amount: 301, description: 'y' })).code).toBe('OVER_BUDGET');
    c.do('submit_tranche_report', PARTNER, { amount: 300, description: 'y' });
    c.do('approve_tranche', SUP, { trancheId: 't1' });
    expect(refused(c.try('approve_tranche', SUP, { trancheId: 't7' }))).toMatchObject({
      code: 'INVALID_PAYLOAD',
      issues: [{ path: 'trancheId', message: 'no submitted tranche with this id' }],
    });

    // approval re-checks the hard limit even if a report slipped past the submission check
    const tampered: CaseState = JSON.parse(JSON.stringify(c.state));
    tampered.tranches.push({ id: 't9', amount: 400, status: 'submitted', submittedAt: c.now });
    const d = refused(decide(tampered, it_, { action: 'approve_tranche', actor: SUP, payload: { trancheId: 't9' } }, c.now));
    expect(d).toMatchObject({ code: 'OVER_BUDGET', message: 'approving 400 EUR would release 1100 EUR of a plan of 1000 EUR' });

    c.do('approve_tranche', SUP, { trancheId: 't2' });
    expect(c.state.stage).toBe('monitoring');
    expect(c.state.payments.filter((p) => p.trancheId).map((p) => p.amount)).toEqual([700, 300]);
  });

  test('monitoring reports: unknown checkpoint, not yet due, already reported', () => {
    const c = new Case(EU_EURP()).driveTo('reintegration');
    const due = c.state.checkpoints[0]!.dueAt;
    expect(refused(c.try('submit_monitoring_report', PARTNER, { checkpoint: 'P4M', score: 50 })).issues).toEqual([
      { path: 'checkpoint', message: 'not a checkpoint of this case (P3M, P6M, P12M)' },
    ]);
    expect(refused(c.try('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 50 }))).toMatchObject({
      code: 'NOT_DUE_YET',
      message: `checkpoint P3M is due at ${due}`,
    });
    expect(refused(c.try('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 101 })).code).toBe('INVALID_PAYLOAD');
    c.at(due);
    c.do('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 50 });
    // reported during reintegration: the case stays there
    expect(c.state.stage).toBe('reintegration');
    expect(refused(c.try('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 50 }))).toMatchObject({
      code: 'ALREADY_DONE',
      message: 'checkpoint P3M is already reported',
    });
  });

  test('rebooking limit: the no-show past the limit closes the case', () => {
    const c = new Case(it_).driveTo('departure');
    const first = c.do('record_no_show', CW);
    expect(first.events[0]?.data).toEqual({ maxRebookings: 2, rebookings: 1 });
    expect(c.state).toMatchObject({ stage: 'travel_booking', rebookings: 1, booking: { status: 'no_show' } });
    c.driveTo('departure');
    c.do('record_no_show', PARTNER);
    expect(c.state).toMatchObject({ stage: 'travel_booking', rebookings: 2 });
    c.driveTo('departure');
    const last = c.do('record_no_show', CW);
    expect(c.state).toMatchObject({ stage: 'closed', outcome: 'other', outcomeReason: 'no_show_limit', placeReserved: false });
    expect(last.effects).toEqual([
      { type: 'release_place', programmeId: 'it-rva-fami' },
      { type: 'stop_payments' },
      { type: 'notify_partners', reason: 'case_closed_other' },
    ]);
  });

  test('rebooking limit: after an expiry past the limit, book_travel is refused with REBOOKING_LIMIT', () => {
    const c = new Case(it_).driveTo('departure');
    c.do('record_no_show', CW);
    c.driveTo('departure');
    c.do('record_no_show', CW);
    c.driveTo('departure');
    c.at(c.state.booking!.expiresAt).tick();
    expect(c.state).toMatchObject({ stage: 'travel_booking', rebookings: 3 });
    expect(c.try('book_travel', CW, { departureDate: '2025-12-01' })).toEqual({
      ok: false,
      code: 'REBOOKING_LIMIT',
      message: 'the programme allows at most 2 rebookings and this case has had 3',
      allowed: ['pay_predeparture_allowance', 'record_absconding', 'close_case', 'withdraw'],
    });
  });

  test('absconding closes the case and runs the compensations', () => {
    const c = new Case(it_).driveTo('departure');
    const r = c.do('record_absconding', PARTNER);
    expect(c.state).toMatchObject({ stage: 'closed', outcome: 'absconded', booking: { status: 'cancelled' } });
    expect(r.effects).toEqual([
      { type: 'cancel_booking' },
      { type: 'release_place', programmeId: 'it-rva-fami' },
      { type: 'stop_payments' },
      { type: 'notify_partners', reason: 'case_closed_absconded' },
    ]);
  });

  test('closing early needs outcome other and a reason; at closure only a supervisor closes', () => {
    const c = new Case(it_).driveTo('travel_booking');
    expect(refused(c.try('close_case', CW, { outcome: 'other' })).issues).toEqual([
      { path: 'reason', message: 'required when closing with outcome other' },
    ]);
    expect(refused(c.try('close_case', CW, { outcome: 'completed' }, 'done')).issues?.[0]?.path).toBe('outcome');
    const r = c.do('close_case', CW, { outcome: 'other' }, 'funding ended');
    expect(c.state).toMatchObject({ stage: 'closed', outcome: 'other', outcomeReason: 'closed_early', placeReserved: false });
    expect(r.effects.map((e) => e.type)).toEqual(['release_place', 'stop_payments', 'notify_partners']);

    const end = new Case(it_).driveTo('closure');
    expect(allowedActions(end.state, it_)).toEqual([{ action: 'close_case', roles: ['supervisor'] }]);
    expect(refused(end.try('close_case', CW, { outcome: 'completed' })).code).toBe('ROLE_NOT_ALLOWED');
  });

  test('rejection messages never carry personal data', () => {
    const c = new Case(it_, FAMILY);
    const messages = [
      c.try('admit', SUP),
      c.try('confirm_intake', PARTNER),
      c.try('confirm_intake', CW, { givenName: 'Amina' }),
      c.try('nope', CW),
    ];
    expectNoPersonalData(messages);
  });
});

describe('withdrawal from every pre-departure stage', () => {
  const cases: [Stage, boolean, string[]][] = [
    ['intake', false, ['stop_payments', 'notify_partners']],
    ['counselling', false, ['stop_payments', 'notify_partners']],
    ['application', false, ['stop_payments', 'notify_partners']],
    ['eligibility', false, ['stop_payments', 'notify_partners']],
    ['admission', false, ['stop_payments', 'notify_partners']],
    ['travel_document', false, ['release_place', 'stop_payments', 'notify_partners']],
    ['medical', true, ['release_place', 'stop_payments', 'notify_partners']],
    ['reintegration_plan', false, ['release_place', 'stop_payments', 'notify_partners']],
    ['travel_booking', false, ['release_place', 'stop_payments', 'notify_partners']],
    ['departure', false, ['cancel_booking', 'release_place', 'stop_payments', 'notify_partners']],
  ];
  test.each(cases)('from %s', (stage, medicalNeed, effects) => {
    const c = new Case(it_, { medicalNeed }).driveTo(stage);
    const seq = c.state.seq;
    const r = c.do('withdraw', CW, undefined, 'changed their mind');
    expect(r.effects.map((e) => e.type)).toEqual(effects);
    expect(r.effects.find((e) => e.type === 'notify_partners')).toEqual({ type: 'notify_partners', reason: 'case_closed_withdrawn' });
    expect(r.events.map((e) => e.type)).toEqual([
      'case.action',
      ...effects.map(() => 'case.compensation'),
      'case.stage_changed',
      'case.closed',
    ]);
    expect(r.events.every((e) => e.stageBefore === stage && e.stageAfter === 'closed')).toBe(true);
    expect(c.state).toMatchObject({
      stage: 'closed',
      outcome: 'withdrawn',
      placeReserved: false,
      closedAt: c.now,
      deadlines: [],
      seq: seq + r.events.length,
    });
    expect(c.state.timeline.at(-r.events.length)).toMatchObject({ action: 'withdraw', actor: CW, reason: 'changed their mind' });
    expect(c.state.amounts.remaining).toBe(0);
    if (stage === 'departure') expect(c.state.booking?.status).toBe('cancelled');
  });

  test('not after departure is confirmed', () => {
    const c = new Case(it_).driveTo('post_arrival');
    expect(refused(c.try('withdraw', CW)).code).toBe('NOT_ALLOWED_NOW');
  });
});

describe('purity', () => {
  test('decide and tick never mutate their input', () => {
    const c = new Case(it_).driveTo('departure');
    const frozen = deepFreeze(JSON.parse(JSON.stringify(c.state)) as CaseState);
    const snapshot = JSON.stringify(frozen);
    const d = decide(frozen, it_, { action: 'withdraw', actor: CW }, c.now);
    expect(d.ok).toBe(true);
    tick(frozen, it_, addDuration(c.now, 'P60D'));
    expect(JSON.stringify(frozen)).toBe(snapshot);
  });

  test('the same command at the same time gives the same result', () => {
    const c = new Case(it_).driveTo('travel_booking');
    const a = c.try('book_travel', CW, { departureDate: '2025-04-01' });
    const b = c.try('book_travel', CW, { departureDate: '2025-04-01' });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('tick and nextWakeup', () => {
  test('a missed SLA raises one escalation, never blocks, and is resolved when the stage is left', () => {
    const c = new Case(it_);
    c.do('confirm_intake', CW);
    const due = '2025-04-02T09:00:00.000Z'; // counselling SLA P30D
    expect(nextWakeup(c.state, it_)).toBe(due);
    c.at('2025-04-02T08:59:59.000Z');
    const early = c.tick();
    expect(early.events).toEqual([]);
    c.at(due);
    const t = c.tick();
    expect(t.events).toEqual([
      {
        type: 'case.escalated',
        stageBefore: 'counselling',
        stageAfter: 'counselling',
        data: { key: 'sla:counselling:3', stage: 'counselling', reason: 'deadline_missed', dueAt: due },
      },
    ]);
    expect(t.effects).toEqual([]);
    expect(c.state.escalations).toEqual([{ key: 'sla:counselling:3', stage: 'counselling', raisedAt: due, reason: 'deadline_missed' }]);
    expect(nextWakeup(c.state, it_)).toBeUndefined();
    c.advance('P1D');
    expect(c.tick().events).toEqual([]);
    // never blocks: the case goes on and the escalation is resolved
    c.do('record_counselling_session', CW);
    c.do('sign_declaration', CW);
    expect(c.state.escalations[0]?.resolvedAt).toBe(c.now);
    expect(c.state.deadlines[0]?.stage).toBe('application');
  });

  test('a booking that expires while waiting to depart goes back to travel booking with an escalation', () => {
    const c = new Case(it_).driveTo('travel_booking');
    c.do('book_travel', CW, { departureDate: '2025-03-20', expiresAt: '2025-03-15T12:00:00Z' });
    // departure SLA is 30 days away; the booking expires first
    expect(nextWakeup(c.state, it_)).toBe('2025-03-15T12:00:00.000Z');
    c.at('2025-03-15T12:00:00.000Z');
    const t = c.tick();
    expect(t.events.map((e) => e.type)).toEqual(['case.escalated', 'case.stage_changed']);
    expect(t.events[0]?.data).toEqual({
      key: 'booking_expired:1',
      stage: 'travel_booking',
      reason: 'booking_expired',
      dueAt: '2025-03-15T12:00:00.000Z',
      rebookings: 1,
      maxRebookings: 2,
    });
    expect(c.state).toMatchObject({ stage: 'travel_booking', rebookings: 1, booking: { status: 'expired' } });
    c.do('book_travel', CW, { departureDate: '2025-03-25' });
    // default expiry from bookingValidity P30D
    expect(c.state.booking?.expiresAt).toBe(addDuration(c.now, 'P30D'));
    expect(c.state.escalations[0]).toMatchObject({ key: 'booking_expired:1', resolvedAt: c.now });
  });

  test('a missing monitoring report: reminder after reminderAfter, escalation after escalateAfter', () => {
    const c = new Case(EU_EURP());
    c.planAmount = 0;
    c.driveTo('monitoring');
    const due = c.state.checkpoints[0]!.dueAt;
    const remindAt = addDuration(due, 'P14D');
    const escalateAt = addDuration(due, 'P30D');
    expect(nextWakeup(c.state, c.programme)).toBe(remindAt);

    c.at(remindAt);
    const r = c.tick();
    expect(r.events).toEqual([
      {
        type: 'case.reminder',
        stageBefore: 'monitoring',
        stageAfter: 'monitoring',
        data: { key: 'checkpoint:P3M', checkpoint: 'P3M', dueAt: due },
      },
    ]);
    expect(c.state.checkpoints[0]?.remindedAt).toBe(remindAt);
    expect(nextWakeup(c.state, c.programme)).toBe(escalateAt);

    c.at(escalateAt);
    const e = c.tick();
    expect(e.events.map((x) => [x.type, x.data.key])).toEqual([['case.escalated', 'checkpoint:P3M']]);
    expect(c.tick().events).toEqual([]);
    c.do('submit_monitoring_report', PARTNER, { checkpoint: 'P3M', score: 40 });
    expect(c.state.escalations.find((x) => x.key === 'checkpoint:P3M')?.resolvedAt).toBe(c.now);
    expect(nextWakeup(c.state, c.programme)).toBe(addDuration(c.state.checkpoints[1]!.dueAt, 'P14D'));
  });

  test('several due items in one late tick are all handled', () => {
    const c = new Case(EU_EURP());
    c.planAmount = 0;
    c.driveTo('monitoring');
    c.at(addDuration(c.state.departedAt!, 'P2Y'));
    const t = c.tick();
    // P3M, P6M, P12M: a reminder and an escalation each
    expect(t.events.map((e) => e.type)).toEqual([
      'case.reminder',
      'case.escalated',
      'case.reminder',
      'case.escalated',
      'case.reminder',
      'case.escalated',
    ]);
    expect(c.state.seq).toBe(c.state.timeline.length);
  });

  test('after retention tick asks for erasure; applyErasure then removes personal data', () => {
    const c = new Case(it_, FAMILY).driveTo('counselling');
    c.do('withdraw', CW, undefined, 'Amina Benali moved away');
    const retentionEnd = addDuration(c.state.closedAt!, 'P5Y');
    expect(nextWakeup(c.state, it_)).toBe(retentionEnd);
    c.at(new Date(Date.parse(retentionEnd) - 1000).toISOString());
    expect(c.tick()).toMatchObject({ events: [], effects: [] });

    c.at(retentionEnd);
    const closed = c.state;
    const t = c.tick();
    // the stage stays closed: the workflow runs the erase activity, then applies the erasure
    expect(t).toEqual({ state: closed, events: [], effects: [{ type: 'erase', reason: 'retention_ended' }] });

    const erased = applyErasure(c.state, retentionEnd);
    expect(erased.events).toEqual([{ type: 'case.erased', stageBefore: 'closed', stageAfter: 'erased', data: {} }]);
    const s = erased.state;
    expect(s).toMatchObject({ stage: 'erased', erasedAt: retentionEnd, outcome: 'withdrawn', household: { members: [] } });
    expect(s.applicant).toBeUndefined();
    expect(s.entitlement.household).toEqual({ size: 3, adults: 2, minors: 1, childrenUnder12: 1 });
    expect(s.seq).toBe(closed.seq + 1);
    expect(s.seq).toBe(s.timeline.length);
    expectNoPersonalData(s);
    // the input was not touched, and erasing twice changes nothing
    expect(closed.household.members).toHaveLength(3);
    expect(applyErasure(s, retentionEnd)).toEqual({ state: s, events: [] });
    expect(() => applyErasure(new Case(it_).state, T0)).toThrow('applyErasure: the case is in stage intake, not closed');
    expect(nextWakeup(s, it_)).toBeUndefined();
    expect(tick(s, it_, retentionEnd)).toEqual({ state: s, events: [], effects: [] });
  });

  test('fast test programme: everything is measured in seconds', () => {
    const c = new Case(FAST(), {}, '2025-01-01T00:00:00.000Z');
    expect(c.state.deadlines[0]?.dueAt).toBe('2025-01-01T00:00:05.000Z');
    c.planAmount = 0;
    c.driveTo('monitoring');
    const departed = c.state.departedAt!;
    expect(c.state.checkpoints.map((x) => x.dueAt)).toEqual([addDuration(departed, 'PT5S'), addDuration(departed, 'PT10S')]);
    expect(nextWakeup(c.state, c.programme)).toBe(addDuration(departed, 'PT7S'));
  });
});

describe('lawful erasure request', () => {
  const P = IT_RVA();
  function closedCase() {
    const d = decide(initialState('case-x', caseInput(P.id), P, T0), P, { action: 'withdraw', actor: CW }, T0);
    if (!d.ok) throw new Error(d.message);
    return d.state;
  }

  test('needs a reason, then a supervisor approval, which asks for erasure', () => {
    const state = closedCase();
    expect(decide(state, P, { action: 'request_erasure', actor: CW }, T0)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    expect(decide(state, P, { action: 'approve_erasure', actor: SUP }, T0)).toMatchObject({ ok: false, code: 'NOT_ALLOWED_NOW' });
    const requested = decide(state, P, { action: 'request_erasure', actor: CW, reason: 'art. 17 request' }, T0);
    if (!requested.ok) throw new Error(requested.message);
    expect(requested.state.erasureRequestedAt).toBe(T0);
    expect(decide(requested.state, P, { action: 'request_erasure', actor: CW, reason: 'again' }, T0)).toMatchObject({ ok: false, code: 'ALREADY_DONE' });
    expect(decide(requested.state, P, { action: 'approve_erasure', actor: CW }, T0)).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
    const approved = decide(requested.state, P, { action: 'approve_erasure', actor: SUP }, T0);
    expect(approved).toMatchObject({ ok: true, effects: [{ type: 'erase', reason: 'erasure_request_approved' }] });
  });
});
