// A small driver for the cooperation project's pure rules: holds a project and a clock, applies steps
// through decideProject / decideEnrolment / tickProject, and walks a project into implementation.
import type { Actor } from '../../workflows/domain/events';
import { addDuration } from '../../workflows/domain/duration';
import type { ProjectEvent } from '../../workflows/cooperation/domain/engine';
import { decideEnrolment, decideRelease, type LinkDecision } from '../../workflows/cooperation/domain/enrolment';
import type { ProjectInput } from '../../workflows/cooperation/domain/settings';
import { openProject, type ProjectState } from '../../workflows/cooperation/domain/state';
import { tickProject } from '../../workflows/cooperation/domain/tick';
import { decideProject, type ProjectDecision } from '../../workflows/cooperation/domain/transitions';
import type { ProjectAction } from '../../workflows/cooperation/domain/vocabulary';

export const T0 = '2025-03-03T09:00:00.000Z';
export const PROJECT_ID = 'coop-00000000-0000-4000-8000-000000000001';
export const CW: Actor = { userId: 'cw-1', role: 'caseworker' };
export const SUP: Actor = { userId: 'sup-1', role: 'supervisor' };
export const PARTNER: Actor = { userId: 'partner:ong-dakar', role: 'partner' };
export const AUDITOR: Actor = { userId: 'aud-1', role: 'auditor' };

export function projectInput(over: Partial<ProjectInput> = {}): ProjectInput {
  return {
    title: 'Tailoring cooperative in Thiès',
    partnerId: 'ong-dakar',
    country: 'SN',
    municipality: 'Comune di Torino',
    funder: 'AICS',
    budget: 100_000,
    slots: 2,
    settings: { reportEvery: 'P3M', reportCount: 2, reminderAfter: 'P7D', escalateAfter: 'P14D' },
    ...over,
  };
}

export class Project {
  state: ProjectState;
  now = T0;
  readonly log: ProjectEvent[] = [];

  constructor(over: Partial<ProjectInput> = {}) {
    const opened = openProject(PROJECT_ID, projectInput(over), this.now, CW);
    this.state = opened.state;
    this.log.push(...opened.events);
  }

  advance(duration: string): this {
    this.now = addDuration(this.now, duration);
    return this;
  }

  try(action: ProjectAction | string, actor: Actor, payload?: unknown, reason?: string): ProjectDecision {
    return decideProject(this.state, { action, actor, payload, ...(reason !== undefined ? { reason } : {}) }, this.now);
  }

  /** Applies a step that must succeed. */
  do(action: ProjectAction, actor: Actor, payload?: unknown, reason?: string): this {
    return this.keep(this.try(action, actor, payload, reason), action);
  }

  enrol(caseId: string, country = 'SN'): LinkDecision {
    const d = decideEnrolment(this.state, { caseId, country, actor: SUP }, this.now);
    if (d.ok) this.keep(d, 'enrol');
    return d;
  }

  release(caseId: string, because = 'withdrawn'): LinkDecision {
    const d = decideRelease(this.state, { caseId, because }, this.now);
    if (d.ok) this.keep(d, 'release');
    return d;
  }

  tick(): ProjectEvent[] {
    const t = tickProject(this.state, this.now);
    this.state = t.state;
    this.log.push(...t.events);
    return t.events;
  }

  /** Proposal → due diligence (passed) → agreement signed: the project is in implementation. */
  toImplementation(): this {
    return this.do('submit_for_due_diligence', CW).do('record_due_diligence', SUP, { passed: true }).do('sign_agreement', SUP);
  }

  private keep(d: ProjectDecision | LinkDecision, what: string): this {
    if (!d.ok) throw new Error(`${what} refused: ${d.code} ${d.message}`);
    this.state = d.state;
    this.log.push(...d.events);
    return this;
  }
}
