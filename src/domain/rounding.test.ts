import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRounded, toSafeNumber } from './rounding.js';

/** Half away from zero, written differently: sign(n) × floor((2|n| + d) / 2d). */
function oracle(n: bigint, d: bigint): bigint {
  const a = n < 0n ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return n < 0n ? -q : q;
}

describe('divideRounded', () => {
  it.each<[bigint, bigint, bigint]>([
    [1005n, 10n, 101n], // 100.5 → 101
    [-1005n, 10n, -101n], // −100.5 → −101 (away from zero, so a credit note mirrors its invoice)
    [1004n, 10n, 100n],
    [-1004n, 10n, -100n],
    [1006n, 10n, 101n],
    [15n, 10n, 2n], // 1.5 → 2
    [25n, 10n, 3n], // 2.5 → 3 (not banker's rounding, which gives 2)
    [-25n, 10n, -3n],
    [35n, 10n, 4n],
    [0n, 7n, 0n],
    [1n, 2n, 1n], // 0.5 → 1
    [-1n, 2n, -1n],
    [7n, 2n, 4n],
    [1n, 3n, 0n], // 0.333 → 0
    [2n, 3n, 1n], // 0.667 → 1
    [-2n, 3n, -1n],
    [5n, 3n, 2n],
    [4n, 3n, 1n],
    [49n, 100n, 0n],
    [50n, 100n, 1n],
    [-50n, 100n, -1n],
    [99n, 1n, 99n],
    [-99n, 1n, -99n],
    [10n ** 30n + 5n, 10n, 10n ** 29n + 1n], // beyond the safe integer range
    [137_152_95n, 100n, 137_153n], // 11.11 % of 12 345.00 kr in øre-hundredths
  ])('divideRounded(%s, %s) = %s', (n, d, q) => {
    expect(divideRounded(n, d)).toBe(q);
  });

  it.each([0n, -1n, -10n])('throws RangeError for denominator %s', (d) => {
    expect(() => divideRounded(10n, d)).toThrow(RangeError);
  });

  it('agrees with an independent formulation and is within half a unit, ties away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 15n }), (n, d) => {
        const q = divideRounded(n, d);
        expect(q).toBe(oracle(n, d));
        const diff = q * d - n;
        const twice = 2n * (diff < 0n ? -diff : diff);
        expect(twice <= d).toBe(true);
        if (twice === d) expect(q < 0n ? q * d < n : q * d > n).toBe(true);
        expect(divideRounded(-n, d)).toBe(-q);
      }),
      { numRuns: 2000 },
    );
  });

  it('rounds exact halves away from zero for even denominators', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.bigInt({ min: 1n, max: 10n ** 14n }), (k, half) => {
        const d = 2n * half;
        const n = k * d + (k < 0n ? -half : half); // k + 0.5 or k − 0.5 exactly (away from zero of k)
        const expected = k < 0n ? k - 1n : k + 1n;
        expect(divideRounded(n, d)).toBe(k === 0n ? 1n : expected);
      }),
    );
  });
});

describe('toSafeNumber', () => {
  it.each<[bigint, number]>([
    [0n, 0],
    [-5n, -5],
    [12_345n, 12_345],
    [BigInt(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
    [BigInt(Number.MIN_SAFE_INTEGER), Number.MIN_SAFE_INTEGER],
  ])('converts %s', (value, expected) => {
    expect(toSafeNumber(value)).toBe(expected);
  });

  it.each([BigInt(Number.MAX_SAFE_INTEGER) + 1n, BigInt(Number.MIN_SAFE_INTEGER) - 1n, 10n ** 20n])('throws RangeError for %s', (value) => {
    expect(() => toSafeNumber(value)).toThrow(RangeError);
  });
});
