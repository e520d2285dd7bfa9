// Beneficiary slots: enrolment only during implementation, in the project's country, never above the
// slots; a retried enrolment or release changes nothing; a released slot can be taken again.
import { Project, SUP } from './cooperation-driver';
import { decideEnrolment } from '../../workflows/cooperation/domain/enrolment';
import { slotsUsed } from '../../workflows/cooperation/domain/state';

test('returnees fill the slots; the next one is refused with NO_SLOTS_LEFT and the project is unchanged', () => {
  const p = new Project({ slots: 2 }).toImplementation();
  expect(p.enrol('case-a')).toMatchObject({ ok: true, events: [expect.objectContaining({ type: 'project.beneficiary_enrolled', data: { caseId: 'case-a', slotsUsed: 1, slots: 2 } })] });
  expect(p.enrol('case-b').ok).toBe(true);
  const before = JSON.stringify(p.state);
  expect(p.enrol('case-c')).toMatchObject({ ok: false, code: 'NO_SLOTS_LEFT' });
  expect(JSON.stringify(p.state)).toBe(before);
});

test('a withdrawn returnee frees the slot for the next one', () => {
  const p = new Project({ slots: 2 }).toImplementation();
  p.enrol('case-a');
  p.enrol('case-b');
  expect(p.release('case-a', 'withdrawn')).toMatchObject({ ok: true, events: [expect.objectContaining({ type: 'project.beneficiary_left', data: expect.objectContaining({ because: 'withdrawn', slotsUsed: 1 }) })] });
  expect(p.enrol('case-c').ok).toBe(true);
  expect(slotsUsed(p.state)).toBe(2);
  expect(p.state.beneficiaries.map((b) => [b.caseId, b.status])).toEqual([['case-a', 'left'], ['case-b', 'enrolled'], ['case-c', 'enrolled']]);
});

test('a retried enrolment or release is answered ok and records nothing twice', () => {
  const p = new Project().toImplementation();
  p.enrol('case-a');
  const seq = p.state.seq;
  expect(p.enrol('case-a')).toMatchObject({ ok: true, events: [] });
  p.release('case-a');
  expect(p.release('case-a')).toMatchObject({ ok: true, events: [] });
  expect(p.release('case-never-enrolled')).toMatchObject({ ok: true, events: [] });
  expect(p.state.seq).toBe(seq + 1);
});

test('only during implementation, and only for returnees to the project country', () => {
  const p = new Project();
  expect(p.enrol('case-a')).toMatchObject({ ok: false, code: 'PROJECT_NOT_ENROLLING', message: expect.stringContaining('stage proposal') });
  p.toImplementation();
  expect(p.enrol('case-a', 'TN')).toMatchObject({ ok: false, code: 'PROJECT_NOT_ENROLLING', message: expect.stringContaining('runs in SN') });
  expect(decideEnrolment(p.state, { caseId: "case'; drop", country: 'SN' }, p.now)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
});

test('serialised enrolments never exceed the slots, whatever the order of many racing cases', () => {
  // The workflow runs enrolments one at a time; each decision sees the state the previous one left.
  const p = new Project({ slots: 3 }).toImplementation();
  const answers = Array.from({ length: 20 }, (_, i) => p.enrol(`case-${i}`));
  expect(answers.filter((a) => a.ok)).toHaveLength(3);
  expect(answers.filter((a) => !a.ok).every((a) => !a.ok && a.code === 'NO_SLOTS_LEFT')).toBe(true);
  expect(p.state.timeline.filter((e) => e.type === 'project.beneficiary_enrolled').every((e) => e.actor?.userId === SUP.userId)).toBe(true);
});
