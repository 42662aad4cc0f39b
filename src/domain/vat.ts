/**
 * Output VAT codes (SAF-T standard tax codes, sales side) with their rates and
 * EN 16931 VAT category codes. Source: shared/docs/norway-invoicing-rules.md §2.4.
 * Rates are in basis points (hundredths of a percent) so 11.11 % is exact.
 */

export type VatCategory = 'S' | 'Z' | 'E' | 'AE' | 'K' | 'G' | 'O';

export interface VatCode {
  code: string;
  rateBasisPoints: number;
  category: VatCategory;
  /** Default NS 4102 revenue account for sales with this code (editable per company later). */
  defaultRevenueAccount: string;
  descriptionNb: string;
  descriptionEn: string;
}

export const VAT_CODES: readonly VatCode[] = [
  { code: '3', rateBasisPoints: 2500, category: 'S', defaultRevenueAccount: '3000', descriptionNb: 'Utgående mva, alminnelig sats 25 %', descriptionEn: 'Output VAT, regular rate 25 %' },
  { code: '31', rateBasisPoints: 1500, category: 'S', defaultRevenueAccount: '3030', descriptionNb: 'Utgående mva, middels sats 15 %', descriptionEn: 'Output VAT, reduced rate 15 %' },
  { code: '33', rateBasisPoints: 1200, category: 'S', defaultRevenueAccount: '3050', descriptionNb: 'Utgående mva, lav sats 12 %', descriptionEn: 'Output VAT, low rate 12 %' },
  { code: '32', rateBasisPoints: 1111, category: 'S', defaultRevenueAccount: '3060', descriptionNb: 'Utgående mva, råfisk 11,11 %', descriptionEn: 'Output VAT, raw fish 11.11 %' },
  { code: '5', rateBasisPoints: 0, category: 'Z', defaultRevenueAccount: '3100', descriptionNb: 'Innenlands omsetning fritatt for mva (nullsats)', descriptionEn: 'Domestic sales exempt from VAT (zero rate)' },
  { code: '51', rateBasisPoints: 0, category: 'AE', defaultRevenueAccount: '3005', descriptionNb: 'Innenlands omsetning med omvendt avgiftsplikt', descriptionEn: 'Domestic sales with reverse charge' },
  { code: '52', rateBasisPoints: 0, category: 'G', defaultRevenueAccount: '3110', descriptionNb: 'Utførsel av varer og tjenester', descriptionEn: 'Export of goods and services' },
  { code: '6', rateBasisPoints: 0, category: 'E', defaultRevenueAccount: '3200', descriptionNb: 'Omsetning utenfor merverdiavgiftsloven', descriptionEn: 'Turnover outside the scope of the VAT Act' },
  { code: '7', rateBasisPoints: 0, category: 'O', defaultRevenueAccount: '3900', descriptionNb: 'Ingen mva-behandling (inntekter)', descriptionEn: 'No VAT treatment (income)' },
];

const BY_CODE = new Map(VAT_CODES.map((vat) => [vat.code, vat]));

export const VAT_CODE_VALUES = VAT_CODES.map((vat) => vat.code) as [string, ...string[]];

export function findVatCode(code: string): VatCode | undefined {
  return BY_CODE.get(code);
}
