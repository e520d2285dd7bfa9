// Assigning a case to a staff member and taking it back: one case.assigned event each, no event for a
// repeat, and refusals for closed cases, roles that may not assign, and malformed user IDs.
import { decideAssignment } from '../../workflows/case/assignment';
import { projectionOf, searchAttributesOf } from '../../workflows/case/projection';
import { AUDITOR, Case, CW, PARTNER, SUP, T0 } from './case-driver';
import { IT_RVA } from './load-programmes';

const LATER = '2025-03-04T10:00:00.000Z';

test('assigning records a case.assigned event and moves the read model and search attribute with it', () => {
  const c = new Case(IT_RVA());
  const d = decideAssignment(c.state, { assignee: 'u-cw-7', actor: SUP }, LATER);
  if (!d.ok) throw new Error(d.rejection.message);
  expect(d.events).toEqual([
    { type: 'case.assigned', stageBefore: 'intake', stageAfter: 'intake', actor: SUP, data: { assignee: 'u-cw-7' } },
  ]);
  expect(d.state.seq).toBe(c.state.seq + 1);
  expect(d.state.timeline.at(-1)).toMatchObject({ seq: d.state.seq, at: LATER, type: 'case.assigned' });
  expect(projectionOf(d.state, c.programme).assignee).toBe('u-cw-7');
  expect(searchAttributesOf(d.state)).toContainEqual(expect.objectContaining({ value: 'u-cw-7' }));
  // The input state is left as it was.
  expect(c.state.assignee).toBeUndefined();
});

test('taking a case back clears the assignee; repeating either step records nothing', () => {
  const c = new Case(IT_RVA());
  const given = decideAssignment(c.state, { assignee: 'u-cw-7', actor: CW }, LATER);
  if (!given.ok) throw new Error('refused');
  const again = decideAssignment(given.state, { assignee: 'u-cw-7', actor: CW }, LATER);
  expect(again).toEqual({ ok: true, state: given.state, events: [] });

  const back = decideAssignment(given.state, { assignee: null, actor: CW }, LATER);
  if (!back.ok) throw new Error('refused');
  expect(back.state.assignee).toBeUndefined();
  expect(back.events[0].data).toEqual({ assignee: null });
  expect(projectionOf(back.state, c.programme).assignee).toBeUndefined();
  expect(decideAssignment(back.state, { assignee: null, actor: CW }, LATER)).toMatchObject({ ok: true, events: [] });
});

test.each([
  ['a partner', PARTNER, 'ROLE_NOT_ALLOWED'],
  ['an auditor', AUDITOR, 'ROLE_NOT_ALLOWED'],
])('%s may not assign', (_who, actor, code) => {
  expect(decideAssignment(new Case(IT_RVA()).state, { assignee: 'u-cw-7', actor }, LATER)).toMatchObject({ ok: false, rejection: { code } });
});

test('a closed case cannot be assigned, and a user ID must look like one', () => {
  const c = new Case(IT_RVA());
  expect(decideAssignment(c.state, { assignee: 'has spaces; DROP', actor: CW }, T0)).toMatchObject({
    ok: false,
    rejection: { code: 'INVALID_PAYLOAD', issues: [{ path: 'assignee' }] },
  });
  c.do('withdraw', CW);
  expect(decideAssignment(c.state, { assignee: 'u-cw-7', actor: CW }, LATER)).toMatchObject({ ok: false, rejection: { code: 'NOT_ALLOWED_NOW' } });
});
