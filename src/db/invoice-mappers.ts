import { calendarDateIn } from '../domain/calendar-date.js';
import { type AllowanceCharge, basisPointsToPercent, type InvoiceDocument, type InvoiceLine } from '../domain/invoice/invoice.js';
import { invoiceStatus, isOverdue, openAmountMinor, type StatusFacts } from '../domain/invoice/invoice-status.js';
import { formatMicros } from '../domain/money.js';
import type { Address, SellerSnapshot } from '../domain/party.js';
import type { InvoiceLineRow, InvoiceRow, InvoiceVatTotalRow } from './schema.js';

export function statusFactsOf(row: InvoiceRow): StatusFacts {
  return {
    state: row.state,
    kind: row.kind,
    isSent: row.sent_at !== null,
    payableMinor: row.payable_minor,
    paidMinor: row.paid_minor,
    creditedMinor: row.credited_minor,
    dueDate: row.due_date,
  };
}

export function invoiceLineRowToLine(row: InvoiceLineRow): InvoiceLine {
  return {
    id: row.id,
    position: row.position,
    productId: row.product_id,
    description: row.description,
    quantity: formatMicros(row.quantity_micros).replace(/\.00$/, ''),
    unitCode: row.unit_code,
    unitPrice: row.unit_price_micros === null ? null : formatMicros(row.unit_price_micros),
    discountPercent: basisPointsToPercent(row.discount_bp),
    vatCode: row.vat_code,
    vatCategory: row.vat_category,
    vatRatePercent: basisPointsToPercent(row.vat_rate_bp),
    revenueAccount: row.revenue_account,
    netMinor: row.net_minor,
    creditedLineId: row.credited_line_id,
  };
}

export function allowanceChargeRowToEntry(row: InvoiceLineRow): AllowanceCharge {
  return {
    id: row.id,
    position: row.position,
    type: row.line_type === 'charge' ? 'charge' : 'allowance',
    reason: row.description,
    reasonCode: row.reason_code,
    // Positive for any allowance or charge that can be issued; a draft's percentage of a negative
    // base shows a negative amount (the legal check refuses it at issue).
    amountMinor: row.line_type === 'charge' ? row.net_minor : 0 - row.net_minor,
    percent: row.percent_bp === null ? null : basisPointsToPercent(row.percent_bp),
    baseMinor: row.base_minor,
    vatCode: row.vat_code,
    vatCategory: row.vat_category,
    vatRatePercent: basisPointsToPercent(row.vat_rate_bp),
    revenueAccount: row.revenue_account,
    netMinor: row.net_minor,
    creditedLineId: row.credited_line_id,
  };
}

/** BT-106/107/108 from the stored lines (the nets are stored; nothing is recomputed). */
export function lineTypeTotals(lines: readonly InvoiceLineRow[]) {
  let lineTotalMinor = 0;
  let allowanceTotalMinor = 0;
  let chargeTotalMinor = 0;
  for (const line of lines) {
    if (line.line_type === 'allowance') allowanceTotalMinor -= line.net_minor;
    else if (line.line_type === 'charge') chargeTotalMinor += line.net_minor;
    else lineTotalMinor += line.net_minor;
  }
  return { lineTotalMinor, allowanceTotalMinor, chargeTotalMinor };
}

/**
 * Row → document. `now` and the company's time zone decide "overdue"; a draft's
 * figures are those last computed when it was saved.
 */
export function invoiceRowToDocument(
  row: InvoiceRow,
  parts: {
    lines: InvoiceLineRow[];
    vatTotals: InvoiceVatTotalRow[];
    creditNotes: InvoiceRow[];
    now: Date;
    timeZone: string;
    /** The company's date at `now`, when the caller has it already. */
    today?: string;
  },
): InvoiceDocument {
  const facts = statusFactsOf(row);
  const today = parts.today ?? calendarDateIn(parts.now, parts.timeZone);
  return {
    id: row.id,
    kind: row.kind,
    status: invoiceStatus(facts),
    isTest: Boolean(row.is_test),
    number: row.number,
    documentNumber: row.document_number,
    customerId: row.customer_id,
    customerNumber: row.customer_number,
    buyer: {
      name: row.buyer_name,
      kind: row.buyer_kind as 'business' | 'person',
      orgNumber: row.buyer_org_number,
      email: row.buyer_email,
      address: {
        line1: row.buyer_address_line1,
        line2: row.buyer_address_line2,
        postalCode: row.buyer_postal_code,
        city: row.buyer_city,
        countryCode: row.buyer_country_code,
      },
      peppolId: row.buyer_peppol_id,
      language: row.buyer_language as 'nb' | 'en',
    },
    seller: row.seller_json ? (JSON.parse(row.seller_json) as SellerSnapshot) : null,
    issueDate: row.issue_date,
    deliveryDate: row.delivery_date,
    deliveryPeriod:
      row.delivery_period_start && row.delivery_period_end
        ? { start: row.delivery_period_start, end: row.delivery_period_end }
        : null,
    deliveryAddress: row.delivery_address_json ? (JSON.parse(row.delivery_address_json) as Address) : null,
    dueDate: row.due_date,
    paymentTermsDays: row.payment_terms_days,
    buyerReference: row.buyer_reference,
    orderReference: row.order_reference,
    ourReference: row.our_reference,
    freeText: row.free_text,
    currency: row.currency,
    // A foreign-currency draft without a rate stores 0: show no rate, not "0.00" (which the API refuses as input).
    exchangeRate: row.currency === 'NOK' || row.exchange_rate_micros === 0 ? null : formatMicros(row.exchange_rate_micros),
    kid: row.kid,
    lines: parts.lines.filter((line) => line.line_type === 'item').map(invoiceLineRowToLine),
    allowanceCharges: parts.lines.filter((line) => line.line_type !== 'item').map(allowanceChargeRowToEntry),
    vatBreakdown: parts.vatTotals.map((entry) => ({
      vatCode: entry.vat_code,
      category: entry.vat_category,
      ratePercent: basisPointsToPercent(entry.vat_rate_bp),
      taxableMinor: entry.taxable_minor,
      vatMinor: entry.vat_minor,
      taxableNokMinor: entry.taxable_nok_minor,
      vatNokMinor: entry.vat_nok_minor,
    })),
    totals: {
      ...lineTypeTotals(parts.lines),
      netMinor: row.net_total_minor,
      vatMinor: row.vat_total_minor,
      grossMinor: row.gross_total_minor,
      payableMinor: row.payable_minor,
      netNokMinor: row.net_total_nok_minor,
      vatNokMinor: row.vat_total_nok_minor,
      grossNokMinor: row.gross_total_nok_minor,
    },
    paidMinor: row.paid_minor,
    creditedMinor: row.credited_minor,
    openMinor: openAmountMinor(facts),
    isOverdue: isOverdue(facts, today),
    creditedInvoice: row.credited_invoice_id
      ? { id: row.credited_invoice_id, documentNumber: row.credited_invoice_number, issueDate: row.credited_invoice_date }
      : null,
    creditReason: row.credit_reason,
    creditNotes: parts.creditNotes.map((note) => ({
      id: note.id,
      documentNumber: note.document_number,
      issueDate: note.issue_date,
      grossMinor: note.gross_total_minor,
    })),
    journalEntryId: row.journal_entry_id,
    issuedAt: row.issued_at,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
