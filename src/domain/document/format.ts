/**
 * Norwegian number and date formats for printed documents, done by hand (no Intl)
 * so the output never depends on the ICU data of the Node build: `1 234,50` with a
 * no-break space (U+00A0) between thousands and the minus sign U+2212, dates as
 * `26.11.2026`. Documents in English keep these formats, as the web UI does:
 * amounts and dates stay Norwegian, only the words change.
 */

export const NBSP = '\u00a0';
export const MINUS = '\u2212';

function groupThousands(digits: string): string {
  let out = '';
  for (let index = 0; index < digits.length; index++) {
    if (index > 0 && (digits.length - index) % 3 === 0) out += NBSP;
    out += digits[index];
  }
  return out;
}

/**
 * Integer øre as kroner with two decimals.
 *
 * @example formatMinor(123450) // '1 234,50' (U+00A0 as the thousands separator)
 * @example formatMinor(-5) // '−0,05' (U+2212)
 */
export function formatMinor(minor: number): string {
  const negative = minor < 0;
  const absolute = Math.abs(minor);
  const whole = Math.trunc(absolute / 100);
  const fraction = String(absolute % 100).padStart(2, '0');
  return `${negative ? MINUS : ''}${groupThousands(String(whole))},${fraction}`;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * An exact decimal string from the domain ("1250.5", "-0.1234") with at least
 * `minDecimals` decimals; extra decimals are kept, trailing zeros past the minimum dropped.
 *
 * @example formatDecimal('1250.5') // '1 250,50'
 * @example formatDecimal('2.50', 0) // '2,5'
 */
export function formatDecimal(value: string, minDecimals = 2): string {
  const match = DECIMAL.exec(value);
  if (!match) return value;
  const [, sign, whole, fraction = ''] = match;
  let decimals = fraction.replace(/0+$/, '');
  if (decimals.length < minDecimals) decimals = decimals.padEnd(minDecimals, '0');
  const isZero = /^0*$/.test(whole!) && /^0*$/.test(decimals);
  const grouped = groupThousands(whole!.replace(/^0+(?=\d)/, ''));
  return `${sign && !isZero ? MINUS : ''}${grouped}${decimals ? `,${decimals}` : ''}`;
}

/** A quantity: no forced decimals. @example formatQuantity('1000') // '1 000' */
export function formatQuantity(value: string): string {
  return formatDecimal(value, 0);
}

/** A percentage string ("25", "11.11") with a no-break space before the sign. @example formatPercent('12.5') // '12,5 %' */
export function formatPercent(value: string): string {
  return `${formatDecimal(value, 0)}${NBSP}%`;
}

/** `YYYY-MM-DD` → `26.11.2026`; anything else is returned as is. */
export function formatDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : date;
}

/** `974760673` → `974 760 673`. */
export function formatOrgNumberForPrint(digits: string): string {
  return /^\d{9}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
}

/** `86011117947` → `8601 11 17947`. */
export function formatBankAccountForPrint(digits: string): string {
  return /^\d{11}$/.test(digits) ? `${digits.slice(0, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}` : digits;
}

/** `NO9386011117947` → `NO93 8601 1117 947`. */
export function formatIbanForPrint(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}
