import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDateIn, dayOfMonth, daysBetween, isValidCalendarDate, lastDayOfPreviousMonth } from './calendar-date.js';

/*
 * Independent oracle: proleptic Gregorian day numbers (days since 1970-01-01) from
 * the civil date, by counting whole years and months, without Date.
 */
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  let days = 0;
  for (let year = 1970; year < y; year++) days += isLeap(year) ? 366 : 365;
  for (let year = y; year < 1970; year++) days -= isLeap(year) ? 366 : 365;
  for (let month = 1; month < m; month++) days += daysInMonth(y, month);
  return days + d - 1;
}

function fromDayNumber(n: number): string {
  let y = 1970;
  while (n < 0) {
    y--;
    n += isLeap(y) ? 366 : 365;
  }
  while (n >= (isLeap(y) ? 366 : 365)) {
    n -= isLeap(y) ? 366 : 365;
    y++;
  }
  let m = 1;
  while (n >= daysInMonth(y, m)) {
    n -= daysInMonth(y, m);
    m++;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(n + 1).padStart(2, '0')}`;
}

// 1900-01-01 … 2199-12-31 as day numbers.
const dayArb = fc.integer({ min: dayNumber('1900-01-01'), max: dayNumber('2199-12-31') });

describe('isValidCalendarDate', () => {
  it.each(['2026-11-26', '2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '2026-01-01', '2026-04-30', '1999-12-31'])('accepts %s', (date) => {
    expect(isValidCalendarDate(date)).toBe(true);
  });

  it.each([
    '2026-02-29', // not a leap year
    '2100-02-29', // divisible by 100, not by 400
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '2026-1-01',
    '26-01-01',
    '20260101',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '',
  ])('rejects %j', (date) => {
    expect(isValidCalendarDate(date)).toBe(false);
  });

  it('agrees with the leap-year rule for every day and month number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const valid = m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
        expect(isValidCalendarDate(text)).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('addDays', () => {
  it.each<[string, number, string]>([
    ['2026-11-26', 14, '2026-12-10'],
    ['2026-11-26', 0, '2026-11-26'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'], // not a leap year
    ['2028-02-28', 1, '2028-02-29'], // leap day
    ['2028-02-29', 1, '2028-03-01'],
    ['2100-02-28', 1, '2100-03-01'], // century, not a leap year
    ['2000-02-28', 1, '2000-02-29'], // divisible by 400
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-12-20', 30, '2027-01-19'],
    ['2028-01-01', 365, '2028-12-31'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2026-03-28', 1, '2026-03-29'], // Oslo DST starts 2026-03-29: no effect on dates
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-10-25', 1, '2026-10-26'], // DST ends
    ['2026-11-30', 60, '2027-01-29'],
  ])('addDays(%s, %d) = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('agrees with the day-number oracle', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: -800, max: 800 }), (start, n) => {
        const date = fromDayNumber(start);
        expect(addDays(date, n)).toBe(fromDayNumber(start + n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('daysBetween', () => {
  it.each<[string, string, number]>([
    ['2026-11-26', '2026-12-10', 14],
    ['2026-12-10', '2026-11-26', -14],
    ['2026-11-26', '2026-11-26', 0],
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-02-28', '2026-03-01', 1],
    ['2026-03-28', '2026-03-30', 2], // across the DST change
    ['2026-10-24', '2026-10-26', 2],
  ])('daysBetween(%s, %s) = %d', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('agrees with the oracle and inverts addDays', () => {
    fc.assert(
      fc.property(dayArb, dayArb, (a, b) => {
        const from = fromDayNumber(a);
        const to = fromDayNumber(b);
        expect(daysBetween(from, to)).toBe(b - a);
        expect(addDays(from, daysBetween(from, to))).toBe(to);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lastDayOfPreviousMonth', () => {
  it.each<[string, string]>([
    ['2026-03-10', '2026-02-28'], // March, non-leap year
    ['2028-03-10', '2028-02-29'], // March, leap year
    ['2100-03-01', '2100-02-28'],
    ['2000-03-31', '2000-02-29'],
    ['2026-01-15', '2025-12-31'], // January → previous year
    ['2026-12-01', '2026-11-30'],
    ['2026-12-10', '2026-11-30'],
    ['2026-05-31', '2026-04-30'],
    ['2026-08-01', '2026-07-31'],
  ])('lastDayOfPreviousMonth(%s) = %s', (date, expected) => {
    expect(lastDayOfPreviousMonth(date)).toBe(expected);
  });

  it('is the day before the first of the month, for every date', () => {
    fc.assert(
      fc.property(dayArb, (n) => {
        const date = fromDayNumber(n);
        expect(lastDayOfPreviousMonth(date)).toBe(fromDayNumber(dayNumber(`${date.slice(0, 8)}01`) - 1));
      }),
    );
  });
});

describe('dayOfMonth', () => {
  it.each<[string, number]>([
    ['2026-11-01', 1],
    ['2026-11-15', 15],
    ['2026-11-16', 16],
    ['2026-12-31', 31],
  ])('dayOfMonth(%s) = %d', (date, day) => {
    expect(dayOfMonth(date)).toBe(day);
  });
});

describe('calendarDateIn', () => {
  it.each<[string, string, string]>([
    // Winter (CET, UTC+1): the Oslo day starts at 23:00 UTC the day before.
    ['2026-11-25T22:59:59.999Z', 'Europe/Oslo', '2026-11-25'],
    ['2026-11-25T23:00:00.000Z', 'Europe/Oslo', '2026-11-26'],
    ['2026-11-26T00:30:00Z', 'Europe/Oslo', '2026-11-26'],
    ['2026-11-26T22:59:59Z', 'Europe/Oslo', '2026-11-26'],
    ['2026-12-31T23:00:00Z', 'Europe/Oslo', '2027-01-01'], // new year in Oslo, still 2026 in UTC
    ['2026-12-31T22:59:59Z', 'Europe/Oslo', '2026-12-31'],
    ['2028-02-28T23:30:00Z', 'Europe/Oslo', '2028-02-29'],
    // Summer (CEST, UTC+2): the Oslo day starts at 22:00 UTC.
    ['2026-06-30T21:59:59Z', 'Europe/Oslo', '2026-06-30'],
    ['2026-06-30T22:00:00Z', 'Europe/Oslo', '2026-07-01'],
    // DST starts Sunday 2026-03-29 at 01:00 UTC (02:00 CET → 03:00 CEST).
    ['2026-03-28T22:59:59Z', 'Europe/Oslo', '2026-03-28'],
    ['2026-03-28T23:00:00Z', 'Europe/Oslo', '2026-03-29'], // midnight CET
    ['2026-03-29T01:30:00Z', 'Europe/Oslo', '2026-03-29'],
    ['2026-03-29T21:59:59Z', 'Europe/Oslo', '2026-03-29'],
    ['2026-03-29T22:00:00Z', 'Europe/Oslo', '2026-03-30'], // midnight CEST
    // DST ends Sunday 2026-10-25 at 01:00 UTC (03:00 CEST → 02:00 CET).
    ['2026-10-24T21:59:59Z', 'Europe/Oslo', '2026-10-24'],
    ['2026-10-24T22:00:00Z', 'Europe/Oslo', '2026-10-25'], // midnight CEST
    ['2026-10-25T22:59:59Z', 'Europe/Oslo', '2026-10-25'],
    ['2026-10-25T23:00:00Z', 'Europe/Oslo', '2026-10-26'], // midnight CET
    // Other zones.
    ['2026-11-25T23:00:00Z', 'UTC', '2026-11-25'],
    ['2026-11-26T03:00:00Z', 'America/New_York', '2026-11-25'],
  ])('%s in %s is %s', (instant, timeZone, expected) => {
    expect(calendarDateIn(new Date(instant), timeZone)).toBe(expected);
  });

  it('always returns a valid YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (instant) => {
        const date = calendarDateIn(instant, 'Europe/Oslo');
        expect(isValidCalendarDate(date)).toBe(true);
        // Oslo is UTC+1 or UTC+2: its date is the UTC date or the next one.
        const utc = instant.toISOString().slice(0, 10);
        expect([0, 1]).toContain(daysBetween(utc, date));
      }),
    );
  });
});
