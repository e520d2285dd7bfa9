// The cooperation project's pure rules: its lifecycle from proposal to closure, tranches within the
// budget, periodic reports with reminder and escalation, and who may take which step.
import { AUDITOR, CW, PARTNER, Project, projectInput, PROJECT_ID, SUP, T0 } from './cooperation-driver';
import { openProject } from '../../workflows/cooperation/domain/state';
import { nextProjectWakeup } from '../../workflows/cooperation/domain/tick';
import { allowedProjectActions } from '../../workflows/cooperation/domain/transitions';

describe('lifecycle', () => {
  test('proposal → due diligence → agreement → implementation → final evaluation → closure → closed', () => {
    const p = new Project({ settings: { reportEvery: 'P6M', reportCount: 1 } });
    expect(p.state).toMatchObject({ stage: 'proposal', seq: 1, funds: { budget: 100_000, available: 100_000 } });
    p.toImplementation();
    expect(p.state.stage).toBe('implementation');
    expect(p.state.reports).toEqual([{ no: 1, dueAt: '2025-09-03T09:00:00.000Z' }]);
    p.do('submit_periodic_report', PARTNER, { report: 1 })
      .do('start_final_evaluation', CW)
      .do('submit_final_evaluation', PARTNER, { score: 80 })
      .do('close_project', SUP);
    expect(p.state).toMatchObject({ stage: 'closed', outcome: 'completed', evaluation: { score: 80 } });
    expect(p.state.timeline.map((e) => e.seq)).toEqual(p.log.map((_e, i) => i + 1));
    expect(p.log.filter((e) => e.type === 'project.stage_changed').map((e) => e.data.to)).toEqual([
      'due_diligence', 'agreement', 'implementation', 'final_evaluation', 'closure', 'closed',
    ]);
    expect(allowedProjectActions(p.state)).toEqual([]);
    expect(nextProjectWakeup(p.state)).toBeUndefined();
  });

  test('a failed due diligence rejects the proposal and closes the project', () => {
    const p = new Project().do('submit_for_due_diligence', CW).do('record_due_diligence', SUP, { passed: false });
    expect(p.state).toMatchObject({ stage: 'closed', outcome: 'rejected', outcomeReason: 'due_diligence_failed' });
  });

  test('terminating needs a reason, and closes the slots of enrolled returnees with the project', () => {
    const p = new Project().toImplementation();
    p.enrol('case-a');
    expect(p.try('terminate_project', SUP)).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    p.do('terminate_project', SUP, undefined, 'the partner dissolved');
    expect(p.state).toMatchObject({ stage: 'closed', outcome: 'terminated', beneficiaries: [{ caseId: 'case-a', status: 'left', leftBecause: 'project_closed' }] });
  });

  test('a step outside its stage, by the wrong role, or unknown is refused without changing the project', () => {
    const p = new Project();
    const before = JSON.stringify(p.state);
    expect(p.try('sign_agreement', SUP)).toMatchObject({ ok: false, code: 'NOT_ALLOWED_NOW', allowed: ['submit_for_due_diligence', 'terminate_project'] });
    expect(p.try('submit_for_due_diligence', PARTNER)).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
    expect(p.try('submit_for_due_diligence', AUDITOR)).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
    expect(p.try('fly_to_the_moon', SUP)).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
    expect(JSON.stringify(p.state)).toBe(before);
  });

  test('the input is validated when the project opens, naming fields', () => {
    expect(() => openProject(PROJECT_ID, projectInput({ budget: 0 }), T0)).toThrow(/budget/);
    expect(() => openProject(PROJECT_ID, projectInput({ settings: { reminderAfter: 'P7D', escalateAfter: 'P1D' } }), T0)).toThrow(/escalateAfter: must be later than reminderAfter/);
    expect(() => openProject('case-123', projectInput(), T0)).toThrow(/projectId/);
  });
});

describe('tranches', () => {
  test('released on a milestone report plus approval; a payment order follows the release', () => {
    const p = new Project().toImplementation().do('submit_milestone_report', PARTNER, { milestone: 'workshop equipped', amount: 40_000 });
    expect(p.state.funds).toEqual({ budget: 100_000, released: 0, pending: 40_000, available: 60_000 });
    const approved = p.try('approve_tranche', SUP, { trancheId: 't1' });
    expect(approved).toMatchObject({ ok: true, effects: [{ type: 'pay_tranche', trancheId: 't1', amount: 40_000 }] });
    p.do('approve_tranche', SUP, { trancheId: 't1' });
    expect(p.state.funds).toEqual({ budget: 100_000, released: 40_000, pending: 0, available: 60_000 });
    expect(p.log.some((e) => e.type === 'project.tranche_released' && e.data.released === 40_000)).toBe(true);
  });

  test('a tranche above what is left of the budget is refused, counting requests still pending', () => {
    const p = new Project().toImplementation().do('submit_milestone_report', PARTNER, { milestone: 'M1', amount: 70_000 });
    expect(p.try('submit_milestone_report', PARTNER, { milestone: 'M2', amount: 30_001 })).toMatchObject({
      ok: false,
      code: 'OVER_BUDGET',
      issues: [{ path: 'amount', message: 'at most 30000' }],
    });
    p.do('reject_tranche', SUP, { trancheId: 't1' });
    expect(p.try('submit_milestone_report', PARTNER, { milestone: 'M2', amount: 100_000 }).ok).toBe(true);
    expect(p.try('submit_milestone_report', PARTNER, { milestone: 'M2', amount: 100_001 })).toMatchObject({ ok: false, code: 'OVER_BUDGET' });
  });

  test('only a supervisor approves, and final evaluation waits for pending tranches', () => {
    const p = new Project({ settings: { reportCount: 1, reportEvery: 'P1M' } }).toImplementation();
    p.do('submit_periodic_report', PARTNER, { report: 1 }).do('submit_milestone_report', PARTNER, { milestone: 'M1', amount: 10 });
    expect(p.try('approve_tranche', CW, { trancheId: 't1' })).toMatchObject({ ok: false, code: 'ROLE_NOT_ALLOWED' });
    expect(p.try('start_final_evaluation', CW)).toMatchObject({ ok: false, code: 'NOT_ALLOWED_NOW', message: 'a tranche still awaits a decision' });
  });
});

describe('periodic reports', () => {
  test('a report is due at the end of its period; the next period cannot be reported early', () => {
    const p = new Project().toImplementation();
    expect(p.state.reports.map((r) => r.dueAt)).toEqual(['2025-06-03T09:00:00.000Z', '2025-09-03T09:00:00.000Z']);
    expect(p.try('submit_periodic_report', PARTNER, { report: 2 })).toMatchObject({ ok: false, code: 'NOT_DUE_YET' });
    p.do('submit_periodic_report', PARTNER, { report: 1 });
    expect(p.try('submit_periodic_report', PARTNER, { report: 1 })).toMatchObject({ ok: false, code: 'ALREADY_DONE' });
    expect(p.try('start_final_evaluation', CW)).toMatchObject({ ok: false, message: 'periodic report 2 is not submitted yet' });
  });

  test('a missed report gets a reminder, then an escalation; submitting it resolves the escalation', () => {
    const p = new Project().toImplementation();
    expect(nextProjectWakeup(p.state)).toBe('2025-06-10T09:00:00.000Z');
    p.advance('P3M').advance('P6D');
    expect(p.tick()).toEqual([]);
    p.advance('P1D');
    expect(p.tick().map((e) => e.type)).toEqual(['project.reminder']);
    p.advance('P7D');
    const escalated = p.tick();
    expect(escalated).toEqual([expect.objectContaining({ type: 'project.escalated', data: expect.objectContaining({ key: 'report:1', reason: 'report_missing' }) })]);
    expect(p.tick()).toEqual([]); // once per report
    p.do('submit_periodic_report', PARTNER, { report: 1 });
    expect(p.state.escalations).toEqual([expect.objectContaining({ key: 'report:1', resolvedAt: p.now })]);
    expect(p.log.at(-1)?.data).toMatchObject({ report: 1, late: true });
  });

  test('month-long periods do not drift at the end of a month', () => {
    const p = new Project({ settings: { reportEvery: 'P6M', reportCount: 2 } });
    p.now = '2025-08-31T10:00:00.000Z';
    p.toImplementation();
    expect(p.state.reports.map((r) => r.dueAt)).toEqual(['2026-02-28T10:00:00.000Z', '2026-08-31T10:00:00.000Z']);
  });

  test('a stage that outlives its SLA escalates once and the escalation ends with the stage', () => {
    const p = new Project({ settings: { deadlines: { proposal: 'P10D' } } });
    p.advance('P11D');
    expect(p.tick().map((e) => e.data.reason)).toEqual(['deadline_missed']);
    expect(p.tick()).toEqual([]);
    p.do('submit_for_due_diligence', CW);
    expect(p.state.escalations[0].resolvedAt).toBe(p.now);
    // due_diligence has no SLA in these settings: nothing left to wake up for.
    expect(nextProjectWakeup(p.state)).toBeUndefined();
  });
});
