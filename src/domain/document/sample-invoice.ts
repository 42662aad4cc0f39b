import { allowanceChargeBases, percentageAmountMinor, signedNetMinor } from '../invoice/allowance-charge.js';
import { basisPointsToPercent, type InvoiceDocument, percentToBasisPoints } from '../invoice/invoice.js';
import { computeInvoiceTotals, effectiveVat, lineNetMinor } from '../invoice/invoice-totals.js';
import { createKid, DEFAULT_KID_SETTINGS } from '../kid.js';
import { formatMicros, parseDecimalToMicros } from '../money.js';
import type { Address, Language, SellerSnapshot } from '../party.js';

/**
 * Invoice documents made from a few line specs, with totals from the real
 * invoice arithmetic: the template editor's sample invoice, and fixtures for
 * rendering tests and the benchmark.
 */

export interface DocumentLineSpec {
  description: string;
  quantity: string;
  unitCode?: string;
  unitPrice: string;
  discountPercent?: string;
  vatCode?: string;
  productId?: string | null;
}

/** A document-level allowance or charge: an amount ("500.00") or a percentage of its VAT code's items ("10"). */
export interface DocumentAllowanceChargeSpec {
  type: 'allowance' | 'charge';
  reason: string;
  reasonCode?: string | null;
  amount?: string;
  percent?: string;
  vatCode?: string;
}

export interface DocumentSpec {
  id?: string;
  kind?: 'invoice' | 'credit_note';
  status?: InvoiceDocument['status'];
  isTest?: boolean;
  number?: number | null;
  documentNumber?: string | null;
  customerNumber?: number;
  buyer?: Partial<InvoiceDocument['buyer']>;
  seller: SellerSnapshot;
  issueDate?: string | null;
  deliveryDate?: string | null;
  deliveryPeriod?: { start: string; end: string } | null;
  deliveryAddress?: Address | null;
  dueDate?: string | null;
  buyerReference?: string | null;
  orderReference?: string | null;
  ourReference?: string | null;
  freeText?: string | null;
  currency?: string;
  /** NOK per unit of `currency`, a decimal string; required for other currencies than NOK. */
  exchangeRate?: string | null;
  kid?: string | null;
  creditedInvoice?: InvoiceDocument['creditedInvoice'];
  creditReason?: string | null;
  issuedAt?: string | null;
  lines: DocumentLineSpec[];
  allowanceCharges?: DocumentAllowanceChargeSpec[];
}

/** Builds a complete InvoiceDocument from line specs; amounts are computed, never typed in. */
export function invoiceDocumentFromSpec(spec: DocumentSpec): InvoiceDocument {
  const currency = spec.currency ?? 'NOK';
  const exchangeRateMicros = currency === 'NOK' ? 1_000_000 : parseDecimalToMicros(spec.exchangeRate ?? '0') ?? 0;
  const isVatRegistered = spec.seller.isVatRegistered;
  const priced = spec.lines.map((line) => ({
    quantityMicros: parseDecimalToMicros(line.quantity) ?? 0,
    unitPriceMicros: parseDecimalToMicros(line.unitPrice) ?? 0,
    discountBasisPoints: percentToBasisPoints(line.discountPercent ?? '0'),
    vatCode: isVatRegistered ? (line.vatCode ?? '3') : '6',
  }));
  // Allowances and charges as the invoice service prices them: a percentage of the item lines of
  // the same effective VAT code, rounded once; quantity 1 at the signed amount.
  const bases = allowanceChargeBases(
    priced.map((line) => ({ netMinor: lineNetMinor(line), vatCode: line.vatCode })),
    isVatRegistered,
  );
  const allowanceCharges = (spec.allowanceCharges ?? []).map((entry) => {
    const vatCode = isVatRegistered ? (entry.vatCode ?? '3') : '6';
    const baseMinor = entry.percent !== undefined ? (bases.get(effectiveVat(vatCode, isVatRegistered).vatCode) ?? 0) : null;
    const amountMinor =
      baseMinor !== null ? percentageAmountMinor(baseMinor, percentToBasisPoints(entry.percent!)) : (parseDecimalToMicros(entry.amount ?? '0') ?? 0) / 10_000;
    return { entry, vatCode, baseMinor, amountMinor, netMinor: signedNetMinor(entry.type, amountMinor) };
  });
  const totals = computeInvoiceTotals(
    [
      ...priced,
      ...allowanceCharges.map((charge) => ({
        quantityMicros: 1_000_000,
        unitPriceMicros: charge.netMinor * 10_000,
        discountBasisPoints: 0,
        vatCode: charge.vatCode,
        type: charge.entry.type,
      })),
    ],
    { isVatRegistered, exchangeRateMicros: exchangeRateMicros || 1_000_000 },
  );
  const rateOf = (code: string) => totals.vatBreakdown.find((entry) => entry.vatCode === code);
  const id = spec.id ?? '00000000-0000-7000-8000-000000000001';
  const issuedAt = spec.issuedAt ?? (spec.issueDate ? `${spec.issueDate}T09:00:00.000Z` : null);
  return {
    id,
    kind: spec.kind ?? 'invoice',
    status: spec.status ?? 'issued',
    isTest: spec.isTest ?? false,
    number: spec.number ?? null,
    documentNumber: spec.documentNumber ?? (spec.number !== undefined && spec.number !== null ? String(spec.number) : null),
    customerId: '00000000-0000-7000-8000-0000000000c1',
    customerNumber: spec.customerNumber ?? 1,
    buyer: {
      name: 'Kunde AS',
      kind: 'business',
      orgNumber: null,
      email: null,
      address: { line1: null, line2: null, postalCode: null, city: null, countryCode: 'NO' },
      peppolId: null,
      language: 'nb',
      ...spec.buyer,
    },
    seller: spec.seller,
    issueDate: spec.issueDate ?? null,
    deliveryDate: spec.deliveryDate ?? null,
    deliveryPeriod: spec.deliveryPeriod ?? null,
    deliveryAddress: spec.deliveryAddress ?? null,
    dueDate: spec.dueDate ?? null,
    paymentTermsDays: null,
    buyerReference: spec.buyerReference ?? null,
    orderReference: spec.orderReference ?? null,
    ourReference: spec.ourReference ?? null,
    freeText: spec.freeText ?? null,
    currency,
    exchangeRate: currency === 'NOK' ? null : formatMicros(exchangeRateMicros),
    kid: spec.kid ?? null,
    lines: spec.lines.map((line, index) => {
      const vatCode = priced[index]!.vatCode;
      return {
        id: `line-${index + 1}`,
        position: index + 1,
        productId: line.productId ?? null,
        description: line.description,
        quantity: formatMicros(priced[index]!.quantityMicros).replace(/\.00$/, ''),
        unitCode: line.unitCode ?? 'C62',
        unitPrice: formatMicros(priced[index]!.unitPriceMicros),
        discountPercent: basisPointsToPercent(priced[index]!.discountBasisPoints),
        vatCode,
        vatCategory: rateOf(vatCode)?.category ?? 'O',
        vatRatePercent: basisPointsToPercent(rateOf(vatCode)?.rateBasisPoints ?? 0),
        revenueAccount: null,
        netMinor: totals.lineNetMinor[index]!,
        creditedLineId: null,
      };
    }),
    vatBreakdown: totals.vatBreakdown.map((entry) => ({
      vatCode: entry.vatCode,
      category: entry.category,
      ratePercent: basisPointsToPercent(entry.rateBasisPoints),
      taxableMinor: entry.taxableMinor,
      vatMinor: entry.vatMinor,
      taxableNokMinor: entry.taxableNokMinor,
      vatNokMinor: entry.vatNokMinor,
    })),
    allowanceCharges: allowanceCharges.map((charge, index) => ({
      id: `allowance-charge-${index + 1}`,
      position: spec.lines.length + index + 1,
      type: charge.entry.type,
      reason: charge.entry.reason,
      reasonCode: charge.entry.reasonCode ?? null,
      amountMinor: charge.amountMinor,
      percent: charge.entry.percent !== undefined ? basisPointsToPercent(percentToBasisPoints(charge.entry.percent)) : null,
      baseMinor: charge.baseMinor,
      vatCode: charge.vatCode,
      vatCategory: rateOf(charge.vatCode)?.category ?? 'O',
      vatRatePercent: basisPointsToPercent(rateOf(charge.vatCode)?.rateBasisPoints ?? 0),
      revenueAccount: null,
      netMinor: charge.netMinor,
      creditedLineId: null,
    })),
    totals: {
      lineTotalMinor: totals.lineTotalMinor,
      allowanceTotalMinor: totals.allowanceTotalMinor,
      chargeTotalMinor: totals.chargeTotalMinor,
      netMinor: totals.netTotalMinor,
      vatMinor: totals.vatTotalMinor,
      grossMinor: totals.grossTotalMinor,
      payableMinor: totals.payableMinor,
      netNokMinor: totals.netTotalNokMinor,
      vatNokMinor: totals.vatTotalNokMinor,
      grossNokMinor: totals.grossTotalNokMinor,
    },
    paidMinor: 0,
    creditedMinor: 0,
    openMinor: totals.payableMinor,
    isOverdue: false,
    creditedInvoice: spec.creditedInvoice ?? null,
    creditReason: spec.creditReason ?? null,
    creditNotes: [],
    journalEntryId: null,
    issuedAt,
    sentAt: null,
    createdAt: issuedAt ?? '2026-01-01T00:00:00.000Z',
    updatedAt: issuedAt ?? '2026-01-01T00:00:00.000Z',
  };
}

/**
 * The template editor's sample: the company's own seller details, a made-up
 * customer and a few lines with two VAT rates and a discount. Fixed dates (the
 * domain reads no clock).
 */
export function sampleInvoiceDocument(seller: SellerSnapshot, language: Language): InvoiceDocument {
  const nb = language === 'nb';
  return invoiceDocumentFromSpec({
    id: '00000000-0000-7000-8000-000000005a3e',
    seller,
    number: 1001,
    customerNumber: 10042,
    kid: createKid(DEFAULT_KID_SETTINGS, { customerNumber: 10042, invoiceNumber: 1001 }),
    issueDate: '2026-11-26',
    deliveryDate: '2026-11-25',
    dueDate: '2026-12-10',
    ourReference: 'Kari Nordmann',
    buyerReference: nb ? 'Ola Hansen' : 'Jane Smith',
    orderReference: 'PO-4711',
    buyer: {
      name: nb ? 'Eksempelkunde AS' : 'Example Customer Ltd',
      kind: 'business',
      orgNumber: '923609016',
      address: { line1: 'Storgata 12', line2: null, postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
      language,
    },
    deliveryAddress: { line1: 'Lagerveien 3', line2: null, postalCode: '2000', city: 'Lillestrøm', countryCode: 'NO' },
    freeText: nb ? 'Takk for handelen!' : 'Thank you for your business!',
    lines: [
      { description: nb ? 'Rådgivning, november' : 'Consulting, November', quantity: '12.5', unitCode: 'HUR', unitPrice: '1250.00' },
      { description: nb ? 'Programvarelisens, årlig' : 'Software licence, yearly', quantity: '3', unitCode: 'C62', unitPrice: '4990.00', discountPercent: '10' },
      { description: nb ? 'Kaffe og kjeks til møtet (næringsmidler)' : 'Coffee and biscuits for the meeting (food)', quantity: '2', unitCode: 'PK', unitPrice: '189.90', vatCode: '31' },
      { description: nb ? 'Reise Oslo–Bergen' : 'Travel Oslo–Bergen', quantity: '1', unitCode: 'LS', unitPrice: '1749.00', vatCode: '33' },
    ],
  });
}
