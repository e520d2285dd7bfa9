// A cooperation project's state (plain JSON, carried across continue-as-new) and how a project opens.
// It holds no personal data: beneficiaries are case IDs, whose people live only in their own cases.
import type { Actor } from '../../domain/events';
import { addDuration } from '../../domain/duration';
import { toInstant } from '../../domain/time';
import { ProjectInputSchema, ProjectSettings } from './settings';
import type { BeneficiaryStatus, ProjectAction, ProjectEventType, ProjectOutcome, ProjectStage } from './vocabulary';
import { PROJECT_ID_RE } from './vocabulary';

export interface ProjectTranche {
  readonly id: string;
  /** The milestone the partner reports as reached, e.g. "cooperative registered". */
  readonly milestone: string;
  readonly amount: number;
  status: 'submitted' | 'released' | 'rejected' | 'cancelled';
  readonly submittedAt: string;
  decidedAt?: string;
}

export interface Beneficiary {
  readonly caseId: string;
  status: BeneficiaryStatus;
  readonly enrolledAt: string;
  leftAt?: string;
  /** Why the slot was given back: the case's outcome (withdrawn, completed...) or project_closed. */
  leftBecause?: string;
}

export interface PeriodicReport {
  /** 1-based number of the report; its period is [dueAt - reportEvery, dueAt). */
  readonly no: number;
  readonly dueAt: string;
  submittedAt?: string;
  remindedAt?: string;
  escalatedAt?: string;
}

export interface ProjectDeadline {
  readonly key: string;
  readonly stage: ProjectStage;
  readonly dueAt: string;
}

export interface ProjectEscalation {
  readonly key: string;
  readonly stage: ProjectStage;
  readonly raisedAt: string;
  /** A code: deadline_missed, report_missing. */
  readonly reason: string;
  resolvedAt?: string;
}

export interface ProjectTimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: ProjectEventType;
  readonly action?: ProjectAction;
  readonly actor?: Actor;
  readonly reason?: string;
  readonly stageBefore: ProjectStage;
  readonly stageAfter: ProjectStage;
}

export interface ProjectState {
  projectId: string;
  title: string;
  partnerId: string;
  country: string;
  municipality: string;
  funder?: string;
  budget: number;
  slots: number;
  settings: ProjectSettings;
  stage: ProjectStage;
  outcome?: ProjectOutcome;
  /** Code explaining the outcome, e.g. due_diligence_failed, terminated_by_supervisor. */
  outcomeReason?: string;
  openedAt: string;
  stageEnteredAt: string;
  closedAt?: string;
  /** Sequence number of the last event; the next event is seq + 1. */
  seq: number;
  dueDiligence?: { passed: boolean; decidedAt: string };
  agreementSignedAt?: string;
  tranches: ProjectTranche[];
  /** budget: the ceiling; released: paid out; pending: asked for, awaiting a decision; available: what is left to ask. */
  funds: { budget: number; released: number; pending: number; available: number };
  beneficiaries: Beneficiary[];
  reports: PeriodicReport[];
  evaluation?: { score: number; submittedAt: string };
  deadlines: ProjectDeadline[];
  escalations: ProjectEscalation[];
  timeline: ProjectTimelineEntry[];
}

export function slotsUsed(s: ProjectState): number {
  return s.beneficiaries.filter((b) => b.status === 'enrolled').length;
}

export function summariseFunds(s: ProjectState): ProjectState['funds'] {
  const sum = (status: ProjectTranche['status']) => s.tranches.filter((t) => t.status === status).reduce((a, t) => a + t.amount, 0);
  const released = sum('released');
  const pending = sum('submitted');
  return { budget: s.budget, released, pending, available: Math.max(0, s.budget - released - pending) };
}

/**
 * Opens a project in `proposal`, with its project.opened event as seq 1. Throws an Error naming the
 * field paths when the input is invalid (the API validated it already; this guards the workflow).
 */
export function openProject(projectId: string, input: unknown, now: string, actor?: Actor) {
  const at = toInstant(now, 'now');
  if (!PROJECT_ID_RE.test(projectId)) throw new Error('projectId: expected coop- and a UUID');
  const parsed = ProjectInputSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid project input: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const p = parsed.data;
  const settings = p.settings ?? ProjectSettings.parse({});
  const sla = settings.deadlines.proposal;
  const state: ProjectState = {
    projectId,
    title: p.title,
    partnerId: p.partnerId,
    country: p.country,
    municipality: p.municipality,
    ...(p.funder !== undefined ? { funder: p.funder } : {}),
    budget: p.budget,
    slots: p.slots,
    settings,
    stage: 'proposal',
    openedAt: at,
    stageEnteredAt: at,
    seq: 1,
    tranches: [],
    funds: { budget: p.budget, released: 0, pending: 0, available: p.budget },
    beneficiaries: [],
    reports: [],
    // Keyed like every SLA: stage and the seq of the event that entered it (project.opened is seq 1).
    deadlines: sla ? [{ key: 'sla:proposal:1', stage: 'proposal', dueAt: addDuration(at, sla) }] : [],
    escalations: [],
    timeline: [{ seq: 1, at, type: 'project.opened', ...(actor ? { actor } : {}), stageBefore: 'proposal', stageAfter: 'proposal' }],
  };
  const event = {
    type: 'project.opened' as const,
    stageBefore: 'proposal' as const,
    stageAfter: 'proposal' as const,
    ...(actor ? { actor } : {}),
    data: { partnerId: p.partnerId, country: p.country, budget: p.budget, slots: p.slots },
  };
  return { state, events: [event] };
}
