import type { InvoiceTotals, VatBreakdownLine, VatCode } from './api/types';

/**
 * The invoice arithmetic of src/domain/invoice/invoice-totals.ts, for live totals
 * while a draft is being written. Same rules, same integer maths (BigInt):
 * - line net = quantity × unit price × (1 − discount), rounded once to øre,
 *   half away from zero;
 * - VAT once per VAT code on the sum of that code's line nets, rounded to øre;
 * - foreign currency: each code's taxable amount and VAT converted to NOK once.
 * The server stays the source of truth: after saving, its figures are shown.
 */

const MICROS = 1_000_000n;
const BASIS = 10_000n;
/** quantity (1e6) × price (1e6) → currency units (1e12); × 100 → øre; discount factor (1e4). */
const LINE_DENOMINATOR = (MICROS * MICROS * BASIS) / 100n;
export const NOK_RATE_MICROS = 1_000_000;

const DECIMAL = /^(-)?(\d{1,13})(?:[.,](\d{1,6}))?$/;
const PERCENT = /^(\d{1,3})(?:[.,](\d{1,2}))?$/;

/** `numerator / denominator` rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const absolute = negative ? -numerator : numerator;
  const quotient = (absolute + denominator / 2n) / denominator;
  return negative ? -quotient : quotient;
}

/** Typed decimal text ("1 000,50", "2.5", "-3") in millionths; null when it is not such a number. */
export function parseMicros(text: string): bigint | null {
  const match = DECIMAL.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole!) * MICROS + BigInt(fraction.padEnd(6, '0'));
  return sign ? -micros : micros;
}

/** A discount typed as "10" or "12,5" in basis points (1250); empty is 0; null when invalid. */
export function parseDiscountBasisPoints(text: string): number | null {
  const value = text.trim();
  if (value === '') return 0;
  const match = PERCENT.exec(value);
  if (!match) return null;
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return basisPoints <= 10_000 ? basisPoints : null;
}

/** Net of one line in øre, or null when quantity or price cannot be read. */
export function lineNetMinor(quantity: string, unitPrice: string, discountPercent: string): number | null {
  const quantityMicros = parseMicros(quantity);
  const priceMicros = parseMicros(unitPrice);
  const discount = parseDiscountBasisPoints(discountPercent);
  if (quantityMicros === null || priceMicros === null || discount === null) return null;
  return Number(divideRounded(quantityMicros * priceMicros * (BASIS - BigInt(discount)), LINE_DENOMINATOR));
}

export function toNokMinor(amountMinor: number, exchangeRateMicros: number): number {
  if (exchangeRateMicros === NOK_RATE_MICROS) return amountMinor;
  return Number(divideRounded(BigInt(amountMinor) * BigInt(exchangeRateMicros), MICROS));
}

/** 2500 → "25", 1111 → "11.11", 1250 → "12.5" (as the API writes rates). */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  const fraction = Math.abs(basisPoints % 100);
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}

export interface LiveLine {
  /** Null when the line cannot be computed yet (it counts as 0). */
  netMinor: number | null;
  vatCode: string;
}

export interface LiveTotals {
  vatBreakdown: VatBreakdownLine[];
  totals: InvoiceTotals;
}

/** The VAT breakdown and totals of a draft, as the server will compute them. */
export function computeTotals(
  lines: readonly LiveLine[],
  options: { vatCodes: readonly VatCode[]; isVatRegistered: boolean; exchangeRateMicros: number },
): LiveTotals {
  const groups = new Map<string, { category: string; rateBasisPoints: number; taxable: bigint }>();
  for (const line of lines) {
    let code = line.vatCode;
    let category: string;
    let rateBasisPoints: number;
    if (!options.isVatRegistered) {
      // A seller outside the VAT register charges none: every line is outside the VAT Act.
      code = '6';
      category = 'O';
      rateBasisPoints = 0;
    } else {
      const vat = options.vatCodes.find((entry) => entry.code === code);
      if (!vat) continue;
      category = vat.category;
      rateBasisPoints = vat.rateBasisPoints;
    }
    const group = groups.get(code) ?? { category, rateBasisPoints, taxable: 0n };
    group.taxable += BigInt(line.netMinor ?? 0);
    groups.set(code, group);
  }
  const vatBreakdown = [...groups.entries()]
    .sort(([, a], [, b]) => b.rateBasisPoints - a.rateBasisPoints)
    .map(([vatCode, group]) => {
      const taxableMinor = Number(group.taxable);
      const vatMinor = Number(divideRounded(group.taxable * BigInt(group.rateBasisPoints), BASIS));
      return {
        vatCode,
        category: group.category,
        ratePercent: basisPointsToPercent(group.rateBasisPoints),
        taxableMinor,
        vatMinor,
        taxableNokMinor: toNokMinor(taxableMinor, options.exchangeRateMicros),
        vatNokMinor: toNokMinor(vatMinor, options.exchangeRateMicros),
      };
    });
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const netMinor = sum(lines.map((line) => line.netMinor ?? 0));
  const vatMinor = sum(vatBreakdown.map((entry) => entry.vatMinor));
  const netNokMinor = sum(vatBreakdown.map((entry) => entry.taxableNokMinor));
  const vatNokMinor = sum(vatBreakdown.map((entry) => entry.vatNokMinor));
  return {
    vatBreakdown,
    totals: {
      netMinor,
      vatMinor,
      grossMinor: netMinor + vatMinor,
      payableMinor: netMinor + vatMinor,
      netNokMinor,
      vatNokMinor,
      grossNokMinor: netNokMinor + vatNokMinor,
    },
  };
}
