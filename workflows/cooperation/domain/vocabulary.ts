// The one list of names of a cooperation project: stages, actions, outcomes and event types.
// Workflow, API, database and webhooks import these; roles are the return case's (../../domain/vocabulary).
import { z } from 'zod';

/**
 * A project's stages. Steps 4-6 of the lifecycle (tranches, enrolment, periodic reports) run side by
 * side in `implementation`: returnees are enrolled whenever their plan is approved, tranches follow
 * milestones and reports follow the calendar, so none of them can wait for another to finish.
 */
export const PROJECT_STAGES = [
  'proposal',
  'due_diligence',
  'agreement',
  'implementation',
  'final_evaluation',
  'closure',
  'closed',
] as const;
export const ProjectStage = z.enum(PROJECT_STAGES);
export type ProjectStage = z.infer<typeof ProjectStage>;

/** Stages a project can wait in: each may carry an SLA measured from entering it. */
export const PROJECT_WAITING_STAGES = PROJECT_STAGES.filter((s) => s !== 'closed') as Exclude<ProjectStage, 'closed'>[];
export type ProjectWaitingStage = (typeof PROJECT_WAITING_STAGES)[number];

export const PROJECT_OUTCOMES = ['completed', 'rejected', 'terminated'] as const;
export const ProjectOutcome = z.enum(PROJECT_OUTCOMES);
export type ProjectOutcome = z.infer<typeof ProjectOutcome>;

/** Human steps, taken over the API. Enrolment and release are messages from case workflows, not actions. */
export const PROJECT_ACTIONS = [
  'submit_for_due_diligence',
  'record_due_diligence',
  'sign_agreement',
  'submit_milestone_report',
  'approve_tranche',
  'reject_tranche',
  'submit_periodic_report',
  'start_final_evaluation',
  'submit_final_evaluation',
  'close_project',
  'terminate_project',
] as const;
export const ProjectAction = z.enum(PROJECT_ACTIONS);
export type ProjectAction = z.infer<typeof ProjectAction>;

export const PROJECT_EVENT_TYPES = [
  'project.opened',
  'project.action',
  'project.stage_changed',
  'project.tranche_released',
  'project.beneficiary_enrolled',
  'project.beneficiary_left',
  'project.reminder',
  'project.escalated',
  'project.closed',
] as const;
export const ProjectEventType = z.enum(PROJECT_EVENT_TYPES);
export type ProjectEventType = z.infer<typeof ProjectEventType>;

export const BENEFICIARY_STATUSES = ['enrolled', 'left'] as const;
export type BeneficiaryStatus = (typeof BENEFICIARY_STATUSES)[number];

/** Project IDs are minted by the API; the prefix keeps a plan from naming a case (or any other workflow) as its project. */
export const PROJECT_ID_RE = /^coop-[0-9a-f-]{36}$/;
export const ProjectId = z.string().regex(PROJECT_ID_RE, 'not a cooperation project ID');
