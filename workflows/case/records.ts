// What the workflow hands to the recording activity: numbered events plus the projection row.
// Shared by the workflow (types only at run time) and activities/events.ts.
import type { Effect } from '../domain/events';
import type { Action, EventType, Outcome, Role, Stage } from '../domain/vocabulary';

export interface Actor {
  userId: string;
  role: Role;
}

export interface RecordedEvent {
  seq: number;
  at: string;
  type: EventType;
  stageBefore: Stage;
  stageAfter: Stage;
  action?: Action;
  actor?: Actor;
  reason?: string;
  requestId?: string;
  /** Non-personal facts only: amounts, outcome, escalation keys. */
  data: Record<string, unknown>;
}

/** The columns of the `cases` read model; `summary` is the non-personal view of the state. */
export interface ProjectionRow {
  caseId: string;
  programmeId: string;
  country: string;
  office: string;
  stage: Stage;
  outcome?: Outcome;
  assignee?: string;
  partnerIds: string[];
  openEscalations: number;
  nextDeadline?: string;
  openedAt: string;
  closedAt?: string;
  departedAt?: string;
  lastSeq: number;
  /** Roles that can move the case on now (see pending-roles.ts): what the workqueues select on. None if absent. */
  pendingRoles?: Role[];
  summary: Record<string, unknown>;
}

/** Effects run inside the recording transaction (reserve_place runs before it, since it can refuse). */
export type RecordedEffect = Exclude<Effect, { type: 'reserve_place' }>;

export interface TransitionRecord {
  caseId: string;
  events: RecordedEvent[];
  projection: ProjectionRow;
  /** Personal data for the read model; only sent when the case opens. */
  personal?: Record<string, unknown>;
  effects: RecordedEffect[];
}
