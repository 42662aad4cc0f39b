import { describe, expect, it } from 'vitest';
import { computeTotals, lineNetMinor, parseDiscountBasisPoints, parseMicros } from './invoice-math';

const vatCodes = [
  { code: '3', rateBasisPoints: 2500, category: 'S' },
  { code: '31', rateBasisPoints: 1500, category: 'S' },
] as never;

describe('live invoice totals in the editor', () => {
  it('reads Norwegian input: spaces, no-break spaces and decimal commas', () => {
    expect(parseMicros('1 000,50')).toBe(1_000_500_000n);
    expect(parseMicros('1\u00a0250,5')).toBe(1_250_500_000n);
    expect(parseMicros('12,3456789')).toBeNull();
    expect(parseDiscountBasisPoints('12,5')).toBe(1250);
    expect(parseDiscountBasisPoints('')).toBe(0);
    expect(parseDiscountBasisPoints('101')).toBeNull();
  });

  it('gives the figures of the server rules (2 × 1 000 at 25 %, 3 × 100 at 15 % less 10 %)', () => {
    const lines = [
      { netMinor: lineNetMinor('2', '1 000,00', ''), vatCode: '3' },
      { netMinor: lineNetMinor('3', '100', '10'), vatCode: '31' },
    ];
    const live = computeTotals(lines, { vatCodes, isVatRegistered: true, exchangeRateMicros: 1_000_000 });
    expect(live.vatBreakdown.map((entry) => [entry.vatCode, entry.taxableMinor, entry.vatMinor])).toEqual([
      ['3', 200_000, 50_000],
      ['31', 27_000, 4_050],
    ]);
    expect(live.totals.grossMinor).toBe(281_050);
  });

  it('rounds 1.005 half away from zero and treats a non-registered seller as VAT-free', () => {
    expect(lineNetMinor('1', '1,005', '')).toBe(101);
    expect(lineNetMinor('-1', '1,005', '')).toBe(-101);
    const live = computeTotals([{ netMinor: 10_000, vatCode: '3' }], { vatCodes, isVatRegistered: false, exchangeRateMicros: 1_000_000 });
    expect(live.totals.vatMinor).toBe(0);
    expect(live.vatBreakdown[0]).toMatchObject({ vatCode: '6', category: 'O' });
  });
});
