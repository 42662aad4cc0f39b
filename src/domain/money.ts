/**
 * Money and exact decimals. Amounts are integer minor units (øre); prices that
 * need more precision than øre are integer micro-units (millionths of the
 * currency unit, as in "amount_micros"). No floating point is used for money.
 */

export const MICROS_PER_UNIT = 1_000_000n;
export const MAX_PRICE_DECIMALS = 6;

export type CurrencyCode = string;

export interface Money {
  amountMinor: number;
  currency: CurrencyCode;
}

const DECIMAL_PATTERN = /^(-)?(\d{1,13})(?:[.,](\d{1,6}))?$/;

/**
 * Parses a decimal string (dot or comma as separator, at most six decimals) into
 * integer micro-units. Returns `undefined` for anything that is not such a number.
 *
 * @example parseDecimalToMicros('199.5') // 199500000
 */
export function parseDecimalToMicros(value: string): number | undefined {
  const match = DECIMAL_PATTERN.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole!) * MICROS_PER_UNIT + BigInt(fraction.padEnd(MAX_PRICE_DECIMALS, '0'));
  const signed = sign ? -micros : micros;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
    return undefined;
  }
  return Number(signed);
}

/**
 * Formats micro-units as a canonical decimal string with at least two and at
 * most six decimals, trailing zeros beyond the second removed.
 *
 * @example formatMicros(199500000) // '199.50'
 */
export function formatMicros(micros: number): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = absolute / MICROS_PER_UNIT;
  let fraction = (absolute % MICROS_PER_UNIT).toString().padStart(MAX_PRICE_DECIMALS, '0');
  fraction = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}
