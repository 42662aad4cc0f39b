import { insertBulk, insertRows } from '../db/compiled-queries.js';
import type { Db } from '../db/database.js';
import { type BankTransactionInsert, openBankRowWriter } from '../db/repositories/bank-booking.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { takeNextNumber } from '../db/repositories/number-series.repository.js';
import type { CompanyContext } from './context.js';
import type { Clock, IdGenerator } from './ports.js';

/** A payment of a bank import whose allocations were matched against open amounts in the same transaction. */
export interface BatchPaymentSpec {
  paymentDate: string;
  amountMinor: number;
  customerId: string;
  reference: string | null;
  payerName: string | null;
  payerAccount: string | null;
  bankReference: string | null;
  allocations: ReadonlyArray<{ invoiceId: string; documentNumber: string; amountMinor: number }>;
}

/** A transaction of the file as it is kept (bank_transactions), without what the import adds (company, import, times, payment). */
export type BankTransactionFields = BankTransactionInsert;

/**
 * Writes a bank file's transactions and books its confident matches, batch by batch as the
 * file is read, inside the import's transaction. The allocations are known to fit (matched
 * against open amounts read in this transaction). Bookkeeping as the bank account shows it:
 * one voucher per booking date of the import, with one debit of the bank account for all its
 * payments (written at `finish`, as line 1) and, per payment, a credit of receivables for
 * each invoice it clears and for the customer's credit, each line naming the payment's bank
 * reference (as buildBankCreditLines, which a reversal mirrors). The rows go through
 * src/db/repositories/bank-booking.repository.ts.
 */
export async function openBankBooking(
  deps: { db: Db; clock: Clock; ids: IdGenerator },
  trx: Executor,
  ctx: CompanyContext,
  options: { isTest: boolean; receivableAccount: string; ledgerAccount: string; importId: string; importLabel: string },
) {
  const { ids } = deps;
  const now = deps.clock.now().toISOString();
  const series = options.isTest ? 'test_payment' : 'payment';
  const rows = openBankRowWriter(deps.db, trx, {
    companyId: ctx.companyId,
    importId: options.importId,
    now,
    isTest: options.isTest ? 1 : 0,
    ledgerAccount: options.ledgerAccount,
    receivableAccount: options.receivableAccount,
    note: `Bankfil ${options.importLabel}`,
  });
  const vouchers = new Map<string, { entryId: string; voucher: string; nextLine: number; totalMinor: number }>();

  async function newVoucher(date: string) {
    const number = await takeNextNumber(trx, ctx.companyId, series);
    const group = { entryId: ids.newId(), voucher: `${options.isTest ? 'TEST-' : ''}INN-${number}`, nextLine: 2, totalMinor: 0 };
    vouchers.set(date, group);
    await insertRows(trx, 'journal_entries', [
      {
        id: group.entryId,
        company_id: ctx.companyId,
        voucher: group.voucher,
        entry_date: date,
        description: `Innbetalinger ${options.importLabel}`,
        source_type: 'bank_import',
        source_id: `${options.importId}/${date}`,
        is_test: options.isTest ? 1 : 0,
        created_at: now,
      },
    ]);
  }

  return {
    /**
     * Writes the transactions of one batch; those with a spec are booked as payments. Returns
     * the payment ids (null where not booked), in order.
     */
    async write(entries: ReadonlyArray<{ transaction: BankTransactionFields; spec: BatchPaymentSpec | null }>): Promise<Array<string | null>> {
      for (const { spec } of entries) if (spec && !vouchers.has(spec.paymentDate)) await newVoucher(spec.paymentDate);
      const paymentIds: Array<string | null> = [];
      for (const { transaction: t, spec } of entries) {
        let paymentId: string | null = null;
        if (spec) {
          const group = vouchers.get(spec.paymentDate)!;
          paymentId = ids.newId();
          group.totalMinor += spec.amountMinor;
          rows.payment({
            id: paymentId,
            customerId: spec.customerId,
            paymentDate: spec.paymentDate,
            currency: t.currency,
            amountMinor: spec.amountMinor,
            reference: spec.reference,
            payerName: spec.payerName,
            payerAccount: spec.payerAccount,
            bankReference: spec.bankReference,
            voucher: group.voucher,
            journalEntryId: group.entryId,
          });
          // The description as buildBankCreditLines writes it: "<bank reference or voucher>[ <payer>]: faktura <n>" / ": kundens tilgode".
          const prefix = `${spec.bankReference ?? group.voucher}${spec.payerName === null ? '' : ` ${spec.payerName}`}: `;
          let rest = spec.amountMinor;
          for (const allocation of spec.allocations) {
            rest -= allocation.amountMinor;
            rows.allocation(ids.newId(), paymentId, allocation.invoiceId, allocation.amountMinor);
            rows.creditLine(ids.newId(), group.entryId, group.nextLine++, spec.paymentDate, allocation.amountMinor, spec.customerId, `${prefix}faktura ${allocation.documentNumber}`);
          }
          if (rest < 0) throw new RangeError('allocations exceed the payment');
          if (rest > 0) rows.creditLine(ids.newId(), group.entryId, group.nextLine++, spec.paymentDate, rest, spec.customerId, `${prefix}kundens tilgode`);
        }
        paymentIds.push(paymentId);
        rows.transaction(t, paymentId);
      }
      await rows.flush();
      return paymentIds;
    },

    /** The debit of the bank account per voucher, for all its payments (line 1). */
    async finish(): Promise<Array<{ voucher: string; entryDate: string; totalMinor: number }>> {
      const description = `Innbetalinger ${options.importLabel}`;
      await insertBulk(
        trx,
        deps.db.dialect,
        'journal_lines',
        { company_id: ctx.companyId, line_number: 1, account: options.ledgerAccount, credit_minor: 0, description },
        ['id', 'entry_id', 'entry_date', 'debit_minor'],
        [...vouchers].map(([date, group]) => [ids.newId(), group.entryId, date, group.totalMinor]),
      );
      return [...vouchers].map(([date, group]) => ({ voucher: group.voucher, entryDate: date, totalMinor: group.totalMinor }));
    },
  };
}
