import { executeNumbered, insertBulkInto } from '../compiled-queries.js';
import type { DialectName } from '../database.js';
import type { Executor } from './executor.js';

/**
 * A bank import's rows written set-wise. Per batch, each transaction (and, for a booked one,
 * its payment) goes into one staging row and each allocation or credit line into another;
 * then a handful of INSERT … SELECT statements fill bank_transactions, payments,
 * payment_allocations and journal_lines, and one UPDATE … FROM raises the invoices' paid
 * amounts. Binding values one by one from JavaScript is what a bulk write costs most; this
 * binds each value once, where writing the four tables directly bound most of them twice or
 * three times. The staging tables are temporary (per connection; on PostgreSQL emptied at
 * commit) and emptied after each batch; a rollback takes their rows back too.
 */

const TYPES = { text: 'text', int: 'integer', big: 'bigint' } as const;

const STAGE_TX = [
  ['position', 'int'],
  ['id', 'text'],
  ['grp', 'int'],
  ['bank_reference', 'text'],
  ['booking_date', 'text'],
  ['value_date', 'text'],
  ['currency', 'text'],
  ['amount_minor', 'big'],
  ['kid', 'text'],
  ['texts_json', 'text'],
  ['payer_name', 'text'],
  ['payer_account', 'text'],
  ['location', 'text'],
  ['status', 'text'],
  ['match_reason', 'text'],
  ['confidence', 'int'],
  ['suggestions_json', 'text'],
  ['explanation', 'text'],
  ['payment_id', 'text'],
  ['customer_id', 'text'],
  ['reference', 'text'],
] as const;

const STAGE_LINE = [
  ['position', 'int'],
  ['allocation_id', 'text'],
  ['invoice_id', 'text'],
  ['document_number', 'text'],
  ['amount_minor', 'big'],
  ['line_id', 'text'],
  ['line_number', 'int'],
] as const;

const STAGE_VOUCHER = [
  ['grp', 'int'],
  ['entry_id', 'text'],
  ['voucher', 'text'],
  ['entry_date', 'text'],
] as const;

type Cell = string | number | null;
/**
 * One transaction of the file as staged, its values in the order of STAGE_TX: every
 * bank_transactions column, and the payment's own (customer, reference) when booked.
 */
export type StagedTransaction = readonly [position: number, id: string, grp: number | null, ...rest: Cell[]];
/** One credit line of a booked payment, in the order of STAGE_LINE: an allocation to an invoice, or (no allocation, no invoice) the customer's credit. */
export type StagedLine = readonly [position: number, allocationId: string | null, invoiceId: string | null, documentNumber: string | null, amountMinor: number, lineId: string, lineNumber: number];

export const STAGED_TRANSACTION_COLUMNS = STAGE_TX.map(([name]) => name);
const TX_COLUMNS = STAGED_TRANSACTION_COLUMNS;
const LINE_COLUMNS = STAGE_LINE.map(([name]) => name);

function ddl(dialect: DialectName, table: string, columns: ReadonlyArray<readonly [string, keyof typeof TYPES]>, primaryKey: string | null): string {
  const body = columns.map(([name, type]) => `"${name}" ${TYPES[type]}${name === primaryKey ? ' primary key' : ''}`).join(', ');
  return `create temporary table if not exists "${table}" (${body})${dialect === 'postgres' ? ' on commit delete rows' : ''}`;
}

export interface BankStageConstants {
  companyId: string;
  importId: string;
  now: string;
  isTest: number;
  ledgerAccount: string;
  receivableAccount: string;
  note: string;
}

export function createBankStaging(db: Executor, dialect: DialectName, constants: BankStageConstants) {
  /** `?n` / `$n::type` (PostgreSQL cannot tell a parameter's type in a select list). */
  const p = (n: number, type?: string) => (dialect === 'postgres' ? `$${n}${type ? `::${type}` : ''}` : `?${n}`);
  const instant = dialect === 'postgres' ? 'timestamptz' : undefined;
  const run = (text: string, parameters: unknown[]) => executeNumbered(db, dialect, text, parameters);

  return {
    async prepare(): Promise<void> {
      await run(ddl(dialect, 'bank_stage_tx', STAGE_TX, 'position'), []);
      await run(ddl(dialect, 'bank_stage_line', STAGE_LINE, null), []);
      await run(ddl(dialect, 'bank_stage_voucher', STAGE_VOUCHER, 'grp'), []);
      await run(`create index if not exists "bank_stage_line_invoice" on "bank_stage_line" ("invoice_id")`, []);
      for (const table of ['bank_stage_tx', 'bank_stage_line', 'bank_stage_voucher']) await run(`delete from "${table}"`, []);
    },

    async addVoucher(grp: number, entryId: string, voucher: string, entryDate: string): Promise<void> {
      await insertBulkInto(db, dialect, 'bank_stage_voucher', {}, STAGE_VOUCHER.map(([name]) => name), [[grp, entryId, voucher, entryDate]]);
    },

    /** Writes one batch: the transactions (all of them), the payments of the booked ones, their allocations and credit lines, the invoices' paid amounts. */
    async writeBatch(transactions: readonly StagedTransaction[], lines: readonly StagedLine[]): Promise<void> {
      if (transactions.length === 0) return;
      await insertBulkInto(db, dialect, 'bank_stage_tx', {}, TX_COLUMNS, transactions);
      await insertBulkInto(db, dialect, 'bank_stage_line', {}, LINE_COLUMNS, lines);
      const c = constants;
      if (lines.length > 0) {
        await run(
          `insert into "payments" ("id", "company_id", "customer_id", "payment_date", "currency", "amount_minor", "amount_nok_minor", "exchange_rate_micros", "ledger_account", "reference", "payer_name", "payer_account", "bank_reference", "note", "source", "is_test", "voucher", "journal_entry_id", "created_at", "updated_at") ` +
            `select s."payment_id", ${p(1, 'text')}, s."customer_id", v."entry_date", s."currency", s."amount_minor", s."amount_minor", 1000000, ${p(2, 'text')}, s."reference", s."payer_name", s."payer_account", s."bank_reference", ${p(3, 'text')}, 'bank_import', ${p(4, 'integer')}, v."voucher", v."entry_id", ${p(5, instant)}, ${p(5, instant)} ` +
            `from "bank_stage_tx" s join "bank_stage_voucher" v on v."grp" = s."grp" where s."payment_id" is not null order by s."position"`,
          [c.companyId, c.ledgerAccount, c.note, c.isTest, c.now],
        );
        await run(
          `insert into "payment_allocations" ("id", "company_id", "payment_id", "invoice_id", "amount_minor", "amount_nok_minor", "created_at") ` +
            `select l."allocation_id", ${p(1, 'text')}, s."payment_id", l."invoice_id", l."amount_minor", l."amount_minor", ${p(2, instant)} ` +
            `from "bank_stage_line" l join "bank_stage_tx" s on s."position" = l."position" where l."invoice_id" is not null`,
          [c.companyId, c.now],
        );
        // The description as buildBankCreditLines writes it: "<bank reference or voucher>[ <payer>]: faktura <n>" / ": kundens tilgode".
        await run(
          `insert into "journal_lines" ("id", "entry_id", "company_id", "line_number", "entry_date", "account", "debit_minor", "credit_minor", "vat_code", "customer_id", "description") ` +
            `select l."line_id", v."entry_id", ${p(1, 'text')}, l."line_number", v."entry_date", ${p(2, 'text')}, 0, l."amount_minor", null, s."customer_id", ` +
            `coalesce(s."bank_reference", v."voucher") || coalesce(' ' || s."payer_name", '') || case when l."invoice_id" is null then ': kundens tilgode' else ': faktura ' || l."document_number" end ` +
            `from "bank_stage_line" l join "bank_stage_tx" s on s."position" = l."position" join "bank_stage_voucher" v on v."grp" = s."grp"`,
          [c.companyId, c.receivableAccount],
        );
        const invoices = await run(`select count(distinct "invoice_id") as "n" from "bank_stage_line" where "invoice_id" is not null`, []);
        const expected = Number((invoices.rows[0] as { n: number | string }).n);
        // Each invoice found by its key (the IN list), its amount summed through the staging index:
        // an UPDATE … FROM let SQLite walk the whole invoices table once per batch.
        const updated = await run(
          `update "invoices" set "paid_minor" = "paid_minor" + (select sum(l."amount_minor") from "bank_stage_line" l where l."invoice_id" = "invoices"."id"), "updated_at" = ${p(1, instant)} ` +
            `where "company_id" = ${p(2, 'text')} and "id" in (select "invoice_id" from "bank_stage_line" where "invoice_id" is not null)`,
          [c.now, c.companyId],
        );
        if (Number(updated.numAffectedRows ?? expected) !== expected) throw new Error(`bank import: ${expected} invoices to update, ${updated.numAffectedRows} updated`);
      }
      await run(
        `insert into "bank_transactions" ("id", "company_id", "import_id", "position", "bank_reference", "booking_date", "value_date", "currency", "amount_minor", "kid", "texts_json", "payer_name", "payer_account", "location", "status", "match_reason", "confidence", "suggestions_json", "explanation", "payment_id", "created_at", "resolved_at") ` +
          `select s."id", ${p(1, 'text')}, ${p(2, 'text')}, s."position", s."bank_reference", s."booking_date", s."value_date", s."currency", s."amount_minor", s."kid", s."texts_json", s."payer_name", s."payer_account", s."location", s."status", s."match_reason", s."confidence", s."suggestions_json", s."explanation", s."payment_id", ${p(3, instant)}, ` +
          `case when s."status" = 'booked' then ${p(3, instant)} end from "bank_stage_tx" s order by s."position"`,
        [c.companyId, c.importId, c.now],
      );
      await run(`delete from "bank_stage_line"`, []);
      await run(`delete from "bank_stage_tx"`, []);
    },

    async finish(): Promise<void> {
      await run(`delete from "bank_stage_voucher"`, []);
    },
  };
}
