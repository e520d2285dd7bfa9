// Workqueues (read model) and case assignment (through the workflow): what waits on me, and what is mine.
import { z } from 'zod';
import { AssigneeBody, AssignmentSchema, assign } from '../assignment';
import type { AppDeps } from '../deps';
import { endpoint, type Api } from '../route';
import { ProblemSchema } from '../schemas';
import { DUE, QUEUES, QueueFilters, QueueQuery, queueCounts, queuePage } from '../workqueue';
import { Stage } from '../../workflows/domain/vocabulary';

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

const Counts = z.object({ total: z.number().int(), overdue: z.number().int(), dueSoon: z.number().int() });
const QueueItem = z.object({
  caseId: z.string(),
  programmeId: z.string(),
  country: z.string(),
  office: z.string(),
  stage: Stage,
  assignee: z.string().optional(),
  openEscalations: z.number().int(),
  nextDeadline: z.string().optional(),
  openedAt: z.string(),
  due: z.enum(DUE).nullable(),
  actions: z.array(z.string()).describe('The steps your role can take on the case now'),
});
const QueuePage = z.object({ queue: z.enum(QUEUES), counts: Counts, items: z.array(QueueItem), nextCursor: z.string().nullable() });
const CaseId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a case ID') });

export function workqueueRoutes(api: Api, deps: AppDeps): void {
  // Declared before /workqueues/:queue, which would otherwise take "counts" for a queue name.
  endpoint(api, {
    method: 'get',
    path: '/workqueues/counts',
    summary: 'How many cases each of your queues holds, how many are overdue and how many due soon',
    tags: ['workqueues'],
    permission: 'workqueue.read',
    query: QueueFilters,
    responses: {
      200: json('Counts per queue', z.object({ waiting: Counts, mine: Counts })),
      422: problem('A filter is invalid'),
    },
    handler: async ({ req, res, query }) => {
      const now = new Date();
      const p = req.principal!;
      const [waiting, mine] = await Promise.all(QUEUES.map((q) => queueCounts(deps.pool, p, q, query, now)));
      res.set('cache-control', 'no-store').json({ waiting, mine });
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/workqueues/:queue',
    summary: 'A workqueue, soonest deadline first: `waiting` = cases waiting on a step your role can take; `mine` = your open cases',
    tags: ['workqueues'],
    permission: 'workqueue.read',
    params: z.object({ queue: z.enum(QUEUES) }),
    query: QueueQuery,
    responses: {
      200: json('One page of the queue, with the counts of the whole queue', QueuePage),
      422: problem('A filter or the cursor is invalid'),
    },
    handler: async ({ req, res, params, query }) => {
      const now = new Date();
      const p = req.principal!;
      const [counts, page] = await Promise.all([
        queueCounts(deps.pool, p, params.queue, query, now),
        queuePage(deps.pool, p, params.queue, query, now),
      ]);
      res.set('cache-control', 'no-store').json({ queue: params.queue, counts, ...page });
    },
  });

  endpoint(api, {
    method: 'put',
    path: '/cases/:id/assignee',
    summary: 'Give the case to a caseworker or supervisor of its office (through the workflow)',
    tags: ['workqueues'],
    permission: 'case.assign',
    params: CaseId,
    body: AssigneeBody,
    responses: {
      200: json('The case is assigned (assigning the same person again changes nothing)', AssignmentSchema),
      404: problem('No such case in your scope'),
      409: problem('The case is closed'),
      422: problem('The assignee is not staff of the case\'s office'),
    },
    handler: async ({ req, res, params, body }) => {
      res.json(await assign(deps, req, params.id, body.assignee));
    },
  });

  endpoint(api, {
    method: 'delete',
    path: '/cases/:id/assignee',
    summary: 'Take the case back from whoever it is assigned to (through the workflow)',
    tags: ['workqueues'],
    permission: 'case.assign',
    params: CaseId,
    responses: {
      200: json('The case is unassigned (already unassigned changes nothing)', AssignmentSchema),
      404: problem('No such case in your scope'),
      409: problem('The case is closed'),
    },
    handler: async ({ req, res, params }) => {
      res.json(await assign(deps, req, params.id, null));
    },
  });
}
