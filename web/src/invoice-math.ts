import type { InvoiceTotals, VatBreakdownLine, VatCode } from './api/types';
import { basisPointsToPercent } from '../../src/domain/invoice/invoice.js';
import {
  lineNetMinor as domainLineNetMinor,
  totalsFromLineNets,
} from '../../src/domain/invoice/invoice-totals.js';
import { parseDecimalToMicros } from '../../src/domain/money.js';

/**
 * Live totals while a draft is being written, computed by the server's own pure
 * domain module (src/domain/invoice/invoice-totals.ts), so the browser and the
 * server cannot disagree on a single øre. This file only reads what the user
 * typed (spaces, no-break spaces, decimal comma) before handing it over.
 * The server stays the source of truth: after saving, its figures are shown.
 */

export const NOK_RATE_MICROS = 1_000_000;

const PERCENT = /^(\d{1,3})(?:[.,](\d{1,2}))?$/;

/** Typed decimal text ("1 000,50", "2.5", "-3") in millionths; null when it is not such a number. */
export function parseMicros(text: string): bigint | null {
  const micros = parseDecimalToMicros(text.replace(/[\s\u00a0\u202f]/g, ''));
  return micros === undefined ? null : BigInt(micros);
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
  return domainLineNetMinor({
    quantityMicros: Number(quantityMicros),
    unitPriceMicros: Number(priceMicros),
    discountBasisPoints: discount,
    vatCode: '3',
  });
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
  const known = new Set(options.vatCodes.map((entry) => entry.code));
  const computed = totalsFromLineNets(
    lines
      .filter((line) => !options.isVatRegistered || known.has(line.vatCode))
      .map((line) => ({ netMinor: line.netMinor ?? 0, vatCode: line.vatCode })),
    { isVatRegistered: options.isVatRegistered, exchangeRateMicros: options.exchangeRateMicros },
  );
  return {
    vatBreakdown: computed.vatBreakdown.map((entry) => ({
      vatCode: entry.vatCode,
      category: entry.category,
      ratePercent: basisPointsToPercent(entry.rateBasisPoints),
      taxableMinor: entry.taxableMinor,
      vatMinor: entry.vatMinor,
      taxableNokMinor: entry.taxableNokMinor,
      vatNokMinor: entry.vatNokMinor,
    })),
    totals: {
      netMinor: computed.netTotalMinor,
      vatMinor: computed.vatTotalMinor,
      grossMinor: computed.grossTotalMinor,
      payableMinor: computed.payableMinor,
      netNokMinor: computed.netTotalNokMinor,
      vatNokMinor: computed.vatTotalNokMinor,
      grossNokMinor: computed.grossTotalNokMinor,
    },
  };
}
