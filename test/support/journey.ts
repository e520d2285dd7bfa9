// Drives cases through the API as the right person for each step, so tests read like the lifecycle.
import { EMAIL, PARTNER_KEY, type Harness } from './harness';
import { singleAdult } from './cases';
import type { CaseInput } from '../../workflows/domain/state';
import type { Action, Stage } from '../../workflows/domain/vocabulary';

export type Who = 'caseworker' | 'supervisor' | 'partner' | 'prefettura';

export class Journey {
  constructor(readonly h: Harness) {}

  async credential(who: Who): Promise<string> {
    if (who === 'partner') return PARTNER_KEY.iom;
    if (who === 'prefettura') return PARTNER_KEY.prefettura;
    return this.h.token(who === 'caseworker' ? EMAIL.caseworker : EMAIL.supervisor);
  }

  async open(input: Partial<CaseInput> = {}): Promise<string> {
    const r = await this.h.http('POST', '/api/v1/cases', {
      token: await this.credential('caseworker'),
      body: singleAdult({ partnerIds: ['iom-dakar', 'prefettura-roma'], ...input }),
    });
    if (r.status !== 201) throw new Error(`open failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.caseId;
  }

  /** Performs a step and returns the HTTP answer (status and body), whatever it is. */
  async try(caseId: string, action: Action, who: Who, payload?: unknown, reason?: string) {
    return this.h.http('POST', `/api/v1/cases/${caseId}/actions/${action}`, {
      token: await this.credential(who),
      body: { ...(payload === undefined ? {} : { payload }), ...(reason ? { reason } : {}) },
    });
  }

  /** Performs a step that must succeed; returns the new case view. */
  async act(caseId: string, action: Action, who: Who, payload?: unknown, reason?: string) {
    const r = await this.try(caseId, action, who, payload, reason);
    if (r.status !== 200) throw new Error(`${action} by ${who} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async get(caseId: string) {
    const r = await this.h.http('GET', `/api/v1/cases/${caseId}`, { token: await this.credential('supervisor') });
    return r.body;
  }

  /** Takes an open case forward until it reaches `target` (a stage on the main path). */
  async advance(caseId: string, target: Stage): Promise<Record<string, any>> {
    let view = await this.get(caseId);
    for (let guard = 0; view.stage !== target; guard++) {
      if (guard > 30) throw new Error(`stuck at ${view.stage} on the way to ${target}`);
      view = await this.step(caseId, view);
    }
    return view;
  }

  private async step(caseId: string, view: Record<string, any>): Promise<Record<string, any>> {
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    switch (view.stage as Stage) {
      case 'intake': return this.act(caseId, 'confirm_intake', 'caseworker');
      case 'counselling':
        if (view.counselling.sessions === 0) return this.act(caseId, 'record_counselling_session', 'caseworker', { durationMinutes: 60 });
        return this.act(caseId, 'sign_declaration', 'caseworker');
      case 'application': return this.act(caseId, 'lodge_application', 'caseworker');
      case 'eligibility': return this.act(caseId, 'record_eligibility', 'prefettura', { eligible: true });
      case 'admission': return this.act(caseId, 'admit', 'prefettura');
      case 'travel_document': return this.act(caseId, 'record_passport', 'caseworker', { expiresOn: inDays(400) });
      case 'medical': return this.act(caseId, 'record_fitness', 'caseworker', { fit: true });
      case 'reintegration_plan':
        if (view.plan?.status !== 'submitted') return this.act(caseId, 'submit_plan', 'caseworker', { kind: 'business', amount: 1500 });
        return this.act(caseId, 'approve_plan', 'supervisor');
      case 'travel_booking': return this.act(caseId, 'book_travel', 'caseworker', { departureDate: inDays(7) });
      case 'departure': return this.act(caseId, 'confirm_departure', 'caseworker');
      case 'post_arrival': return this.act(caseId, 'confirm_arrival', 'partner');
      default: throw new Error(`no main-path step from ${view.stage}`);
    }
  }

  /** Polls the read model until `check` holds (timers fire on the server's clock). */
  async until(caseId: string, check: (view: Record<string, any>) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.get(caseId);
      if (check(view)) return view;
      if (Date.now() > deadline) throw new Error(`condition not met; case is at ${view.stage}: ${JSON.stringify(view.escalations)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
