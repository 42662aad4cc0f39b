import type { InvoiceTotals, VatBreakdownLine, VatCode } from './api/types';
import { allowanceChargeBases, percentageAmountMinor, signedNetMinor } from '../../src/domain/invoice/allowance-charge.js';
import { basisPointsToPercent, type LineType } from '../../src/domain/invoice/invoice.js';
import {
  effectiveVat,
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
  /** Default 'item'; a document-level allowance has a negative net, a charge a positive one. */
  type?: LineType;
}

/** A document-level allowance or charge as typed: an amount in kr or a percentage of the VAT code's items. */
export interface LiveAllowanceCharge {
  type: 'allowance' | 'charge';
  mode: 'amount' | 'percent';
  /** "250", "1 250,50" (amount) or "10", "2,5" (percent). */
  value: string;
  vatCode: string;
}

/** Largest amount the API takes for an allowance or charge (1 000 000 000,00). */
const MAX_AMOUNT_MICROS = 1_000_000_000n * 1_000_000n;

/** A positive amount with at most two decimals ("250", "1 250,50") in øre; null otherwise (as the API refuses it). */
export function parseAmountMinor(text: string): number | null {
  const micros = parseMicros(text);
  if (micros === null || micros <= 0n || micros % 10_000n !== 0n || micros > MAX_AMOUNT_MICROS) return null;
  return Number(micros / 10_000n);
}

/** A percentage above 0 and at most 100 with at most two decimals ("10", "2,5") in basis points; null otherwise. */
export function parsePercentBasisPoints(text: string): number | null {
  if (text.trim() === '') return null;
  const basisPoints = parseDiscountBasisPoints(text);
  return basisPoints === null || basisPoints === 0 ? null : basisPoints;
}

/**
 * The amount (positive øre) of each allowance or charge, as the server will store it: a
 * percentage is taken of the item lines with the same effective VAT code (domain
 * allowanceChargeBases + percentageAmountMinor, rounded once). Null when the value cannot be read.
 */
export function allowanceChargeAmounts(
  items: readonly LiveLine[],
  entries: readonly LiveAllowanceCharge[],
  options: { vatCodes: readonly VatCode[]; isVatRegistered: boolean },
): Array<number | null> {
  const known = new Set(options.vatCodes.map((entry) => entry.code));
  const isKnown = (code: string) => !options.isVatRegistered || known.has(code);
  const bases = allowanceChargeBases(
    items.filter((item) => isKnown(item.vatCode)).map((item) => ({ netMinor: item.netMinor ?? 0, vatCode: item.vatCode })),
    options.isVatRegistered,
  );
  return entries.map((entry) => {
    if (entry.mode === 'amount') return parseAmountMinor(entry.value);
    const basisPoints = parsePercentBasisPoints(entry.value);
    if (basisPoints === null || !isKnown(entry.vatCode)) return null;
    const base = bases.get(effectiveVat(entry.vatCode, options.isVatRegistered).vatCode) ?? 0;
    return percentageAmountMinor(base, basisPoints);
  });
}

/** The signed net of an allowance (−amount) or charge (+amount), for the totals; null stays null. */
export function allowanceChargeNet(type: 'allowance' | 'charge', amountMinor: number | null): number | null {
  return amountMinor === null ? null : signedNetMinor(type, amountMinor);
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
      .map((line) => ({ netMinor: line.netMinor ?? 0, vatCode: line.vatCode, type: line.type ?? 'item' })),
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
      lineTotalMinor: computed.lineTotalMinor,
      allowanceTotalMinor: computed.allowanceTotalMinor,
      chargeTotalMinor: computed.chargeTotalMinor,
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

/**
 * The amount to credit on an allowance or charge as the API wants it: an allowance counts
 * negative (like a deduction line), so the amount typed without a sign gets one.
 */
export function allowanceCreditAmount(type: 'allowance' | 'charge', typed: string): string {
  const value = typed.replace(/[\s\u00a0\u202f]/g, '');
  if (type === 'charge' || value === '') return value;
  return value.startsWith('-') ? value : `-${value.replace(/^\+/, '')}`;
}
