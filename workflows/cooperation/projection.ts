// Maps the project state to its read-model row: indexed columns for the list filters, and the state as summary.
import { earliest } from '../domain/time';
import { allowedProjectActions } from './domain/transitions';
import { slotsUsed, type ProjectState } from './domain/state';
import type { ProjectRow } from './records';

export function projectionOfProject(state: ProjectState): ProjectRow {
  const pendingReports = state.stage === 'implementation' ? state.reports.filter((r) => r.submittedAt === undefined) : [];
  return {
    projectId: state.projectId,
    title: state.title,
    partnerId: state.partnerId,
    country: state.country,
    municipality: state.municipality,
    ...(state.funder !== undefined ? { funder: state.funder } : {}),
    stage: state.stage,
    ...(state.outcome !== undefined ? { outcome: state.outcome } : {}),
    budget: state.budget,
    released: state.funds.released,
    slots: state.slots,
    slotsUsed: slotsUsed(state),
    openEscalations: state.escalations.filter((e) => !e.resolvedAt).length,
    nextDeadline: earliest([...state.deadlines.map((d) => d.dueAt), ...pendingReports.map((r) => r.dueAt)]),
    openedAt: state.openedAt,
    ...(state.closedAt !== undefined ? { closedAt: state.closedAt } : {}),
    lastSeq: state.seq,
    // The project holds no personal data, so the whole state is the summary.
    summary: { ...state, pendingActions: allowedProjectActions(state) },
  };
}
