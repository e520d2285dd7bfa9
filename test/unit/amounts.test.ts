// Hand-computed amounts for the four shipped programmes and three households, plus the
// edge cases of the rule language (age boundaries, caps, splits, conditions).
import { computeAmounts, AmountRules, type HouseholdForAmounts } from '../../workflows/domain/amounts';
import { DE_REAG, DE_SHP, EU_EURP, IT_RVA } from './load-programmes';

const AS_OF = '2025-06-01T09:00:00Z';

/** One adult, applied before the asylum decision. */
const SINGLE: HouseholdForAmounts = {
  members: [{ role: 'principal', dateOfBirth: '1990-05-01' }],
  appliedBeforeAsylumDecision: true,
};

/** Two adults and three minors aged 16, 15 and 13 (none under 12); applied after the decision. */
const FIVE: HouseholdForAmounts = {
  members: [
    { role: 'principal', dateOfBirth: '1985-02-10' },
    { role: 'dependant', dateOfBirth: '1987-07-22' },
    { role: 'dependant', dateOfBirth: '2008-09-10' },
    { role: 'dependant', dateOfBirth: '2010-03-15' },
    { role: 'dependant', dateOfBirth: '2012-01-20' },
  ],
  appliedBeforeAsylumDecision: false,
};

/** Six: two parents, a grandmother (adult dependant), children aged 10, 7 and 3; applied before. */
const SIX: HouseholdForAmounts = {
  members: [
    { role: 'principal', dateOfBirth: '1984-04-04' },
    { role: 'dependant', dateOfBirth: '1986-11-30' },
    { role: 'dependant', dateOfBirth: '1955-08-08' },
    { role: 'dependant', dateOfBirth: '2015-01-15' },
    { role: 'dependant', dateOfBirth: '2018-06-01' },
    { role: 'dependant', dateOfBirth: '2022-03-03' },
  ],
  appliedBeforeAsylumDecision: true,
};

function byId(result: ReturnType<typeof computeAmounts>, id: string) {
  const c = result.components.find((x) => x.id === id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
}

describe('household head counts', () => {
  test('adults, minors and children under 12 on the reference date', () => {
    const p = IT_RVA();
    expect(computeAmounts(p, SINGLE, AS_OF).household).toEqual({ size: 1, adults: 1, minors: 0, childrenUnder12: 0 });
    expect(computeAmounts(p, FIVE, AS_OF).household).toEqual({ size: 5, adults: 2, minors: 3, childrenUnder12: 0 });
    expect(computeAmounts(p, SIX, AS_OF).household).toEqual({ size: 6, adults: 3, minors: 3, childrenUnder12: 3 });
  });
});

describe('Italy RVA under FAMI', () => {
  // cash 615 per person before departure; in kind 2,000 for the head of household + 1,000 per dependant.
  test('one person', () => {
    const r = computeAmounts(IT_RVA(), SINGLE, AS_OF);
    // cash 1×615 = 615; in kind 2000
    expect(r.totals).toEqual({
      cash: 615,
      inKind: 2000,
      total: 2615,
      byWhen: { pre_departure: 615, post_arrival: 0, reintegration: 2000, second_tranche: 0 },
    });
  });
  test('two adults with three minors', () => {
    const r = computeAmounts(IT_RVA(), FIVE, AS_OF);
    // cash 5×615 = 3075; in kind 2000 + 4×1000 = 6000; total 9075
    expect(byId(r, 'first-settlement-allowance').amount).toBe(3075);
    expect(byId(r, 'reintegration-in-kind').amount).toBe(6000);
    expect(r.totals).toEqual({
      cash: 3075,
      inKind: 6000,
      total: 9075,
      byWhen: { pre_departure: 3075, post_arrival: 0, reintegration: 6000, second_tranche: 0 },
    });
  });
  test('family of six with children under 12', () => {
    const r = computeAmounts(IT_RVA(), SIX, AS_OF);
    // cash 6×615 = 3690; in kind 2000 + 5×1000 = 7000 (the grandmother is a dependant too); total 10690
    expect(r.totals).toEqual({
      cash: 3690,
      inKind: 7000,
      total: 10690,
      byWhen: { pre_departure: 3690, post_arrival: 0, reintegration: 7000, second_tranche: 0 },
    });
  });
});

describe('Germany REAG/GARP', () => {
  // travel 200/adult, 100/minor; start-up 1,000/adult, 500/minor, cap 4,000; medical 2,000 only with a medical need.
  test('one person', () => {
    const r = computeAmounts(DE_REAG(), SINGLE, AS_OF);
    // travel 200; start-up 1000; medical 0 (no medical need)
    expect(byId(r, 'travel-allowance').amount).toBe(200);
    expect(byId(r, 'start-up-aid').amount).toBe(1000);
    expect(byId(r, 'medical-costs')).toMatchObject({ applies: false, amount: 0 });
    expect(r.totals).toEqual({
      cash: 1200,
      inKind: 0,
      total: 1200,
      byWhen: { pre_departure: 1200, post_arrival: 0, reintegration: 0, second_tranche: 0 },
    });
  });
  test('two adults with three minors', () => {
    const r = computeAmounts(DE_REAG(), FIVE, AS_OF);
    // travel 2×200 + 3×100 = 700; start-up 2×1000 + 3×500 = 3500 ≤ 4000, not capped
    expect(byId(r, 'travel-allowance').amount).toBe(700);
    expect(byId(r, 'start-up-aid')).toMatchObject({ uncapped: 3500, amount: 3500, capped: false });
    expect(r.totals).toEqual({
      cash: 4200,
      inKind: 0,
      total: 4200,
      byWhen: { pre_departure: 4200, post_arrival: 0, reintegration: 0, second_tranche: 0 },
    });
  });
  test('family of six with children under 12', () => {
    const r = computeAmounts(DE_REAG(), SIX, AS_OF);
    // 3 adults, 3 minors: travel 3×200 + 3×100 = 900; start-up 3×1000 + 3×500 = 4500 → capped at 4000
    expect(byId(r, 'travel-allowance').amount).toBe(900);
    expect(byId(r, 'start-up-aid')).toMatchObject({ uncapped: 4500, amount: 4000, capped: true });
    expect(r.totals).toEqual({
      cash: 4900,
      inKind: 0,
      total: 4900,
      byWhen: { pre_departure: 4900, post_arrival: 0, reintegration: 0, second_tranche: 0 },
    });
  });
  test('a medical need adds the medical budget', () => {
    const r = computeAmounts(DE_REAG(), { ...SINGLE, medicalNeed: true }, AS_OF);
    // 1200 cash as above + medical 2000 per household
    expect(byId(r, 'medical-costs')).toMatchObject({ applies: true, amount: 2000 });
    expect(r.totals).toMatchObject({ cash: 1200, inKind: 2000, total: 3200 });
  });
});

describe('Germany StarthilfePlus', () => {
  // 1,200/person before the decision, 800 after; half for children under 12; +500 for more than four;
  // every component paid half before departure, half as the second tranche.
  test('one person, applied before the decision', () => {
    const r = computeAmounts(DE_SHP(), SINGLE, AS_OF);
    // 1×1200 = 1200 → 600 + 600; no family supplement (1 ≤ 4); the "after" rate does not apply
    expect(byId(r, 'start-up-before-decision')).toMatchObject({
      applies: true,
      amount: 1200,
      parts: [
        { when: 'pre_departure', amount: 600 },
        { when: 'second_tranche', amount: 600 },
      ],
    });
    expect(byId(r, 'start-up-after-decision')).toMatchObject({ applies: false, amount: 0 });
    expect(byId(r, 'large-family-supplement').amount).toBe(0);
    expect(r.totals).toEqual({
      cash: 1200,
      inKind: 0,
      total: 1200,
      byWhen: { pre_departure: 600, post_arrival: 0, reintegration: 0, second_tranche: 600 },
    });
  });
  test('two adults with three minors, applied after the decision', () => {
    const r = computeAmounts(DE_SHP(), FIVE, AS_OF);
    // after rate: 5×800 = 4000 (minors are 16, 15, 13: none under 12); supplement 500 (5 > 4)
    // → 4500, halves 2250 + 2250
    expect(byId(r, 'start-up-after-decision').amount).toBe(4000);
    expect(byId(r, 'large-family-supplement').amount).toBe(500);
    expect(r.totals).toEqual({
      cash: 4500,
      inKind: 0,
      total: 4500,
      byWhen: { pre_departure: 2250, post_arrival: 0, reintegration: 0, second_tranche: 2250 },
    });
  });
  test('family of six with children under 12, applied before the decision', () => {
    const r = computeAmounts(DE_SHP(), SIX, AS_OF);
    // 3 adults × 1200 = 3600; 3 children under 12 × 600 = 1800; → 5400; supplement 500 → 5900
    // halves: (2700 + 250) + (2700 + 250) = 2950 + 2950
    expect(byId(r, 'start-up-before-decision').amount).toBe(5400);
    expect(r.totals).toEqual({
      cash: 5900,
      inKind: 0,
      total: 5900,
      byWhen: { pre_departure: 2950, post_arrival: 0, reintegration: 0, second_tranche: 2950 },
    });
  });
  test('an unknown answer gets the after-decision rate', () => {
    const r = computeAmounts(DE_SHP(), { members: SINGLE.members }, AS_OF);
    expect(r.totals.cash).toBe(800);
  });
});

describe('EU EURP', () => {
  // post-arrival 615/person; in kind 2,000/adult, 1,000/minor.
  test('one person', () => {
    const r = computeAmounts(EU_EURP(), SINGLE, AS_OF);
    expect(r.totals).toEqual({
      cash: 615,
      inKind: 2000,
      total: 2615,
      byWhen: { pre_departure: 0, post_arrival: 615, reintegration: 2000, second_tranche: 0 },
    });
  });
  test('two adults with three minors', () => {
    const r = computeAmounts(EU_EURP(), FIVE, AS_OF);
    // post-arrival 5×615 = 3075; in kind 2×2000 + 3×1000 = 7000; total 10075
    expect(r.totals).toEqual({
      cash: 3075,
      inKind: 7000,
      total: 10075,
      byWhen: { pre_departure: 0, post_arrival: 3075, reintegration: 7000, second_tranche: 0 },
    });
  });
  test('family of six with children under 12', () => {
    const r = computeAmounts(EU_EURP(), SIX, AS_OF);
    // post-arrival 6×615 = 3690; in kind 3×2000 + 3×1000 = 9000; total 12690
    expect(r.totals).toEqual({
      cash: 3690,
      inKind: 9000,
      total: 12690,
      byWhen: { pre_departure: 0, post_arrival: 3690, reintegration: 9000, second_tranche: 0 },
    });
  });
});

describe('rule language edge cases', () => {
  const rules = (component: Record<string, unknown>) => ({
    amounts: AmountRules.parse({ components: [{ id: 'x', label: 'x', kind: 'cash', when: 'pre_departure', ...component }] }),
  });

  test('18th birthday on the reference date counts as adult, the day before as minor', () => {
    const p = rules({ perAdult: 10, perMinor: 1 });
    const h = (dob: string): HouseholdForAmounts => ({ members: [{ role: 'principal', dateOfBirth: dob }] });
    expect(computeAmounts(p, h('2007-06-01'), AS_OF).totals.cash).toBe(10);
    expect(computeAmounts(p, h('2007-06-02'), AS_OF).totals.cash).toBe(1);
  });

  test('12th birthday ends the under-12 rate', () => {
    const p = rules({ perPerson: 100, perChildUnder12: 50 });
    const h = (dob: string): HouseholdForAmounts => ({ members: [{ role: 'principal', dateOfBirth: dob }] });
    expect(computeAmounts(p, h('2013-06-01'), AS_OF).totals.cash).toBe(100);
    expect(computeAmounts(p, h('2013-06-02'), AS_OF).totals.cash).toBe(50);
  });

  test('a 29 February birthday comes of age on 1 March in a common year', () => {
    const p = rules({ perAdult: 10, perMinor: 1 });
    const h: HouseholdForAmounts = { members: [{ role: 'principal', dateOfBirth: '2008-02-29' }] };
    expect(computeAmounts(p, h, '2026-02-28').totals.cash).toBe(1);
    expect(computeAmounts(p, h, '2026-03-01').totals.cash).toBe(10);
  });

  test('role rates win over age rates, which win over perPerson', () => {
    const p = rules({ perPrincipal: 1000, perMinor: 10, perPerson: 100 });
    const h: HouseholdForAmounts = {
      members: [
        { role: 'principal', dateOfBirth: '2009-01-01' },
        { role: 'dependant', dateOfBirth: '2010-01-01' },
        { role: 'dependant', dateOfBirth: '1980-01-01' },
      ],
    };
    // principal (a minor) 1000 + minor dependant 10 + adult dependant 100 = 1110
    expect(computeAmounts(p, h, AS_OF).totals.cash).toBe(1110);
  });

  test('an odd amount split in halves gives the remainder to the last part', () => {
    const p = {
      amounts: AmountRules.parse({
        components: [
          {
            id: 'x',
            label: 'x',
            kind: 'cash',
            perHousehold: 1001,
            split: [
              { share: 0.5, when: 'pre_departure' },
              { share: 0.5, when: 'second_tranche' },
            ],
          },
        ],
      }),
    };
    const r = computeAmounts(p, SINGLE, AS_OF);
    expect(r.components[0]?.parts).toEqual([
      { when: 'pre_departure', amount: 500 },
      { when: 'second_tranche', amount: 501 },
    ]);
  });

  test('an invalid or future birth date is refused without echoing it', () => {
    const p = rules({ perPerson: 1 });
    expect(() => computeAmounts(p, { members: [{ role: 'principal', dateOfBirth: '1990-02-30' }] }, AS_OF)).toThrow(
      'household.members[0].dateOfBirth: not a calendar date YYYY-MM-DD',
    );
    try {
      computeAmounts(p, { members: [{ role: 'principal', dateOfBirth: '2030-01-01' }] }, AS_OF);
      throw new Error('expected a throw');
    } catch (e) {
      expect((e as Error).message).toBe('household.members[0].dateOfBirth: after the reference date');
      expect((e as Error).message).not.toContain('2030');
    }
  });

  test('schema rejects a budget paid out before departure and a cash component released in tranches', () => {
    expect(
      AmountRules.safeParse({ components: [{ id: 'a', label: 'a', kind: 'in_kind', when: 'pre_departure', perPerson: 1 }] })
        .success,
    ).toBe(false);
    expect(
      AmountRules.safeParse({ components: [{ id: 'a', label: 'a', kind: 'cash', when: 'reintegration', perPerson: 1 }] })
        .success,
    ).toBe(false);
    expect(AmountRules.safeParse({ components: [{ id: 'a', label: 'a', kind: 'cash', when: 'post_arrival' }] }).success).toBe(
      false,
    );
  });
});
