import crypto from 'node:crypto';
import type { Db } from '../db/database.js';
import { findKnownBankReferences, findOpenInvoicesForMatching } from '../db/repositories/bank-booking.repository.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import type { BankImportRow, BankTransactionRow } from '../db/schema.js';
import { type BankFileWarning, type BankTransaction, type ParsedBankFile, isBankFileError } from '../domain/bank/bank-file.js';
import { BOOKING_CONFIDENCE, createMatcher, type OpenInvoiceForMatching } from '../domain/bank/matching.js';
import { AppError } from '../domain/errors.js';
import { formatMicros } from '../domain/money.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { invoiceSettingsOf } from './invoice-settings.js';
import { type BankTransactionFields, type BatchPaymentSpec, openBankBooking } from './bank-booking.js';
import type { PaymentService } from './payment.service.js';
import { addReversalsToSummary, dismissTransaction, emptyReversalSummary, importReversals, type ReversalSummary, reverseForTransaction } from './bank-reversals.js';
import type { Clock, IdGenerator } from './ports.js';

/** A parsed bank file without its transactions (they were handed over in batches). */
export type StreamedBankFile = Omit<ParsedBankFile, 'transactions'>;

/**
 * Parses a bank file (adapter), handing its transactions to `onBatch` in file order while it
 * reads, one batch at a time (the next waits for the previous one's promise). Rejects with a
 * BankFileError naming the record or element — possibly after some batches were handed over,
 * so whatever was done with them must be undone (the import runs in one transaction). A batch
 * that throws stops the parse.
 */
export type BankFileStreamParser = (
  bytes: Uint8Array,
  fileName: string | undefined,
  onBatch: (transactions: BankTransaction[]) => Promise<void>,
) => Promise<StreamedBankFile>;

export interface BankImportServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  parse: BankFileStreamParser;
  payments: Pick<PaymentService, 'registerWithin' | 'reverseWithin'>;
}

export interface BankImportSummary extends ReversalSummary {
  format: string | null;
  version: string | null;
  /** Transactions in the file (payments and others). */
  transactionCount: number;
  /** Incoming payments among them. */
  paymentCount: number;
  bookedCount: number;
  reviewCount: number;
  duplicateCount: number;
  /** Neither payments nor reversals of incoming payments: debits, reversed debits, AvtaleGiro notices. */
  ignoredCount: number;
  /** Per currency: what the file credited, what was booked, what waits, what was a duplicate. */
  sums: Array<{ currency: string; creditedMinor: number; bookedMinor: number; reviewMinor: number; duplicateMinor: number }>;
  /** booked = credited − review − duplicates, per currency (payments counted at their transaction amounts). */
  reconciles: boolean;
  warnings: BankFileWarning[];
  notes: Array<{ code: string; location: string; message: string }>;
}

export interface BankImport {
  id: string;
  fileName: string | null;
  sha256: string;
  byteSize: number;
  status: 'completed' | 'rejected' | 'duplicate_file';
  error: { code: string; message: string } | null;
  duplicateOfId: string | null;
  summary: BankImportSummary;
  createdAt: string;
}

export interface BankTransactionView {
  id: string;
  importId: string;
  position: number;
  /** 'reversal': the bank took back an incoming payment; when booked, paymentId is the payment reversed. */
  kind: 'payment' | 'reversal';
  status: 'booked' | 'review' | 'duplicate' | 'dismissed';
  bankReference: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  currency: string;
  amountMinor: number;
  kid: string | null;
  texts: string[];
  payerName: string | null;
  payerAccount: string | null;
  location: string;
  matchReason: string | null;
  confidence: number;
  suggestions: string[];
  explanation: string | null;
  paymentId: string | null;
  resolvedAt: string | null;
  /** Why it was dismissed. */
  resolutionNote: string | null;
}

const emptySummary = (): BankImportSummary => ({
  format: null,
  version: null,
  transactionCount: 0,
  paymentCount: 0,
  bookedCount: 0,
  reviewCount: 0,
  duplicateCount: 0,
  ignoredCount: 0,
  ...emptyReversalSummary(),
  sums: [],
  reconciles: true,
  warnings: [],
  notes: [],
});

function toImport(row: BankImportRow): BankImport {
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    byteSize: row.byte_size,
    status: row.status,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    duplicateOfId: row.duplicate_of_id,
    // Summaries written before reversals were handled lack their fields.
    summary: { ...emptySummary(), ...(JSON.parse(row.summary_json) as Partial<BankImportSummary>) },
    createdAt: row.created_at,
  };
}

function toTransaction(row: BankTransactionRow): BankTransactionView {
  return {
    id: row.id,
    importId: row.import_id,
    position: row.position,
    kind: row.kind ?? 'payment',
    status: row.status,
    bankReference: row.bank_reference,
    bookingDate: row.booking_date,
    valueDate: row.value_date,
    currency: row.currency,
    amountMinor: row.amount_minor,
    kid: row.kid,
    texts: JSON.parse(row.texts_json) as string[],
    payerName: row.payer_name,
    payerAccount: row.payer_account,
    location: row.location,
    matchReason: row.match_reason,
    confidence: row.confidence,
    suggestions: JSON.parse(row.suggestions_json) as string[],
    explanation: row.explanation,
    paymentId: row.payment_id,
    resolvedAt: row.resolved_at,
    resolutionNote: row.resolution_note ?? null,
  };
}

const amountText = (minor: number) => formatMicros(minor * 10_000);



/**
 * Bank file import: parse (rejecting a bad file whole, naming the record or element), skip what
 * was imported before (the file by its SHA-256, each transaction by its bank reference), match
 * each payment (src/domain/bank/matching.ts) and book the confident ones as payments in the same
 * transaction; the rest waits for review. A rejected file is recorded with its error and books
 * nothing.
 */
export function createBankImportService(deps: BankImportServiceDeps) {
  const { db, clock, ids } = deps;

  async function openInvoices(executor: Executor, companyId: string, isTest: boolean): Promise<OpenInvoiceForMatching[]> {
    // Customers' names apart (a join per invoice row costs more than the few thousand names).
    const customers = await executor.selectFrom('customers').select(['id', 'name']).where('company_id', '=', companyId).execute();
    const nameOf = new Map(customers.map((customer) => [customer.id, customer.name]));
    return findOpenInvoicesForMatching(db, executor, companyId, isTest, (customerId) => nameOf.get(customerId) ?? '');
  }

  /** Accounts customers have paid from before: a payer account names its customer (matching rule 3). */
  async function payerAccounts(executor: Executor, companyId: string): Promise<Map<string, string>> {
    const rows = await executor
      .selectFrom('payments')
      .select(['payer_account', 'customer_id'])
      .distinct()
      .where('company_id', '=', companyId)
      .where('payer_account', 'is not', null)
      .where('customer_id', 'is not', null)
      .where('reversed_at', 'is', null)
      .execute();
    return new Map(rows.map((row) => [row.payer_account!, row.customer_id!]));
  }

  async function insertImport(executor: Executor, ctx: CompanyContext, fields: Omit<BankImportRow, 'id' | 'company_id' | 'created_by' | 'created_at'>): Promise<BankImportRow> {
    const row: BankImportRow = {
      id: ids.newId(),
      company_id: ctx.companyId,
      created_by: `${ctx.actor.type}:${ctx.actor.id ?? ''}`,
      created_at: clock.now().toISOString(),
      ...fields,
    };
    await executor.insertInto('bank_imports').values(row).execute();
    return row;
  }

  /**
   * One import, in the caller's transaction. The parse starts first (a large file in a worker
   * thread) and reads while the open invoices are loaded; then each batch it hands over is
   * checked for duplicates, matched and booked while it reads the next. A file found bad at
   * any point throws its BankFileError and the transaction takes everything back.
   */
  async function importWithin(
    trx: Executor,
    ctx: CompanyContext,
    file: { bytes: Uint8Array; fileName?: string | undefined },
    base: { file_name: string | null; sha256: string; byte_size: number },
  ): Promise<BankImport> {
    let handle: ((transactions: BankTransaction[]) => Promise<void>) | null = null;
    let setupFailed = false;
    let ready!: () => void;
    const prepared = new Promise<void>((resolve) => (ready = resolve));
    const parsing = deps.parse(file.bytes, file.fileName, async (transactions) => {
      await prepared;
      if (setupFailed || !handle) throw new Error('bank import stopped');
      await handle(transactions);
    });
    // Awaited below; this keeps an early failure from being reported as unhandled.
    parsing.catch(() => undefined);

    const summary = emptySummary();
    let finish: () => Promise<BankImport>;
    try {
      const company = await findCompanyById(trx, ctx.companyId);
      if (!company) throw new AppError('company.not_found', 'Company not found');
      const earlier = await trx
        .selectFrom('bank_imports')
        .select('id')
        .where('company_id', '=', ctx.companyId)
        .where('sha256', '=', base.sha256)
        .where('status', '=', 'completed')
        .executeTakeFirst();

      if (earlier) {
        // The same file again: counted, nothing booked.
        handle = async (transactions) => {
          summary.transactionCount += transactions.length;
          for (const transaction of transactions) if (transaction.isPayment) summary.paymentCount++;
        };
        finish = async () => {
          const parsed = await parsing;
          Object.assign(summary, { format: parsed.format, version: parsed.version, warnings: parsed.warnings, notes: parsed.notes });
          summary.duplicateCount = summary.paymentCount;
          summary.ignoredCount = summary.transactionCount - summary.paymentCount;
          const row = await insertImport(trx, ctx, { ...base, format: parsed.format, version: parsed.version, status: 'duplicate_file', error_code: null, error_message: null, duplicate_of_id: earlier.id, summary_json: JSON.stringify(summary) });
          return toImport(row);
        };
      } else {
        const importRow = await insertImport(trx, ctx, { ...base, format: null, version: null, status: 'completed', error_code: null, error_message: null, duplicate_of_id: null, summary_json: '{}' });
        const isTest = Boolean(company.is_test_mode);
        const invoices = await openInvoices(trx, ctx.companyId, isTest);
        const numberOf = new Map(invoices.map((invoice) => [invoice.id, invoice.documentNumber]));
        const matcher = createMatcher(invoices, { customerAccounts: await payerAccounts(trx, ctx.companyId) });
        const importLabel = base.file_name ?? base.sha256.slice(0, 12);
        const booking = await openBankBooking(deps, trx, ctx, {
          isTest,
          receivableAccount: invoiceSettingsOf(company).accounts.receivable,
          ledgerAccount: '1920',
          importId: importRow.id,
          importLabel,
        });
        const known = new Set<string>();
        const sums = new Map<string, BankImportSummary['sums'][number]>();
        const sumOf = (currency: string) => {
          let entry = sums.get(currency);
          if (!entry) sums.set(currency, (entry = { currency, creditedMinor: 0, bookedMinor: 0, reviewMinor: 0, duplicateMinor: 0 }));
          return entry;
        };
        const today = clock.now().toISOString().slice(0, 10);
        let position = 0;
        /** Reversals in the file: handled after every payment is booked, so one finds a payment of this same file. */
        const reversals: BankTransaction[] = [];

        handle = async (transactions) => {
          summary.transactionCount += transactions.length;
          for (const transaction of transactions) if (transaction.isReversal) reversals.push(transaction);
          const payments = transactions.filter((transaction) => transaction.isPayment);
          summary.paymentCount += payments.length;
          const fresh: string[] = [];
          for (const transaction of payments) if (transaction.bankReference && !known.has(transaction.bankReference)) fresh.push(transaction.bankReference);
          const before = await findKnownBankReferences(trx, ctx.companyId, 'payment', fresh);
          const entries: Array<{ transaction: BankTransactionFields; spec: BatchPaymentSpec | null }> = [];
          for (const transaction of payments) {
            const amountMinor = transaction.amountMinor ?? 0;
            const texts = [...transaction.freeText, ...transaction.creditorReferences.map((reference) => reference.ref)];
            const row: BankTransactionFields = {
              id: ids.newId(),
              position: position++,
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
            };
            let spec: BatchPaymentSpec | null = null;
            const sum = sumOf(transaction.currency);
            if (transaction.bankReference && (known.has(transaction.bankReference) || before.has(transaction.bankReference))) {
              row.status = 'duplicate';
              row.explanation = 'Imported before (same bank reference)';
              summary.duplicateCount++;
              sum.duplicateMinor += amountMinor;
            } else {
              if (transaction.bankReference) known.add(transaction.bankReference);
              const result = matcher.match({
                amountMinor,
                currency: transaction.currency,
                kid: transaction.kid,
                kidValid: transaction.kidValid,
                texts,
                payerName: transaction.payerName,
                payerAccount: transaction.payerAccount,
              });
              row.match_reason = result.reason;
              row.confidence = result.confidence;
              row.explanation = result.explanation;
              if (result.outcome === 'matched' && result.confidence >= BOOKING_CONFIDENCE && transaction.currency === 'NOK') {
                const paymentDate = transaction.valueDate ?? transaction.bookingDate ?? today;
                spec = {
                  paymentDate: paymentDate > today ? today : paymentDate,
                  amountMinor,
                  customerId: result.customerId,
                  reference: transaction.kid ?? texts[0] ?? null,
                  payerName: transaction.payerName,
                  payerAccount: transaction.payerAccount,
                  bankReference: transaction.bankReference,
                  allocations: result.allocations.map((allocation) => ({
                    invoiceId: allocation.invoiceId,
                    documentNumber: numberOf.get(allocation.invoiceId) ?? '',
                    amountMinor: allocation.amountMinor,
                  })),
                };
                row.status = 'booked';
                summary.bookedCount++;
                sum.bookedMinor += amountMinor;
              } else {
                row.suggestions_json = JSON.stringify(result.outcome === 'review' ? result.suggestions : result.allocations.map((allocation) => allocation.invoiceId));
                summary.reviewCount++;
                sum.reviewMinor += amountMinor;
              }
            }
            entries.push({ transaction: row, spec });
          }
          await booking.write(entries);
        };

        finish = async () => {
          const parsed = await parsing;
          await booking.finish();
          Object.assign(summary, { format: parsed.format, version: parsed.version, warnings: parsed.warnings, notes: parsed.notes });
          summary.ignoredCount = summary.transactionCount - summary.paymentCount;
          // Reversals of incoming payments (src/app/bank-reversals.ts).
          addReversalsToSummary(summary, await importReversals(trx, deps, ctx, { importId: importRow.id, transactions: reversals, startPosition: position, isTest }));
          for (const total of parsed.totals) sumOf(total.currency).creditedMinor = total.creditedMinor;
          summary.sums = [...sums.values()].sort((a, b) => a.currency.localeCompare(b.currency));
          // What the file credited, less what waits and what was there before, is what was booked.
          summary.reconciles = summary.sums.every((entry) => entry.bookedMinor === entry.creditedMinor - entry.reviewMinor - entry.duplicateMinor);
          const summaryJson = JSON.stringify(summary);
          await trx.updateTable('bank_imports').set({ format: parsed.format, version: parsed.version, summary_json: summaryJson }).where('id', '=', importRow.id).execute();
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'bank_import.completed',
            entityType: 'bank_import',
            entityId: importRow.id,
            details: { fileName: base.file_name, booked: summary.bookedCount, review: summary.reviewCount, duplicates: summary.duplicateCount },
          });
          return toImport({ ...importRow, format: parsed.format, version: parsed.version, summary_json: summaryJson });
        };
      }
    } catch (error) {
      setupFailed = true;
      ready();
      throw error;
    }
    ready();
    return finish();
  }

  return {
    async importFile(ctx: CompanyContext, file: { bytes: Uint8Array; fileName?: string | undefined }): Promise<BankImport> {
      const sha256 = crypto.createHash('sha256').update(file.bytes).digest('hex');
      const base = { file_name: file.fileName ?? null, sha256, byte_size: file.bytes.byteLength };
      try {
        return await db.kysely.transaction().execute((trx) => importWithin(trx, ctx, file, base));
      } catch (error) {
        if (!isBankFileError(error)) throw error;
        // Nothing of the file was kept (the transaction rolled back); the rejection is recorded.
        const rejected = await db.kysely.transaction().execute(async (trx) => {
          const row = await insertImport(trx, ctx, {
            ...base,
            format: null,
            version: null,
            status: 'rejected',
            error_code: error.code,
            error_message: error.message,
            duplicate_of_id: null,
            summary_json: JSON.stringify(emptySummary()),
          });
          await recordCompanyAudit(trx, deps, ctx, { action: 'bank_import.rejected', entityType: 'bank_import', entityId: row.id, details: { code: error.code, fileName: base.file_name } });
          return row;
        });
        throw new AppError('bank_import.rejected', error.message, { details: { importId: rejected.id, reason: error.code, location: error.location } });
      }
    },

    async getImport(ctx: CompanyContext, id: string): Promise<BankImport> {
      const row = await db.kysely.selectFrom('bank_imports').selectAll().where('company_id', '=', ctx.companyId).where('id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('bank_import.not_found', 'Bank import not found');
      return toImport(row);
    },

    async listImports(ctx: CompanyContext): Promise<BankImport[]> {
      const rows = await db.kysely.selectFrom('bank_imports').selectAll().where('company_id', '=', ctx.companyId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(200).execute();
      return rows.map(toImport);
    },

    async listTransactions(ctx: CompanyContext, query: { importId?: string | undefined; status?: BankTransactionRow['status'] | undefined }): Promise<BankTransactionView[]> {
      let select = db.kysely.selectFrom('bank_transactions').selectAll().where('company_id', '=', ctx.companyId);
      if (query.importId) select = select.where('import_id', '=', query.importId);
      if (query.status) select = select.where('status', '=', query.status);
      const rows = await select.orderBy('created_at').orderBy('position').limit(1000).execute();
      return rows.map(toTransaction);
    },

    /** Books a waiting transaction by hand, with the allocations the user chose (validated like any payment). */
    async matchTransaction(
      ctx: CompanyContext,
      id: string,
      input: { allocations: Array<{ invoiceId: string; amount: string }>; customerId?: string | undefined },
    ): Promise<BankTransactionView> {
      return db.kysely.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('bank_transactions').selectAll().where('company_id', '=', ctx.companyId).where('id', '=', id).executeTakeFirst();
        if (!row) throw new AppError('bank_transaction.not_found', 'Bank transaction not found');
        if (row.kind === 'reversal') throw new AppError('bank_transaction.is_reversal', 'This is a reversal from the bank: reverse the payment it takes back (…/reverse) or dismiss it');
        if (row.status !== 'review') throw new AppError('bank_transaction.not_waiting', 'Only a transaction waiting for review can be matched');
        if (row.amount_minor <= 0) throw new AppError('bank_transaction.not_waiting', 'A transaction without a positive amount cannot be booked');
        const today = clock.now().toISOString().slice(0, 10);
        const date = row.value_date ?? row.booking_date ?? today;
        const texts = JSON.parse(row.texts_json) as string[];
        const paymentId = await deps.payments.registerWithin(
          trx,
          ctx,
          {
            paymentDate: date > today ? today : date,
            amount: amountText(row.amount_minor),
            currency: row.currency,
            ledgerAccount: '1920',
            ...(input.customerId ? { customerId: input.customerId } : {}),
            reference: row.kid ?? texts[0] ?? null,
            payerName: row.payer_name,
            payerAccount: row.payer_account,
            bankReference: row.bank_reference,
            note: `Avstemt manuelt (${row.location})`,
            allocations: input.allocations,
          },
          { source: 'bank_import' },
        );
        const now = clock.now().toISOString();
        await trx.updateTable('bank_transactions').set({ status: 'booked', payment_id: paymentId, match_reason: 'manual', confidence: 100, resolved_at: now }).where('id', '=', id).execute();
        await recordCompanyAudit(trx, deps, ctx, { action: 'bank_transaction.matched', entityType: 'bank_transaction', entityId: id, details: { paymentId } });
        return toTransaction((await trx.selectFrom('bank_transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
      });
    },

    /** A waiting reversal row: reverses the payment chosen by hand (same currency and amount). */
    async reverseTransaction(ctx: CompanyContext, id: string, input: { paymentId: string }): Promise<BankTransactionView> {
      return db.kysely.transaction().execute(async (trx) => {
        await reverseForTransaction(trx, deps, ctx, id, input.paymentId);
        return toTransaction(await trx.selectFrom('bank_transactions').selectAll().where('company_id', '=', ctx.companyId).where('id', '=', id).executeTakeFirstOrThrow());
      });
    },

    /** A waiting row of either kind, set aside with a reason; nothing is booked. */
    async dismissTransaction(ctx: CompanyContext, id: string, input: { reason: string }): Promise<BankTransactionView> {
      return db.kysely.transaction().execute(async (trx) => {
        await dismissTransaction(trx, deps, ctx, id, input.reason);
        return toTransaction(await trx.selectFrom('bank_transactions').selectAll().where('company_id', '=', ctx.companyId).where('id', '=', id).executeTakeFirstOrThrow());
      });
    },
  };
}

export type BankImportService = ReturnType<typeof createBankImportService>;
