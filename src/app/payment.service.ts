import type { Db } from '../db/database.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findCustomer } from '../db/repositories/customer.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { findInvoice, updateInvoice } from '../db/repositories/invoice.repository.js';
import { insertJournalEntry, listJournalLines } from '../db/repositories/journal.repository.js';
import { takeNextNumber, takeNextNumbers } from '../db/repositories/number-series.repository.js';
import {
  findPayment,
  insertAllocations,
  insertPayment,
  insertRefund,
  listAllocations,
  listRefunds,
  listPayments,
  markPaymentReversed,
} from '../db/repositories/payment.repository.js';
import type { Insertable } from 'kysely';
import { cachedQuery, insertRows } from '../db/compiled-queries.js';
import type { Database, InvoiceRow, JournalEntriesTable, JournalLinesTable, PaymentAllocationsTable, PaymentRow, PaymentsTable } from '../db/schema.js';
import { calendarDateIn } from '../domain/calendar-date.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import { openAmountMinor } from '../domain/invoice/invoice-status.js';
import { formatMicros, parseDecimalToMicros } from '../domain/money.js';
import { buildPaymentJournalLines, mirrorJournalLines, type Payment, toNokAtRate } from '../domain/payment/payment.js';
import { statusFactsOf } from '../db/invoice-mappers.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { invoiceSettingsOf } from './invoice-settings.js';
import { decodeCursor, type Page, toPage } from './pagination.js';
import type { PaymentApplyInput, PaymentCreateInput, PaymentListQueryInput, PaymentRefundInput, PaymentReverseInput } from './payment.schemas.js';
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
  note: string | null;
  allocations: ReadonlyArray<{ invoiceId: string; documentNumber: string; amountMinor: number }>;
}

const addPaid = cachedQuery('invoices.addPaid', ['companyId', 'id', 'amount', 'now'], (db, p) =>
  db
    .updateTable('invoices')
    .set((eb) => ({ paid_minor: eb('paid_minor', '+', p.amount), updated_at: p.now }))
    .where('company_id', '=', p.companyId)
    .where('id', '=', p.id),
);

/** Multi-row inserts of a fixed size (one compiled statement per size, within the engines' parameter limits). */
async function insertInChunks<T extends keyof Database & string>(db: Executor, table: T, rows: ReadonlyArray<Insertable<Database[T]>>, size: number): Promise<void> {
  for (let start = 0; start < rows.length; start += size) await insertRows(db, table, rows.slice(start, start + size));
}

export interface PaymentServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

const NOK_RATE = 1_000_000;
/** "1234.56" (two decimals at most, checked by the schema) → 123456 øre. */
const toMinor = (amount: string) => parseDecimalToMicros(amount)! / 10_000;

/**
 * Payments received: registered by hand (or, later, from bank files), allocated to invoices,
 * booked to the journal, reversed but never deleted. One transaction per operation; on
 * PostgreSQL the invoices a payment touches are locked until it commits, so two payments
 * cannot both take the same open amount.
 */
export function createPaymentService(deps: PaymentServiceDeps) {
  const { db, clock, ids } = deps;
  const lockRows = db.dialect === 'postgres';

  function toPayment(
    row: PaymentRow,
    allocations: Awaited<ReturnType<typeof listAllocations>>,
    refunds: Awaited<ReturnType<typeof listRefunds>>,
  ): Payment {
    const mine = allocations.filter((allocation) => allocation.payment_id === row.id);
    const myRefunds = refunds.filter((refund) => refund.payment_id === row.id);
    const allocated = mine.reduce((total, allocation) => total + allocation.amount_minor, 0);
    const refunded = myRefunds.reduce((total, refund) => total + refund.amount_minor, 0);
    return {
      id: row.id,
      status: row.reversed_at ? 'reversed' : 'booked',
      customerId: row.customer_id,
      paymentDate: row.payment_date,
      currency: row.currency,
      amountMinor: row.amount_minor,
      amountNokMinor: row.amount_nok_minor,
      exchangeRate: row.currency === 'NOK' ? null : formatMicros(row.exchange_rate_micros),
      ledgerAccount: row.ledger_account,
      reference: row.reference,
      payerName: row.payer_name,
      payerAccount: row.payer_account,
      bankReference: row.bank_reference,
      note: row.note,
      source: row.source,
      isTest: Boolean(row.is_test),
      voucher: row.voucher,
      allocations: mine.map((allocation) => ({
        id: allocation.id,
        invoiceId: allocation.invoice_id,
        documentNumber: allocation.document_number,
        amountMinor: allocation.amount_minor,
        amountNokMinor: allocation.amount_nok_minor,
      })),
      refunds: myRefunds.map((refund) => ({
        id: refund.id,
        refundDate: refund.refund_date,
        amountMinor: refund.amount_minor,
        voucher: refund.voucher,
        note: refund.note,
        journalEntryId: refund.journal_entry_id,
      })),
      unallocatedMinor: row.reversed_at ? 0 : row.amount_minor - allocated - refunded,
      journalEntryId: row.journal_entry_id,
      reversedAt: row.reversed_at,
      reversalReason: row.reversal_reason,
      reversalJournalEntryId: row.reversal_journal_entry_id,
      createdAt: row.created_at,
    };
  }

  /**
   * The NOK an allocation clears on 1500. In NOK it is the amount. In another currency it is the
   * amount at the invoice's rate, except for the allocation that settles the invoice: that one
   * clears what is left of the invoice's NOK (invoice − credit notes − earlier payments), so the
   * receivable ends at exactly zero although each part was rounded on its own.
   */
  async function clearedNok(executor: Executor, invoice: InvoiceRow, amountMinor: number): Promise<number> {
    if (invoice.currency === 'NOK') return amountMinor;
    const atRate = toNokAtRate(amountMinor, invoice.exchange_rate_micros);
    if (amountMinor < openAmountMinor(statusFactsOf(invoice))) return atRate;
    const credited = await executor
      .selectFrom('invoices')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('gross_total_nok_minor'), eb.lit(0)).as('nok'))
      .where('company_id', '=', invoice.company_id)
      .where('credited_invoice_id', '=', invoice.id)
      .where('state', '=', 'issued')
      .executeTakeFirstOrThrow();
    const paid = await executor
      .selectFrom('payment_allocations')
      .innerJoin('payments', 'payments.id', 'payment_allocations.payment_id')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('payment_allocations.amount_nok_minor'), eb.lit(0)).as('nok'))
      .where('payment_allocations.invoice_id', '=', invoice.id)
      .where('payments.reversed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return invoice.gross_total_nok_minor - Number(credited.nok) - Number(paid.nok);
  }

  async function load(executor: Executor, row: PaymentRow): Promise<Payment> {
    return toPayment(row, await listAllocations(executor, [row.id]), await listRefunds(executor, [row.id]));
  }

  async function requirePayment(executor: Executor, ctx: CompanyContext, id: string, lock = false): Promise<PaymentRow> {
    const row = await findPayment(executor, ctx.companyId, id, lock && lockRows);
    if (!row) throw new AppError('payment.not_found', 'Payment not found');
    return row;
  }

  async function postEntry(
    trx: Executor,
    ctx: CompanyContext,
    entry: { sourceType: string; sourceId: string; voucher: string; entryDate: string; isTest: boolean; description: string },
    lines: ReadonlyArray<{ account: string; debitMinor: number; creditMinor: number; description: string; customerId: string | null }>,
  ): Promise<string> {
    const entryId = ids.newId();
    await insertJournalEntry(
      trx,
      {
        id: entryId,
        company_id: ctx.companyId,
        voucher: entry.voucher,
        entry_date: entry.entryDate,
        description: entry.description,
        source_type: entry.sourceType,
        source_id: entry.sourceId,
        is_test: entry.isTest ? 1 : 0,
        created_at: clock.now().toISOString(),
      },
      lines.map((line, index) => ({
        id: ids.newId(),
        entry_id: entryId,
        company_id: ctx.companyId,
        line_number: index + 1,
        entry_date: entry.entryDate,
        account: line.account,
        debit_minor: line.debitMinor,
        credit_minor: line.creditMinor,
        vat_code: null,
        customer_id: line.customerId,
        description: line.description,
      })),
    );
    return entryId;
  }

  /**
   * Books a payment and what it settles, inside the caller's transaction; returns its id.
   * Each allocation must fit the invoice's open amount (same currency, issued, not a credit
   * note); the rest is the customer's credit. Throws validation.failed listing every problem.
   */
  async function registerWithin(
    trx: Executor,
    ctx: CompanyContext,
    input: PaymentCreateInput,
    origin: { source: 'manual' | 'bank_import' } = { source: 'manual' },
  ): Promise<string> {
        const company = await findCompanyById(trx, ctx.companyId);
        if (!company) throw new AppError('company.not_found', 'Company not found');
        const today = calendarDateIn(clock.now(), company.time_zone);
        const issues: FieldIssue[] = [];
        if (input.paymentDate > today) issues.push({ path: 'paymentDate', code: 'payment.date_in_future', message: 'A payment cannot be received in the future' });
        const amountMinor = toMinor(input.amount);
        const amountNokMinor = input.amountNok !== undefined ? toMinor(input.amountNok) : amountMinor;

        // The invoices, locked on PostgreSQL, each once.
        const seen = new Set<string>();
        const invoices: Array<{ row: InvoiceRow; amountMinor: number }> = [];
        for (const [index, allocation] of input.allocations.entries()) {
          const path = `allocations.${index}`;
          if (seen.has(allocation.invoiceId)) {
            issues.push({ path: `${path}.invoiceId`, code: 'allocation.duplicate', message: 'The same invoice is named twice' });
            continue;
          }
          seen.add(allocation.invoiceId);
          const row = await findInvoice(trx, ctx.companyId, allocation.invoiceId, { lock: lockRows });
          if (!row) {
            issues.push({ path: `${path}.invoiceId`, code: 'invoice.not_found', message: 'No such invoice' });
            continue;
          }
          if (row.kind !== 'invoice' || row.state !== 'issued') {
            issues.push({ path: `${path}.invoiceId`, code: 'allocation.not_payable', message: 'Only an issued invoice can be paid' });
            continue;
          }
          if (row.currency !== input.currency) {
            issues.push({ path: `${path}.invoiceId`, code: 'allocation.currency_mismatch', message: `The invoice is in ${row.currency}, the payment in ${input.currency}` });
            continue;
          }
          const amount = toMinor(allocation.amount);
          const open = openAmountMinor(statusFactsOf(row));
          if (amount > open) {
            issues.push({ path: `${path}.amount`, code: 'allocation.exceeds_open', message: `More than is open on the invoice (${formatMicros(open * 10_000)})` });
            continue;
          }
          invoices.push({ row, amountMinor: amount });
        }
        const allocatedMinor = invoices.reduce((total, entry) => total + entry.amountMinor, 0);
        if (allocatedMinor > amountMinor) {
          issues.push({ path: 'allocations', code: 'allocation.exceeds_payment', message: 'The allocations add up to more than the payment' });
        }
        const customers = new Set(invoices.map((entry) => entry.row.customer_id));
        if (input.customerId) customers.add(input.customerId);
        if (customers.size > 1) {
          issues.push({ path: 'allocations', code: 'allocation.several_customers', message: 'A payment comes from one customer; these invoices belong to several' });
        }
        const testFlags = new Set(invoices.map((entry) => Boolean(entry.row.is_test)));
        if (testFlags.size > 1) issues.push({ path: 'allocations', code: 'allocation.test_and_live', message: 'Test and live invoices cannot share a payment' });
        const creditMinor = amountMinor - allocatedMinor;
        const customerId = [...customers][0] ?? null;
        // What is left for credit is only known once every allocation is valid.
        const allocationsValid = !issues.some((issue) => issue.path.startsWith('allocations'));
        if (allocationsValid && creditMinor > 0 && !customerId) {
          issues.push({ path: 'customerId', code: 'payment.customer_required', message: 'Name the customer: the part no invoice takes becomes their credit' });
        }
        if (allocationsValid && creditMinor > 0 && input.currency !== 'NOK') {
          issues.push({ path: 'allocations', code: 'payment.foreign_credit', message: 'A foreign-currency payment must be allocated in full' });
        }
        if (input.customerId && !(await findCustomer(trx, ctx.companyId, input.customerId))) {
          issues.push({ path: 'customerId', code: 'customer.not_found', message: 'No such customer' });
        }
        if (issues.length > 0) throw validationError(issues);

        const isTest = invoices.length > 0 ? Boolean(invoices[0]!.row.is_test) : Boolean(company.is_test_mode);
        const settings = invoiceSettingsOf(company);
        const series = isTest ? 'test_payment' : 'payment';
        const voucher = `${isTest ? 'TEST-' : ''}INN-${await takeNextNumber(trx, ctx.companyId, series)}`;
        const id = ids.newId();
        const now = clock.now().toISOString();
        const rateMicros = input.currency === 'NOK' ? NOK_RATE : Math.max(1, Math.round((amountNokMinor * NOK_RATE) / amountMinor));
        const allocationRows = [];
        for (const entry of invoices) {
          allocationRows.push({
            id: ids.newId(),
            company_id: ctx.companyId,
            payment_id: id,
            invoice_id: entry.row.id,
            amount_minor: entry.amountMinor,
            amount_nok_minor: await clearedNok(trx, entry.row, entry.amountMinor),
            created_at: now,
          });
        }
        const description = `Innbetaling ${voucher}${input.payerName ? ` ${input.payerName}` : ''}${input.bankReference ? ` (${input.bankReference})` : ''}`;
        const lines = buildPaymentJournalLines({
          ledgerAccount: input.ledgerAccount,
          receivableAccount: settings.accounts.receivable,
          amountNokMinor,
          allocations: allocationRows.map((row, index) => ({
            amountNokMinor: row.amount_nok_minor,
            customerId: invoices[index]!.row.customer_id,
            label: `Faktura ${invoices[index]!.row.document_number ?? ''}`.trim(),
          })),
          creditNokMinor: creditMinor,
          creditCustomerId: customerId,
          description,
        });
        const journalEntryId = await postEntry(trx, ctx, { sourceType: 'payment', sourceId: id, voucher, entryDate: input.paymentDate, isTest, description }, lines);
        await insertPayment(trx, {
          id,
          company_id: ctx.companyId,
          customer_id: customerId,
          payment_date: input.paymentDate,
          currency: input.currency,
          amount_minor: amountMinor,
          amount_nok_minor: amountNokMinor,
          exchange_rate_micros: rateMicros,
          ledger_account: input.ledgerAccount,
          reference: input.reference ?? null,
          payer_name: input.payerName ?? null,
          payer_account: input.payerAccount ?? null,
          bank_reference: input.bankReference ?? null,
          note: input.note ?? null,
          source: origin.source,
          is_test: isTest ? 1 : 0,
          voucher,
          journal_entry_id: journalEntryId,
          reversed_at: null,
          reversal_reason: null,
          reversal_journal_entry_id: null,
          created_at: now,
          updated_at: now,
        });
        await insertAllocations(trx, allocationRows);
        for (const entry of invoices) {
          await updateInvoice(trx, ctx.companyId, entry.row.id, { paid_minor: entry.row.paid_minor + entry.amountMinor, updated_at: now });
        }
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'payment.registered',
          entityType: 'payment',
          entityId: id,
          details: { voucher, amountMinor, currency: input.currency, invoices: invoices.map((entry) => entry.row.id) },
        });
        return id;
  }

  /**
   * Books many NOK payments whose allocations are known to fit (a bank import's matches, made
   * against open amounts read in this transaction): one voucher range, rows inserted in chunks,
   * one paid-amount update per invoice. Returns the payment ids in order.
   */
  async function bookBatch(
    trx: Executor,
    ctx: CompanyContext,
    specs: readonly BatchPaymentSpec[],
    options: { isTest: boolean; receivableAccount: string; ledgerAccount: string },
  ): Promise<string[]> {
    if (specs.length === 0) return [];
    const series = options.isTest ? 'test_payment' : 'payment';
    const first = await takeNextNumbers(trx, ctx.companyId, series, specs.length);
    const now = clock.now().toISOString();
    const payments: Insertable<PaymentsTable>[] = [];
    const allocations: Insertable<PaymentAllocationsTable>[] = [];
    const entries: Insertable<JournalEntriesTable>[] = [];
    const lines: Insertable<JournalLinesTable>[] = [];
    const paid = new Map<string, number>();
    const ids_: string[] = [];
    specs.forEach((spec, index) => {
      const id = ids.newId();
      ids_.push(id);
      const voucher = `${options.isTest ? 'TEST-' : ''}INN-${first + index}`;
      const entryId = ids.newId();
      const description = `Innbetaling ${voucher}${spec.payerName ? ` ${spec.payerName}` : ''}${spec.bankReference ? ` (${spec.bankReference})` : ''}`;
      const allocated = spec.allocations.reduce((total, allocation) => total + allocation.amountMinor, 0);
      const journal = buildPaymentJournalLines({
        ledgerAccount: options.ledgerAccount,
        receivableAccount: options.receivableAccount,
        amountNokMinor: spec.amountMinor,
        allocations: spec.allocations.map((allocation) => ({ amountNokMinor: allocation.amountMinor, customerId: spec.customerId, label: `Faktura ${allocation.documentNumber}` })),
        creditNokMinor: spec.amountMinor - allocated,
        creditCustomerId: spec.customerId,
        description,
      });
      entries.push({ id: entryId, company_id: ctx.companyId, voucher, entry_date: spec.paymentDate, description, source_type: 'payment', source_id: id, is_test: options.isTest ? 1 : 0, created_at: now });
      journal.forEach((line, lineIndex) =>
        lines.push({
          id: ids.newId(),
          entry_id: entryId,
          company_id: ctx.companyId,
          line_number: lineIndex + 1,
          entry_date: spec.paymentDate,
          account: line.account,
          debit_minor: line.debitMinor,
          credit_minor: line.creditMinor,
          vat_code: null,
          customer_id: line.customerId,
          description: line.description,
        }),
      );
      payments.push({
        id,
        company_id: ctx.companyId,
        customer_id: spec.customerId,
        payment_date: spec.paymentDate,
        currency: 'NOK',
        amount_minor: spec.amountMinor,
        amount_nok_minor: spec.amountMinor,
        exchange_rate_micros: NOK_RATE,
        ledger_account: options.ledgerAccount,
        reference: spec.reference,
        payer_name: spec.payerName,
        payer_account: spec.payerAccount,
        bank_reference: spec.bankReference,
        note: spec.note,
        source: 'bank_import',
        is_test: options.isTest ? 1 : 0,
        voucher,
        journal_entry_id: entryId,
        reversed_at: null,
        reversal_reason: null,
        reversal_journal_entry_id: null,
        created_at: now,
        updated_at: now,
      });
      for (const allocation of spec.allocations) {
        allocations.push({ id: ids.newId(), company_id: ctx.companyId, payment_id: id, invoice_id: allocation.invoiceId, amount_minor: allocation.amountMinor, amount_nok_minor: allocation.amountMinor, created_at: now });
        paid.set(allocation.invoiceId, (paid.get(allocation.invoiceId) ?? 0) + allocation.amountMinor);
      }
    });
    await insertInChunks(trx, 'journal_entries', entries, 1000);
    await insertInChunks(trx, 'journal_lines', lines, 1000);
    await insertInChunks(trx, 'payments', payments, 500);
    await insertInChunks(trx, 'payment_allocations', allocations, 1000);
    for (const [invoiceId, amount] of paid) await addPaid(trx, { companyId: ctx.companyId, id: invoiceId, amount, now });
    return ids_;
  }

  /**
   * Reverses a payment inside the caller's transaction: the mirror journal entry on the day of
   * the reversal, and what it had paid on each invoice is open again. The payment and its
   * allocations stay, marked. Refuses (before writing anything) a payment reversed already or
   * one with refunds.
   */
  async function reverseWithin(trx: Executor, ctx: CompanyContext, id: string, reason: string): Promise<void> {
    const row = await requirePayment(trx, ctx, id, true);
    if (row.reversed_at) throw new AppError('payment.already_reversed', 'The payment is reversed already');
    if ((await listRefunds(trx, [row.id])).length > 0) {
      throw new AppError('payment.has_refunds', 'Part of this payment was paid back to the customer; it cannot be reversed');
    }
    const company = await findCompanyById(trx, ctx.companyId);
    if (!company) throw new AppError('company.not_found', 'Company not found');
    const allocations = await listAllocations(trx, [row.id]);
    const now = clock.now().toISOString();
    for (const allocation of allocations) {
      const invoice = (await findInvoice(trx, ctx.companyId, allocation.invoice_id, { lock: lockRows }))!;
      await updateInvoice(trx, ctx.companyId, invoice.id, { paid_minor: invoice.paid_minor - allocation.amount_minor, updated_at: now });
    }
    const original = await listJournalLines(trx, [row.journal_entry_id]);
    const entryDate = calendarDateIn(clock.now(), company.time_zone);
    const description = `Tilbakeføring ${row.voucher}: ${reason}`;
    const reversalEntryId = await postEntry(
      trx,
      ctx,
      { sourceType: 'payment_reversal', sourceId: row.id, voucher: `${row.voucher}-R`, entryDate, isTest: Boolean(row.is_test), description },
      mirrorJournalLines(
        original.map((line) => ({
          account: line.account,
          debitMinor: line.debit_minor,
          creditMinor: line.credit_minor,
          description: `Tilbakeføring: ${line.description}`,
          customerId: line.customer_id,
        })),
      ),
    );
    await markPaymentReversed(trx, ctx.companyId, row.id, {
      reversed_at: now,
      reversal_reason: reason,
      reversal_journal_entry_id: reversalEntryId,
      updated_at: now,
    });
    await recordCompanyAudit(trx, deps, ctx, { action: 'payment.reversed', entityType: 'payment', entityId: row.id, details: { voucher: row.voucher, reason } });
  }

  return {
    registerWithin,
    bookBatch,
    reverseWithin,

    /**
     * Books a payment and what it settles. Each allocation must fit the invoice's open amount
     * (same currency, issued, not a credit note); the rest of the payment is the customer's
     * credit. A foreign-currency payment is booked at the NOK that reached the account: each
     * allocation clears the invoice's receivable at the invoice's rate, the difference is agio
     * (8060) or disagio (8160).
     */
    async registerPayment(ctx: CompanyContext, input: PaymentCreateInput): Promise<Payment> {
      return db.kysely.transaction().execute(async (trx) => {
        const id = await registerWithin(trx, ctx, input);
        return load(trx, (await findPayment(trx, ctx.companyId, id))!);
      });
    },

    /**
     * Applies a payment's unallocated credit to another open invoice of the same customer. Both
     * sit on 1500 for that customer, so no entry is posted: the allocation moves the credit onto
     * the invoice.
     */
    async applyCredit(ctx: CompanyContext, id: string, input: PaymentApplyInput): Promise<Payment> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await requirePayment(trx, ctx, id, true);
        if (row.reversed_at) throw new AppError('payment.already_reversed', 'The payment is reversed');
        const current = await load(trx, row);
        const amountMinor = toMinor(input.amount);
        const issues: FieldIssue[] = [];
        const invoice = await findInvoice(trx, ctx.companyId, input.invoiceId, { lock: lockRows });
        if (!invoice) issues.push({ path: 'invoiceId', code: 'invoice.not_found', message: 'No such invoice' });
        else if (invoice.kind !== 'invoice' || invoice.state !== 'issued') issues.push({ path: 'invoiceId', code: 'allocation.not_payable', message: 'Only an issued invoice can be paid' });
        else if (invoice.customer_id !== row.customer_id) issues.push({ path: 'invoiceId', code: 'allocation.several_customers', message: "The invoice is another customer's" });
        else if (invoice.currency !== row.currency) issues.push({ path: 'invoiceId', code: 'allocation.currency_mismatch', message: `The invoice is in ${invoice.currency}, the credit in ${row.currency}` });
        else if (Boolean(invoice.is_test) !== Boolean(row.is_test)) issues.push({ path: 'invoiceId', code: 'allocation.test_and_live', message: 'Test and live documents cannot share a payment' });
        else if (amountMinor > openAmountMinor(statusFactsOf(invoice))) issues.push({ path: 'amount', code: 'allocation.exceeds_open', message: 'More than is open on the invoice' });
        if (amountMinor > current.unallocatedMinor) issues.push({ path: 'amount', code: 'payment.exceeds_credit', message: `More than the credit left (${formatMicros(current.unallocatedMinor * 10_000)})` });
        if (issues.length > 0) throw validationError(issues);
        const now = clock.now().toISOString();
        await insertAllocations(trx, [{ id: ids.newId(), company_id: ctx.companyId, payment_id: row.id, invoice_id: invoice!.id, amount_minor: amountMinor, amount_nok_minor: amountMinor, created_at: now }]);
        await updateInvoice(trx, ctx.companyId, invoice!.id, { paid_minor: invoice!.paid_minor + amountMinor, updated_at: now });
        await recordCompanyAudit(trx, deps, ctx, { action: 'payment.credit_applied', entityType: 'payment', entityId: row.id, details: { invoiceId: invoice!.id, amountMinor } });
        return load(trx, (await findPayment(trx, ctx.companyId, row.id))!);
      });
    },

    /** Pays a payment's unallocated credit back to the customer: debit 1500 (the customer), credit the bank account. */
    async refundCredit(ctx: CompanyContext, id: string, input: PaymentRefundInput): Promise<Payment> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await requirePayment(trx, ctx, id, true);
        if (row.reversed_at) throw new AppError('payment.already_reversed', 'The payment is reversed');
        const company = await findCompanyById(trx, ctx.companyId);
        if (!company) throw new AppError('company.not_found', 'Company not found');
        const current = await load(trx, row);
        const amountMinor = toMinor(input.amount);
        const issues: FieldIssue[] = [];
        if (input.refundDate > calendarDateIn(clock.now(), company.time_zone)) issues.push({ path: 'refundDate', code: 'payment.date_in_future', message: 'A refund cannot be dated in the future' });
        if (amountMinor > current.unallocatedMinor) issues.push({ path: 'amount', code: 'payment.exceeds_credit', message: `More than the credit left (${formatMicros(current.unallocatedMinor * 10_000)})` });
        if (issues.length > 0) throw validationError(issues);
        const settings = invoiceSettingsOf(company);
        const refundId = ids.newId();
        const voucher = `${row.is_test ? 'TEST-' : ''}UTB-${await takeNextNumber(trx, ctx.companyId, row.is_test ? 'test_refund' : 'refund')}`;
        const description = `Tilbakebetaling ${voucher} av kreditt fra ${row.voucher}${input.note ? `: ${input.note}` : ''}`;
        const journalEntryId = await postEntry(
          trx,
          ctx,
          { sourceType: 'payment_refund', sourceId: refundId, voucher, entryDate: input.refundDate, isTest: Boolean(row.is_test), description },
          [
            { account: settings.accounts.receivable, debitMinor: amountMinor, creditMinor: 0, description, customerId: row.customer_id },
            { account: row.ledger_account, debitMinor: 0, creditMinor: amountMinor, description, customerId: null },
          ],
        );
        await insertRefund(trx, {
          id: refundId,
          company_id: ctx.companyId,
          payment_id: row.id,
          refund_date: input.refundDate,
          amount_minor: amountMinor,
          note: input.note ?? null,
          voucher,
          journal_entry_id: journalEntryId,
          created_at: clock.now().toISOString(),
        });
        await recordCompanyAudit(trx, deps, ctx, { action: 'payment.credit_refunded', entityType: 'payment', entityId: row.id, details: { voucher, amountMinor } });
        return load(trx, (await findPayment(trx, ctx.companyId, row.id))!);
      });
    },

    async getPayment(ctx: CompanyContext, id: string): Promise<Payment> {
      return load(db.kysely, await requirePayment(db.kysely, ctx, id));
    },

    async listPayments(ctx: CompanyContext, query: PaymentListQueryInput): Promise<Page<Payment>> {
      const after = query.cursor ? decodeCursor('payment_date', query.cursor) : undefined;
      const rows = await listPayments(db.kysely, {
        companyId: ctx.companyId,
        customerId: query.customerId,
        invoiceId: query.invoiceId,
        after: after ? [String(after[0]), after[1]] : undefined,
        limit: query.limit,
      });
      const allocations = await listAllocations(db.kysely, rows.map((row) => row.id));
      const refunds = await listRefunds(db.kysely, rows.map((row) => row.id));
      return toPage(rows, query.limit, 'payment_date', (row) => [row.payment_date, row.id], (row) => toPayment(row, allocations, refunds));
    },

    /**
     * Reverses a payment: the mirror journal entry on the day of the reversal, and what it had
     * paid on each invoice is open again. The payment and its allocations stay, marked.
     */
    async reversePayment(ctx: CompanyContext, id: string, input: PaymentReverseInput): Promise<Payment> {
      return db.kysely.transaction().execute(async (trx) => {
        await reverseWithin(trx, ctx, id, input.reason);
        return load(trx, await requirePayment(trx, ctx, id));
      });
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
