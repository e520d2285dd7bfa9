// Activities of cooperation projects: recording a project's transitions (on the project's workflow) and
// the enrolment messages (on the case's workflow), which reach the project through the worker's client.
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { Actor } from '../workflows/domain/events';
import type { ProjectTransitionRecord } from '../workflows/cooperation/records';
import { enrolInProject, releaseProjectSlot, type EnrolAnswer } from './cooperation-link';
import { recordProjectTransition } from './cooperation-record';

export function createCooperationActivities(deps: { pool: Pool }) {
  return {
    async recordProjectTransition(rec: ProjectTransitionRecord): Promise<{ inserted: number }> {
      return recordProjectTransition(deps.pool, rec);
    },
    async enrolInProject(args: { projectId: string; caseId: string; country: string; actor?: Actor }): Promise<EnrolAnswer> {
      const { info, client } = Context.current();
      return enrolInProject(client, { ...args, updateId: `enrol-${info.workflowExecution?.runId ?? info.activityRunId}-${info.activityId}` });
    },
    async releaseProjectSlot(args: { projectId: string; caseId: string; because: string; actor?: Actor }): Promise<{ released: boolean }> {
      return releaseProjectSlot(Context.current().client, args);
    },
  };
}
