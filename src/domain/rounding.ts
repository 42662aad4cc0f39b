/**
 * The one rounding rule of Fakturaflyt (EN 16931 and the Norwegian practice in
 * shared/docs/norway-invoicing-rules.md §2.2): amounts are rounded to whole øre,
 * half away from zero ("half-up" for positive amounts, mirrored for negative ones,
 * so a credit note is the exact negative of the invoice it credits).
 * Every division that can leave a remainder goes through `divideRounded`.
 */

/**
 * `numerator / denominator` rounded half away from zero. The denominator must be positive.
 *
 * @example divideRounded(1005n, 10n) // 101n  (100.5 → 101)
 * @example divideRounded(-1005n, 10n) // -101n
 */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) {
    throw new RangeError('denominator must be positive');
  }
  const negative = numerator < 0n;
  const absolute = negative ? -numerator : numerator;
  const quotient = (absolute + denominator / 2n) / denominator;
  // For an odd denominator denominator/2 truncates, which is exact: a remainder can never be a half.
  return negative ? -quotient : quotient;
}

/** Converts a bigint that must fit into a safe JS integer (øre amounts in rows and JSON). */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} is outside the safe integer range`);
  }
  return Number(value);
}
