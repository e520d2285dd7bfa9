// Cooperation projects: open one (starts its workflow), list and read them (read model, with the
// beneficiaries' current case stages), and take a project's human steps (through its workflow).
import type { Request } from 'express';
import { z } from 'zod';
import { cooperationWorkflow } from '../../workflows/cooperation/workflow';
import { projectActionUpdate } from '../../workflows/cooperation/messages';
import { PROJECT_ACTION_PAYLOADS } from '../../workflows/cooperation/domain/payloads';
import { ProjectInputSchema } from '../../workflows/cooperation/domain/settings';
import { PROJECT_ACTIONS, ProjectId, type ProjectAction } from '../../workflows/cooperation/domain/vocabulary';
import { claimProjectId, newProjectId } from '../cooperation-ids';
import { listProjects, ProjectListQuery } from '../cooperation-list';
import { findVisibleProject, projectView, ProjectSummarySchema, ProjectViewSchema, type ProjectRow } from '../cooperation-view';
import type { AppDeps } from '../deps';
import { notFound, Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';

const Params = z.object({ id: ProjectId });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const PROJECT = 'cooperation project';

export function cooperationRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'post',
    path: '/cooperation-projects',
    summary: 'Open a cooperation project (proposal). An Idempotency-Key makes a retry return the same project.',
    tags: ['cooperation'],
    permission: 'project.manage',
    headers: IdempotencyHeaders,
    body: ProjectInputSchema,
    responses: {
      201: json('The project, as now recorded', ProjectViewSchema),
      409: problem('The Idempotency-Key was used for another request'),
      422: problem('The body is invalid, or names an unknown partner; `errors` lists the fields'),
    },
    handler: async ({ req, res, body }) => {
      const p = req.principal!;
      const known = await deps.pool.query('SELECT 1 FROM partners WHERE partner_id = $1', [body.partnerId]);
      if (!known.rowCount) {
        throw new Problem(422, 'Unprocessable Content', 'Unknown partner', { errors: [{ path: 'body.partnerId', message: 'no such partner' }] }, 'validation-failed');
      }
      const key = req.header('idempotency-key');
      if (key !== undefined && (key.length === 0 || key.length > 200)) {
        throw new Problem(400, 'Bad Request', 'Idempotency-Key must be 1 to 200 characters', {}, 'bad-idempotency-key');
      }
      const projectId = key ? await claimProjectId(deps.pool, p.userId, key, body) : newProjectId();
      await deps.temporal.workflow.start(cooperationWorkflow, {
        workflowId: projectId,
        taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
        args: [{ projectId, input: body, openedBy: { userId: p.userId, role: p.role } }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const row = await waitForProjection(deps, projectId);
      res.status(201).location(`${api.basePath}/cooperation-projects/${projectId}`).json(await projectView(deps.pool, row));
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/cooperation-projects',
    summary: 'List cooperation projects (read model; keyset pagination). Partners see their own.',
    tags: ['cooperation'],
    permission: 'project.read',
    query: ProjectListQuery,
    responses: {
      200: json('One page of projects', z.object({ items: z.array(ProjectSummarySchema), nextCursor: z.string().nullable() })),
      422: problem('A filter or the cursor is invalid'),
    },
    handler: async ({ req, res, query }) => void res.json(await listProjects(deps.pool, req.principal!, query)),
  });

  endpoint(api, {
    method: 'get',
    path: '/cooperation-projects/:id',
    summary: "One cooperation project, with its beneficiaries and their cases' current stages",
    tags: ['cooperation'],
    permission: 'project.read',
    params: Params,
    responses: { 200: json('The project', ProjectViewSchema), 404: problem('No such project in your scope') },
    handler: async ({ req, res, params }) => {
      const row = await findVisibleProject(deps.pool, req.principal!, params.id);
      if (!row) throw notFound(PROJECT);
      res.json(await projectView(deps.pool, row));
    },
  });

  for (const action of PROJECT_ACTIONS) {
    endpoint(api, {
      method: 'post',
      path: `/cooperation-projects/:id/actions/${action}`,
      summary: `Project step: ${action.replace(/_/g, ' ')}`,
      tags: ['cooperation'],
      permission: 'project.act',
      params: Params,
      body: z.strictObject({ payload: (PROJECT_ACTION_PAYLOADS[action] as z.ZodType).optional(), reason: z.string().max(1000).optional() }),
      responses: {
        200: json('Accepted: the new state', ProjectViewSchema),
        403: problem('Your role may not take this step'),
        404: problem('No such project in your scope'),
        409: problem('Not allowed now; `allowedActions` lists what is'),
        422: problem('The payload is invalid, or the tranche is above the budget'),
      },
      handler: async ({ req, res, params, body }) => act(deps, req, res, params.id, action, body),
    });
  }
}

async function act(deps: AppDeps, req: Request, res: Parameters<Parameters<typeof endpoint>[1]['handler']>[0]['res'], projectId: string, action: ProjectAction, body: { payload?: unknown; reason?: string }) {
  const p = req.principal!;
  const row = await findVisibleProject(deps.pool, p, projectId);
  if (!row) throw notFound(PROJECT);
  await deps.temporal.workflow.getHandle(projectId).executeUpdate(projectActionUpdate, {
    args: [{ action, payload: body.payload, reason: body.reason, actor: { userId: p.userId, role: p.role }, requestId: String(req.id ?? '') }],
  });
  // The update returns only after its transition is in the read model, so this read sees it.
  res.json(await projectView(deps.pool, (await findVisibleProject(deps.pool, p, projectId)) ?? row));
}

async function waitForProjection(deps: AppDeps, projectId: string): Promise<ProjectRow> {
  const deadline = Date.now() + 30_000;
  for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
    const row = await findVisibleProject(deps.pool, { userId: 'system', role: 'admin' }, projectId);
    if (row) return row;
    await new Promise((r) => setTimeout(r, delay));
  }
  throw new Problem(503, 'Service Unavailable', 'The project was started but is not recorded yet; retry with the same Idempotency-Key', {}, 'projection-lagging');
}
