import type { Db } from '../db/database.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findCustomer } from '../db/repositories/customer.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { findInvoice, updateInvoice } from '../db/repositories/invoice.repository.js';
import { insertJournalEntry, listJournalLines } from '../db/repositories/journal.repository.js';
import { takeNextNumber } from '../db/repositories/number-series.repository.js';
import {
  findPayment,
  insertAllocations,
  insertPayment,
  insertRefund,
  listAllocations,
  listLiveAllocationsOfInvoice,
  listRefunds,
  listReleases,
  listPayments,
  markPaymentReversed,
} from '../db/repositories/payment.repository.js';
import type { InvoiceRow, PaymentRow } from '../db/schema.js';
import { calendarDateIn } from '../domain/calendar-date.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import { openAmountMinor } from '../domain/invoice/invoice-status.js';
import { formatMicros, parseDecimalToMicros } from '../domain/money.js';
import { buildBankCreditLines, buildPaymentJournalLines, type CustomerBalance, FX_GAIN_ACCOUNT, FX_LOSS_ACCOUNT, mirrorJournalLines, type Payment, toNokAtRate } from '../domain/payment/payment.js';
import { divideRounded, toSafeNumber } from '../domain/rounding.js';
import { statusFactsOf } from '../db/invoice-mappers.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { invoiceSettingsOf } from './invoice-settings.js';
import { decodeCursor, type Page, toPage } from './pagination.js';
import type { PaymentApplyInput, PaymentCreateInput, PaymentListQueryInput, PaymentRefundInput, PaymentReverseInput } from './payment.schemas.js';
import type { Clock, IdGenerator } from './ports.js';


export interface PaymentServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

const NOK_RATE = 1_000_000;

/** The NOK share of `part` out of `whole` (minor units) of a credit carrying `nok`; all of it for the whole. */
function sharedNok(nok: number, part: number, whole: number): number {
  if (part >= whole) return nok;
  return toSafeNumber(divideRounded(BigInt(nok) * BigInt(part), BigInt(whole)));
}
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
    releases: Awaited<ReturnType<typeof listReleases>>,
  ): Payment {
    const mine = allocations.filter((allocation) => allocation.payment_id === row.id);
    const myRefunds = refunds.filter((refund) => refund.payment_id === row.id);
    const myReleases = releases.filter((release) => release.payment_id === row.id);
    const views = mine.map((allocation) => {
      const released = myReleases.filter((release) => release.allocation_id === allocation.id);
      const releasedMinor = released.reduce((total, release) => total + release.amount_minor, 0);
      return {
        id: allocation.id,
        invoiceId: allocation.invoice_id,
        documentNumber: allocation.document_number,
        amountMinor: allocation.amount_minor,
        amountNokMinor: allocation.amount_nok_minor,
        releasedMinor,
        releasedNokMinor: released.reduce((total, release) => total + release.amount_nok_minor, 0),
        netMinor: allocation.amount_minor - releasedMinor,
        releases: released.map((release) => ({
          id: release.id,
          creditNoteId: release.credit_note_id,
          creditNoteNumber: release.credit_note_number,
          amountMinor: release.amount_minor,
          amountNokMinor: release.amount_nok_minor,
          createdAt: release.created_at,
        })),
      };
    });
    const kept = views.reduce((total, allocation) => total + allocation.netMinor, 0);
    const refunded = myRefunds.reduce((total, refund) => total + refund.amount_minor, 0);
    const unallocatedMinor = row.reversed_at ? 0 : row.amount_minor - kept - refunded;
    // In NOK the credit is the amount; a foreign-currency payment's credit comes from releases
    // (it cannot be booked with any) and carries their NOK, less what was applied or paid back.
    const unallocatedNokMinor =
      row.reversed_at ? 0
      : row.currency === 'NOK' ? unallocatedMinor
      : myReleases.reduce((total, release) => total + release.amount_nok_minor, 0) -
        mine.reduce((total, allocation) => total + (allocation.credit_nok_minor ?? 0), 0) -
        myRefunds.reduce((total, refund) => total + (refund.amount_nok_minor ?? refund.amount_minor), 0);
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
      allocations: views,
      refunds: myRefunds.map((refund) => ({
        id: refund.id,
        refundDate: refund.refund_date,
        amountMinor: refund.amount_minor,
        amountNokMinor: refund.amount_nok_minor ?? refund.amount_minor,
        voucher: refund.voucher,
        note: refund.note,
        journalEntryId: refund.journal_entry_id,
      })),
      unallocatedMinor,
      unallocatedNokMinor,
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
    // What booked payments keep on the invoice in NOK: allocated less released.
    const paid = await listLiveAllocationsOfInvoice(executor, invoice.company_id, invoice.id);
    const paidNok = paid.reduce((total, allocation) => total + allocation.amount_nok_minor - allocation.released_nok_minor, 0);
    return invoice.gross_total_nok_minor - Number(credited.nok) - paidNok;
  }

  async function load(executor: Executor, row: PaymentRow): Promise<Payment> {
    return toPayment(row, await listAllocations(executor, [row.id]), await listRefunds(executor, [row.id]), await listReleases(executor, [row.id]));
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
   * What a reversal mirrors, and its voucher. A payment with a voucher of its own: that
   * entry's lines, voucher `<voucher>-R`. A bank file's payment shares its booking date's
   * voucher with the others of the file: its own share (its credits of receivables and its
   * part of the bank debit, on the accounts that voucher used), under a new number of the
   * payment series so every voucher stays unique.
   */
  async function reversalOf(
    trx: Executor,
    ctx: CompanyContext,
    row: PaymentRow,
    allocations: Awaited<ReturnType<typeof listAllocations>>,
  ): Promise<{ lines: Array<{ account: string; debitMinor: number; creditMinor: number; description: string; customerId: string | null }>; voucher: string }> {
    const entry = await trx.selectFrom('journal_entries').select(['source_type']).where('company_id', '=', ctx.companyId).where('id', '=', row.journal_entry_id).executeTakeFirst();
    if (entry?.source_type !== 'bank_import') {
      // The payment's entry and, for foreign-currency credit applied to invoices, the exchange
      // differences of those applications: all mirrored in one entry.
      const applied = await trx
        .selectFrom('journal_entries')
        .select('id')
        .where('company_id', '=', ctx.companyId)
        .where('source_type', '=', 'payment_credit_applied')
        .where('source_id', 'in', allocations.length > 0 ? allocations.map((allocation) => allocation.id) : [''])
        .orderBy('id')
        .execute();
      const original = await listJournalLines(trx, [row.journal_entry_id, ...applied.map((applied) => applied.id)]);
      return {
        voucher: `${row.voucher}-R`,
        lines: original.map((line) => ({ account: line.account, debitMinor: line.debit_minor, creditMinor: line.credit_minor, description: line.description, customerId: line.customer_id })),
      };
    }
    const receivable = await trx
      .selectFrom('journal_lines')
      .select('account')
      .where('company_id', '=', ctx.companyId)
      .where('entry_id', '=', row.journal_entry_id)
      .where('credit_minor', '>', 0)
      .executeTakeFirstOrThrow();
    const label = `${row.bank_reference ?? row.voucher}${row.payer_name ? ` ${row.payer_name}` : ''}`;
    const credits = buildBankCreditLines({
      amountMinor: row.amount_minor,
      customerId: row.customer_id!,
      label,
      allocations: allocations.map((allocation) => ({ amountMinor: allocation.amount_minor, documentNumber: allocation.document_number ?? '' })),
    });
    const number = await takeNextNumber(trx, ctx.companyId, row.is_test ? 'test_payment' : 'payment');
    return {
      voucher: `${row.is_test ? 'TEST-' : ''}INN-${number}`,
      lines: [
        { account: row.ledger_account, debitMinor: row.amount_nok_minor, creditMinor: 0, description: label, customerId: null },
        ...credits.map((line) => ({ account: receivable.account, debitMinor: 0, creditMinor: line.creditMinor, description: line.description, customerId: line.customerId })),
      ],
    };
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
      // Read once the invoice is locked: a credit note may have released part of it just now.
      const released = (await listReleases(trx, [row.id])).filter((release) => release.allocation_id === allocation.id);
      const kept = allocation.amount_minor - released.reduce((total, release) => total + release.amount_minor, 0);
      if (kept > 0) await updateInvoice(trx, ctx.companyId, invoice.id, { paid_minor: invoice.paid_minor - kept, updated_at: now });
    }
    const entryDate = calendarDateIn(clock.now(), company.time_zone);
    const { lines: toMirror, voucher } = await reversalOf(trx, ctx, row, allocations);
    const description = `Tilbakeføring ${row.voucher}${voucher.startsWith(row.voucher) ? '' : ` (${row.bank_reference ?? row.id})`}: ${reason}`;
    const reversalEntryId = await postEntry(
      trx,
      ctx,
      { sourceType: 'payment_reversal', sourceId: row.id, voucher, entryDate, isTest: Boolean(row.is_test), description },
      mirrorJournalLines(toMirror.map((line) => ({ ...line, description: `Tilbakeføring: ${line.description}` }))),
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
        const allocationId = ids.newId();
        let amountNokMinor = amountMinor;
        let creditNokMinor: number | null = null;
        if (row.currency !== 'NOK') {
          // Foreign-currency credit (released by a credit note) carries NOK of its own; the invoice
          // is cleared at its rate. The difference is agio or disagio, posted against 1500.
          amountNokMinor = await clearedNok(trx, invoice!, amountMinor);
          creditNokMinor = sharedNok(current.unallocatedNokMinor, amountMinor, current.unallocatedMinor);
          const difference = creditNokMinor - amountNokMinor;
          if (difference !== 0) {
            const company = await findCompanyById(trx, ctx.companyId);
            if (!company) throw new AppError('company.not_found', 'Company not found');
            const receivable = invoiceSettingsOf(company).accounts.receivable;
            const description = `Kreditt fra ${row.voucher} brukt på faktura ${invoice!.document_number ?? ''}`.trim();
            const fx = difference > 0 ? { account: FX_GAIN_ACCOUNT, label: 'Agio' } : { account: FX_LOSS_ACCOUNT, label: 'Disagio' };
            const amount = Math.abs(difference);
            await postEntry(
              trx,
              ctx,
              {
                sourceType: 'payment_credit_applied',
                sourceId: allocationId,
                voucher: `${row.voucher}-K${current.allocations.length + 1}`,
                entryDate: calendarDateIn(clock.now(), company.time_zone),
                isTest: Boolean(row.is_test),
                description,
              },
              difference > 0
                ? [
                    { account: receivable, debitMinor: amount, creditMinor: 0, description, customerId: row.customer_id },
                    { account: fx.account, debitMinor: 0, creditMinor: amount, description: fx.label, customerId: null },
                  ]
                : [
                    { account: fx.account, debitMinor: amount, creditMinor: 0, description: fx.label, customerId: null },
                    { account: receivable, debitMinor: 0, creditMinor: amount, description, customerId: row.customer_id },
                  ],
            );
          }
        }
        await insertAllocations(trx, [
          { id: allocationId, company_id: ctx.companyId, payment_id: row.id, invoice_id: invoice!.id, amount_minor: amountMinor, amount_nok_minor: amountNokMinor, credit_nok_minor: creditNokMinor, created_at: now },
        ]);
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
        // A foreign-currency credit is paid back at the NOK it carries on 1500.
        const amountNokMinor = row.currency === 'NOK' ? amountMinor : sharedNok(current.unallocatedNokMinor, amountMinor, current.unallocatedMinor);
        const refundId = ids.newId();
        const voucher = `${row.is_test ? 'TEST-' : ''}UTB-${await takeNextNumber(trx, ctx.companyId, row.is_test ? 'test_refund' : 'refund')}`;
        const description = `Tilbakebetaling ${voucher} av kreditt fra ${row.voucher}${input.note ? `: ${input.note}` : ''}`;
        const journalEntryId = await postEntry(
          trx,
          ctx,
          { sourceType: 'payment_refund', sourceId: refundId, voucher, entryDate: input.refundDate, isTest: Boolean(row.is_test), description },
          [
            { account: settings.accounts.receivable, debitMinor: amountNokMinor, creditMinor: 0, description, customerId: row.customer_id },
            { account: row.ledger_account, debitMinor: 0, creditMinor: amountNokMinor, description, customerId: null },
          ],
        );
        await insertRefund(trx, {
          id: refundId,
          company_id: ctx.companyId,
          payment_id: row.id,
          refund_date: input.refundDate,
          amount_minor: amountMinor,
          amount_nok_minor: row.currency === 'NOK' ? null : amountNokMinor,
          note: input.note ?? null,
          voucher,
          journal_entry_id: journalEntryId,
          created_at: clock.now().toISOString(),
        });
        await recordCompanyAudit(trx, deps, ctx, { action: 'payment.credit_refunded', entityType: 'payment', entityId: row.id, details: { voucher, amountMinor } });
        return load(trx, (await findPayment(trx, ctx.companyId, row.id))!);
      });
    },

    /**
     * A customer's balance on receivables: what is open on their invoices, the credit their
     * payments hold (overpayments, prepayments, and what credit notes released from paid
     * invoices), and the net (open − credit, the customer's 1500 balance), in NOK øre and per
     * currency. Live documents only unless includeTest.
     */
    async customerBalance(ctx: CompanyContext, customerId: string, options: { includeTest?: boolean } = {}): Promise<CustomerBalance> {
      return db.kysely.transaction().execute(async (trx) => {
        const customer = await findCustomer(trx, ctx.companyId, customerId);
        if (!customer) throw new AppError('customer.not_found', 'Customer not found');
        let invoiceQuery = trx
          .selectFrom('invoices')
          .selectAll()
          .where('company_id', '=', ctx.companyId)
          .where('customer_id', '=', customerId)
          .where('kind', '=', 'invoice')
          .where('state', '=', 'issued')
          .where((eb) => eb(eb(eb('payable_minor', '-', eb.ref('credited_minor')), '-', eb.ref('paid_minor')), '>', 0));
        if (!options.includeTest) invoiceQuery = invoiceQuery.where('is_test', '=', 0);
        const open = await invoiceQuery.orderBy('due_date').orderBy('id').execute();
        const openInvoices: CustomerBalance['openInvoices'] = [];
        for (const invoice of open) {
          const openMinor = openAmountMinor(statusFactsOf(invoice));
          if (openMinor <= 0) continue;
          // In NOK the open amount; otherwise what the invoice still has on 1500 in NOK.
          const openNokMinor = invoice.currency === 'NOK' ? openMinor : await clearedNok(trx, invoice, openMinor);
          openInvoices.push({ id: invoice.id, documentNumber: invoice.document_number, issueDate: invoice.issue_date, dueDate: invoice.due_date, currency: invoice.currency, openMinor, openNokMinor });
        }
        let paymentQuery = trx.selectFrom('payments').selectAll().where('company_id', '=', ctx.companyId).where('customer_id', '=', customerId).where('reversed_at', 'is', null);
        if (!options.includeTest) paymentQuery = paymentQuery.where('is_test', '=', 0);
        const rows = await paymentQuery.orderBy('payment_date').orderBy('id').execute();
        const ids_ = rows.map((row) => row.id);
        const [allocations, refunds, releases] = [await listAllocations(trx, ids_), await listRefunds(trx, ids_), await listReleases(trx, ids_)];
        const creditPayments = rows
          .map((row) => toPayment(row, allocations, refunds, releases))
          .filter((payment) => payment.unallocatedMinor > 0)
          .map((payment) => ({
            id: payment.id,
            voucher: payment.voucher,
            paymentDate: payment.paymentDate,
            currency: payment.currency,
            unallocatedMinor: payment.unallocatedMinor,
            unallocatedNokMinor: payment.unallocatedNokMinor,
            releasedMinor: payment.allocations.reduce((total, allocation) => total + allocation.releasedMinor, 0),
          }));
        const currencies = [...new Set([...openInvoices.map((invoice) => invoice.currency), ...creditPayments.map((payment) => payment.currency)])].sort();
        const sumOf = <T>(items: readonly T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);
        const openReceivablesNokMinor = sumOf(openInvoices, (invoice) => invoice.openNokMinor);
        const unappliedCreditNokMinor = sumOf(creditPayments, (payment) => payment.unallocatedNokMinor);
        return {
          customerId,
          openReceivablesNokMinor,
          unappliedCreditNokMinor,
          netBalanceNokMinor: openReceivablesNokMinor - unappliedCreditNokMinor,
          currencies: currencies.map((currency) => {
            const invoices = openInvoices.filter((invoice) => invoice.currency === currency);
            const credit = creditPayments.filter((payment) => payment.currency === currency);
            return {
              currency,
              openReceivablesMinor: sumOf(invoices, (invoice) => invoice.openMinor),
              unappliedCreditMinor: sumOf(credit, (payment) => payment.unallocatedMinor),
              openReceivablesNokMinor: sumOf(invoices, (invoice) => invoice.openNokMinor),
              unappliedCreditNokMinor: sumOf(credit, (payment) => payment.unallocatedNokMinor),
            };
          }),
          openInvoices,
          creditPayments,
        };
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
      const releases = await listReleases(db.kysely, rows.map((row) => row.id));
      return toPage(rows, query.limit, 'payment_date', (row) => [row.payment_date, row.id], (row) => toPayment(row, allocations, refunds, releases));
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
