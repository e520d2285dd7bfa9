// What opens a cooperation project: who runs it, its money and slots, and its own timing settings
// (report cadence, reminder, escalation, stage SLAs) as ISO-8601 durations. Validated at the API edge
// and again when the workflow opens, like a programme file, so a bad value fails loudly.
import { z } from 'zod';
import { CountryCode } from '../../domain/countries';
import { compareDurations, isIsoDuration, IsoDuration } from '../../domain/duration';
import type { ProjectWaitingStage } from './vocabulary';

const deadlineShape = {
  proposal: IsoDuration.optional(),
  due_diligence: IsoDuration.optional(),
  agreement: IsoDuration.optional(),
  final_evaluation: IsoDuration.optional(),
  closure: IsoDuration.optional(),
} satisfies Partial<Record<ProjectWaitingStage, z.ZodType>>;

/** SLA per waiting stage; implementation has the periodic reports instead. A misspelt stage is refused. */
export const ProjectDeadlines = z.strictObject(deadlineShape);

export const DEFAULT_PROJECT_DEADLINES = {
  proposal: 'P60D',
  due_diligence: 'P60D',
  agreement: 'P60D',
  final_evaluation: 'P90D',
  closure: 'P30D',
} as const;

export const ProjectSettings = z
  .strictObject({
    /** Period of the partner's narrative and financial reports, counted from the agreement's signature. */
    reportEvery: IsoDuration.default('P6M'),
    /** How many periodic reports the project owes before its final evaluation. */
    reportCount: z.number().int().min(1).max(40).default(4),
    /** After a report's due time: first a reminder, later an escalation (as a programme's follow-up). */
    reminderAfter: IsoDuration.default('P7D'),
    escalateAfter: IsoDuration.default('P21D'),
    deadlines: ProjectDeadlines.default(DEFAULT_PROJECT_DEADLINES),
  })
  .superRefine((s, ctx) => {
    if (isIsoDuration(s.reminderAfter) && isIsoDuration(s.escalateAfter) && compareDurations(s.reminderAfter, s.escalateAfter) >= 0) {
      ctx.addIssue({ code: 'custom', path: ['escalateAfter'], message: 'must be later than reminderAfter' });
    }
    if (isIsoDuration(s.reportEvery) && compareDurations('PT0S', s.reportEvery) >= 0) {
      ctx.addIssue({ code: 'custom', path: ['reportEvery'], message: 'must be longer than zero' });
    }
  });
export type ProjectSettings = z.infer<typeof ProjectSettings>;

const PartnerId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'expected a partner ID');

export const ProjectInputSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  /** The partner in the country of origin: it reports, and receives the project's webhooks. */
  partnerId: PartnerId,
  /** Where the project runs; returnees enrolled in it return to this country. */
  country: CountryCode,
  /** The Italian municipality (Comune) that leads the project. */
  municipality: z.string().trim().min(1).max(100),
  /** The call that funds it, e.g. AICS. */
  funder: z.string().trim().min(1).max(100).optional(),
  /** Total funding in euros: released tranches never exceed it. */
  budget: z.number().int().min(1).max(100_000_000),
  /** Returnees the project can take at once. */
  slots: z.number().int().min(1).max(10_000),
  settings: ProjectSettings.optional(),
});
export type ProjectInput = z.input<typeof ProjectInputSchema>;
