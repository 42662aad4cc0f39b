/**
 * Business dates as `YYYY-MM-DD` strings, never Date objects, so no time-zone
 * shift is possible. Arithmetic uses UTC internally on the date alone.
 */

export type CalendarDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidCalendarDate(value: string): boolean {
  const match = PATTERN.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function toUtc(date: CalendarDate): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day));
}

function fromUtc(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}

/** @example addDays('2026-11-26', 14) // '2026-12-10' */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const value = toUtc(date);
  value.setUTCDate(value.getUTCDate() + days);
  return fromUtc(value);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtc(to).getTime() - toUtc(from).getTime()) / 86_400_000);
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using it. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone, e.g. the company's Europe/Oslo. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** @example lastDayOfPreviousMonth('2026-03-10') // '2026-02-28' */
export function lastDayOfPreviousMonth(date: CalendarDate): CalendarDate {
  const value = toUtc(date);
  return fromUtc(new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), 0)));
}

export function dayOfMonth(date: CalendarDate): number {
  return Number(date.slice(8, 10));
}
