// Case bodies for tests: made-up people, never real ones.
import type { CaseInput } from '../../workflows/domain/state';

export function singleAdult(overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    programmeId: 'test-fast',
    countryOfReturn: 'SN',
    nationality: 'SN',
    office: 'roma',
    referringBody: 'sai',
    principal: { givenName: 'Testa', familyName: `Persona-${Math.random().toString(36).slice(2, 10)}`, dateOfBirth: '1990-04-12' },
    dependants: [],
    vulnerabilities: [],
    medicalNeed: false,
    legalStatus: 'refused_asylum',
    ...overrides,
  };
}

export function familyOfFour(overrides: Partial<CaseInput> = {}): CaseInput {
  return singleAdult({
    dependants: [
      { givenName: 'Awa', familyName: 'Persona', dateOfBirth: '1992-01-20', relationship: 'spouse' },
      { givenName: 'Moussa', familyName: 'Persona', dateOfBirth: '2016-06-01', relationship: 'child' },
      { givenName: 'Fatou', familyName: 'Persona', dateOfBirth: '2019-09-09', relationship: 'child' },
    ],
    ...overrides,
  });
}
