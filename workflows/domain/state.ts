// The case state (plain JSON, serialisable into workflow history) and the input that opens
// a case. Personal data lives only in household.members and applicant, so erasure knows
// exactly what to remove.
import { z } from 'zod';
import { computeAmounts, type AmountsResult, type ComponentKind, type PaymentMoment } from './amounts';
import { CountryCode, NationalityCode } from './countries';
import { addDuration } from './duration';
import type { Actor, DomainEvent } from './events';
import type { EXCLUSIONS, PLAN_KINDS } from './payloads';
import type { Programme } from './programme';
import { isIsoDate, toInstant } from './time';
import type { Action, EventType, Outcome, Stage } from './vocabulary';

export const REFERRING_BODIES = ['comune', 'sai', 'ngo', 'iom', 'prefettura', 'other'] as const;
export const VULNERABILITIES = [
  'minor_unaccompanied',
  'medical',
  'disability',
  'victim_of_trafficking',
  'elderly',
  'pregnant',
  'single_parent',
] as const;
export const LEGAL_STATUSES = ['asylum_seeker', 'refused_asylum', 'irregular', 'other'] as const;
export const RELATIONSHIPS = ['spouse', 'child', 'other'] as const;
export const SEXES = ['female', 'male', 'other'] as const;

const Name = z.string().trim().min(1).max(100);
const BirthDate = z
  .string()
  .refine((s) => isIsoDate(s) && s >= '1900-01-01', 'expected a calendar date YYYY-MM-DD from 1900 on');
const Id = z.string().min(1).max(100);

export const PersonInputSchema = z.strictObject({
  givenName: Name,
  familyName: Name,
  dateOfBirth: BirthDate,
  sex: z.enum(SEXES).optional(),
});

export const DependantInputSchema = PersonInputSchema.extend({
  relationship: z.enum(RELATIONSHIPS),
}).strict();

export const CaseInputSchema = z.strictObject({
  programmeId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a programme id').max(64),
  countryOfReturn: CountryCode,
  nationality: NationalityCode,
  office: z.string().trim().min(1).max(100),
  referringBody: z.enum(REFERRING_BODIES),
  principal: PersonInputSchema,
  dependants: z.array(DependantInputSchema).max(20),
  vulnerabilities: z
    .array(z.enum(VULNERABILITIES))
    .max(VULNERABILITIES.length)
    .refine((v) => new Set(v).size === v.length, 'each vulnerability at most once'),
  medicalNeed: z.boolean(),
  legalStatus: z.enum(LEGAL_STATUSES),
  appliedBeforeAsylumDecision: z.boolean().optional(),
  notes: z.string().max(2000).optional(),
  /** Staff member who will carry the case. */
  assignee: Id.optional(),
  /** Partner agencies that receive this case's updates. */
  partnerIds: z.array(Id).max(20).optional(),
});
export type CaseInput = z.infer<typeof CaseInputSchema>;

export interface Issue {
  readonly path: string;
  readonly message: string;
}

export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
}

/**
 * Validates a case input against the schema and the clock-dependent rule that nobody is
 * born in the future. Messages name fields, never values.
 */
export function validateCaseInput(
  input: unknown,
  now: string,
): { ok: true; value: CaseInput } | { ok: false; issues: Issue[] } {
  const parsed = CaseInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message })) };
  }
  const today = toInstant(now, 'now').slice(0, 10);
  const issues: Issue[] = [];
  if (parsed.data.principal.dateOfBirth > today) {
    issues.push({ path: 'principal.dateOfBirth', message: 'is in the future' });
  }
  parsed.data.dependants.forEach((d, i) => {
    if (d.dateOfBirth > today) issues.push({ path: `dependants[${i}].dateOfBirth`, message: 'is in the future' });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

export interface HouseholdMember {
  readonly role: 'principal' | 'dependant';
  readonly relationship?: (typeof RELATIONSHIPS)[number];
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth: string;
  readonly sex?: (typeof SEXES)[number];
}

export type PlanKind = (typeof PLAN_KINDS)[number];
/** draft is for a plan kept before submission; the workflow itself records submitted plans. */
export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'rejected';
export type BookingStatus = 'active' | 'expired' | 'no_show' | 'used' | 'cancelled';
export type Exclusion = (typeof EXCLUSIONS)[number];

export interface Payment {
  /** Unique per case: `${componentId}:${when}` for programme money, `tranche:${trancheId}` for tranches. */
  readonly id: string;
  readonly kind: ComponentKind;
  readonly when: PaymentMoment;
  readonly amount: number;
  /** paid = ordered through a pay effect; scheduled = held back until its trigger; cancelled = stopped. */
  status: 'paid' | 'scheduled' | 'cancelled';
  readonly componentId?: string;
  readonly trancheId?: string;
  /** For scheduled money: when it is expected (informative; the trigger is a report). */
  dueAt?: string;
  paidAt?: string;
}

export interface Tranche {
  readonly id: string;
  readonly amount: number;
  /** Partner's free-text description of what was delivered; erased with personal data. */
  description?: string;
  status: 'submitted' | 'approved' | 'rejected' | 'cancelled';
  readonly submittedAt: string;
  decidedAt?: string;
}

export interface Checkpoint {
  /** The programme's follow-up offset, e.g. P3M: also the checkpoint's name. */
  readonly offset: string;
  readonly dueAt: string;
  reportedAt?: string;
  score?: number;
  remindedAt?: string;
  escalatedAt?: string;
}

export interface Deadline {
  readonly key: string;
  readonly stage: Stage;
  readonly dueAt: string;
}

export interface Escalation {
  readonly key: string;
  readonly stage: Stage;
  readonly raisedAt: string;
  /** A code: deadline_missed, booking_expired, monitoring_report_missing. */
  readonly reason: string;
  resolvedAt?: string;
}

export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: EventType;
  readonly action?: Action;
  readonly actor?: Actor;
  reason?: string;
  readonly stageBefore: Stage;
  readonly stageAfter: Stage;
}

export interface CaseState {
  caseId: string;
  programmeId: string;
  /** Country of return. */
  country: string;
  nationality: string;
  office: string;
  referringBody: (typeof REFERRING_BODIES)[number];
  assignee?: string;
  partnerIds: string[];
  stage: Stage;
  outcome?: Outcome;
  /** Code explaining the outcome, e.g. no_show_limit, eu_citizen, laissez_passer_refused. */
  outcomeReason?: string;
  openedAt: string;
  closedAt?: string;
  erasedAt?: string;
  /** A lawful erasure request recorded on the closed case, awaiting a supervisor's approval. */
  erasureRequestedAt?: string;
  stageEnteredAt: string;
  /** Sequence number of the last event; the next event is seq + 1. */
  seq: number;
  household: {
    members: HouseholdMember[];
    appliedBeforeAsylumDecision?: boolean;
  };
  /** Sensitive details of the principal applicant; removed on erasure. */
  applicant?: {
    legalStatus: (typeof LEGAL_STATUSES)[number];
    vulnerabilities: (typeof VULNERABILITIES)[number][];
    notes?: string;
  };
  flags: { medicalNeed: boolean };
  counselling: { sessions: number; lastSessionAt?: string; declarationSignedAt?: string };
  application?: { lodgedAt: string };
  eligibility?: { eligible: boolean; exclusion?: Exclusion; decidedAt: string };
  placeReserved: boolean;
  admittedAt?: string;
  travelDocument?: {
    kind: 'passport' | 'laissez_passer';
    status: 'valid' | 'requested' | 'refused';
    /** Last valid day of the document (no document number is ever stored). */
    validUntil?: string;
    requestedAt?: string;
    recordedAt: string;
  };
  fitness?: { fit: boolean; escortNeeded: boolean; assessedAt: string };
  plan?: {
    kind: PlanKind;
    amount: number;
    status: PlanStatus;
    cooperationProjectId?: string;
    submittedAt: string;
    decidedAt?: string;
  };
  booking?: { departureDate: string; expiresAt: string; status: BookingStatus; bookedAt: string };
  /** Times the case went back to travel booking after a booking (no-show or expiry). */
  rebookings: number;
  departedAt?: string;
  arrivedAt?: string;
  assistanceStopped: boolean;
  /** The programme's amounts for this household, computed at intake and again when the application is lodged. */
  entitlement: AmountsResult;
  /** planned: what the case is expected to cost in total; paid: ordered so far; remaining = planned - paid. */
  amounts: { planned: number; paid: number; remaining: number };
  payments: Payment[];
  tranches: Tranche[];
  checkpoints: Checkpoint[];
  /** SLA deadlines of the current stage. */
  deadlines: Deadline[];
  escalations: Escalation[];
  timeline: TimelineEntry[];
}

/** Recomputes the case's money summary from entitlement, plan and payments. */
export function summariseAmounts(s: CaseState): CaseState['amounts'] {
  const paid = s.payments.filter((p) => p.status === 'paid').reduce((a, p) => a + p.amount, 0);
  const finished = s.stage === 'closed' || s.stage === 'erased' || s.assistanceStopped;
  const inKind = s.plan?.status === 'approved' ? s.plan.amount : s.entitlement.totals.inKind;
  const planned = finished ? paid : s.entitlement.totals.cash + inKind;
  return { planned, paid, remaining: Math.max(0, planned - paid) };
}

export function entitlementFor(
  programme: Programme,
  household: CaseState['household'],
  medicalNeed: boolean,
  asOf: string,
): AmountsResult {
  return computeAmounts(
    programme,
    {
      members: household.members,
      medicalNeed,
      ...(household.appliedBeforeAsylumDecision !== undefined
        ? { appliedBeforeAsylumDecision: household.appliedBeforeAsylumDecision }
        : {}),
    },
    asOf,
  );
}

/**
 * The case as it stands before anything is recorded: seq 0 and an empty timeline. Validates
 * the input (throws an Error that names field paths, never values) and prices the household.
 * The workflow then records case.opened (see openCase), which becomes seq 1.
 */
export function initialState(caseId: string, input: unknown, programme: Programme, now: string): CaseState {
  const at = toInstant(now, 'now');
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(caseId)) throw new Error('caseId: expected 1-128 letters, digits, . _ : -');
  const checked = validateCaseInput(input, at);
  if (!checked.ok) {
    throw new Error(`invalid case input: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
  const c = checked.value;
  if (c.programmeId !== programme.id) throw new Error('programmeId: does not match the programme given');

  const person = (p: z.infer<typeof PersonInputSchema>) => ({
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    ...(p.sex !== undefined ? { sex: p.sex } : {}),
  });
  const members: HouseholdMember[] = [
    { role: 'principal', ...person(c.principal) },
    ...c.dependants.map((d): HouseholdMember => ({ role: 'dependant', relationship: d.relationship, ...person(d) })),
  ];
  const household: CaseState['household'] = {
    members,
    ...(c.appliedBeforeAsylumDecision !== undefined ? { appliedBeforeAsylumDecision: c.appliedBeforeAsylumDecision } : {}),
  };
  const sla = programme.deadlines.intake;
  const state: CaseState = {
    caseId,
    programmeId: programme.id,
    country: c.countryOfReturn,
    nationality: c.nationality,
    office: c.office,
    referringBody: c.referringBody,
    ...(c.assignee !== undefined ? { assignee: c.assignee } : {}),
    partnerIds: [...(c.partnerIds ?? [])],
    stage: 'intake',
    openedAt: at,
    stageEnteredAt: at,
    seq: 0,
    household,
    applicant: {
      legalStatus: c.legalStatus,
      vulnerabilities: [...c.vulnerabilities],
      ...(c.notes !== undefined ? { notes: c.notes } : {}),
    },
    flags: { medicalNeed: c.medicalNeed },
    counselling: { sessions: 0 },
    placeReserved: false,
    rebookings: 0,
    assistanceStopped: false,
    entitlement: entitlementFor(programme, household, c.medicalNeed, at),
    amounts: { planned: 0, paid: 0, remaining: 0 },
    payments: [],
    tranches: [],
    checkpoints: [],
    // Keyed like every SLA: stage and the seq of the event that entered it (case.opened is seq 1).
    deadlines: sla ? [{ key: 'sla:intake:1', stage: 'intake', dueAt: addDuration(at, sla) }] : [],
    escalations: [],
    timeline: [],
  };
  state.amounts = summariseAmounts(state);
  return state;
}

/**
 * Opens a case: initialState plus the case.opened event, recorded as seq 1 in the timeline.
 * Commit the returned state and events over a previous seq of 0.
 */
export function openCase(
  caseId: string,
  input: unknown,
  programme: Programme,
  now: string,
  actor?: Actor,
): { state: CaseState; events: DomainEvent[] } {
  const state = initialState(caseId, input, programme, now);
  const event: DomainEvent = {
    type: 'case.opened',
    stageBefore: 'intake',
    stageAfter: 'intake',
    ...(actor ? { actor } : {}),
    data: {
      programmeId: programme.id,
      country: state.country,
      office: state.office,
      referringBody: state.referringBody,
      householdSize: state.entitlement.household.size,
      minors: state.entitlement.household.minors,
    },
  };
  state.seq = 1;
  state.timeline.push({
    seq: 1,
    at: state.openedAt,
    type: 'case.opened',
    ...(actor ? { actor } : {}),
    stageBefore: 'intake',
    stageAfter: 'intake',
  });
  return { state, events: [event] };
}
