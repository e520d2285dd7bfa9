// Reading cooperation projects from their read model, within the caller's scope. A partner sees only the
// projects it runs; out-of-scope projects look exactly like missing ones (404). A project's beneficiaries
// are shown with their cases' current stages, joined from the cases read model at read time, so the
// project never holds a copy that could go stale.
import type { Pool } from 'pg';
import { z } from 'zod';
import { ProjectStage, ProjectOutcome } from '../workflows/cooperation/domain/vocabulary';
import type { Beneficiary } from '../workflows/cooperation/domain/state';
import type { Principal } from './authz';

export interface ProjectRow {
  project_id: string;
  title: string;
  partner_id: string;
  country: string;
  municipality: string;
  funder: string | null;
  stage: string;
  outcome: string | null;
  budget: number;
  released: number;
  slots: number;
  slots_used: number;
  open_escalations: number;
  next_deadline: Date | null;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  last_seq: number;
  summary: Record<string, unknown>;
}

/** SQL condition (and its parameters) limiting projects to what the principal may see. */
export function projectScope(p: Principal, firstParam: number): { sql: string; params: unknown[] } {
  if (p.role === 'partner') return { sql: `partner_id = $${firstParam}`, params: [p.partnerId ?? '\u0000'] };
  return { sql: 'TRUE', params: [] };
}

export async function findVisibleProject(pool: Pool, p: Principal, projectId: string): Promise<ProjectRow | undefined> {
  const scope = projectScope(p, 2);
  const { rows } = await pool.query<ProjectRow>(`SELECT * FROM cooperation_projects WHERE project_id = $1 AND ${scope.sql}`, [projectId, ...scope.params]);
  return rows[0];
}

/** The columns every view of a project carries, in the list and on its own. */
export function projectSummary(row: ProjectRow): Record<string, unknown> {
  return {
    projectId: row.project_id,
    title: row.title,
    partnerId: row.partner_id,
    country: row.country,
    municipality: row.municipality,
    funder: row.funder ?? undefined,
    stage: row.stage,
    outcome: row.outcome ?? undefined,
    budget: row.budget,
    released: row.released,
    slots: row.slots,
    slotsUsed: row.slots_used,
    slotsLeft: row.slots - row.slots_used,
    openEscalations: row.open_escalations,
    nextDeadline: row.next_deadline?.toISOString(),
    openedAt: row.opened_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at?.toISOString(),
    seq: row.last_seq,
  };
}

/** One project: its whole state, with each beneficiary's case stage as the cases read model has it now. */
export async function projectView(pool: Pool, row: ProjectRow): Promise<Record<string, unknown>> {
  const beneficiaries = (row.summary.beneficiaries ?? []) as Beneficiary[];
  const { rows } = await pool.query<{ case_id: string; stage: string; outcome: string | null }>(
    'SELECT case_id, stage, outcome FROM cases WHERE case_id = ANY($1)',
    [beneficiaries.map((b) => b.caseId)],
  );
  const cases = new Map(rows.map((r) => [r.case_id, r]));
  return {
    ...row.summary,
    ...projectSummary(row),
    beneficiaries: beneficiaries.map((b) => ({ ...b, caseStage: cases.get(b.caseId)?.stage, caseOutcome: cases.get(b.caseId)?.outcome ?? undefined })),
  };
}

export const ProjectSummarySchema = z.looseObject({
  projectId: z.string(),
  title: z.string(),
  partnerId: z.string(),
  country: z.string(),
  municipality: z.string(),
  stage: ProjectStage,
  outcome: ProjectOutcome.optional(),
  budget: z.number().int(),
  released: z.number().int(),
  slots: z.number().int(),
  slotsUsed: z.number().int(),
  slotsLeft: z.number().int(),
  openEscalations: z.number().int(),
  nextDeadline: z.string().optional(),
  openedAt: z.string(),
  seq: z.number().int(),
});

export const ProjectViewSchema = ProjectSummarySchema.extend({
  beneficiaries: z.array(
    z.object({
      caseId: z.string(),
      status: z.enum(['enrolled', 'left']),
      enrolledAt: z.string(),
      leftAt: z.string().optional(),
      leftBecause: z.string().optional(),
      caseStage: z.string().optional().describe("The return case's current stage"),
      caseOutcome: z.string().optional(),
    }),
  ),
});
