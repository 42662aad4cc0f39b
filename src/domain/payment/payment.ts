import { divideRounded, toSafeNumber } from '../rounding.js';
import type { JournalLine } from '../invoice/journal.js';

/**
 * Payments received (innbetalinger), pure rules:
 * - a payment is booked once: debit the bank account (1920 by default) with what reached the
 *   account in NOK, credit receivables (1500) with what each allocation clears; what is not
 *   allocated is the customer's credit, also on 1500 (a credit balance);
 * - a foreign-currency allocation clears the invoice's receivable at the invoice's rate; the
 *   difference to the NOK received is an exchange gain (8060) or loss (8160);
 * - a reversal posts the mirror entry; nothing is deleted.
 */

export const FX_GAIN_ACCOUNT = '8060';
export const FX_LOSS_ACCOUNT = '8160';

/** A payment as the application shows it; amounts in minor units of its currency, and NOK øre. */
export interface Payment {
  id: string;
  status: 'booked' | 'reversed';
  customerId: string | null;
  paymentDate: string;
  currency: string;
  amountMinor: number;
  amountNokMinor: number;
  exchangeRate: string | null;
  ledgerAccount: string;
  reference: string | null;
  payerName: string | null;
  payerAccount: string | null;
  bankReference: string | null;
  note: string | null;
  source: 'manual' | 'bank_import';
  isTest: boolean;
  voucher: string;
  allocations: Array<{
    id: string;
    invoiceId: string;
    documentNumber: string | null;
    /** As allocated (allocations are never changed). */
    amountMinor: number;
    amountNokMinor: number;
    /** Given back to the payment by credit notes on the invoice (the customer's credit again). */
    releasedMinor: number;
    releasedNokMinor: number;
    /** What the invoice keeps: amount − released. */
    netMinor: number;
    releases: Array<{ id: string; creditNoteId: string; creditNoteNumber: string | null; amountMinor: number; amountNokMinor: number; createdAt: string }>;
  }>;
  /** Credit paid back to the customer. */
  refunds: Array<{ id: string; refundDate: string; amountMinor: number; amountNokMinor: number; voucher: string; note: string | null; journalEntryId: string }>;
  /** What no invoice keeps and was not paid back: the customer's credit (0 once reversed). */
  unallocatedMinor: number;
  /** That credit in NOK øre as it stands on 1500 (equal to unallocatedMinor for NOK). */
  unallocatedNokMinor: number;
  journalEntryId: string;
  reversedAt: string | null;
  reversalReason: string | null;
  reversalJournalEntryId: string | null;
  createdAt: string;
}

/** A customer's receivables and credit (PaymentService.customerBalance, GET /customers/{id}/balance). */
export interface CustomerBalance {
  customerId: string;
  openReceivablesNokMinor: number;
  unappliedCreditNokMinor: number;
  netBalanceNokMinor: number;
  currencies: Array<{ currency: string; openReceivablesMinor: number; unappliedCreditMinor: number; openReceivablesNokMinor: number; unappliedCreditNokMinor: number }>;
  openInvoices: Array<{ id: string; documentNumber: string | null; issueDate: string | null; dueDate: string | null; currency: string; openMinor: number; openNokMinor: number }>;
  creditPayments: Array<{ id: string; voucher: string; paymentDate: string; currency: string; unallocatedMinor: number; unallocatedNokMinor: number; releasedMinor: number }>;
}

/** An amount in the document currency → NOK øre at a rate in millionths, rounded once. */
export function toNokAtRate(amountMinor: number, exchangeRateMicros: number): number {
  if (exchangeRateMicros === 1_000_000) return amountMinor;
  return toSafeNumber(divideRounded(BigInt(amountMinor) * BigInt(exchangeRateMicros), 1_000_000n));
}

export interface PaymentPosting {
  ledgerAccount: string;
  receivableAccount: string;
  amountNokMinor: number;
  /** NOK each allocation clears on receivables (at its invoice's rate), with that invoice's customer. */
  allocations: ReadonlyArray<{ amountNokMinor: number; customerId: string; label: string }>;
  /** The unallocated rest in NOK (customer credit), with the payer customer. */
  creditNokMinor: number;
  creditCustomerId: string | null;
  description: string;
}

/** The journal lines of a booked payment; they balance by construction (the FX line takes the difference). */
export function buildPaymentJournalLines(posting: PaymentPosting): Array<JournalLine & { customerId: string | null }> {
  const lines: Array<JournalLine & { customerId: string | null }> = [
    { account: posting.ledgerAccount, debitMinor: posting.amountNokMinor, creditMinor: 0, vatCode: null, description: posting.description, customerId: null },
  ];
  for (const allocation of posting.allocations) {
    lines.push({ account: posting.receivableAccount, debitMinor: 0, creditMinor: allocation.amountNokMinor, vatCode: null, description: allocation.label, customerId: allocation.customerId });
  }
  if (posting.creditNokMinor > 0) {
    lines.push({ account: posting.receivableAccount, debitMinor: 0, creditMinor: posting.creditNokMinor, vatCode: null, description: 'Kundens tilgode', customerId: posting.creditCustomerId });
  }
  const cleared = posting.allocations.reduce((total, allocation) => total + allocation.amountNokMinor, 0) + posting.creditNokMinor;
  const difference = posting.amountNokMinor - cleared;
  if (difference > 0) {
    lines.push({ account: FX_GAIN_ACCOUNT, debitMinor: 0, creditMinor: difference, vatCode: null, description: 'Agio', customerId: null });
  } else if (difference < 0) {
    lines.push({ account: FX_LOSS_ACCOUNT, debitMinor: -difference, creditMinor: 0, vatCode: null, description: 'Disagio', customerId: null });
  }
  return lines;
}

/**
 * A bank file's payment in its booking date's voucher (NOK): a credit of receivables for each
 * invoice it clears and for what is left (the customer's credit), each line naming the payment
 * (`label`: its bank reference and payer). The voucher's one debit of the bank account, for all
 * its payments, is the sum of these lines. For one payment alone, the lines of
 * buildPaymentJournalLines without its debit line (so a reversal can mirror one payment).
 */
export function buildBankCreditLines(payment: {
  amountMinor: number;
  customerId: string;
  label: string;
  allocations: ReadonlyArray<{ amountMinor: number; documentNumber: string }>;
}): Array<{ creditMinor: number; customerId: string; description: string }> {
  const lines = payment.allocations.map((allocation) => ({ creditMinor: allocation.amountMinor, customerId: payment.customerId, description: `${payment.label}: faktura ${allocation.documentNumber}` }));
  const rest = payment.amountMinor - payment.allocations.reduce((total, allocation) => total + allocation.amountMinor, 0);
  if (rest < 0) throw new RangeError('allocations exceed the payment');
  if (rest > 0) lines.push({ creditMinor: rest, customerId: payment.customerId, description: `${payment.label}: kundens tilgode` });
  return lines;
}

/** The mirror of a posted entry: every debit becomes a credit and the other way round. */
export function mirrorJournalLines<T extends { debitMinor: number; creditMinor: number }>(lines: readonly T[]): T[] {
  return lines.map((line) => ({ ...line, debitMinor: line.creditMinor, creditMinor: line.debitMinor }));
}
