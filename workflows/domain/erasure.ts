// End of retention: once tick has signalled `erase` (key shredded, partners told), the
// workflow's copy of the state drops every personal or free-text field too.
import type { DomainEvent } from './events';
import { clone } from './engine';
import type { CaseState } from './state';
import { toInstant } from './time';

/**
 * Moves a closed case to `erased`, keeping only non-personal facts (stages, dates of
 * steps, amounts, head counts, outcome) for statistics and audit of money. Idempotent on
 * an erased case; throws for a case that is not closed.
 */
export function applyErasure(state: CaseState, now: string): { state: CaseState; events: DomainEvent[] } {
  const at = toInstant(now, 'now');
  if (state.stage === 'erased') return { state, events: [] };
  if (state.stage !== 'closed') throw new Error(`applyErasure: the case is in stage ${state.stage}, not closed`);
  const s = clone(state);
  s.household = { members: [] };
  delete s.applicant;
  delete s.fitness;
  if (s.travelDocument) delete s.travelDocument.validUntil;
  for (const t of s.tranches) delete t.description;
  for (const e of s.timeline) delete e.reason;
  s.stage = 'erased';
  s.erasedAt = at;
  s.deadlines = [];
  const event: DomainEvent = { type: 'case.erased', stageBefore: 'closed', stageAfter: 'erased', data: {} };
  s.seq = state.seq + 1;
  s.timeline.push({ seq: s.seq, at, type: 'case.erased', stageBefore: 'closed', stageAfter: 'erased' });
  return { state: s, events: [event] };
}
