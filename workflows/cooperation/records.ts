// What the cooperation workflow hands to its recording activity: numbered events plus the projection row.
// Shared by the workflow (types only at run time) and activities/cooperation-record.ts.
import type { Actor } from '../domain/events';
import type { ProjectEffect, ProjectEventData } from './domain/engine';
import type { ProjectAction, ProjectEventType, ProjectOutcome, ProjectStage } from './domain/vocabulary';

export interface RecordedProjectEvent {
  seq: number;
  at: string;
  type: ProjectEventType;
  stageBefore: ProjectStage;
  stageAfter: ProjectStage;
  action?: ProjectAction;
  actor?: Actor;
  reason?: string;
  requestId?: string;
  data: ProjectEventData;
}

/** The columns of the `cooperation_projects` read model; `summary` is the rest of the state. */
export interface ProjectRow {
  projectId: string;
  title: string;
  partnerId: string;
  country: string;
  municipality: string;
  funder?: string;
  stage: ProjectStage;
  outcome?: ProjectOutcome;
  budget: number;
  released: number;
  slots: number;
  slotsUsed: number;
  openEscalations: number;
  nextDeadline?: string;
  openedAt: string;
  closedAt?: string;
  lastSeq: number;
  summary: Record<string, unknown>;
}

export interface ProjectTransitionRecord {
  projectId: string;
  events: RecordedProjectEvent[];
  projection: ProjectRow;
  effects: ProjectEffect[];
}
