// Programme files: the shipped ones load, and a bad file fails with the programme, the
// field path and the problem.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { durationToMs } from '../../workflows/domain/duration';
import { parseProgramme, WAITING_STAGES } from '../../workflows/domain/programme';
import { FAST, loadProgramme, rawProgramme } from './load-programmes';

function errorOf(json: unknown): string {
  try {
    parseProgramme(json);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the programme to be refused');
}

function edit(mutate: (p: Record<string, any>) => void): Record<string, unknown> {
  const p = rawProgramme('it-rva-fami') as Record<string, any>;
  mutate(p);
  return p;
}

describe('shipped programmes', () => {
  const files = readdirSync(join(__dirname, '..', '..', 'programmes')).filter((f) => f.endsWith('.json'));

  test('there are four, each named after its id', () => {
    expect(files.sort()).toEqual(['de-reag-garp.json', 'de-starthilfeplus.json', 'eu-eurp.json', 'it-rva-fami.json']);
    for (const f of files) expect(loadProgramme(f.replace('.json', '')).id).toBe(f.replace('.json', ''));
  });

  test('admission and figures as published', () => {
    expect(loadProgramme('it-rva-fami')).toMatchObject({ admissionBy: 'prefettura', country: 'IT', maxRebookings: 2, retention: 'P5Y' });
    expect(loadProgramme('eu-eurp')).toMatchObject({ admissionBy: 'supervisor', country: 'EU' });
    expect(loadProgramme('de-starthilfeplus').tranches).toEqual({ secondTrancheOnCheckpoint: 'P6M' });
  });

  test('the fast test programme counts in seconds', () => {
    const p = FAST();
    expect(p.fundedPlaces).toBe(1000);
    const durations = [...Object.values(p.deadlines), ...p.followUp.offsets, p.followUp.reminderAfter, p.followUp.escalateAfter, p.retention];
    for (const d of durations) expect(durationToMs(d as string)).toBeLessThanOrEqual(30_000);
    expect(Object.keys(p.deadlines).sort()).toEqual([...WAITING_STAGES].sort());
  });
});

describe('parseProgramme errors', () => {
  test('names the programme, the field path and the problem', () => {
    expect(errorOf(edit((p) => (p.deadlines.counselling = '3 weeks')))).toBe(
      'programme it-rva-fami: deadlines.counselling: not an ISO-8601 duration "3 weeks"',
    );
    expect(errorOf(edit((p) => (p.followUp.offsets = ['P3M', 'six months'])))).toBe(
      'programme it-rva-fami: followUp.offsets[1]: not an ISO-8601 duration "six months"',
    );
  });

  test('unknown keys are rejected at any depth', () => {
    expect(errorOf(edit((p) => (p.deadlines.counseling = 'P30D')))).toBe('programme it-rva-fami: deadlines: unknown key "counseling"');
    expect(errorOf(edit((p) => (p.extra = true)))).toBe('programme it-rva-fami: unknown key "extra"');
    expect(errorOf(edit((p) => (p.amounts.components[1].perSpouse = 1)))).toBe(
      'programme it-rva-fami: amounts.components[1]: unknown key "perSpouse"',
    );
  });

  test('types, ranges and enums', () => {
    expect(errorOf(edit((p) => (p.currency = 'USD')))).toBe('programme it-rva-fami: currency: Invalid input: expected "EUR"');
    expect(errorOf(edit((p) => (p.fundedPlaces = -1)))).toMatch(/^programme it-rva-fami: fundedPlaces: /);
    expect(errorOf(edit((p) => (p.admissionBy = 'questura')))).toMatch(/^programme it-rva-fami: admissionBy: /);
    expect(errorOf(edit((p) => (p.country = 'UK')))).toMatch(/^programme it-rva-fami: country: expected an assigned ISO 3166-1/);
    expect(errorOf(edit((p) => (p.amounts.components[0].perPerson = 615.5)))).toMatch(
      /^programme it-rva-fami: amounts\.components\[0\]\.perPerson: /,
    );
  });

  test('cross-field rules', () => {
    expect(errorOf(edit((p) => (p.followUp.offsets = ['P6M', 'P3M'])))).toBe(
      'programme it-rva-fami: followUp.offsets[1]: offsets must be strictly increasing',
    );
    expect(errorOf(edit((p) => (p.followUp.escalateAfter = 'P7D')))).toBe(
      'programme it-rva-fami: followUp.escalateAfter: must be later than reminderAfter',
    );
    expect(
      errorOf(
        edit((p) => {
          delete p.amounts.components[0].when;
          p.amounts.components[0].split = [
            { share: 0.5, when: 'pre_departure' },
            { share: 0.5, when: 'second_tranche' },
          ];
        }),
      ),
    ).toBe('programme it-rva-fami: tranches: required when a component is paid as second_tranche');
    expect(errorOf(edit((p) => (p.tranches = { secondTrancheOnCheckpoint: 'P12M' })))).toBe(
      'programme it-rva-fami: tranches.secondTrancheOnCheckpoint: must be one of followUp.offsets',
    );
    expect(errorOf(edit((p) => (p.amounts.components[1].id = 'first-settlement-allowance')))).toBe(
      'programme it-rva-fami: amounts.components[1].id: duplicate id "first-settlement-allowance"',
    );
  });

  test('several problems are listed together; a missing id is said so', () => {
    expect(errorOf(edit((p) => ((p.retention = 'forever'), (p.maxRebookings = 'two'))))).toBe(
      'programme it-rva-fami: maxRebookings: Invalid input: expected number, received string; retention: not an ISO-8601 duration "forever"',
    );
    expect(errorOf(null)).toBe('programme (without id): Invalid input: expected object, received null');
  });
});
