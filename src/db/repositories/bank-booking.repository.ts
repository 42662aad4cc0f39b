import type SQLite from 'better-sqlite3';
import { CompiledQuery, sql } from 'kysely';
import type { OpenInvoiceForMatching } from '../../domain/bank/matching.js';
import type { Db } from '../database.js';
import type { BankTransactionRow } from '../schema.js';
import type { Executor } from './executor.js';

/**
 * The rows a bank import writes, as fast as each engine takes them: a transaction of the file
 * (bank_transactions), and for a booked one its payment, its allocations, its credit lines on
 * receivables and the invoices' paid amounts.
 *
 * SQLite: each row is bound once into a prepared statement on the connection itself, as it is
 * added. A bulk write there costs what binding the values costs (SQLite does the B-tree work in
 * a few µs a row); going through Kysely per row, or staging rows in temporary tables to copy
 * them on, costs as much again. PostgreSQL: rows are gathered and written at `flush` in
 * multi-row statements (a round trip per row would dominate), the paid amounts with one
 * UPDATE … FROM unnest(…).
 *
 * Rows must come parents first (a payment before its allocations, lines and transaction):
 * foreign keys are checked as each row is written. The caller holds the transaction.
 */
export interface BankBookingConstants {
  companyId: string;
  importId: string;
  /** created_at / updated_at of every row. */
  now: string;
  isTest: 0 | 1;
  /** The bank account the payments came into (payments.ledger_account). */
  ledgerAccount: string;
  receivableAccount: string;
  /** payments.note */
  note: string;
}

/** bank_transactions, less the columns the import sets alike for all (company, import, created/resolved at, kind) and the payment. */
export type BankTransactionInsert = Omit<BankTransactionRow, 'company_id' | 'import_id' | 'created_at' | 'resolved_at' | 'kind' | 'resolution_note' | 'payment_id' | 'status'> & {
  status: 'booked' | 'review' | 'duplicate';
};

export interface BankPaymentInsert {
  id: string;
  customerId: string;
  paymentDate: string;
  currency: string;
  amountMinor: number;
  reference: string | null;
  payerName: string | null;
  payerAccount: string | null;
  bankReference: string | null;
  voucher: string;
  journalEntryId: string;
}

export interface BankRowWriter {
  /** A booked payment (NOK: its NOK amount is its amount). */
  payment(row: BankPaymentInsert): void;
  /** An allocation of a payment to an invoice; the invoice's paid amount rises by it. */
  allocation(id: string, paymentId: string, invoiceId: string, amountMinor: number): void;
  /** A credit of receivables (line_number ≥ 2 of the date's voucher). */
  creditLine(id: string, entryId: string, lineNumber: number, entryDate: string, amountMinor: number, customerId: string, description: string): void;
  /** A transaction of the file; `paymentId` is the payment booked from it (null if none). */
  transaction(row: BankTransactionInsert, paymentId: string | null): void;
  /** Writes what is still gathered (PostgreSQL); on SQLite everything is written already. */
  flush(): Promise<void>;
}

const PAYMENT_COLUMNS = [
  'id', 'company_id', 'customer_id', 'payment_date', 'currency', 'amount_minor', 'amount_nok_minor', 'exchange_rate_micros', 'ledger_account',
  'reference', 'payer_name', 'payer_account', 'bank_reference', 'note', 'source', 'is_test', 'voucher', 'journal_entry_id', 'created_at', 'updated_at',
] as const;
const ALLOCATION_COLUMNS = ['id', 'company_id', 'payment_id', 'invoice_id', 'amount_minor', 'amount_nok_minor', 'created_at'] as const;
const LINE_COLUMNS = ['id', 'entry_id', 'company_id', 'line_number', 'entry_date', 'account', 'debit_minor', 'credit_minor', 'vat_code', 'customer_id', 'description'] as const;
const TRANSACTION_COLUMNS = [
  'id', 'company_id', 'import_id', 'position', 'bank_reference', 'booking_date', 'value_date', 'currency', 'amount_minor', 'kid', 'texts_json', 'payer_name',
  'payer_account', 'location', 'status', 'match_reason', 'confidence', 'suggestions_json', 'explanation', 'payment_id', 'created_at', 'resolved_at',
] as const;

const insertSql = (table: string, columns: readonly string[]) =>
  `insert into "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;

interface SqliteStatements {
  payment: SQLite.Statement;
  allocation: SQLite.Statement;
  line: SQLite.Statement;
  transaction: SQLite.Statement;
  paid: SQLite.Statement;
}

const statementsByConnection = new WeakMap<SQLite.Database, SqliteStatements>();

function sqliteStatements(database: SQLite.Database): SqliteStatements {
  let statements = statementsByConnection.get(database);
  if (!statements) {
    statements = {
      payment: database.prepare(insertSql('payments', PAYMENT_COLUMNS)),
      allocation: database.prepare(insertSql('payment_allocations', ALLOCATION_COLUMNS)),
      line: database.prepare(insertSql('journal_lines', LINE_COLUMNS)),
      transaction: database.prepare(insertSql('bank_transactions', TRANSACTION_COLUMNS)),
      paid: database.prepare('update "invoices" set "paid_minor" = "paid_minor" + ?, "updated_at" = ? where "company_id" = ? and "id" = ?'),
    };
    statementsByConnection.set(database, statements);
  }
  return statements;
}

function sqliteWriter(database: SQLite.Database, c: BankBookingConstants): BankRowWriter {
  const s = sqliteStatements(database);
  return {
    payment(p) {
      s.payment.run(
        p.id, c.companyId, p.customerId, p.paymentDate, p.currency, p.amountMinor, p.amountMinor, 1_000_000, c.ledgerAccount,
        p.reference, p.payerName, p.payerAccount, p.bankReference, c.note, 'bank_import', c.isTest, p.voucher, p.journalEntryId, c.now, c.now,
      );
    },
    allocation(id, paymentId, invoiceId, amountMinor) {
      s.allocation.run(id, c.companyId, paymentId, invoiceId, amountMinor, amountMinor, c.now);
      const { changes } = s.paid.run(amountMinor, c.now, c.companyId, invoiceId);
      if (changes !== 1) throw new Error(`bank import: invoice ${invoiceId} not found to record its payment`);
    },
    creditLine(id, entryId, lineNumber, entryDate, amountMinor, customerId, description) {
      s.line.run(id, entryId, c.companyId, lineNumber, entryDate, c.receivableAccount, 0, amountMinor, null, customerId, description);
    },
    transaction(t, paymentId) {
      s.transaction.run(
        t.id, c.companyId, c.importId, t.position, t.bank_reference, t.booking_date, t.value_date, t.currency, t.amount_minor, t.kid, t.texts_json, t.payer_name,
        t.payer_account, t.location, t.status, t.match_reason, t.confidence, t.suggestions_json, t.explanation, paymentId, c.now, t.status === 'booked' ? c.now : null,
      );
    },
    async flush() {},
  };
}

/**
 * Rows gathered column-wise for PostgreSQL: each column becomes one array parameter, and
 * `INSERT … SELECT … FROM unnest($1::text[], $2::bigint[], …)` writes them all in one statement
 * — one parse and plan per table and batch, where a multi-row VALUES list makes PostgreSQL
 * parse and bind every value as its own parameter.
 */
class Columns {
  readonly values: unknown[][];
  constructor(readonly spec: ReadonlyArray<readonly [column: string, type: string]>) {
    this.values = spec.map(() => []);
  }
  get length(): number {
    return this.values[0]!.length;
  }
  push(...row: unknown[]): void {
    for (let index = 0; index < row.length; index++) this.values[index]!.push(row[index]);
  }
  clear(): void {
    for (const column of this.values) column.length = 0;
  }
}

/** A value the same for every row, with its PostgreSQL type (a parameter in a select list needs one). */
type Constant = readonly [value: unknown, type: string];

async function insertColumns(trx: Executor, table: string, constants: Record<string, Constant>, columns: Columns): Promise<void> {
  if (columns.length === 0) return;
  const constantNames = Object.keys(constants);
  const names = [...constantNames, ...columns.spec.map(([column]) => column)].map((column) => `"${column}"`).join(', ');
  const parameters: unknown[] = [...constantNames.map((name) => constants[name]![0]), ...columns.values];
  const selectList = [
    ...constantNames.map((name, index) => `$${index + 1}::${constants[name]![1]}`),
    ...columns.spec.map(([column]) => `u."${column}"`),
  ].join(', ');
  const unnest = columns.spec.map(([, type], index) => `$${constantNames.length + index + 1}::${type}[]`).join(', ');
  const aliases = columns.spec.map(([column]) => `"${column}"`).join(', ');
  await trx.executeQuery(CompiledQuery.raw(`insert into "${table}" (${names}) select ${selectList} from unnest(${unnest}) as u(${aliases})`, parameters));
}

function gatheringWriter(trx: Executor, c: BankBookingConstants): BankRowWriter {
  const payments = new Columns([
    ['id', 'text'], ['customer_id', 'text'], ['payment_date', 'text'], ['currency', 'text'], ['amount_minor', 'bigint'], ['amount_nok_minor', 'bigint'],
    ['reference', 'text'], ['payer_name', 'text'], ['payer_account', 'text'], ['bank_reference', 'text'], ['voucher', 'text'], ['journal_entry_id', 'text'],
  ]);
  const allocations = new Columns([['id', 'text'], ['payment_id', 'text'], ['invoice_id', 'text'], ['amount_minor', 'bigint'], ['amount_nok_minor', 'bigint']]);
  const lines = new Columns([['id', 'text'], ['entry_id', 'text'], ['line_number', 'integer'], ['entry_date', 'text'], ['credit_minor', 'bigint'], ['customer_id', 'text'], ['description', 'text']]);
  const transactions = new Columns([
    ['id', 'text'], ['position', 'integer'], ['bank_reference', 'text'], ['booking_date', 'text'], ['value_date', 'text'], ['currency', 'text'], ['amount_minor', 'bigint'],
    ['kid', 'text'], ['texts_json', 'text'], ['payer_name', 'text'], ['payer_account', 'text'], ['location', 'text'], ['status', 'text'], ['match_reason', 'text'],
    ['confidence', 'integer'], ['suggestions_json', 'text'], ['explanation', 'text'], ['payment_id', 'text'], ['resolved_at', 'timestamptz'],
  ]);
  let paid = new Map<string, number>();
  return {
    payment(p) {
      payments.push(p.id, p.customerId, p.paymentDate, p.currency, p.amountMinor, p.amountMinor, p.reference, p.payerName, p.payerAccount, p.bankReference, p.voucher, p.journalEntryId);
    },
    allocation(id, paymentId, invoiceId, amountMinor) {
      allocations.push(id, paymentId, invoiceId, amountMinor, amountMinor);
      paid.set(invoiceId, (paid.get(invoiceId) ?? 0) + amountMinor);
    },
    creditLine(id, entryId, lineNumber, entryDate, amountMinor, customerId, description) {
      lines.push(id, entryId, lineNumber, entryDate, amountMinor, customerId, description);
    },
    transaction(t, paymentId) {
      transactions.push(
        t.id, t.position, t.bank_reference, t.booking_date, t.value_date, t.currency, t.amount_minor, t.kid, t.texts_json, t.payer_name, t.payer_account,
        t.location, t.status, t.match_reason, t.confidence, t.suggestions_json, t.explanation, paymentId, t.status === 'booked' ? c.now : null,
      );
    },
    async flush() {
      const company: Constant = [c.companyId, 'text'];
      const now: Constant = [c.now, 'timestamptz'];
      await insertColumns(
        trx,
        'payments',
        {
          company_id: company,
          exchange_rate_micros: [1_000_000, 'bigint'],
          ledger_account: [c.ledgerAccount, 'text'],
          note: [c.note, 'text'],
          source: ['bank_import', 'text'],
          is_test: [c.isTest, 'integer'],
          created_at: now,
          updated_at: now,
        },
        payments,
      );
      await insertColumns(trx, 'payment_allocations', { company_id: company, created_at: now }, allocations);
      await insertColumns(trx, 'journal_lines', { company_id: company, account: [c.receivableAccount, 'text'], debit_minor: [0, 'bigint'] }, lines);
      if (paid.size > 0) {
        const ids = [...paid.keys()];
        const amounts = ids.map((id) => paid.get(id)!);
        const result = await sql`update "invoices" set "paid_minor" = "invoices"."paid_minor" + v."amount", "updated_at" = ${c.now}::timestamptz
          from unnest(${ids}::text[], ${amounts}::bigint[]) as v("id", "amount")
          where "invoices"."company_id" = ${c.companyId} and "invoices"."id" = v."id"`.execute(trx);
        if (Number(result.numAffectedRows) !== ids.length) throw new Error(`bank import: ${ids.length} invoices to record payments on, ${result.numAffectedRows} found`);
      }
      await insertColumns(trx, 'bank_transactions', { company_id: company, import_id: [c.importId, 'text'], created_at: now }, transactions);
      payments.clear();
      allocations.clear();
      lines.clear();
      transactions.clear();
      paid = new Map();
    },
  };
}

/** The writer for this database; `trx` is the caller's transaction. */
export function openBankRowWriter(db: Pick<Db, 'dialect' | 'sqlite'>, trx: Executor, constants: BankBookingConstants): BankRowWriter {
  if (db.dialect === 'sqlite') {
    if (!db.sqlite) throw new Error('bank import: the SQLite connection is not available');
    return sqliteWriter(db.sqlite, constants);
  }
  return gatheringWriter(trx, constants);
}

/**
 * The company's issued invoices that still have something open (test-mode ones apart), in one
 * read. On PostgreSQL they are locked FOR UPDATE for the caller's transaction: the open amounts
 * read here are what the matches take, so no other payment may take them meanwhile (SQLite has
 * one writer at a time). On SQLite the rows come as arrays straight off the connection: a bank
 * file of 100 000 payments reads as many invoices, and making an object of each row is most of
 * what that read costs.
 */
export async function findOpenInvoicesForMatching(
  db: Pick<Db, 'dialect' | 'sqlite'>,
  trx: Executor,
  companyId: string,
  isTest: boolean,
  customerName: (customerId: string) => string,
): Promise<OpenInvoiceForMatching[]> {
  const open = (row: readonly unknown[]): OpenInvoiceForMatching => ({
    id: row[0] as string,
    documentNumber: (row[1] as string | null) ?? '',
    kid: row[2] as string | null,
    customerId: row[3] as string,
    customerName: customerName(row[3] as string),
    currency: row[4] as string,
    openMinor: Number(row[5]),
    dueDate: row[6] as string | null,
  });
  const where = `"company_id" = ? and "kind" = 'invoice' and "state" = 'issued' and "is_test" = ? and "payable_minor" - "paid_minor" - "credited_minor" > 0`;
  const columns = `"id", "document_number", "kid", "customer_id", "currency", "payable_minor" - "paid_minor" - "credited_minor", "due_date"`;
  if (db.dialect === 'sqlite' && db.sqlite) {
    const rows = db.sqlite.prepare(`select ${columns} from "invoices" where ${where}`).raw().all(companyId, isTest ? 1 : 0) as unknown[][];
    return rows.map(open);
  }
  const rows = await trx
    .selectFrom('invoices')
    .select(['id', 'document_number', 'kid', 'customer_id', 'currency', 'payable_minor', 'paid_minor', 'credited_minor', 'due_date'])
    .where('company_id', '=', companyId)
    .where('kind', '=', 'invoice')
    .where('state', '=', 'issued')
    .where('is_test', '=', isTest ? 1 : 0)
    .where(sql<boolean>`payable_minor - paid_minor - credited_minor > 0`)
    .forUpdate()
    .execute();
  return rows.map((row) => open([row.id, row.document_number, row.kid, row.customer_id, row.currency, row.payable_minor - row.paid_minor - row.credited_minor, row.due_date]));
}

/**
 * Which of `references` already have a live (not duplicate) bank transaction of this kind —
 * payments and reversals are unique per kind. 5 000 per query: a batch's references at once,
 * within both engines' parameter limits.
 */
export async function findKnownBankReferences(executor: Executor, companyId: string, kind: 'payment' | 'reversal', references: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let start = 0; start < references.length; start += 5_000) {
    const rows = await executor
      .selectFrom('bank_transactions')
      .select('bank_reference')
      .where('company_id', '=', companyId)
      .where('kind', '=', kind)
      .where('status', '<>', 'duplicate')
      .where('bank_reference', 'in', references.slice(start, start + 5_000))
      .execute();
    for (const row of rows) if (row.bank_reference) known.add(row.bank_reference);
  }
  return known;
}
