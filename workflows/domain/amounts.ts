// Declarative money rules of a programme and the pure function that prices a household,
// so that every programme's amounts are data and a new programme needs no code.
// All amounts are whole euros: every public figure is a whole euro amount, and integers
// add up exactly. Where a split would leave a fraction, the last part takes the remainder.
import { z } from 'zod';
import { ageOn, isIsoDate } from './time';

/** What the money is: cash and travel are paid out; in_kind and medical are budgets spent against reports. */
export const COMPONENT_KINDS = ['cash', 'travel', 'in_kind', 'medical'] as const;
export const ComponentKind = z.enum(COMPONENT_KINDS);
export type ComponentKind = z.infer<typeof ComponentKind>;

/**
 * When money is due:
 * - pre_departure: paid by the pay_predeparture_allowance step (or at the latest when departure is confirmed);
 * - post_arrival: paid when the partner confirms arrival;
 * - reintegration: the in-kind/medical budget, released in tranches against partner reports;
 * - second_tranche: held back and paid when the programme's designated monitoring check-in is reported.
 */
export const PAYMENT_MOMENTS = ['pre_departure', 'post_arrival', 'reintegration', 'second_tranche'] as const;
export const PaymentMoment = z.enum(PAYMENT_MOMENTS);
export type PaymentMoment = z.infer<typeof PaymentMoment>;

/**
 * Entitlement conditions. applied_after_asylum_decision holds whenever the household is
 * not known to have applied before the decision, so an unknown answer gets the lower rate.
 */
export const CONDITIONS = ['applied_before_asylum_decision', 'applied_after_asylum_decision', 'medical_need'] as const;
export const Condition = z.enum(CONDITIONS);
export type Condition = z.infer<typeof Condition>;

const Euros = z.number().int().min(0).max(1_000_000);
const Slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a lowercase slug like "start-up-aid"').max(64);

const SplitPart = z.strictObject({
  share: z.number().gt(0).lte(1),
  when: PaymentMoment,
});

const PER_PERSON_KEYS = ['perPrincipal', 'perDependant', 'perChildUnder12', 'perMinor', 'perAdult', 'perPerson'] as const;

/**
 * One amount rule. The household's amount is perHousehold, plus for each member the most
 * specific per-person rate that is set (role first: perPrincipal / perDependant; then age:
 * perChildUnder12, perMinor, perAdult; then perPerson), plus familySizeBonus when the
 * household is larger than moreThan; the sum is then limited by cap. A component with a
 * condition that does not hold is worth 0.
 */
export const AmountComponent = z
  .strictObject({
    id: Slug,
    label: z.string().min(1).max(200),
    kind: ComponentKind,
    /** Due moment; give either when or split. */
    when: PaymentMoment.optional(),
    /** Instalments: shares summing to 1, each with its own moment. */
    split: z.array(SplitPart).min(2).max(4).optional(),
    perHousehold: Euros.optional(),
    perPrincipal: Euros.optional(),
    perDependant: Euros.optional(),
    perChildUnder12: Euros.optional(),
    perMinor: Euros.optional(),
    perAdult: Euros.optional(),
    perPerson: Euros.optional(),
    familySizeBonus: z.strictObject({ moreThan: z.number().int().min(0).max(50), amount: Euros }).optional(),
    cap: Euros.optional(),
    condition: Condition.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.when === undefined) === (c.split === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['when'], message: 'give exactly one of "when" and "split"' });
    }
    if (c.split) {
      const sum = c.split.reduce((a, p) => a + p.share, 0);
      if (Math.abs(sum - 1) > 1e-9) {
        ctx.addIssue({ code: 'custom', path: ['split'], message: `shares must add up to 1, not ${sum}` });
      }
      if (new Set(c.split.map((p) => p.when)).size !== c.split.length) {
        ctx.addIssue({ code: 'custom', path: ['split'], message: 'each part needs a different "when"' });
      }
    }
    const moments = c.split ? c.split.map((p) => p.when) : c.when ? [c.when] : [];
    const budget = c.kind === 'in_kind' || c.kind === 'medical';
    if (budget && (c.split !== undefined || c.when !== 'reintegration')) {
      ctx.addIssue({
        code: 'custom',
        path: ['when'],
        message: `${c.kind} is a budget released in tranches: use "when": "reintegration" and no split`,
      });
    }
    if (!budget && moments.includes('reintegration')) {
      ctx.addIssue({
        code: 'custom',
        path: ['when'],
        message: `${c.kind} is paid out, not released in tranches: "reintegration" is only for in_kind and medical`,
      });
    }
    const hasAmount =
      c.perHousehold !== undefined ||
      c.familySizeBonus !== undefined ||
      PER_PERSON_KEYS.some((k) => c[k] !== undefined);
    if (!hasAmount) {
      ctx.addIssue({ code: 'custom', message: 'sets no amount (perHousehold, per-person rates or familySizeBonus)' });
    }
  });
export type AmountComponent = z.infer<typeof AmountComponent>;

export const AmountRules = z
  .strictObject({ components: z.array(AmountComponent).min(1).max(20) })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.components.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['components', i, 'id'], message: `duplicate id "${c.id}"` });
      seen.add(c.id);
    });
  });
export type AmountRules = z.infer<typeof AmountRules>;

export interface HouseholdMemberForAmounts {
  readonly dateOfBirth: string;
  readonly role: 'principal' | 'dependant';
}

export interface HouseholdForAmounts {
  readonly members: readonly HouseholdMemberForAmounts[];
  readonly appliedBeforeAsylumDecision?: boolean;
  readonly medicalNeed?: boolean;
}

export interface AmountPart {
  readonly when: PaymentMoment;
  readonly amount: number;
}

export interface ComponentAmount {
  readonly id: string;
  readonly label: string;
  readonly kind: ComponentKind;
  /** False when the component's condition does not hold; amount is then 0. */
  readonly applies: boolean;
  /** Before the cap. */
  readonly uncapped: number;
  readonly amount: number;
  readonly capped: boolean;
  readonly parts: readonly AmountPart[];
}

export interface AmountsResult {
  readonly currency: 'EUR';
  readonly asOf: string;
  /** Head counts only: no birth dates leave this function. */
  readonly household: {
    readonly size: number;
    readonly adults: number;
    readonly minors: number;
    readonly childrenUnder12: number;
  };
  readonly components: readonly ComponentAmount[];
  readonly totals: {
    /** Paid out: cash and travel components. */
    readonly cash: number;
    /** Budgets spent against reports: in_kind and medical components. */
    readonly inKind: number;
    readonly total: number;
    readonly byWhen: Readonly<Record<PaymentMoment, number>>;
  };
}

function conditionHolds(condition: Condition | undefined, h: HouseholdForAmounts): boolean {
  switch (condition) {
    case undefined:
      return true;
    case 'applied_before_asylum_decision':
      return h.appliedBeforeAsylumDecision === true;
    case 'applied_after_asylum_decision':
      return h.appliedBeforeAsylumDecision !== true;
    case 'medical_need':
      return h.medicalNeed === true;
  }
}

function rateFor(c: AmountComponent, role: 'principal' | 'dependant', age: number): number {
  if (role === 'principal' && c.perPrincipal !== undefined) return c.perPrincipal;
  if (role === 'dependant' && c.perDependant !== undefined) return c.perDependant;
  if (age < 12 && c.perChildUnder12 !== undefined) return c.perChildUnder12;
  if (age < 18 && c.perMinor !== undefined) return c.perMinor;
  if (age >= 18 && c.perAdult !== undefined) return c.perAdult;
  return c.perPerson ?? 0;
}

/** Splits a whole-euro amount by shares; earlier parts round down, the last takes the rest. */
function splitAmount(amount: number, split: readonly { share: number; when: PaymentMoment }[]): AmountPart[] {
  let given = 0;
  return split.map((p, i) => {
    const part = i === split.length - 1 ? amount - given : Math.floor(amount * p.share + 1e-9);
    given += part;
    return { when: p.when, amount: part };
  });
}

/**
 * Prices a household under a programme's rules. Minors are under 18 and children under 12
 * on the UTC date of asOf. Throws if a member's birth date is invalid or after asOf; the
 * message names the member's index, never the date.
 */
export function computeAmounts(
  programme: { readonly amounts: AmountRules },
  household: HouseholdForAmounts,
  asOf: string,
): AmountsResult {
  if (household.members.length === 0) throw new Error('household: at least one member is needed');
  const ages = household.members.map((m, i) => {
    if (!isIsoDate(m.dateOfBirth)) throw new Error(`household.members[${i}].dateOfBirth: not a calendar date YYYY-MM-DD`);
    const age = ageOn(m.dateOfBirth, asOf);
    if (age < 0) throw new Error(`household.members[${i}].dateOfBirth: after the reference date`);
    return age;
  });
  const size = household.members.length;
  const minors = ages.filter((a) => a < 18).length;
  const childrenUnder12 = ages.filter((a) => a < 12).length;

  const byWhen: Record<PaymentMoment, number> = { pre_departure: 0, post_arrival: 0, reintegration: 0, second_tranche: 0 };
  let cash = 0;
  let inKind = 0;
  const components = programme.amounts.components.map((c): ComponentAmount => {
    const applies = conditionHolds(c.condition, household);
    let uncapped = 0;
    if (applies) {
      uncapped += c.perHousehold ?? 0;
      household.members.forEach((m, i) => {
        uncapped += rateFor(c, m.role, ages[i] as number);
      });
      if (c.familySizeBonus && size > c.familySizeBonus.moreThan) uncapped += c.familySizeBonus.amount;
    }
    const amount = c.cap !== undefined ? Math.min(uncapped, c.cap) : uncapped;
    if (!c.split && !c.when) throw new Error(`amounts.components.${c.id}: neither "when" nor "split"`);
    const parts = c.split ? splitAmount(amount, c.split) : [{ when: c.when as PaymentMoment, amount }];
    for (const p of parts) byWhen[p.when] += p.amount;
    if (c.kind === 'cash' || c.kind === 'travel') cash += amount;
    else inKind += amount;
    return { id: c.id, label: c.label, kind: c.kind, applies, uncapped, amount, capped: amount < uncapped, parts };
  });

  return {
    currency: 'EUR',
    asOf,
    household: { size, adults: size - minors, minors, childrenUnder12 },
    components,
    totals: { cash, inKind, total: cash + inKind, byWhen },
  };
}
