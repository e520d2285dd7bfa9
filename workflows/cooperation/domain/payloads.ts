// Strict zod schemas for each project step's payload: the workflow validates with them and the API
// reuses them to document the action endpoints in OpenAPI.
import { z } from 'zod';
import type { ProjectAction } from './vocabulary';

const Empty = z.strictObject({});
const Euros = z.number().int().min(1).max(100_000_000);
const TrancheId = z.strictObject({ trancheId: z.string().min(1).max(20) });

export const RecordDueDiligencePayload = z.strictObject({ passed: z.boolean() });

export const SubmitMilestoneReportPayload = z.strictObject({
  /** What was reached, about the project (never about a person), e.g. "workshop equipped". */
  milestone: z.string().trim().min(1).max(200),
  /** The tranche the milestone releases, in euros. */
  amount: Euros,
});

export const SubmitPeriodicReportPayload = z.strictObject({ report: z.number().int().min(1).max(40) });
export const SubmitFinalEvaluationPayload = z.strictObject({ score: z.number().int().min(0).max(100) });

export const PROJECT_ACTION_PAYLOADS = {
  submit_for_due_diligence: Empty,
  record_due_diligence: RecordDueDiligencePayload,
  sign_agreement: Empty,
  submit_milestone_report: SubmitMilestoneReportPayload,
  approve_tranche: TrancheId,
  reject_tranche: TrancheId,
  submit_periodic_report: SubmitPeriodicReportPayload,
  start_final_evaluation: Empty,
  submit_final_evaluation: SubmitFinalEvaluationPayload,
  close_project: Empty,
  terminate_project: Empty,
} satisfies Record<ProjectAction, z.ZodType>;

export type ProjectActionPayloads = { [A in ProjectAction]: z.infer<(typeof PROJECT_ACTION_PAYLOADS)[A]> };
