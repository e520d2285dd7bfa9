// Time-driven project rules: a missed stage SLA escalates (once, never blocking), and a periodic report
// not in by its due time gets a reminder, then an escalation, as a case's monitoring reports do.
import { addDuration } from '../../domain/duration';
import { atOrBefore, earliest, toInstant } from '../../domain/time';
import { emit, escalate, finalize, newCtx, type ProjectApplied } from './engine';
import type { ProjectState } from './state';

/** Applies what has fallen due by `now`; returns the input state itself (and no events) when nothing is due. */
export function tickProject(state: ProjectState, now: string): ProjectApplied {
  const at = toInstant(now, 'now');
  if (state.stage === 'closed') return { state, events: [], effects: [] };
  const ctx = newCtx(state, at);
  const s = ctx.s;
  const raised = new Set(s.escalations.map((e) => e.key));
  for (const d of s.deadlines) {
    if (!raised.has(d.key) && atOrBefore(d.dueAt, at)) escalate(ctx, d.key, 'deadline_missed', d.dueAt);
  }
  if (s.stage === 'implementation') {
    for (const r of s.reports) {
      if (r.submittedAt !== undefined) continue;
      if (r.remindedAt === undefined && atOrBefore(addDuration(r.dueAt, s.settings.reminderAfter), at)) {
        r.remindedAt = at;
        emit(ctx, 'project.reminder', { key: `report:${r.no}`, report: r.no, dueAt: r.dueAt });
      }
      if (r.escalatedAt === undefined && atOrBefore(addDuration(r.dueAt, s.settings.escalateAfter), at)) {
        r.escalatedAt = at;
        escalate(ctx, `report:${r.no}`, 'report_missing', r.dueAt, { report: r.no });
      }
    }
  }
  if (ctx.events.length === 0) return { state, events: [], effects: [] };
  return finalize(ctx);
}

/** The earliest instant at which tickProject has something to do, or undefined (closed, or nothing pending). */
export function nextProjectWakeup(state: ProjectState): string | undefined {
  if (state.stage === 'closed') return undefined;
  const raised = new Set(state.escalations.map((e) => e.key));
  const times: string[] = state.deadlines.filter((d) => !raised.has(d.key)).map((d) => d.dueAt);
  if (state.stage === 'implementation') {
    for (const r of state.reports) {
      if (r.submittedAt !== undefined) continue;
      if (r.remindedAt === undefined) times.push(addDuration(r.dueAt, state.settings.reminderAfter));
      if (r.escalatedAt === undefined) times.push(addDuration(r.dueAt, state.settings.escalateAfter));
    }
  }
  return earliest(times);
}
