// Which roles a case waits on, stage by stage: the rule behind the workqueues (cases.pending_roles).
import { allowedActions } from '../../workflows/domain/transitions';
import { pendingRolesOf } from '../../workflows/case/pending-roles';
import { projectionOf } from '../../workflows/case/projection';
import type { Stage } from '../../workflows/domain/vocabulary';
import { Case, CW, PARTNER, SUP } from './case-driver';
import { IT_RVA } from './load-programmes';

const waitingOn = (c: Case) => pendingRolesOf(c.state.stage, allowedActions(c.state, c.programme));

test.each<[Stage, string[]]>([
  ['intake', ['caseworker', 'supervisor']],
  ['counselling', ['caseworker', 'supervisor']],
  ['application', ['caseworker', 'supervisor']],
  // The Questura and the Prefettura decide; withdrawal stays open to staff but is not what the case waits for.
  ['eligibility', ['supervisor', 'partner']],
  ['admission', ['supervisor', 'partner']],
  ['travel_document', ['caseworker', 'supervisor']],
  ['reintegration_plan', ['caseworker']],
  ['travel_booking', ['caseworker', 'supervisor']],
  ['departure', ['caseworker', 'supervisor', 'partner']],
  // Stopping assistance (supervisor) is an early way out, not the awaited arrival report.
  ['post_arrival', ['partner']],
  ['reintegration', ['partner']],
])('a case in %s waits on %j', (stage, roles) => {
  expect(waitingOn(new Case(IT_RVA()).driveTo(stage))).toEqual(roles);
});

test('a submitted plan waits on the supervisor alone; a submitted tranche report adds the supervisor', () => {
  const c = new Case(IT_RVA()).driveTo('reintegration_plan');
  c.do('submit_plan', CW, { kind: 'business', amount: 1000 });
  expect(waitingOn(c)).toEqual(['supervisor']);

  c.do('approve_plan', SUP);
  c.driveTo('reintegration');
  c.do('submit_tranche_report', PARTNER, { amount: 500, description: 'tools delivered' });
  expect(waitingOn(c)).toEqual(['supervisor', 'partner']);
});

test('monitoring waits on the partner, closure on the supervisor, a closed case on nobody', () => {
  const c = new Case(IT_RVA()).driveTo('monitoring');
  expect(waitingOn(c)).toEqual(['partner']);
  c.driveTo('closure');
  // close_case is the awaited sign-off here, though before departure it is only an early stop.
  expect(waitingOn(c)).toEqual(['supervisor']);
  c.do('close_case', SUP, { outcome: 'completed' });
  expect(waitingOn(c)).toEqual([]);
  // Any closed case may get an erasure request, so that waits on no one; a recorded request waits on its approval.
  c.do('request_erasure', CW, undefined, 'art. 17 request');
  expect(waitingOn(c)).toEqual(['supervisor']);
});

test('the projection row carries the same roles', () => {
  const c = new Case(IT_RVA()).driveTo('eligibility');
  expect(projectionOf(c.state, c.programme).pendingRoles).toEqual(['supervisor', 'partner']);
  c.do('withdraw', CW);
  expect(projectionOf(c.state, c.programme).pendingRoles).toEqual([]);
});
