// Drives a case from intake to closure through the API as the right person for each step, and keeps going through
// faults: every answer that is not a 200 (a 5xx, a timeout, a refused connection, a 409 because a retried step had
// in fact been taken) makes it read the case again and decide the next step from what the case now is. A step
// is never assumed to have happened: the read model says what did.
import { EMAIL, PARTNER_KEY } from '../../support/harness';
import { singleAdult } from '../../support/cases';
import { DEMO_ACCOUNTS } from '../../../db/seed';
import type { CaseInput } from '../../../workflows/domain/state';

export interface Answer {
  status: number;
  body: any;
  ms: number;
}

type Who = 'caseworker' | 'supervisor' | 'partner' | 'prefettura';

export interface DriveStats {
  /** Accepted steps (200). */
  steps: number;
  /** Answers that were not 200 and made the driver look again. */
  retries: number;
  /** The last few problems seen (status and body), for the test's message when a case never finishes. */
  problems: string[];
  /** Latency of each accepted step, in ms. */
  stepMs: number[];
  /** Non-200 answers by kind ("submit_plan 500", "GET 0"), to see what a fault did to clients. */
  byKind?: Record<string, number>;
}

/** An HTTP client for one API base URL; every request times out, so a dead API is an error, not a hang. */
export class Api {
  private tokens = new Map<string, string>();
  constructor(public url: string, private timeoutMs = 60_000) {}

  async http(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const t = performance.now();
    try {
      const res = await fetch(this.url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(this.timeoutMs) });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep text */
      }
      return { status: res.status, body, ms: performance.now() - t };
    } catch (err) {
      // Connection refused, reset or timed out: status 0.
      return { status: 0, body: { error: (err as Error).message, cause: String((err as { cause?: unknown }).cause ?? '') }, ms: performance.now() - t };
    }
  }

  async credential(who: Who): Promise<string> {
    if (who === 'partner') return PARTNER_KEY.iom;
    if (who === 'prefettura') return PARTNER_KEY.prefettura;
    return this.token(who === 'caseworker' ? EMAIL.caseworker : EMAIL.supervisor);
  }

  /** Logs a demo account in (retrying while the API is unavailable) and keeps its token. */
  async token(email: string): Promise<string> {
    for (let attempt = 0; !this.tokens.has(email); attempt++) {
      const r = await this.http('POST', '/api/v1/auth/login', { body: { email, password: DEMO_ACCOUNTS.find((a) => a.email === email)!.password } });
      if (r.status === 200) this.tokens.set(email, r.body.token);
      else if (attempt > 120) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`);
      else await sleep(500);
    }
    return this.tokens.get(email)!;
  }

  async open(input: Partial<CaseInput> = {}, idempotencyKey?: string): Promise<Answer> {
    return this.http('POST', '/api/v1/cases', {
      token: await this.credential('caseworker'),
      body: singleAdult({ partnerIds: ['iom-dakar', 'prefettura-roma'], ...input }),
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
    });
  }

  async get(caseId: string): Promise<Answer> {
    return this.http('GET', `/api/v1/cases/${caseId}`, { token: await this.credential('supervisor') });
  }

  async act(caseId: string, action: string, who: Who, payload?: unknown): Promise<Answer> {
    return this.http('POST', `/api/v1/cases/${caseId}/actions/${action}`, {
      token: await this.credential(who),
      body: payload === undefined ? {} : { payload },
    });
  }
}

/** Opens a case, retrying (with one Idempotency-Key, so a retry can never open a second case) until it exists. */
export async function openCase(api: Api, input: Partial<CaseInput> = {}, opts: { key?: string; giveUpAt?: number } = {}): Promise<string> {
  const key = opts.key ?? `open-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const body = singleAdult({ partnerIds: ['iom-dakar', 'prefettura-roma'], ...input });
  for (;;) {
    const r = await api.http('POST', '/api/v1/cases', { token: await api.credential('caseworker'), body, headers: { 'idempotency-key': key } });
    if (r.status === 201) return r.body.caseId;
    if (r.status === 409 || r.status === 422) throw new Error(`open refused: ${r.status} ${JSON.stringify(r.body)}`);
    if (opts.giveUpAt && Date.now() > opts.giveUpAt) throw new Error(`open kept failing: ${r.status} ${JSON.stringify(r.body)}`);
    await sleep(500);
  }
}

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/** The next step on the main path from this view, or a wait (monitoring reports before they are due), or done. */
export function nextStep(view: Record<string, any>): { action: string; who: Who; payload?: unknown } | { waitUntil: number } | 'done' {
  switch (view.stage) {
    case 'intake': return { action: 'confirm_intake', who: 'caseworker' };
    case 'counselling':
      return view.counselling?.sessions ? { action: 'sign_declaration', who: 'caseworker' } : { action: 'record_counselling_session', who: 'caseworker', payload: { durationMinutes: 60 } };
    case 'application': return { action: 'lodge_application', who: 'caseworker' };
    case 'eligibility': return { action: 'record_eligibility', who: 'prefettura', payload: { eligible: true } };
    case 'admission': return { action: 'admit', who: 'prefettura' };
    case 'travel_document': return { action: 'record_passport', who: 'caseworker', payload: { expiresOn: inDays(400) } };
    case 'medical': return { action: 'record_fitness', who: 'caseworker', payload: { fit: true } };
    case 'reintegration_plan':
      return view.plan?.status === 'submitted' ? { action: 'approve_plan', who: 'supervisor' } : { action: 'submit_plan', who: 'caseworker', payload: { kind: 'business', amount: 1500 } };
    case 'travel_booking': return { action: 'book_travel', who: 'caseworker', payload: { departureDate: inDays(7) } };
    case 'departure': return { action: 'confirm_departure', who: 'caseworker' };
    case 'post_arrival': return { action: 'confirm_arrival', who: 'partner' };
    case 'reintegration': {
      const submitted = (view.tranches ?? []).find((t: any) => t.status === 'submitted');
      if (submitted) return { action: 'approve_tranche', who: 'supervisor', payload: { trancheId: submitted.id } };
      const approved = (view.tranches ?? []).filter((t: any) => t.status === 'approved').reduce((a: number, t: any) => a + t.amount, 0);
      return { action: 'submit_tranche_report', who: 'partner', payload: { amount: (view.plan?.amount ?? 1500) - approved, description: 'equipment for a tailoring shop' } };
    }
    case 'monitoring': {
      const cp = (view.checkpoints ?? []).find((c: any) => !c.reportedAt);
      if (!cp) return { waitUntil: Date.now() + 200 };
      const due = Date.parse(cp.dueAt);
      if (due > Date.now()) return { waitUntil: due + 50 };
      return { action: 'submit_monitoring_report', who: 'partner', payload: { checkpoint: cp.offset, score: 70 } };
    }
    case 'closure': return { action: 'close_case', who: 'supervisor', payload: { outcome: 'completed' } };
    default: return 'done'; // closed (or erased, or off the main path: the caller checks the stage)
  }
}

/** Takes a case to closure, whatever fails on the way, until `giveUpAt` (epoch ms). Returns the final view. */
export async function driveToClosure(api: Api, caseId: string, opts: { giveUpAt: number; stats?: DriveStats; onStep?: (view: any) => void | Promise<void> }): Promise<Record<string, any>> {
  const stats = opts.stats ?? { steps: 0, retries: 0, problems: [], stepMs: [] };
  // This case's own problems, for its message if it never finishes.
  const mine: string[] = [];
  let view: Record<string, any> | undefined;
  let lastStage: string | undefined;
  for (;;) {
    if (Date.now() > opts.giveUpAt) throw new Error(`case ${caseId} not closed in time; last seen at ${lastStage}; its last problems: ${mine.slice(-3).join(' | ') || 'none'}`);
    if (!view) {
      const r = await api.get(caseId);
      if (r.status !== 200) {
        note(stats, mine, 'GET', r);
        await sleep(500);
        continue;
      }
      view = r.body as Record<string, any>;
    }
    lastStage = view.stage;
    const step = nextStep(view);
    if (step === 'done') return view;
    if ('waitUntil' in step) {
      await sleep(Math.max(0, Math.min(step.waitUntil - Date.now(), 5000)));
      view = undefined;
      continue;
    }
    const r = await api.act(caseId, step.action, step.who, step.payload);
    if (r.status === 200) {
      stats.steps++;
      stats.stepMs.push(r.ms);
      view = r.body;
      await opts.onStep?.(view);
    } else {
      note(stats, mine, step.action, r);
      view = undefined;
      // A 409 usually means the read model has not caught up with a step taken on an earlier try (its recording
      // activity is being retried): look again shortly.
      await sleep(r.status === 409 ? 250 : 500);
    }
  }
}

function note(stats: DriveStats, mine: string[], what: string, r: Answer): void {
  const problem = `${what} ${r.status} ${short(r.body)}`;
  stats.retries++;
  stats.problems.push(problem);
  if (stats.problems.length > 20) stats.problems.shift();
  mine.push(problem);
  if (mine.length > 5) mine.shift();
  stats.byKind ??= {};
  const kind = `${what} ${r.status}${r.status === 500 || r.status === 503 ? ` ${String(r.body?.detail ?? r.body?.title ?? '').slice(0, 60)}` : ''}`;
  stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
}

function short(body: unknown): string {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
