/**
 * Norwegian display formats: numbers as "1 250,00", dates as dd.mm.yyyy. The
 * formats stay Norwegian in the English UI too (amounts are NOK, documents are
 * Norwegian); only the words change with the language.
 */

const LOCALE = 'nb-NO';

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const quantityFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 0, maximumFractionDigits: 6 });
const percentFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat(LOCALE, { day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Formats an exact decimal string from the API (e.g. "1250.50") with at least two
 * decimals. The string goes to Intl as is, so no precision is lost to floats.
 */
export function formatDecimal(value: string): string {
  if (!DECIMAL.test(value)) return value;
  return moneyFormat.format(value as `${number}`);
}

/** A quantity from the API ("2", "2.5") as "2", "2,5". */
export function formatQuantity(value: string): string {
  if (!DECIMAL.test(value)) return value;
  return quantityFormat.format(value as `${number}`);
}

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** A VAT rate in basis points (2500) as "25 %". */
export function formatRate(basisPoints: number): string {
  return `${percentFormat.format(basisPoints / 100)} %`;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  // A calendar date (YYYY-MM-DD) is a day, not an instant: never shifted by the browser's time zone.
  const calendar = CALENDAR_DATE.exec(iso);
  if (calendar) return `${calendar[3]}.${calendar[2]}.${calendar[1]}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateFormat.format(date)} ${timeFormat.format(date)}`;
}

/**
 * An API decimal ("1250.50") as the user would type it ("1250,50"): comma, no
 * grouping, trailing zeros past the second decimal dropped.
 */
export function decimalToInput(value: string): string {
  return value.replace('.', ',');
}

/** Tidies typed decimal text before sending: spaces (grouping) removed; the API takes comma or dot. */
export function inputToDecimal(value: string): string {
  return value.replace(/[\s\u00a0\u202f]/g, '');
}

/** Groups an organisation number as "974 760 673" for reading. */
export function formatOrgNumber(value: string | null | undefined): string {
  if (!value) return '';
  return /^\d{9}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
}

/** Groups a Norwegian bank account as "8601 11 17947". */
export function formatBankAccount(value: string | null | undefined): string {
  if (!value) return '';
  return /^\d{11}$/.test(value) ? `${value.slice(0, 4)} ${value.slice(4, 6)} ${value.slice(6)}` : value;
}

/** Integer øre as a decimal string: 123450 → "1234.50", -5 → "-0.05". */
export function minorToDecimal(minor: number): string {
  const negative = minor < 0;
  const absolute = Math.abs(minor);
  return `${negative ? '-' : ''}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** Integer øre as "1 234,50" (exact: no float arithmetic on the amount). */
export function formatMinor(minor: number): string {
  return moneyFormat.format(minorToDecimal(minor) as `${number}`);
}

/** Integer øre with the currency: "1 234,50 kr" for NOK, "1 234,50 EUR" otherwise. */
export function formatMoney(minor: number, currency = 'NOK'): string {
  return `${formatMinor(minor)}\u00a0${currency === 'NOK' ? 'kr' : currency}`;
}

/** A percentage string from the API ("25", "11.11", "12.5") as "25 %", "11,11 %". */
export function formatPercent(value: string): string {
  return `${value.replace('.', ',')}\u00a0%`;
}

/** An API calendar date (YYYY-MM-DD) as typed in Norway: "15.01.2026"; empty for none. */
export function dateToInput(iso: string | null | undefined): string {
  return iso ? formatDate(iso) : '';
}

/**
 * A date typed as dd.mm.yyyy (also d.m.yy, ddmmyyyy or YYYY-MM-DD) as YYYY-MM-DD.
 * Empty text gives null; text that is not a real date gives undefined.
 */
export function inputToDate(text: string): string | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  let day: number;
  let month: number;
  let year: number;
  const iso = CALENDAR_DATE.exec(value);
  const dotted = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/.exec(value);
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (dotted) {
    [day, month, year] = [Number(dotted[1]), Number(dotted[2]), Number(dotted[3])];
    if (dotted[3]!.length === 2) year += 2000;
  } else if (compact) {
    [day, month, year] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
  } else {
    return undefined;
  }
  const check = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today in the browser's time zone as YYYY-MM-DD. */
export function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
