import { findKnownBankReferences } from '../db/repositories/bank-booking.repository.js';
import { insertRows } from '../db/compiled-queries.js';
import type { Executor } from '../db/repositories/executor.js';
import { findPayment, listRefunds } from '../db/repositories/payment.repository.js';
import type { BankTransactionRow } from '../db/schema.js';
import type { BankTransaction } from '../domain/bank/bank-file.js';
import { createReversalMatcher, type PaymentForReversal, REVERSAL_CONFIDENCE } from '../domain/bank/reversal-matching.js';
import { AppError, isAppError } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { PaymentService } from './payment.service.js';
import type { Clock, IdGenerator } from './ports.js';

/**
 * Bank reversals of incoming payments: the bank takes back money it credited (camt: a DBIT entry
 * with RvslInd=true, a reversed credit; OCR giro: transaction types 18 and 20). A bank import
 * stores each as a bank transaction of kind 'reversal' and matches it to the booked payment it
 * takes back (src/domain/bank/reversal-matching.ts). A confident match reverses the payment in
 * the import's transaction (the mirror entry, the invoices open again); the rest waits for review,
 * where a person reverses the chosen payment or dismisses the row. Kept apart from importFile,
 * which calls importReversals once, after the payments of the file are booked.
 */

export interface BankReversalDeps {
  clock: Clock;
  ids: IdGenerator;
  payments: Pick<PaymentService, 'reverseWithin'>;
}

/** Per currency, positive minor units: what the reversals took back, and what became of it. */
export interface ReversalSums {
  currency: string;
  reversalMinor: number;
  reversedMinor: number;
  reviewMinor: number;
  duplicateMinor: number;
}

/** The reversal part of a bank import's summary. */
export interface ReversalSummary {
  /** Reversals of incoming payments in the file (stored as transactions of kind 'reversal'). */
  reversalCount: number;
  /** Of those, the payments reversed automatically. */
  reversedCount: number;
  reversalReviewCount: number;
  reversalDuplicateCount: number;
  /** reversalMinor = reversedMinor + reviewMinor + duplicateMinor, per currency. */
  reversalSums: ReversalSums[];
}

export const emptyReversalSummary = (): ReversalSummary => ({
  reversalCount: 0,
  reversedCount: 0,
  reversalReviewCount: 0,
  reversalDuplicateCount: 0,
  reversalSums: [],
});

/**
 * Adds the reversals to an import summary. They were counted as ignored (not payments); now they
 * are handled, so they leave ignoredCount. The payments' sums and `reconciles` are untouched.
 */
export function addReversalsToSummary<T extends ReversalSummary & { ignoredCount: number }>(summary: T, reversals: ReversalSummary): void {
  summary.reversalCount = reversals.reversalCount;
  summary.reversedCount = reversals.reversedCount;
  summary.reversalReviewCount = reversals.reversalReviewCount;
  summary.reversalDuplicateCount = reversals.reversalDuplicateCount;
  summary.reversalSums = reversals.reversalSums;
  summary.ignoredCount -= reversals.reversalCount;
}

/**
 * A reversal of an incoming payment: camt RvslInd on a debit entry (a reversed credit; a reversed
 * debit, RvslInd on a credit entry, concerns outgoing money and stays ignored); OCR types 18/20.
 */
export function isIncomingPaymentReversal(transaction: BankTransaction): boolean {
  if (!transaction.isReversal) return false;
  return transaction.ocr !== null || transaction.direction === 'debit';
}

const CHUNK = 300;

function chunks<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += CHUNK) result.push(values.slice(start, start + CHUNK));
  return result;
}

/** Booked, not reversed payments a reversal may take back: same currency and amount, or the same bank reference or KID. */
async function candidatePayments(
  executor: Executor,
  companyId: string,
  isTest: boolean,
  reversals: readonly BankTransaction[],
): Promise<Array<PaymentForReversal & { hasRefunds: boolean }>> {
  const found = new Map<string, PaymentForReversal>();
  for (const chunk of chunks(reversals)) {
    const amounts = [...new Set(chunk.map((transaction) => Math.abs(transaction.amountMinor ?? 0)).filter((amount) => amount > 0))];
    const currencies = [...new Set(chunk.map((transaction) => transaction.currency))];
    const references = [...new Set(chunk.flatMap((transaction) => [transaction.bankReference, transaction.endToEndId].filter((value): value is string => Boolean(value))))];
    const kids = [...new Set(chunk.flatMap((transaction) => (transaction.kid ? [transaction.kid] : [])))];
    if (amounts.length === 0 && references.length === 0 && kids.length === 0) continue;
    const rows = await executor
      .selectFrom('payments')
      .select(['id', 'amount_minor', 'currency', 'reference', 'bank_reference', 'payer_account', 'payment_date', 'customer_id'])
      .where('company_id', '=', companyId)
      .where('reversed_at', 'is', null)
      .where('is_test', '=', isTest ? 1 : 0)
      .where('currency', 'in', currencies)
      .where((eb) =>
        eb.or([
          ...(amounts.length > 0 ? [eb('amount_minor', 'in', amounts)] : []),
          ...(references.length > 0 ? [eb('bank_reference', 'in', references)] : []),
          ...(kids.length > 0 ? [eb('reference', 'in', kids)] : []),
        ]),
      )
      .execute();
    for (const row of rows) {
      found.set(row.id, {
        id: row.id,
        amountMinor: Number(row.amount_minor),
        currency: row.currency,
        reference: row.reference,
        bankReference: row.bank_reference,
        payerAccount: row.payer_account,
        paymentDate: row.payment_date,
        customerId: row.customer_id,
      });
    }
  }
  const withRefunds = new Set<string>();
  for (const chunk of chunks([...found.keys()])) for (const refund of await listRefunds(executor, chunk)) withRefunds.add(refund.payment_id);
  return [...found.values()].map((payment) => ({ ...payment, hasRefunds: withRefunds.has(payment.id) }));
}

/** The reason a payment reversed for the bank carries (in its mirror entry and on the payment). */
export function bankReversalReason(bankReference: string | null, location: string, manual = false): string {
  return `Tilbakeført av banken (${bankReference ?? location})${manual ? ', avstemt manuelt' : ''}`;
}

/**
 * Stores the file's reversals of incoming payments as bank transactions of kind 'reversal' (at
 * positions from startPosition on), reverses the payments of the confident matches inside the
 * caller's transaction, and returns the summary part. One reversed earlier (same bank reference)
 * is a duplicate and reverses nothing.
 */
export async function importReversals(
  trx: Executor,
  deps: BankReversalDeps,
  ctx: CompanyContext,
  input: { importId: string; transactions: readonly BankTransaction[]; startPosition: number; isTest: boolean },
): Promise<ReversalSummary> {
  const summary = emptyReversalSummary();
  const reversals = input.transactions.filter(isIncomingPaymentReversal);
  if (reversals.length === 0) return summary;
  summary.reversalCount = reversals.length;

  const known = await findKnownBankReferences(trx, ctx.companyId, 'reversal', reversals.flatMap((transaction) => (transaction.bankReference ? [transaction.bankReference] : [])));
  const candidates = await candidatePayments(trx, ctx.companyId, input.isTest, reversals);
  const hasRefunds = new Set(candidates.filter((payment) => payment.hasRefunds).map((payment) => payment.id));
  const matcher = createReversalMatcher(candidates);
  const sums = new Map<string, ReversalSums>();
  const sumOf = (currency: string) => {
    let entry = sums.get(currency);
    if (!entry) sums.set(currency, (entry = { currency, reversalMinor: 0, reversedMinor: 0, reviewMinor: 0, duplicateMinor: 0 }));
    return entry;
  };
  const now = deps.clock.now().toISOString();
  const today = now.slice(0, 10);
  const rows: BankTransactionRow[] = [];

  for (const [index, transaction] of reversals.entries()) {
    // Stored as in the file (negative: money out); matched by the amount taken back.
    const amountMinor = transaction.amountMinor ?? 0;
    const takenBack = Math.abs(amountMinor);
    const texts = [...transaction.freeText, ...transaction.creditorReferences.map((reference) => reference.ref)];
    const row: BankTransactionRow = {
      id: deps.ids.newId(),
      company_id: ctx.companyId,
      import_id: input.importId,
      position: input.startPosition + index,
      kind: 'reversal',
      bank_reference: transaction.bankReference,
      booking_date: transaction.bookingDate,
      value_date: transaction.valueDate,
      currency: transaction.currency,
      amount_minor: amountMinor,
      kid: transaction.kid,
      texts_json: JSON.stringify(texts),
      payer_name: transaction.payerName,
      payer_account: transaction.payerAccount,
      location: transaction.location,
      status: 'review',
      match_reason: null,
      confidence: 0,
      suggestions_json: '[]',
      explanation: null,
      payment_id: null,
      created_at: now,
      resolved_at: null,
    };
    const sum = sumOf(transaction.currency);
    sum.reversalMinor += takenBack;
    rows.push(row);

    if (transaction.bankReference && known.has(transaction.bankReference)) {
      row.status = 'duplicate';
      row.explanation = 'Imported before (same bank reference)';
      summary.reversalDuplicateCount++;
      sum.duplicateMinor += takenBack;
      continue;
    }
    if (transaction.bankReference) known.add(transaction.bankReference);

    const date = transaction.valueDate ?? transaction.bookingDate;
    const result = matcher.match({
      amountMinor: takenBack,
      currency: transaction.currency,
      kid: transaction.kid,
      kidValid: transaction.kidValid,
      bankReference: transaction.bankReference,
      endToEndId: transaction.endToEndId,
      texts,
      payerAccount: transaction.payerAccount,
      // A payment booked from a future-dated file is dated today: compare with today at the latest.
      date: date === null ? null : date > today ? today : date,
    });
    row.match_reason = result.reason;
    row.confidence = result.confidence;
    row.explanation = result.explanation;

    if (result.outcome === 'matched' && result.confidence >= REVERSAL_CONFIDENCE) {
      let refusal: string | null = hasRefunds.has(result.paymentId) ? 'Part of the payment was paid back to the customer; it cannot be reversed' : null;
      if (refusal === null) {
        try {
          await deps.payments.reverseWithin(trx, ctx, result.paymentId, bankReversalReason(transaction.bankReference, transaction.location));
        } catch (error) {
          // Refused before anything was written (reversed meanwhile, refunds): a person decides.
          if (!isAppError(error) || !['payment.already_reversed', 'payment.has_refunds'].includes(error.code)) throw error;
          refusal = error.message;
        }
      }
      if (refusal === null) {
        row.status = 'booked';
        row.payment_id = result.paymentId;
        row.resolved_at = now;
        summary.reversedCount++;
        sum.reversedMinor += takenBack;
        continue;
      }
      row.explanation = `${result.explanation}. ${refusal}`;
      row.suggestions_json = JSON.stringify([result.paymentId]);
    } else {
      row.suggestions_json = JSON.stringify(result.outcome === 'review' ? result.suggestions : [result.paymentId]);
    }
    summary.reversalReviewCount++;
    sum.reviewMinor += takenBack;
  }

  for (const chunk of chunks(rows)) await insertRows(trx, 'bank_transactions', chunk);
  summary.reversalSums = [...sums.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  return summary;
}

async function waitingRow(trx: Executor, ctx: CompanyContext, id: string) {
  const row = await trx.selectFrom('bank_transactions').selectAll().where('company_id', '=', ctx.companyId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('bank_transaction.not_found', 'Bank transaction not found');
  return row;
}

/**
 * Review by hand: reverses the payment a person chose for a waiting reversal row. The payment
 * must be the company's, in the row's currency and of the amount the bank took back.
 */
export async function reverseForTransaction(trx: Executor, deps: BankReversalDeps, ctx: CompanyContext, id: string, paymentId: string): Promise<void> {
  const row = await waitingRow(trx, ctx, id);
  if (row.kind !== 'reversal') throw new AppError('bank_transaction.not_reversal', 'Only a reversal from the bank can reverse a payment; book this transaction with match instead');
  if (row.status !== 'review') throw new AppError('bank_transaction.not_waiting', 'Only a transaction waiting for review can be resolved');
  const payment = await findPayment(trx, ctx.companyId, paymentId);
  if (!payment) throw new AppError('payment.not_found', 'Payment not found');
  const takenBack = Math.abs(row.amount_minor);
  if (payment.currency !== row.currency || Number(payment.amount_minor) !== takenBack) {
    throw new AppError('bank_transaction.amount_mismatch', `The bank took back ${takenBack} minor units in ${row.currency}; the payment is ${payment.amount_minor} in ${payment.currency}. A reversal takes back a whole payment of the same amount`, {
      details: { transactionAmountMinor: takenBack, transactionCurrency: row.currency, paymentAmountMinor: Number(payment.amount_minor), paymentCurrency: payment.currency },
    });
  }
  await deps.payments.reverseWithin(trx, ctx, payment.id, bankReversalReason(row.bank_reference, row.location, true));
  await trx
    .updateTable('bank_transactions')
    .set({ status: 'booked', payment_id: payment.id, match_reason: 'manual', confidence: 100, resolved_at: deps.clock.now().toISOString() })
    .where('company_id', '=', ctx.companyId)
    .where('id', '=', id)
    .execute();
  await recordCompanyAudit(trx, deps, ctx, { action: 'bank_transaction.reversed', entityType: 'bank_transaction', entityId: id, details: { paymentId: payment.id } });
}

/** Review by hand: a waiting transaction (either kind) is set aside with a reason; nothing is booked. */
export async function dismissTransaction(trx: Executor, deps: Pick<BankReversalDeps, 'clock' | 'ids'>, ctx: CompanyContext, id: string, reason: string): Promise<void> {
  const row = await waitingRow(trx, ctx, id);
  if (row.status !== 'review') throw new AppError('bank_transaction.not_waiting', 'Only a transaction waiting for review can be dismissed');
  await trx
    .updateTable('bank_transactions')
    .set({ status: 'dismissed', resolution_note: reason, resolved_at: deps.clock.now().toISOString() })
    .where('company_id', '=', ctx.companyId)
    .where('id', '=', id)
    .execute();
  await recordCompanyAudit(trx, deps, ctx, { action: 'bank_transaction.dismissed', entityType: 'bank_transaction', entityId: id, details: { reason, kind: row.kind } });
}
