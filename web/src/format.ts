/**
 * Norwegian display formats: numbers as "1 250,00", dates as dd.mm.yyyy. The
 * formats stay Norwegian in the English UI too (amounts are NOK, documents are
 * Norwegian); only the words change with the language.
 */

const LOCALE = 'nb-NO';

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const moneyFormat = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 6 });
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

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** A VAT rate in basis points (2500) as "25 %". */
export function formatRate(basisPoints: number): string {
  return `${percentFormat.format(basisPoints / 100)} %`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
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
