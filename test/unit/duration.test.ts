// ISO-8601 durations and instants: parsing, errors, calendar-aware and exact arithmetic.
import { addDuration, compareDurations, durationToMs, isIsoDuration, parseDuration } from '../../workflows/domain/duration';
import { ageOn, earliest, isIsoDate, toInstant } from '../../workflows/domain/time';

describe('parseDuration', () => {
  test('reads every part, with fractional seconds', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7.5S')).toEqual({ years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 });
    expect(parseDuration('PT0,25S').seconds).toBe(0.25);
    expect(parseDuration('PT0S')).toEqual({ years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
  });

  test.each([
    ['3 weeks', 'not an ISO-8601 duration "3 weeks"'],
    ['P', 'not an ISO-8601 duration "P"'],
    ['PT', 'not an ISO-8601 duration "PT"'],
    ['p1d', 'not an ISO-8601 duration "p1d"'],
    ['PT1H30', 'not an ISO-8601 duration "PT1H30"'],
    ['-P1D', 'not an ISO-8601 duration "-P1D"'],
    ['P1.5D', 'not a supported ISO-8601 duration "P1.5D": only seconds may have a fraction'],
    ['PT1.5M', 'not a supported ISO-8601 duration "PT1.5M": only seconds may have a fraction'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
    expect(isIsoDuration(text)).toBe(false);
  });

  test('refuses non-strings', () => {
    expect(() => parseDuration(30)).toThrow('not an ISO-8601 duration: expected a string');
  });
});

describe('addDuration', () => {
  test('years and months follow the calendar and clamp to the end of the month', () => {
    expect(addDuration('2024-01-31T10:00:00Z', 'P1M')).toBe('2024-02-29T10:00:00.000Z');
    expect(addDuration('2023-01-31', 'P1M')).toBe('2023-02-28T00:00:00.000Z');
    expect(addDuration('2024-02-29', 'P1Y')).toBe('2025-02-28T00:00:00.000Z');
    expect(addDuration('2025-11-15T08:00:00Z', 'P3M')).toBe('2026-02-15T08:00:00.000Z');
    expect(addDuration('2025-01-01T00:00:00Z', 'P5Y')).toBe('2030-01-01T00:00:00.000Z');
  });

  test('weeks, days and time parts are exact, whatever the offset or daylight saving', () => {
    // 30 March 2025 is the EU daylight-saving change: P1D is still 24 hours
    expect(addDuration('2025-03-30T00:30:00+01:00', 'P1D')).toBe('2025-03-30T23:30:00.000Z');
    expect(addDuration('2025-01-01T00:00:00Z', 'P2W')).toBe('2025-01-15T00:00:00.000Z');
    expect(addDuration('2025-01-01T00:00:00Z', 'PT1H30M0.25S')).toBe('2025-01-01T01:30:00.250Z');
    expect(addDuration('2025-01-01T00:00:00.000Z', 'PT5S')).toBe('2025-01-01T00:00:05.000Z');
    expect(addDuration('2025-01-31T12:00:00Z', 'P1M1D')).toBe('2025-03-01T12:00:00.000Z');
  });

  test('refuses dates without a time zone and invalid dates, without echoing them', () => {
    expect(() => addDuration('2025-01-01T10:00', 'P1D')).toThrow('date: not an ISO-8601 date or date-time with a time zone');
    expect(() => addDuration('2025-02-30', 'P1D')).toThrow('date: not an ISO-8601 date or date-time with a time zone');
  });
});

describe('durationToMs', () => {
  test('fixed durations', () => {
    expect(durationToMs('PT5S')).toBe(5_000);
    expect(durationToMs('P1DT1H')).toBe(90_000_000);
    expect(durationToMs('P1W')).toBe(604_800_000);
    expect(durationToMs('PT0.001S')).toBe(1);
  });
  test('calendar durations have no fixed length', () => {
    expect(() => durationToMs('P1M')).toThrow('duration "P1M" has no fixed length: years and months depend on the calendar');
    expect(() => durationToMs('P1Y')).toThrow(/no fixed length/);
  });
  test('compareDurations orders calendar and exact durations', () => {
    expect(compareDurations('P1M', 'P30D')).toBeGreaterThan(0); // January has 31 days
    expect(compareDurations('P3M', 'P6M')).toBeLessThan(0);
    expect(compareDurations('P7D', 'P1W')).toBe(0);
  });
});

describe('instants and ages', () => {
  test('normalises to UTC and validates calendar dates', () => {
    expect(toInstant('2025-06-01T12:00:00+02:00')).toBe('2025-06-01T10:00:00.000Z');
    expect(toInstant('2025-06-01')).toBe('2025-06-01T00:00:00.000Z');
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(earliest(['2025-06-02T00:00:00Z', '2025-06-01T23:00:00-02:00'])).toBe('2025-06-02T00:00:00.000Z');
    expect(earliest([])).toBeUndefined();
  });
  test('ageOn counts completed years on the UTC date', () => {
    expect(ageOn('2000-06-01', '2018-06-01T00:00:00Z')).toBe(18);
    expect(ageOn('2000-06-02', '2018-06-01T23:59:59Z')).toBe(17);
    expect(() => ageOn('01/06/2000', '2018-06-01')).toThrow('dateOfBirth: not a calendar date YYYY-MM-DD');
  });
});
