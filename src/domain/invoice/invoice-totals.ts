import { divideRounded, toSafeNumber } from '../rounding.js';
import { findVatCode, type VatCategory } from '../vat.js';
import type { LineType } from './invoice.js';

/**
 * Invoice arithmetic in integer øre (EN 16931 BR-CO-10…17 and
 * shared/docs/norway-invoicing-rules.md §2.2):
 * - line net = quantity × unit price × (1 − discount), rounded once to øre;
 * - VAT once per VAT code on the sum of that code's line nets (BR-CO-17), rounded to øre;
 * - document-level allowances and charges (BG-20/21) count in their VAT code's sum like
 *   lines (BR-CO-13: tax exclusive = lines − allowances + charges);
 * - totals are sums; nothing is rounded twice.
 * Foreign currency: each VAT code's taxable amount and VAT are converted to NOK
 * once with the document's rate; NOK totals are the sums of those, so the
 * journal (in NOK) balances by construction.
 */

export interface LineForTotals {
  /** Quantity in millionths (parseDecimalToMicros). May be negative (a deduction line). */
  quantityMicros: number;
  /** Unit price excluding VAT in millionths of the currency unit. */
  unitPriceMicros: number;
  /** Line discount in hundredths of a percent: 1250 = 12.5 %. */
  discountBasisPoints: number;
  vatCode: string;
  /** Default 'item'. A document-level allowance has a negative net, a charge a positive one. */
  type?: LineType;
}

export interface VatBreakdownEntry {
  vatCode: string;
  category: VatCategory;
  rateBasisPoints: number;
  taxableMinor: number;
  vatMinor: number;
  taxableNokMinor: number;
  vatNokMinor: number;
}

export interface InvoiceTotals {
  lineNetMinor: number[];
  /** Sum of the item lines' nets (EN 16931 BT-106). */
  lineTotalMinor: number;
  /** Sum of the document-level allowances, as a positive amount (BT-107). */
  allowanceTotalMinor: number;
  /** Sum of the document-level charges (BT-108). */
  chargeTotalMinor: number;
  vatBreakdown: VatBreakdownEntry[];
  netTotalMinor: number;
  vatTotalMinor: number;
  grossTotalMinor: number;
  /** What the buyer pays (no cash rounding: invoices are paid electronically). */
  payableMinor: number;
  netTotalNokMinor: number;
  vatTotalNokMinor: number;
  grossTotalNokMinor: number;
}

export interface TotalsOptions {
  /** A seller not registered for VAT charges none: every line is outside the VAT Act (code 6, category O). */
  isVatRegistered: boolean;
  /** NOK per one unit of the document currency, in millionths; 1_000_000 for NOK. */
  exchangeRateMicros: number;
}

const MICROS = 1_000_000n;
const BASIS = 10_000n;
/** quantity (1e6) × price (1e6) → currency units (1e12); × 100 → øre; discount factor (1e4). */
const LINE_DENOMINATOR = MICROS * MICROS * BASIS / 100n;

export const NO_VAT_CODE = '6';

/** The VAT code and category that apply to a line, given the seller's registration. */
export function effectiveVat(
  vatCode: string,
  isVatRegistered: boolean,
): { vatCode: string; category: VatCategory; rateBasisPoints: number } {
  if (!isVatRegistered) {
    return { vatCode: NO_VAT_CODE, category: 'O', rateBasisPoints: 0 };
  }
  const vat = findVatCode(vatCode);
  if (!vat) {
    throw new RangeError(`Unknown VAT code ${vatCode}`);
  }
  return { vatCode: vat.code, category: vat.category, rateBasisPoints: vat.rateBasisPoints };
}

/**
 * Net amount of one line in øre.
 *
 * @example lineNetMinor({ quantityMicros: 3_000_000, unitPriceMicros: 33_335_000, discountBasisPoints: 0, vatCode: '3' }) // 10001 (100.005 → 100.01)
 */
export function lineNetMinor(line: LineForTotals): number {
  const gross = BigInt(line.quantityMicros) * BigInt(line.unitPriceMicros) * (BASIS - BigInt(line.discountBasisPoints));
  return toSafeNumber(divideRounded(gross, LINE_DENOMINATOR));
}

/** Converts an amount in the document currency to NOK øre with the document's rate, rounded once. */
export function toNokMinor(amountMinor: number, exchangeRateMicros: number): number {
  if (exchangeRateMicros === 1_000_000) return amountMinor;
  return toSafeNumber(divideRounded(BigInt(amountMinor) * BigInt(exchangeRateMicros), MICROS));
}

export function computeInvoiceTotals(lines: readonly LineForTotals[], options: TotalsOptions): InvoiceTotals {
  const lineNet = lines.map(lineNetMinor);
  return totalsFromLineNets(
    lines.map((line, index) => ({ netMinor: lineNet[index]!, vatCode: line.vatCode, type: line.type ?? 'item' })),
    options,
  );
}

/**
 * The VAT breakdown and totals from lines whose nets are already rounded (the
 * web editor's live totals use this too, so browser and server cannot disagree).
 */
export function totalsFromLineNets(
  lines: ReadonlyArray<{ netMinor: number; vatCode: string; type?: LineType }>,
  options: TotalsOptions,
): InvoiceTotals {
  const lineNet = lines.map((line) => line.netMinor);
  const groups = new Map<string, { category: VatCategory; rateBasisPoints: number; taxable: bigint }>();
  lines.forEach((line) => {
    const vat = effectiveVat(line.vatCode, options.isVatRegistered);
    const group = groups.get(vat.vatCode) ?? { category: vat.category, rateBasisPoints: vat.rateBasisPoints, taxable: 0n };
    group.taxable += BigInt(line.netMinor);
    groups.set(vat.vatCode, group);
  });

  const vatBreakdown: VatBreakdownEntry[] = [...groups.entries()]
    .sort(([, a], [, b]) => b.rateBasisPoints - a.rateBasisPoints)
    .map(([vatCode, group]) => {
      const taxableMinor = toSafeNumber(group.taxable);
      const vatMinor = toSafeNumber(divideRounded(group.taxable * BigInt(group.rateBasisPoints), BASIS));
      return {
        vatCode,
        category: group.category,
        rateBasisPoints: group.rateBasisPoints,
        taxableMinor,
        vatMinor,
        taxableNokMinor: toNokMinor(taxableMinor, options.exchangeRateMicros),
        vatNokMinor: toNokMinor(vatMinor, options.exchangeRateMicros),
      };
    });

  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const netTotalMinor = sum(lineNet);
  const vatTotalMinor = sum(vatBreakdown.map((entry) => entry.vatMinor));
  const netTotalNokMinor = sum(vatBreakdown.map((entry) => entry.taxableNokMinor));
  const vatTotalNokMinor = sum(vatBreakdown.map((entry) => entry.vatNokMinor));
  const ofType = (type: LineType) => sum(lines.filter((line) => (line.type ?? 'item') === type).map((line) => line.netMinor));
  return {
    lineNetMinor: lineNet,
    lineTotalMinor: ofType('item'),
    allowanceTotalMinor: 0 - ofType('allowance'),
    chargeTotalMinor: ofType('charge'),
    vatBreakdown,
    netTotalMinor,
    vatTotalMinor,
    grossTotalMinor: netTotalMinor + vatTotalMinor,
    payableMinor: netTotalMinor + vatTotalMinor,
    netTotalNokMinor,
    vatTotalNokMinor,
    grossTotalNokMinor: netTotalNokMinor + vatTotalNokMinor,
  };
}
