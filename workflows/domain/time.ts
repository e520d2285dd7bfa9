// Calendar dates and instants as ISO-8601 strings, parsed by hand so the result never
// depends on the machine's time zone or clock (workflow code must replay identically).

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

export function daysInMonth(year: number, month1: number): number {
  // Day 0 of the next month is the last day of this one; UTC avoids DST surprises.
  const d = new Date(0);
  d.setUTCFullYear(year, month1, 0);
  return d.getUTCDate();
}

function utcMs(y: number, mo1: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  // Date.UTC maps years 0-99 to 1900-1999, so set the year explicitly.
  const t = new Date(0);
  t.setUTCFullYear(y, mo1 - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

function validDateParts(y: number, mo: number, d: number): boolean {
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-29 is false). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DATE_RE.exec(text);
  return m !== null && validDateParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Milliseconds since the epoch for a date (YYYY-MM-DD, taken as UTC midnight) or a
 * date-time that carries Z or an offset. Local date-times without an offset are refused
 * because their meaning would depend on where the code runs. Undefined when invalid.
 */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const dm = DATE_RE.exec(text);
  if (dm) {
    const [y, mo, d] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
    return validDateParts(y, mo, d) ? utcMs(y, mo, d) : undefined;
  }
  const m = INSTANT_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!validDateParts(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMin = 0;
  const zone = m[8] ?? 'Z';
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMin = sign * (oh * 60 + om);
  }
  return utcMs(y, mo, d, h, mi, s, ms) - offsetMin * 60_000;
}

/**
 * Normalises a date or date-time to the canonical UTC form (2025-01-31T10:00:00.000Z),
 * so stored instants compare correctly as strings. The error names the field, never the
 * value, because values can be dates of birth.
 */
export function toInstant(text: unknown, what = 'instant'): string {
  const ms = parseInstant(text);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new Error(`${what}: not an ISO-8601 date or date-time with a time zone`);
  }
  return new Date(ms).toISOString();
}

/** Instant in milliseconds; throws (without echoing the value) when invalid. */
export function msOf(text: string, what = 'instant'): number {
  return Date.parse(toInstant(text, what));
}

/** The UTC calendar date (YYYY-MM-DD) of an instant. */
export function dateOf(instant: string): string {
  return toInstant(instant).slice(0, 10);
}

export function fromMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** True when instant a is at or before instant b. */
export function atOrBefore(a: string, b: string): boolean {
  return msOf(a) <= msOf(b);
}

/** The earliest of some instants, or undefined for none. */
export function earliest(instants: readonly string[]): string | undefined {
  let best: number | undefined;
  for (const i of instants) {
    const ms = msOf(i);
    if (best === undefined || ms < best) best = ms;
  }
  return best === undefined ? undefined : fromMs(best);
}

/**
 * Completed years between a date of birth and the UTC date of asOf. A person born on
 * 29 February comes of age on 1 March in common years.
 */
export function ageOn(dateOfBirth: string, asOf: string): number {
  if (!isIsoDate(dateOfBirth)) throw new Error('dateOfBirth: not a calendar date YYYY-MM-DD');
  const ref = dateOf(asOf);
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ry, rm, rd] = ref.split('-').map(Number) as [number, number, number];
  const beforeBirthday = rm < bm || (rm === bm && rd < bd);
  return ry - by - (beforeBirthday ? 1 : 0);
}

