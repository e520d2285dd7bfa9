// A return programme as data (money, places, deadlines, follow-up, retention), validated
// strictly at load time so a typo in a JSON file fails loudly instead of changing a case.
import { z } from 'zod';
import { AmountRules } from './amounts';
import { HostCode } from './countries';
import { compareDurations, isIsoDuration, IsoDuration } from './duration';
import { STAGES, type Stage } from './vocabulary';

/** Stages a case can wait in; each may carry an SLA measured from entering it. */
export const WAITING_STAGES = STAGES.filter((s) => s !== 'closed' && s !== 'erased') as Exclude<
  Stage,
  'closed' | 'erased'
>[];
export type WaitingStage = (typeof WAITING_STAGES)[number];

const deadlineShape = Object.fromEntries(WAITING_STAGES.map((s) => [s, IsoDuration.optional()])) as Record<
  WaitingStage,
  z.ZodOptional<typeof IsoDuration>
>;

/** SLA per waiting stage; unknown keys (a misspelt stage) are rejected. */
export const Deadlines = z.strictObject(deadlineShape);

export const ADMISSION_BY = ['prefettura', 'supervisor'] as const;

export const Programme = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug like "it-rva-fami"').max(64),
    name: z.string().min(1).max(200),
    /** Host of the programme: ISO 3166-1 alpha-2, or EU. */
    country: HostCode,
    /** Where the public figures come from and how they were read. */
    notes: z.string().max(2000).optional(),
    /** prefettura: a partner (the Prefettura) or a supervisor admits; supervisor: only a supervisor. */
    admissionBy: z.enum(ADMISSION_BY),
    fundedPlaces: z.number().int().min(0),
    currency: z.literal('EUR'),
    amounts: AmountRules,
    deadlines: Deadlines,
    /** Default booking lifetime when book_travel gives no expiresAt. */
    bookingValidity: IsoDuration.optional(),
    followUp: z.strictObject({
      /** Monitoring checkpoints, measured from departure, in increasing order. */
      offsets: z.array(IsoDuration).max(24),
      /** After a checkpoint's due time: first a reminder, later an escalation. */
      reminderAfter: IsoDuration,
      escalateAfter: IsoDuration,
    }),
    maxRebookings: z.number().int().min(0).max(10),
    /** How long personal data is kept after closure before it is erased. */
    retention: IsoDuration,
    /** After erasure, partners that have not acknowledged it are reminded at this interval (default P7D). */
    erasureReminderAfter: IsoDuration.optional(),
    tranches: z
      .strictObject({
        /** The follow-up offset whose monitoring report releases second_tranche money. */
        secondTrancheOnCheckpoint: IsoDuration,
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    // Runs even when a duration was already reported invalid, so compare only valid ones.
    const before = (a: string | undefined, b: string | undefined): boolean | undefined =>
      isIsoDuration(a) && isIsoDuration(b) ? compareDurations(a, b) < 0 : undefined;
    const offsets = p.followUp.offsets;
    for (let i = 1; i < offsets.length; i++) {
      if (before(offsets[i - 1], offsets[i]) === false) {
        ctx.addIssue({
          code: 'custom',
          path: ['followUp', 'offsets', i],
          message: 'offsets must be strictly increasing',
        });
      }
    }
    if (before(p.followUp.reminderAfter, p.followUp.escalateAfter) === false) {
      ctx.addIssue({
        code: 'custom',
        path: ['followUp', 'escalateAfter'],
        message: 'must be later than reminderAfter',
      });
    }
    const usesSecondTranche = p.amounts.components.some((c) => c.split?.some((s) => s.when === 'second_tranche') || c.when === 'second_tranche');
    if (usesSecondTranche && !p.tranches) {
      ctx.addIssue({
        code: 'custom',
        path: ['tranches'],
        message: 'required when a component is paid as second_tranche',
      });
    }
    if (p.tranches && !offsets.includes(p.tranches.secondTrancheOnCheckpoint)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tranches', 'secondTrancheOnCheckpoint'],
        message: 'must be one of followUp.offsets',
      });
    }
  });
export type Programme = z.infer<typeof Programme>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out === '' ? String(k) : `.${String(k)}`;
  }
  return out;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : issue.message;
  return where ? `${where}: ${what}` : what;
}

/**
 * Validates a programme. Throws an Error naming the programme, the field path and the
 * problem, e.g. `programme it-rva-fami: deadlines.counselling: not an ISO-8601 duration "3 weeks"`.
 */
export function parseProgramme(json: unknown): Programme {
  const result = Programme.safeParse(json);
  if (result.success) return result.data;
  const rawId = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  const label = typeof rawId === 'string' && rawId.length > 0 ? rawId.slice(0, 64) : '(without id)';
  throw new Error(`programme ${label}: ${result.error.issues.map(formatIssue).join('; ')}`);
}
