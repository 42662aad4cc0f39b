import { describe, expect, it } from 'vitest';
import { findVatCode, VAT_CODE_VALUES, VAT_CODES, type VatCategory } from './vat.js';

/** SAF-T output codes from rules doc §2.4, with EN 16931 VAT category codes (UNCL5305). */
const EXPECTED: Array<[code: string, rateBasisPoints: number, category: VatCategory]> = [
  ['3', 2500, 'S'], // regular rate 25 %
  ['31', 1500, 'S'], // reduced rate, middle 15 %
  ['33', 1200, 'S'], // reduced rate, low 12 %
  ['32', 1111, 'S'], // raw fish 11.11 %
  ['5', 0, 'Z'], // zero rate, domestic
  ['51', 0, 'AE'], // domestic reverse charge
  ['52', 0, 'G'], // export
  ['6', 0, 'E'], // outside the scope of the VAT Act (exempt)
  ['7', 0, 'O'], // no VAT treatment
];

describe('VAT_CODES', () => {
  it.each(EXPECTED)('code %s has rate %d bp and category %s', (code, rateBasisPoints, category) => {
    const vat = findVatCode(code);
    expect(vat).toBeDefined();
    expect(vat!.code).toBe(code);
    expect(vat!.rateBasisPoints).toBe(rateBasisPoints);
    expect(vat!.category).toBe(category);
  });

  it('holds exactly the nine output codes, each once', () => {
    const codes = VAT_CODES.map((vat) => vat.code);
    expect([...codes].sort()).toEqual(EXPECTED.map(([code]) => code).sort());
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('stores 11.11 % as exactly 1111 basis points', () => {
    expect(findVatCode('32')?.rateBasisPoints).toBe(1111);
  });

  it.each(VAT_CODES.map((vat) => [vat.code, vat] as const))('code %s has an integer rate in 0..10000 bp', (_code, vat) => {
    expect(Number.isInteger(vat.rateBasisPoints)).toBe(true);
    expect(vat.rateBasisPoints).toBeGreaterThanOrEqual(0);
    expect(vat.rateBasisPoints).toBeLessThanOrEqual(10_000);
  });

  it.each(VAT_CODES.map((vat) => [vat.code, vat] as const))(
    'code %s: category S iff the rate is positive (EN 16931 BR-S/BR-Z/BR-E/BR-AE/BR-G/BR-O)',
    (_code, vat) => {
      expect(vat.category === 'S').toBe(vat.rateBasisPoints > 0);
    },
  );

  it.each(VAT_CODES.map((vat) => [vat.code, vat] as const))(
    'code %s has a 4-digit class-3 revenue account and both descriptions',
    (_code, vat) => {
      expect(vat.defaultRevenueAccount).toMatch(/^3\d{3}$/);
      expect(vat.descriptionNb.trim()).not.toBe('');
      expect(vat.descriptionEn.trim()).not.toBe('');
    },
  );
});

describe('findVatCode', () => {
  it.each(['', '0', '1', '11', '30', ' 3', '3 ', '03', '25', 'S', '8'])('returns undefined for %j', (code) => {
    expect(findVatCode(code)).toBeUndefined();
  });
});

describe('VAT_CODE_VALUES', () => {
  it('lists the codes in the same order as VAT_CODES', () => {
    expect(VAT_CODE_VALUES).toEqual(VAT_CODES.map((vat) => vat.code));
    expect(VAT_CODE_VALUES).toEqual(['3', '31', '33', '32', '5', '51', '52', '6', '7']);
  });
});
