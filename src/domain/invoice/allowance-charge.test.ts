import { describe, expect, it } from 'vitest';
import {
  ALLOWANCE_REASON_CODES,
  allowanceChargeBases,
  CHARGE_REASON_CODES,
  isReasonCodeFor,
  percentageAmountMinor,
  signedNetMinor,
} from './allowance-charge.js';
import { computeInvoiceTotals } from './invoice-totals.js';

describe('document-level allowances and charges', () => {
  it('rounds a percentage once, half away from zero', () => {
    expect(percentageAmountMinor(27_000, 1_000)).toBe(2_700);
    expect(percentageAmountMinor(27_005, 1_000)).toBe(2_701); // 27.005 → 27.01
    expect(percentageAmountMinor(27_005, 1_250)).toBe(3_376); // 33.75625 → 33.76
    expect(percentageAmountMinor(1, 5_000)).toBe(1); // 0.5 øre → 1
    expect(percentageAmountMinor(-1, 5_000)).toBe(-1);
    expect(percentageAmountMinor(0, 10_000)).toBe(0);
    expect(percentageAmountMinor(9_007_199_254_740, 10_000)).toBe(9_007_199_254_740);
  });

  it('takes the base per effective VAT code (all code 6 for a seller outside the VAT register)', () => {
    const items = [
      { netMinor: 200_000, vatCode: '3' },
      { netMinor: 27_000, vatCode: '31' },
      { netMinor: -5_000, vatCode: '3' },
    ];
    expect(Object.fromEntries(allowanceChargeBases(items, true))).toEqual({ '3': 195_000, '31': 27_000 });
    expect(Object.fromEntries(allowanceChargeBases(items, false))).toEqual({ '6': 222_000 });
  });

  it('signs allowances negative and charges positive', () => {
    expect(signedNetMinor('allowance', 150)).toBe(-150);
    expect(signedNetMinor('charge', 150)).toBe(150);
  });

  it('knows the UNCL 5189 and 7161 reason codes, and never mixes them', () => {
    expect(ALLOWANCE_REASON_CODES).toHaveLength(19);
    expect(CHARGE_REASON_CODES).toContain('FC');
    expect(CHARGE_REASON_CODES).toHaveLength(new Set(CHARGE_REASON_CODES).size);
    expect(isReasonCodeFor('allowance', '95')).toBe(true);
    expect(isReasonCodeFor('allowance', 'FC')).toBe(false);
    expect(isReasonCodeFor('charge', 'FC')).toBe(true);
    expect(isReasonCodeFor('charge', '95')).toBe(false);
    expect(isReasonCodeFor('charge', '')).toBe(false);
  });

  it('counts them in their VAT code before VAT, and splits BT-106/107/108 (BR-CO-13)', () => {
    const totals = computeInvoiceTotals(
      [
        { quantityMicros: 2_000_000, unitPriceMicros: 1_000_000_000, discountBasisPoints: 0, vatCode: '3' },
        { quantityMicros: 3_000_000, unitPriceMicros: 100_000_000, discountBasisPoints: 1_000, vatCode: '31' },
        { quantityMicros: 1_000_000, unitPriceMicros: -150_000_000, discountBasisPoints: 0, vatCode: '3', type: 'allowance' },
        { quantityMicros: 1_000_000, unitPriceMicros: -27_000_000, discountBasisPoints: 0, vatCode: '31', type: 'allowance' },
        { quantityMicros: 1_000_000, unitPriceMicros: 250_000_000, discountBasisPoints: 0, vatCode: '3', type: 'charge' },
      ],
      { isVatRegistered: true, exchangeRateMicros: 1_000_000 },
    );
    expect(totals).toMatchObject({
      lineTotalMinor: 227_000,
      allowanceTotalMinor: 17_700,
      chargeTotalMinor: 25_000,
      netTotalMinor: 234_300,
      vatTotalMinor: 52_500 + 3_645,
    });
    expect(totals.netTotalMinor).toBe(totals.lineTotalMinor - totals.allowanceTotalMinor + totals.chargeTotalMinor);
    expect(totals.vatBreakdown.map((entry) => [entry.vatCode, entry.taxableMinor, entry.vatMinor])).toEqual([
      ['3', 210_000, 52_500],
      ['31', 24_300, 3_645],
    ]);
  });
});
