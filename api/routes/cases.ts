// Cases: start, read, list and search (from the read model), and the human steps (through the workflow).
import crypto from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { caseWorkflow } from '../../workflows/case/workflow';
import { caseActionUpdate } from '../../workflows/case/messages';
import { CaseInputSchema, validateCaseInput } from '../../workflows/domain/state';
import { ACTION_PAYLOADS } from '../../workflows/domain/payloads';
import { ACTIONS, type Action } from '../../workflows/domain/vocabulary';
import * as sa from '../../workflows/search-attributes';
import { caseView, findVisibleCase, type CaseRow } from '../case-view';
import type { AppDeps } from '../deps';
import { forbidden, notFound, Problem } from '../problem';
import { endpoint, type Api } from '../route';
import { listCases, ListQuery } from '../case-list';
import { readCaseLogged } from '../access-log';
import { openingState, writeOpeningRow } from '../case-opening';
import { ProblemSchema, CaseViewSchema, CaseListSchema } from '../schemas';

const CaseId = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a case ID') });
const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

export function caseRoutes(api: Api, deps: AppDeps): void {
  endpoint(api, {
    method: 'post',
    path: '/cases',
    summary: 'Start a return case (intake). An Idempotency-Key makes a retry return the same case.',
    tags: ['cases'],
    permission: 'case.create',
    headers: IdempotencyHeaders,
    body: CaseInputSchema,
    responses: {
      201: { description: 'The case, as now recorded', content: { 'application/json': { schema: CaseViewSchema } } },
      409: problem('A duplicate referral, or the Idempotency-Key was used for another request'),
      422: problem('The body is invalid; `errors` lists the fields'),
    },
    handler: async ({ req, res, body }) => {
      const p = req.principal!;
      const now = new Date().toISOString();
      const checked = validateCaseInput(body, now);
      if (!checked.ok) throw invalidCase(checked.issues);
      if (p.office && body.office !== p.office && p.role === 'caseworker') throw forbidden('You can only open cases for your own office');
      const programme = deps.programmes.get(body.programmeId);
      if (!programme) {
        throw new Problem(422, 'Unprocessable Content', 'Unknown programme', {
          errors: [{ path: 'body.programmeId', message: `no programme "${body.programmeId}"` }],
        }, 'validation-failed');
      }
      const key = req.header('idempotency-key');
      if (key !== undefined && (key.length === 0 || key.length > 200)) {
        throw new Problem(400, 'Bad Request', 'Idempotency-Key must be 1 to 200 characters', {}, 'bad-idempotency-key');
      }
      const { caseId, openedAt } = key ? await claimIdempotencyKey(deps, p.userId, key, body, now) : { caseId: newCaseId(), openedAt: now };
      const openedBy = { userId: p.userId, role: p.role };
      // The state the workflow will open with, computed before anything starts: the API writes its row, and input
      // that would fail the workflow's own opening (a retry's earlier instant) is refused here instead.
      const opening = openingState({ caseId, input: body, programme, openedAt, openedBy });
      if (!opening.ok) throw invalidCase(opening.issues);
      await assertNotDuplicate(deps, caseId, body);
      let row: CaseRow | undefined;
      try {
        await deps.temporal.workflow.start(caseWorkflow, {
          workflowId: caseId,
          taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
          args: [{ caseId, input: body, programme, openedBy, openedAt }],
          // A retry while the case runs reaches it; a retry after its workflow has closed (even erased) must not
          // start it again with the request's personal data.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: sa.CaseStage, value: 'intake' },
            { key: sa.ProgrammeId, value: programme.id },
            { key: sa.CountryOfReturn, value: body.countryOfReturn },
            { key: sa.Office, value: body.office },
          ],
        });
        // After the start, so a failed start leaves no row behind; a crash in between is repaired by the worker,
        // which writes this same row with the case's first transition.
        row = await writeOpeningRow(deps.pool, deps.keys, opening.state, programme);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      // Where a row was there already (the worker's, or a retry's): read it. As admin: a supervisor may open a case
      // for an office outside their scope and still gets its answer.
      row ??= await findVisibleCase(deps.pool, { ...p, role: 'admin' }, caseId);
      if (!row) throw new Problem(409, 'Conflict', 'This Idempotency-Key opened a case that no longer exists', {}, 'idempotency-key-spent');
      res.status(201).location(`${api.basePath}/cases/${caseId}`).json(await caseView(row, p, deps.keys));
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/cases',
    summary: 'List and search cases (read model; keyset pagination)',
    tags: ['cases'],
    permission: 'case.read',
    query: ListQuery,
    responses: {
      200: { description: 'One page of cases', content: { 'application/json': { schema: CaseListSchema } } },
      422: problem('A filter or the cursor is invalid'),
    },
    handler: async ({ req, res, query }) => {
      res.type('application/json').send((await listCases(deps.pool, req.principal!, query)).json);
    },
  });

  endpoint(api, {
    method: 'get',
    path: '/cases/:id',
    summary: 'One case from the read model',
    tags: ['cases'],
    permission: 'case.read',
    params: CaseId,
    responses: {
      200: { description: 'The case', content: { 'application/json': { schema: CaseViewSchema } } },
      404: problem('No such case in your scope'),
    },
    handler: async ({ req, res, params }) => {
      const row = await readCaseLogged(deps.pool, req, params.id, 'read_case');
      if (!row) throw notFound();
      res.json(await caseView(row, req.principal!, deps.keys));
    },
  });

  for (const action of ACTIONS) {
    endpoint(api, {
      method: 'post',
      path: `/cases/:id/actions/${action}`,
      summary: `Human step: ${action.replace(/_/g, ' ')}`,
      tags: ['actions'],
      permission: 'case.act',
      params: CaseId,
      body: z.strictObject({
        payload: (ACTION_PAYLOADS[action] as z.ZodType).optional(),
        reason: z.string().max(1000).optional(),
      }),
      responses: {
        200: { description: 'Accepted: the new state', content: { 'application/json': { schema: CaseViewSchema } } },
        404: problem('No such case in your scope'),
        409: problem('Not allowed now; `allowedActions` lists what is'),
        422: problem('The payload is invalid'),
      },
      handler: async ({ req, res, params, body }) => act(deps, req, res, params.id, action, body),
    });
  }
}

async function act(
  deps: AppDeps,
  req: Parameters<Parameters<typeof endpoint>[1]['handler']>[0]['req'],
  res: Parameters<Parameters<typeof endpoint>[1]['handler']>[0]['res'],
  caseId: string,
  action: Action,
  body: { payload?: unknown; reason?: string },
): Promise<void> {
  const p = req.principal!;
  const row = await findVisibleCase(deps.pool, p, caseId);
  if (!row) throw notFound();
  await deps.temporal.workflow.getHandle(caseId).executeUpdate(caseActionUpdate, {
    args: [{ action, payload: body.payload, reason: body.reason, actor: { userId: p.userId, role: p.role }, requestId: String(req.id ?? '') }],
  });
  // The update returns only after its transition is in the read model, so this read sees it.
  const after = await findVisibleCase(deps.pool, p, caseId);
  res.json(await caseView(after ?? row, p, deps.keys));
}

function invalidCase(issues: readonly { path: string; message: string }[]): Problem {
  return new Problem(422, 'Unprocessable Content', 'The request body is invalid', {
    errors: issues.map((i) => ({ path: `body.${i.path}`, message: i.message })),
  }, 'validation-failed');
}

function newCaseId(): string {
  return `case-${crypto.randomUUID()}`;
}

/** The case a keyed request opens, and when it first arrived; a retry gets the same two. */
async function claimIdempotencyKey(deps: AppDeps, principal: string, key: string, body: unknown, now: string): Promise<{ caseId: string; openedAt: string }> {
  const requestHash = crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
  // Two statements, not one: a racing request's row becomes visible only to a statement started after it committed.
  type Claim = { case_id: string; request_hash: string; opened_at: Date };
  const inserted = await deps.pool.query<Claim>(
    `INSERT INTO idempotency_keys (principal, key, request_hash, case_id, opened_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (principal, key) DO NOTHING RETURNING case_id, request_hash, opened_at`,
    [principal, key, requestHash, newCaseId(), now],
  );
  const rows = inserted.rowCount
    ? inserted.rows
    : (await deps.pool.query<Claim>(
        'SELECT case_id, request_hash, opened_at FROM idempotency_keys WHERE principal = $1 AND key = $2',
        [principal, key],
      )).rows;
  if (rows[0].request_hash !== requestHash) {
    throw new Problem(409, 'Conflict', 'This Idempotency-Key was already used for a different request', {}, 'idempotency-key-reused');
  }
  return { caseId: rows[0].case_id, openedAt: rows[0].opened_at.toISOString() };
}

/** A keyed hash of who the person is; the same person referred twice while a case is open is a duplicate. */
async function assertNotDuplicate(deps: AppDeps, caseId: string, body: z.infer<typeof CaseInputSchema>): Promise<void> {
  const norm = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
  const fingerprint = crypto
    .createHmac('sha256', deps.config.AUTH_SECRET ?? 'fingerprint')
    .update([norm(body.principal.familyName), norm(body.principal.givenName), body.principal.dateOfBirth, body.nationality].join('|'))
    .digest('hex');
  const { rows } = await deps.pool.query<{ case_id: string }>(
    `SELECT f.case_id FROM referral_fingerprints f JOIN cases c USING (case_id)
     WHERE f.fingerprint = $1 AND f.case_id <> $2 AND c.stage NOT IN ('closed', 'erased') LIMIT 1`,
    [fingerprint, caseId],
  );
  if (rows[0]) {
    throw new Problem(409, 'Conflict', 'This person already has an open case', { reason: 'DUPLICATE_REFERRAL', duplicateOf: rows[0].case_id }, 'duplicate-referral');
  }
  await deps.pool.query('INSERT INTO referral_fingerprints (fingerprint, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [fingerprint, caseId]);
}


