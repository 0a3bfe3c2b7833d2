/**
 * The search filter's date pattern is the whole rule (it is what the OpenAPI document states): it must
 * take every real calendar day and nothing else, and everything it takes must parse as that day.
 */
import { describe, expect, it } from '@jest/globals';
import { SEARCH_DATE } from '../../../functions/api/routes/search';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Whether year-month-day is a day of the proleptic Gregorian calendar, computed without the pattern. */
function isRealDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

describe('the search date pattern', () => {
  it.each([0, 4, 100, 400, 1900, 2000, 2023, 2024, 2026, 2100, 2400, 9996, 9999])(
    'takes exactly the real days of %i',
    (year) => {
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++) {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          const real = isRealDay(year, month, day);
          expect({ text, matches: SEARCH_DATE.test(text) }).toEqual({ text, matches: real });
          if (real) expect(new Date(Date.parse(text)).toISOString().slice(0, 10)).toBe(text);
        }
    },
  );

  it('takes a UTC time of day and nothing else after the date', () => {
    for (const ok of [
      '2026-01-31T00:00Z',
      '2026-01-31T23:59:59Z',
      '2026-01-31T09:00:00.5Z',
      '2026-01-31T09:00:00.123Z',
    ])
      expect({ ok, matches: SEARCH_DATE.test(ok), parses: !Number.isNaN(Date.parse(ok)) }).toEqual({
        ok,
        matches: true,
        parses: true,
      });
    for (const bad of [
      '2026-01-31T24:00Z',
      '2026-01-31T23:60Z',
      '2026-01-31T23:59:60Z',
      '2026-01-31T09:00',
      '2026-01-31T09:00+01:00',
      '2026-01-31T09:00:00.1234Z',
      '2026-1-31',
      '26-01-31',
      ' 2026-01-31',
    ])
      expect({ bad, matches: SEARCH_DATE.test(bad) }).toEqual({ bad, matches: false });
  });
});
