// The one list of names for stages, actions, outcomes, roles and event types.
// Workflow, API, database and webhooks all import these; never retype a name.
import { z } from 'zod';

export const STAGES = [
  'intake',
  'counselling',
  'application',
  'eligibility',
  'admission',
  'travel_document',
  'medical',
  'reintegration_plan',
  'travel_booking',
  'departure',
  'post_arrival',
  'reintegration',
  'monitoring',
  'closure',
  'closed',
  'erased',
] as const;
export const Stage = z.enum(STAGES);
export type Stage = z.infer<typeof Stage>;

/** Stages before departure is confirmed: withdrawal is allowed and compensations run. */
export const PRE_DEPARTURE_STAGES: readonly Stage[] = STAGES.slice(0, STAGES.indexOf('departure') + 1);

export const ROLES = ['caseworker', 'supervisor', 'auditor', 'partner', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const OUTCOMES = [
  'completed',
  'withdrawn',
  'ineligible',
  'not_admitted',
  'absconded',
  'unfit',
  'other',
] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const ACTIONS = [
  'confirm_intake',
  'record_counselling_session',
  'sign_declaration',
  'lodge_application',
  'record_eligibility',
  'admit',
  'refuse_admission',
  'record_passport',
  'request_laissez_passer',
  'issue_laissez_passer',
  'refuse_laissez_passer',
  'record_fitness',
  'submit_plan',
  'approve_plan',
  'reject_plan',
  'book_travel',
  'pay_predeparture_allowance',
  'confirm_departure',
  'record_no_show',
  'record_absconding',
  'confirm_arrival',
  'submit_tranche_report',
  'approve_tranche',
  'reject_tranche',
  'stop_assistance',
  'submit_monitoring_report',
  'close_case',
  'withdraw',
  'request_erasure',
  'approve_erasure',
] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

export const EVENT_TYPES = [
  'case.opened',
  'case.action',
  'case.stage_changed',
  'case.escalated',
  'case.reminder',
  'case.payment',
  'case.compensation',
  /** The case was given to a staff member, or taken back (data.assignee is then null): workflows/case/assignment.ts. */
  'case.assigned',
  'case.partner_assigned',
  'case.closed',
  'case.erased',
  'case.erasure_reminder',
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;
