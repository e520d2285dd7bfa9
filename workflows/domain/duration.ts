// ISO-8601 durations (PnYnMnWnDTnHnMnS) used by programmes for deadlines, follow-up and
// retention: parsing with a readable error, and adding them to instants deterministically.
import { z } from 'zod';
import { daysInMonth, msOf, fromMs } from './time';

export interface Duration {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  /** May carry a fraction (PT1.5S); all other parts are whole numbers. */
  readonly seconds: number;
}

const DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
// Any unit written with a fraction, to explain why P1.5D is refused.
const FRACTION_ELSEWHERE_RE = /\d[.,]\d+[YMWDH]|T(?:\d+H)?\d+[.,]\d+M/;
// Keeps every part a safe number; addDuration still rejects results past year 275760.
const MAX_PART = 100_000_000;

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/** Parses an ISO-8601 duration; throws `not an ISO-8601 duration "3 weeks"` and the like. */
export function parseDuration(text: unknown): Duration {
  if (typeof text !== 'string') throw new Error('not an ISO-8601 duration: expected a string');
  const m = DURATION_RE.exec(text);
  const hasTimePart = text.includes('T');
  const groups = m ? m.slice(1) : [];
  const anyDate = groups.slice(0, 4).some((g) => g !== undefined);
  const anyTime = groups.slice(4).some((g) => g !== undefined);
  if (!m || (!anyDate && !anyTime) || (hasTimePart && !anyTime)) {
    if (FRACTION_ELSEWHERE_RE.test(text)) {
      throw new Error(`not a supported ISO-8601 duration ${quote(text)}: only seconds may have a fraction`);
    }
    throw new Error(`not an ISO-8601 duration ${quote(text)}`);
  }
  const n = (g: string | undefined): number => (g === undefined ? 0 : Number(g.replace(',', '.')));
  const d: Duration = {
    years: n(m[1]),
    months: n(m[2]),
    weeks: n(m[3]),
    days: n(m[4]),
    hours: n(m[5]),
    minutes: n(m[6]),
    seconds: n(m[7]),
  };
  if (Object.values(d).some((v) => v > MAX_PART)) {
    throw new Error(`ISO-8601 duration ${quote(text)} is too large`);
  }
  return d;
}

export function isIsoDuration(text: unknown): text is string {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** zod schema for a duration string; the issue message is the parser's. */
export const IsoDuration = z.string().superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

function fixedPartMs(d: Duration): number {
  return ((d.weeks * 7 + d.days) * 86_400 + d.hours * 3_600 + d.minutes * 60) * 1000 + Math.round(d.seconds * 1000);
}

/**
 * Length in milliseconds of a duration without years or months. Days count as 24 hours:
 * all instants here are UTC, where a day has no DST shift.
 */
export function durationToMs(d: string | Duration): number {
  const dur = typeof d === 'string' ? parseDuration(d) : d;
  if (dur.years !== 0 || dur.months !== 0) {
    const label = typeof d === 'string' ? ` ${quote(d)}` : '';
    throw new Error(`duration${label} has no fixed length: years and months depend on the calendar`);
  }
  return fixedPartMs(dur);
}

/**
 * Adds a duration to a date or date-time and returns a UTC instant (toISOString form).
 * Years and months move the calendar date and clamp to the month's end
 * (2024-01-31 + P1M = 2024-02-29); weeks, days and time parts are exact
 * (P1D = 24 hours, in UTC).
 */
export function addDuration(isoDate: string, d: string | Duration): string {
  const dur = typeof d === 'string' ? parseDuration(d) : d;
  let ms = msOf(isoDate, 'date');
  if (dur.years !== 0 || dur.months !== 0) {
    const t = new Date(ms);
    const totalMonths = t.getUTCFullYear() * 12 + t.getUTCMonth() + dur.years * 12 + dur.months;
    const year = Math.floor(totalMonths / 12);
    const month0 = totalMonths - year * 12;
    const day = Math.min(t.getUTCDate(), daysInMonth(year, month0 + 1));
    const moved = new Date(0);
    moved.setUTCFullYear(year, month0, day);
    moved.setUTCHours(t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds());
    ms = moved.getTime();
  }
  ms += fixedPartMs(dur);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new Error('date plus duration is out of range');
  return fromMs(ms);
}

/** Orders two durations by adding both to the same instant (months differ in length). */
export function compareDurations(a: string, b: string, from = '2001-01-01T00:00:00Z'): number {
  return msOf(addDuration(from, a)) - msOf(addDuration(from, b));
}

