// Maps the workflow state to what leaves the workflow: the read-model row (non-personal summary),
// the personal part (kept apart so erasure can drop it), and the search attributes (no personal data).
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { allowedActions, type AllowedAction } from '../domain/transitions';
import type { Programme } from '../domain/programme';
import type { CaseState } from '../domain/state';
import { ageOn } from '../domain/time';
import * as sa from '../search-attributes';
import { pendingRolesOf } from './pending-roles';
import type { ProjectionRow } from './records';

export function projectionOf(state: CaseState, programme: Programme): ProjectionRow {
  const openEscalations = state.escalations.filter((e) => !e.resolvedAt).length;
  const deadlines = [...state.deadlines.map((d) => d.dueAt), ...state.checkpoints.filter((c) => !c.reportedAt).map((c) => c.dueAt)].sort();
  const pending = allowedActions(state, programme);
  return {
    caseId: state.caseId,
    programmeId: state.programmeId,
    country: state.country,
    office: state.office,
    stage: state.stage,
    outcome: state.outcome,
    assignee: state.assignee,
    partnerIds: state.partnerIds,
    openEscalations,
    nextDeadline: deadlines[0],
    openedAt: state.openedAt,
    closedAt: state.closedAt,
    departedAt: state.departedAt,
    lastSeq: state.seq,
    pendingRoles: pendingRolesOf(state.stage, pending),
    summary: summaryOf(state, pending),
  };
}

/** Everything a caseworker needs on the case page except who the people are. */
function summaryOf(state: CaseState, pending: AllowedAction[]): Record<string, unknown> {
  const { household, applicant: _applicant, tranches, ...rest } = state;
  const today = state.openedAt.slice(0, 10);
  const ages = household.members.map((m) => ageOn(m.dateOfBirth, today));
  return {
    ...rest,
    // Partners' free-text descriptions may name people: the summary keeps only the money facts.
    tranches: tranches.map(({ description: _d, ...t }) => t),
    household: {
      size: household.members.length,
      adults: ages.filter((a) => a >= 18).length,
      minors: ages.filter((a) => a < 18).length,
    },
    pendingActions: pending,
  };
}

/** The personal part of the case, for roles allowed to see it. */
export function personalOf(state: CaseState): Record<string, unknown> {
  return {
    household: state.household,
    ...(state.applicant ? { legalStatus: state.applicant.legalStatus, vulnerabilities: state.applicant.vulnerabilities, notes: state.applicant.notes } : {}),
    medicalNeed: state.flags.medicalNeed,
    ...(state.fitness ? { fitness: state.fitness } : {}),
  };
}

export function searchAttributesOf(state: CaseState): SearchAttributeUpdatePair[] {
  return [
    { key: sa.CaseStage, value: state.stage },
    { key: sa.ProgrammeId, value: state.programmeId },
    { key: sa.CountryOfReturn, value: state.country },
    { key: sa.Office, value: state.office },
    { key: sa.Assignee, value: state.assignee ?? null },
    { key: sa.PartnerIds, value: state.partnerIds },
    { key: sa.OpenEscalations, value: state.escalations.filter((e) => !e.resolvedAt).length },
  ];
}
