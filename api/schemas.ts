// Response schemas shared by the routes' OpenAPI declarations.
import { z } from 'zod';
import { Stage, Outcome } from '../workflows/domain/vocabulary';

export const ProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  allowedActions: z.array(z.string()).optional(),
});

export const CaseViewSchema = z.looseObject({
  caseId: z.string(),
  programmeId: z.string(),
  country: z.string(),
  office: z.string(),
  stage: Stage,
  outcome: Outcome.optional(),
  assignee: z.string().optional(),
  openEscalations: z.number().int(),
  nextDeadline: z.string().optional(),
  openedAt: z.string(),
  seq: z.number().int(),
});

export const CaseListSchema = z.object({
  items: z.array(CaseViewSchema),
  nextCursor: z.string().nullable(),
});
