// Drives cooperation projects through the API as the right person for each step, and links return cases
// to them (a plan naming the project, approved by a supervisor). Projects run in Senegal with the demo
// partner IOM Dakar, like the test cases.
import { PARTNER_KEY, type Harness } from './harness';
import type { Journey, Who } from './journey';
import type { ProjectInput } from '../../workflows/cooperation/domain/settings';
import type { ProjectAction } from '../../workflows/cooperation/domain/vocabulary';

export const PROJECT_PARTNER = 'iom-dakar';

export function projectBody(over: Partial<ProjectInput> = {}): ProjectInput {
  return {
    title: 'Tailoring cooperative in Thiès',
    partnerId: PROJECT_PARTNER,
    country: 'SN',
    municipality: 'Comune di Roma',
    funder: 'AICS',
    budget: 100_000,
    slots: 2,
    // Deadlines in seconds, so timers fire while a test waits; long reminders keep quiet tests quiet.
    settings: { reportEvery: 'PT2S', reportCount: 1, reminderAfter: 'PT60S', escalateAfter: 'PT120S' },
    ...over,
  };
}

export class Projects {
  constructor(
    readonly h: Harness,
    readonly j: Journey,
  ) {}

  async open(over: Partial<ProjectInput> = {}): Promise<string> {
    const r = await this.h.http('POST', '/api/v1/cooperation-projects', { token: await this.j.credential('caseworker'), body: projectBody(over) });
    if (r.status !== 201) throw new Error(`open project failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.projectId;
  }

  async try(projectId: string, action: ProjectAction, who: Who, payload?: unknown, reason?: string) {
    return this.h.http('POST', `/api/v1/cooperation-projects/${projectId}/actions/${action}`, {
      token: await this.j.credential(who),
      body: { ...(payload === undefined ? {} : { payload }), ...(reason ? { reason } : {}) },
    });
  }

  async act(projectId: string, action: ProjectAction, who: Who, payload?: unknown, reason?: string) {
    const r = await this.try(projectId, action, who, payload, reason);
    if (r.status !== 200) throw new Error(`${action} by ${who} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async get(projectId: string, token?: string) {
    return (await this.h.http('GET', `/api/v1/cooperation-projects/${projectId}`, { token: token ?? (await this.j.credential('supervisor')) })).body;
  }

  /** Proposal → due diligence (passed) → agreement signed. */
  async toImplementation(projectId: string) {
    await this.act(projectId, 'submit_for_due_diligence', 'caseworker');
    await this.act(projectId, 'record_due_diligence', 'supervisor', { passed: true });
    return this.act(projectId, 'sign_agreement', 'supervisor');
  }

  /** Opens a return case and takes it to a submitted plan that names the project. */
  async returneeWithPlan(projectId: string): Promise<string> {
    const caseId = await this.j.open();
    await this.j.advance(caseId, 'reintegration_plan');
    await this.j.act(caseId, 'submit_plan', 'caseworker', { kind: 'business', amount: 1500, cooperationProjectId: projectId });
    return caseId;
  }

  /** The supervisor's approval of the plan: the step that asks the project for a slot. */
  approve(caseId: string) {
    return this.j.try(caseId, 'approve_plan', 'supervisor');
  }

  partnerKey(): string {
    return PARTNER_KEY.iom;
  }
}
