// A small driver for unit tests: holds a case, a clock and the programme, applies commands
// through decide/tick, and walks a case forward to any stage along the normal path.
import { addDuration } from '../../workflows/domain/duration';
import type { Actor, DomainEvent, Effect } from '../../workflows/domain/events';
import type { Programme } from '../../workflows/domain/programme';
import { openCase, type CaseState } from '../../workflows/domain/state';
import { tick, type TickResult } from '../../workflows/domain/tick';
import { decide, type Decision } from '../../workflows/domain/transitions';
import { dateOf } from '../../workflows/domain/time';
import type { Action, Stage } from '../../workflows/domain/vocabulary';

export const T0 = '2025-03-03T09:00:00.000Z';
export const CW: Actor = { userId: 'cw-1', role: 'caseworker' };
export const SUP: Actor = { userId: 'sup-1', role: 'supervisor' };
export const PARTNER: Actor = { userId: 'partner-1', role: 'partner' };
export const AUDITOR: Actor = { userId: 'aud-1', role: 'auditor' };

/** Personal values in the inputs below: none may appear in events or messages. */
export const PERSONAL = ['Amina', 'Benali', '1990-05-01', 'Karim', '1988-11-12', 'Yasmin', '2016-04-20'];

export function caseInput(programmeId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    programmeId,
    countryOfReturn: 'TN',
    nationality: 'TN',
    office: 'Torino',
    referringBody: 'sai',
    principal: { givenName: 'Amina', familyName: 'Benali', dateOfBirth: '1990-05-01', sex: 'female' },
    dependants: [],
    vulnerabilities: [],
    medicalNeed: false,
    legalStatus: 'refused_asylum',
    appliedBeforeAsylumDecision: true,
    ...over,
  };
}

export const FAMILY = {
  dependants: [
    { givenName: 'Karim', familyName: 'Benali', dateOfBirth: '1988-11-12', relationship: 'spouse' },
    { givenName: 'Yasmin', familyName: 'Benali', dateOfBirth: '2016-04-20', relationship: 'child' },
  ],
};

export class Case {
  state: CaseState;
  now: string;
  /** Everything emitted since the case opened, in order. */
  readonly log: DomainEvent[] = [];
  readonly effects: Effect[] = [];
  /** Amount asked for in submit_plan when walking forward; undefined = the whole budget. */
  planAmount: number | undefined;

  constructor(
    readonly programme: Programme,
    over: Record<string, unknown> = {},
    now = T0,
  ) {
    this.now = now;
    const opened = openCase('case-1', caseInput(programme.id, over), programme, now, CW);
    this.state = opened.state;
    this.log.push(...opened.events);
  }

  advance(duration: string): this {
    this.now = addDuration(this.now, duration);
    return this;
  }

  at(instant: string): this {
    this.now = instant;
    return this;
  }

  try(action: Action | string, actor: Actor, payload?: unknown, reason?: string): Decision {
    return decide(
      this.state,
      this.programme,
      { action, actor, payload, ...(reason !== undefined ? { reason } : {}) },
      this.now,
    );
  }

  /** Applies a command that must be accepted; returns its events and effects. */
  do(action: Action, actor: Actor, payload?: unknown, reason?: string): { events: DomainEvent[]; effects: Effect[] } {
    const d = this.try(action, actor, payload, reason);
    if (!d.ok) throw new Error(`${action} refused in ${this.state.stage}: ${d.code} ${d.message}`);
    this.state = d.state;
    this.log.push(...d.events);
    this.effects.push(...d.effects);
    return { events: d.events, effects: d.effects };
  }

  tick(): TickResult {
    const t = tick(this.state, this.programme, this.now);
    this.state = t.state;
    this.log.push(...t.events);
    this.effects.push(...t.effects);
    return t;
  }

  /** Walks the normal path until the case is in `target` (one hour per step). */
  driveTo(target: Stage): this {
    for (let guard = 0; this.state.stage !== target; guard++) {
      if (guard > 40) throw new Error(`could not reach ${target} (stuck in ${this.state.stage})`);
      this.advance('PT1H');
      this.step();
    }
    return this;
  }

  private step(): void {
    const s = this.state;
    switch (s.stage) {
      case 'intake':
        this.do('confirm_intake', CW);
        return;
      case 'counselling':
        this.do('record_counselling_session', CW, { durationMinutes: 60 });
        this.do('sign_declaration', CW);
        return;
      case 'application':
        this.do('lodge_application', CW);
        return;
      case 'eligibility':
        this.do('record_eligibility', PARTNER, { eligible: true });
        return;
      case 'admission':
        this.do('admit', SUP);
        return;
      case 'travel_document':
        this.do('record_passport', CW, { expiresOn: '2031-12-31' });
        return;
      case 'medical':
        this.do('record_fitness', CW, { fit: true });
        return;
      case 'reintegration_plan':
        this.do('submit_plan', CW, { kind: 'business', amount: this.planAmount ?? s.entitlement.totals.inKind });
        this.do('approve_plan', SUP);
        return;
      case 'travel_booking':
        this.do('book_travel', CW, { departureDate: dateOf(addDuration(this.now, 'P7D')) });
        return;
      case 'departure':
        this.do('confirm_departure', CW);
        return;
      case 'post_arrival':
        this.do('confirm_arrival', PARTNER);
        return;
      case 'reintegration': {
        const plan = s.plan?.amount ?? 0;
        const released = s.payments.filter((p) => p.trancheId !== undefined).reduce((a, p) => a + p.amount, 0);
        const r = this.do('submit_tranche_report', PARTNER, { amount: plan - released, description: 'tools delivered' });
        this.do('approve_tranche', SUP, { trancheId: String(r.events[0]?.data.trancheId) });
        return;
      }
      case 'monitoring': {
        const next = s.checkpoints.find((c) => c.reportedAt === undefined);
        if (!next) throw new Error('monitoring without an open checkpoint');
        if (this.now < next.dueAt) this.at(next.dueAt);
        this.do('submit_monitoring_report', PARTNER, { checkpoint: next.offset, score: 70 });
        return;
      }
      case 'closure':
        this.do('close_case', SUP, { outcome: 'completed' });
        return;
      default:
        throw new Error(`no step from ${s.stage}`);
    }
  }
}

/** Fails if a personal value appears anywhere in the serialised value. */
export function expectNoPersonalData(value: unknown): void {
  const text = JSON.stringify(value);
  for (const p of PERSONAL) {
    if (text.includes(p)) throw new Error(`personal value found: ${p}`);
  }
}
