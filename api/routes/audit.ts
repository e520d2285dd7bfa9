// For auditors: a case's readable history, its state as of any transition, replay against the current
// workflow code, and verification of the audit log's hash chains. Each case read is itself audited.
import { z } from 'zod';
import { fetchRunHistories } from '../../common/workflow-runs';
import { verifyAll, verifyCase } from '../../db/verify-audit';
import { deployedWorkflowCode, replayRuns } from '../../worker/replay';
import { installWorkerRuntime } from '../../worker/worker';
import { recordAccess } from '../access-log';
import { caseHistory, historyCsv } from '../case-history';
import { findVisibleCase } from '../case-view';
import { findVisibleProject } from '../cooperation-view';
import { ProjectId } from '../../workflows/cooperation/domain/vocabulary';
import type { AppDeps } from '../deps';
import { notFound } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';

const CaseId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a case ID');
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const Nullable = z.string().nullable();
const TimelineEntrySchema = z.object({
  at: z.string(),
  source: z.enum(['audit', 'temporal']),
  kind: z.string(),
  actor: Nullable,
  role: Nullable,
  action: Nullable,
  reason: Nullable,
  stageBefore: Nullable,
  stageAfter: Nullable,
  seq: z.number().int().nullable(),
  entryNo: z.number().int().optional(),
  eventId: z.number().int().optional(),
  runId: z.string().optional(),
  update: z.string().optional(),
  stateAsOf: z.string().optional().describe('Link to the case state as of this transition'),
});
const HistorySchema = z.object({
  caseId: z.string(),
  temporal: z.enum(['available', 'unavailable']).describe('unavailable once Temporal has dropped a closed workflow'),
  entries: z.array(TimelineEntrySchema),
});
const StateAsOfSchema = z.object({ caseId: z.string(), seq: z.number().int(), at: z.string(), type: z.string(), state: z.looseObject({ stage: z.string() }) });
const VerdictSchema = z.object({
  caseId: z.string(),
  runs: z.number().int(),
  verdict: z.enum(['identical', 'nondeterministic', 'failed']),
  error: z.string().optional(),
  eventId: z.number().int().optional().describe('The history event where the current code diverged'),
});
const ChainBreakSchema = z.object({
  caseId: z.string(),
  entryNo: z.number().int(),
  problem: z.string(),
  expected: z.string(),
  found: z.string(),
});
const VerifySchema = z.object({ ok: z.boolean(), casesChecked: z.number().int(), entriesChecked: z.number().int(), breaks: z.array(ChainBreakSchema) });

export function auditRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'get',
    path: '/cases/:id/history',
    summary: 'The case history for auditors: the audit log merged with the Temporal event history, ordered by time',
    tags: ['audit'],
    permission: 'case.history',
    params: z.object({ id: CaseId }),
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    responses: {
      200: { description: 'The timeline', content: { 'application/json': { schema: HistorySchema }, 'text/csv': { schema: z.string() } } },
      404: problem('No such case in your scope'),
    },
    handler: async ({ req, res, params, query }) => {
      const row = await findVisibleCase(deps.pool, req.principal!, params.id);
      if (!row) throw notFound();
      const { entries, temporal } = await caseHistory(deps.pool, deps.temporal, params.id, `${api.basePath}/cases/${params.id}/state-as-of`);
      await recordAccess(deps.pool, req, row, 'read_history');
      if (query.format === 'csv') {
        res.type('text/csv').attachment(`${params.id}-history.csv`).send(historyCsv(entries));
        return;
      }
      res.json({ caseId: params.id, temporal, entries });
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/cases/:id/state-as-of/:seq',
    summary: 'The non-personal case state as the projection recorded it with event `seq`',
    tags: ['audit'],
    permission: 'case.history',
    params: z.object({ id: CaseId, seq: z.coerce.number().int().min(1).max(2_147_483_647) }),
    responses: {
      200: json('The state as of that event', StateAsOfSchema),
      404: problem('No such case in your scope, no such event, or an event recorded before snapshots were kept'),
    },
    handler: async ({ req, res, params }) => {
      const row = await findVisibleCase(deps.pool, req.principal!, params.id);
      if (!row) throw notFound();
      const { rows } = await deps.pool.query(
        'SELECT seq, type, occurred_at, snapshot FROM case_events WHERE case_id = $1 AND seq = $2 AND snapshot IS NOT NULL',
        [params.id, params.seq],
      );
      if (!rows[0]) throw notFound('recorded state for that event');
      await recordAccess(deps.pool, req, row, 'read_state_as_of');
      res.json({ caseId: params.id, seq: rows[0].seq, at: (rows[0].occurred_at as Date).toISOString(), type: rows[0].type, state: rows[0].snapshot });
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/cases/:id/replay',
    summary: "Replay the case's Temporal history against the current workflow code",
    tags: ['audit'],
    permission: 'case.replay',
    params: z.object({ id: CaseId }),
    responses: {
      200: json('The verdict: identical, or where the current code diverges', VerdictSchema),
      404: problem('No such case in your scope'),
    },
    handler: async ({ req, res, params }) => {
      const row = await findVisibleCase(deps.pool, req.principal!, params.id);
      if (!row) throw notFound();
      const runs = await fetchRunHistories(deps.temporal, params.id);
      installWorkerRuntime(deps.config.LOG_LEVEL);
      const verdict = await replayRuns(await deployedWorkflowCode(deps.config.WORKFLOW_BUNDLE_PATH), params.id, runs, deps.temporal.options.dataConverter);
      await recordAccess(deps.pool, req, row, 'replay');
      res.json({ caseId: params.id, runs: runs.length, ...verdict });
    },
  });

  // Cooperation projects keep their events in the same log and chain, and are replayed the same way.
  endpoint(api, {
    method: 'get',
    path: '/cooperation-projects/:id/history',
    summary: "A cooperation project's history for auditors: its audit log merged with its Temporal event history",
    tags: ['audit', 'cooperation'],
    permission: 'case.history',
    params: z.object({ id: ProjectId }),
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    responses: {
      200: { description: 'The timeline', content: { 'application/json': { schema: HistorySchema }, 'text/csv': { schema: z.string() } } },
      404: problem('No such project in your scope'),
    },
    handler: async ({ req, res, params, query }) => {
      if (!(await findVisibleProject(deps.pool, req.principal!, params.id))) throw notFound('project');
      const { entries, temporal } = await caseHistory(deps.pool, deps.temporal, params.id, `${api.basePath}/cooperation-projects/${params.id}/state-as-of`);
      if (query.format === 'csv') {
        res.type('text/csv').attachment(`${params.id}-history.csv`).send(historyCsv(entries));
        return;
      }
      res.json({ caseId: params.id, temporal, entries });
    },
  });

  endpoint(api, {
    method: 'post',
    path: '/cooperation-projects/:id/replay',
    summary: "Replay a cooperation project's Temporal history against the current workflow code",
    tags: ['audit', 'cooperation'],
    permission: 'case.replay',
    params: z.object({ id: ProjectId }),
    responses: {
      200: json('The verdict: identical, or where the current code diverges', VerdictSchema),
      404: problem('No such project in your scope'),
    },
    handler: async ({ req, res, params }) => {
      if (!(await findVisibleProject(deps.pool, req.principal!, params.id))) throw notFound('project');
      const runs = await fetchRunHistories(deps.temporal, params.id);
      installWorkerRuntime(deps.config.LOG_LEVEL);
      const verdict = await replayRuns(await deployedWorkflowCode(deps.config.WORKFLOW_BUNDLE_PATH), params.id, runs, deps.temporal.options.dataConverter);
      res.json({ caseId: params.id, runs: runs.length, ...verdict });
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/audit/verify',
    summary: "Verify the audit log's hash chains: one case's, or every case's",
    tags: ['audit'],
    permission: 'audit.verify',
    query: z.object({ caseId: CaseId.optional() }),
    responses: { 200: json('The report; `breaks` holds the first broken link of each broken case', VerifySchema) },
    handler: async ({ res, query }) => {
      res.json(query.caseId ? await verifyCase(deps.pool, query.caseId) : await verifyAll(deps.pool));
    },
  });
}
