// The main paths of a return case, as the human steps taken over the API, for recording the fixture
// histories (scripts/record-histories.ts). Built for the test programme test/fixtures/programmes/fast.json,
// whose deadlines, follow-up offsets and retention are seconds. The person is made up.
import net from 'node:net';
import { DEMO_ACCOUNTS, DEMO_PARTNERS } from '../db/seed';
import type { CaseInput } from '../workflows/domain/state';
import type { Action } from '../workflows/domain/vocabulary';

export type Who = 'caseworker' | 'supervisor' | 'partner';

export interface Step {
  as: Who;
  action: Action;
  payload?: Record<string, unknown>;
  reason?: string;
  /** Wait this long after departure before the step (a monitoring checkpoint must be due). */
  afterDepartureMs?: number;
}

export interface CasePath {
  name: string;
  steps: Step[];
}

export const FIXTURE_PARTNER = 'iom-dakar';

export function fixtureCase(): CaseInput {
  return {
    programmeId: 'test-fast',
    countryOfReturn: 'SN',
    nationality: 'SN',
    office: 'roma',
    referringBody: 'sai',
    principal: { givenName: 'Fixture', familyName: `Person-${Date.now().toString(36)}`, dateOfBirth: '1990-01-01' },
    dependants: [],
    vulnerabilities: [],
    medicalNeed: false,
    legalStatus: 'refused_asylum',
    partnerIds: [FIXTURE_PARTNER],
  };
}

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const toEligibility: Step[] = [
  { as: 'caseworker', action: 'confirm_intake' },
  { as: 'caseworker', action: 'record_counselling_session', payload: { durationMinutes: 45, interpreterUsed: true } },
  { as: 'caseworker', action: 'sign_declaration' },
  { as: 'caseworker', action: 'lodge_application' },
];

const toBooking = (): Step[] => [
  ...toEligibility,
  { as: 'supervisor', action: 'record_eligibility', payload: { eligible: true } },
  { as: 'supervisor', action: 'admit' },
  { as: 'caseworker', action: 'record_passport', payload: { expiresOn: daysFromNow(5 * 365) } },
  { as: 'caseworker', action: 'submit_plan', payload: { kind: 'business', amount: 1000 } },
  { as: 'supervisor', action: 'approve_plan' },
];

const book = (): Step => ({ as: 'caseworker', action: 'book_travel', payload: { departureDate: daysFromNow(7) } });

/** Built when recording starts, so dates are relative to that day. */
export function casePaths(): CasePath[] {
  return [
    {
      name: 'happy-path',
      steps: [
        ...toBooking(),
        book(),
        { as: 'caseworker', action: 'pay_predeparture_allowance' },
        { as: 'caseworker', action: 'confirm_departure' },
        { as: 'partner', action: 'confirm_arrival' },
        { as: 'partner', action: 'submit_tranche_report', payload: { amount: 1000, description: 'Sewing machines for a tailoring workshop' } },
        { as: 'supervisor', action: 'approve_tranche', payload: { trancheId: 't1' } },
        { as: 'partner', action: 'submit_monitoring_report', payload: { checkpoint: 'PT5S', score: 70 }, afterDepartureMs: 6_000 },
        { as: 'partner', action: 'submit_monitoring_report', payload: { checkpoint: 'PT10S', score: 80 }, afterDepartureMs: 11_000 },
        { as: 'supervisor', action: 'close_case', payload: { outcome: 'completed' } },
      ],
    },
    {
      name: 'withdrawal',
      steps: [...toBooking(), book(), { as: 'caseworker', action: 'withdraw', reason: 'The person decided to stay' }],
    },
    {
      name: 'ineligible',
      steps: [...toEligibility, { as: 'supervisor', action: 'record_eligibility', payload: { eligible: false, exclusion: 'visa_exempt' } }],
    },
    {
      // Two rebookings are allowed; the third no-show closes the case.
      name: 'no-show-rebooking',
      steps: [
        ...toBooking(),
        book(),
        { as: 'caseworker', action: 'record_no_show' },
        book(),
        { as: 'partner', action: 'record_no_show' },
        book(),
        { as: 'caseworker', action: 'record_no_show' },
      ],
    },
  ];
}

export type FixtureApi = (who: Who, method: string, url: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Calls the recording app's API as each person: the demo caseworker and supervisor, and the fixture partner. */
export async function fixtureApi(baseUrl: string): Promise<FixtureApi> {
  const login = async (role: string) => {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    const r = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    return ((await r.json()) as { token: string }).token;
  };
  const tokens: Record<Who, string> = {
    caseworker: await login('caseworker'),
    supervisor: await login('supervisor'),
    partner: DEMO_PARTNERS.find((p) => p.partnerId === FIXTURE_PARTNER)!.apiKey,
  };
  return async (who, method, url, body) => {
    const r = await fetch(baseUrl + url, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}
