import { describe, expect, it } from 'vitest';
import {
  allowanceChargeAmounts,
  allowanceChargeNet,
  allowanceCreditAmount,
  computeTotals,
  lineNetMinor,
  parseAmountMinor,
  parseDiscountBasisPoints,
  parseMicros,
  parsePercentBasisPoints,
} from './invoice-math';

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

  it('reads allowance amounts and percentages as the API takes them', () => {
    expect(parseAmountMinor('1 250,50')).toBe(125_050);
    expect(parseAmountMinor('250')).toBe(25_000);
    expect(parseAmountMinor('0')).toBeNull();
    expect(parseAmountMinor('-5')).toBeNull();
    expect(parseAmountMinor('1,005')).toBeNull();
    expect(parsePercentBasisPoints('2,5')).toBe(250);
    expect(parsePercentBasisPoints('10')).toBe(1000);
    expect(parsePercentBasisPoints('')).toBeNull();
    expect(parsePercentBasisPoints('0')).toBeNull();
    expect(parsePercentBasisPoints('100,01')).toBeNull();
  });

  it('takes a percentage of the items of the same VAT code, rounded once, and totals lines − allowances + charges', () => {
    const items = [
      { netMinor: lineNetMinor('2', '1 000', ''), vatCode: '3' },
      { netMinor: lineNetMinor('3', '33,35', ''), vatCode: '3' },
      { netMinor: lineNetMinor('3', '100', '10'), vatCode: '31' },
    ];
    expect(items.map((item) => item.netMinor)).toEqual([200_000, 10_005, 27_000]);
    const entries = [
      { type: 'allowance' as const, mode: 'percent' as const, value: '10', vatCode: '3' },
      { type: 'charge' as const, mode: 'amount' as const, value: '250', vatCode: '3' },
      { type: 'allowance' as const, mode: 'percent' as const, value: '2,5', vatCode: '31' },
      { type: 'charge' as const, mode: 'amount' as const, value: 'x', vatCode: '3' },
    ];
    const amounts = allowanceChargeAmounts(items, entries, { vatCodes, isVatRegistered: true });
    // 10 % of 2 100,05 = 210,005 → 210,01 (half away from zero); 2,5 % of 270,00 = 6,75.
    expect(amounts).toEqual([21_001, 25_000, 675, null]);
    const nets = amounts.map((amount, index) => allowanceChargeNet(entries[index]!.type, amount));
    expect(nets).toEqual([-21_001, 25_000, -675, null]);
    const live = computeTotals(
      [...items, ...entries.map((entry, index) => ({ netMinor: nets[index]!, vatCode: entry.vatCode, type: entry.type }))],
      { vatCodes, isVatRegistered: true, exchangeRateMicros: 1_000_000 },
    );
    expect(live.vatBreakdown.map((entry) => [entry.vatCode, entry.taxableMinor, entry.vatMinor])).toEqual([
      ['3', 214_004, 53_501],
      ['31', 26_325, 3_949],
    ]);
    expect(live.totals).toMatchObject({
      lineTotalMinor: 237_005,
      allowanceTotalMinor: 21_676,
      chargeTotalMinor: 25_000,
      netMinor: 240_329,
      vatMinor: 57_450,
      grossMinor: 297_779,
    });
  });

  it('takes the base from all items when the seller is not VAT registered (one code, 6)', () => {
    const items = [
      { netMinor: 10_000, vatCode: '3' },
      { netMinor: 5_000, vatCode: '31' },
    ];
    const amounts = allowanceChargeAmounts(items, [{ type: 'allowance', mode: 'percent', value: '10', vatCode: '3' }], {
      vatCodes,
      isVatRegistered: false,
    });
    expect(amounts).toEqual([1_500]);
  });

  it('signs the amount credited on an allowance (negative) but not on a charge', () => {
    expect(allowanceCreditAmount('allowance', '50,00')).toBe('-50,00');
    expect(allowanceCreditAmount('allowance', '-1 050')).toBe('-1050');
    expect(allowanceCreditAmount('charge', '250')).toBe('250');
    expect(allowanceCreditAmount('allowance', '')).toBe('');
  });
});
