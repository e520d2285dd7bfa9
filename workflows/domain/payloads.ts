// Strict zod schemas for each human step's payload. The workflow validates with them and
// the API reuses them to document the action endpoints in OpenAPI.
import { z } from 'zod';
import { IsoDuration } from './duration';
import { isIsoDate, parseInstant } from './time';
import type { Action } from './vocabulary';

const CalendarDate = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');
const Instant = z
  .string()
  .refine((s) => parseInstant(s) !== undefined && s.includes('T'), 'expected an ISO-8601 date-time with a time zone');
const Euros = z.number().int().min(0).max(1_000_000);
const Empty = z.strictObject({});

export const EXCLUSIONS = ['eu_citizen', 'visa_exempt', 'previous_beneficiary', 'identity_not_confirmed', 'other'] as const;
export const PLAN_KINDS = ['business', 'education', 'housing', 'medical', 'mixed'] as const;
export const CLOSE_OUTCOMES = ['completed', 'other'] as const;

export const RecordCounsellingSessionPayload = z.strictObject({
  durationMinutes: z.number().int().min(1).max(480).optional(),
  interpreterUsed: z.boolean().optional(),
});

export const RecordEligibilityPayload = z
  .strictObject({
    eligible: z.boolean(),
    exclusion: z.enum(EXCLUSIONS).optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.eligible && p.exclusion === undefined) {
      ctx.addIssue({ code: 'custom', path: ['exclusion'], message: 'required when eligible is false' });
    }
    if (p.eligible && p.exclusion !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['exclusion'], message: 'only allowed when eligible is false' });
    }
  });

export const RecordPassportPayload = z.strictObject({ expiresOn: CalendarDate });
export const IssueLaissezPasserPayload = z.strictObject({ validUntil: CalendarDate });

export const RecordFitnessPayload = z
  .strictObject({
    fit: z.boolean(),
    escortNeeded: z.boolean().optional(),
    /** With fit=false: close the case as unfit instead of waiting. */
    close: z.boolean().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.fit && p.close === true) {
      ctx.addIssue({ code: 'custom', path: ['close'], message: 'only allowed when fit is false' });
    }
  });

export const SubmitPlanPayload = z.strictObject({
  kind: z.enum(PLAN_KINDS),
  amount: Euros,
  cooperationProjectId: z.string().min(1).max(100).optional(),
});

export const BookTravelPayload = z.strictObject({
  departureDate: CalendarDate,
  /** When the reservation lapses; defaults to now + the programme's bookingValidity. */
  expiresAt: Instant.optional(),
});

export const ConfirmDeparturePayload = z.strictObject({ departedAt: Instant.optional() });
export const ConfirmArrivalPayload = z.strictObject({ arrivedAt: Instant.optional() });

export const SubmitTrancheReportPayload = z.strictObject({
  amount: Euros.min(1),
  description: z.string().trim().min(1).max(500),
});
export const TrancheDecisionPayload = z.strictObject({ trancheId: z.string().min(1).max(20) });

export const SubmitMonitoringReportPayload = z.strictObject({
  /** The follow-up offset that names the checkpoint, e.g. P3M. */
  checkpoint: IsoDuration,
  score: z.number().int().min(0).max(100),
});

export const CloseCasePayload = z.strictObject({ outcome: z.enum(CLOSE_OUTCOMES) });

export const ACTION_PAYLOADS = {
  confirm_intake: Empty,
  record_counselling_session: RecordCounsellingSessionPayload,
  sign_declaration: Empty,
  lodge_application: Empty,
  record_eligibility: RecordEligibilityPayload,
  admit: Empty,
  refuse_admission: Empty,
  record_passport: RecordPassportPayload,
  request_laissez_passer: Empty,
  issue_laissez_passer: IssueLaissezPasserPayload,
  refuse_laissez_passer: Empty,
  record_fitness: RecordFitnessPayload,
  submit_plan: SubmitPlanPayload,
  approve_plan: Empty,
  reject_plan: Empty,
  book_travel: BookTravelPayload,
  pay_predeparture_allowance: Empty,
  confirm_departure: ConfirmDeparturePayload,
  record_no_show: Empty,
  record_absconding: Empty,
  confirm_arrival: ConfirmArrivalPayload,
  submit_tranche_report: SubmitTrancheReportPayload,
  approve_tranche: TrancheDecisionPayload,
  reject_tranche: TrancheDecisionPayload,
  stop_assistance: Empty,
  submit_monitoring_report: SubmitMonitoringReportPayload,
  close_case: CloseCasePayload,
  withdraw: Empty,
  request_erasure: Empty,
  approve_erasure: Empty,
} satisfies Record<Action, z.ZodType>;

export type ActionPayloads = { [A in Action]: z.infer<(typeof ACTION_PAYLOADS)[A]> };
