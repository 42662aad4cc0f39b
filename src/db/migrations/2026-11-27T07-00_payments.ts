import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Payments received (innbetalinger) and what they settle. A payment is booked once (debit the
 * bank account, credit receivables) and is never deleted: a reversal marks it and posts the
 * mirror entry. Allocations tie a payment to the invoices it pays; what is not allocated is the
 * customer's credit. Amounts in minor units of the payment's currency, and in NOK øre.
 * Frozen in time: Kysely<any>.
 */
export function paymentsMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
        .addColumn('payment_date', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('amount_nok_minor', 'bigint', (c) => c.notNull())
        .addColumn('exchange_rate_micros', 'bigint', (c) => c.notNull())
        .addColumn('ledger_account', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('payer_name', 'text')
        .addColumn('payer_account', 'text')
        .addColumn('bank_reference', 'text')
        .addColumn('note', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('is_test', 'integer', (c) => c.notNull())
        .addColumn('voucher', 'text', (c) => c.notNull())
        .addColumn('journal_entry_id', 'text', (c) => c.notNull())
        .addColumn('reversed_at', instant)
        .addColumn('reversal_reason', 'text')
        .addColumn('reversal_journal_entry_id', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('payments_amount_ck', sql`amount_minor > 0 and amount_nok_minor > 0 and exchange_rate_micros > 0`)
        .addCheckConstraint('payments_source_ck', sql`source in ('manual', 'bank_import')`)
        .execute();
      await db.schema.createIndex('payments_company_idx').on('payments').columns(['company_id', 'payment_date', 'id']).execute();
      await db.schema.createIndex('payments_customer_idx').on('payments').columns(['company_id', 'customer_id']).execute();

      await db.schema
        .createTable('payment_allocations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('amount_nok_minor', 'bigint', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addCheckConstraint('payment_allocations_amount_ck', sql`amount_minor > 0`)
        .execute();
      await db.schema.createIndex('payment_allocations_payment_idx').on('payment_allocations').columns(['payment_id']).execute();
      await db.schema.createIndex('payment_allocations_invoice_idx').on('payment_allocations').columns(['invoice_id']).execute();

      // Customer credit paid back: debit 1500, credit the bank account.
      await db.schema
        .createTable('payment_refunds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
        .addColumn('refund_date', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('voucher', 'text', (c) => c.notNull())
        .addColumn('journal_entry_id', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addCheckConstraint('payment_refunds_amount_ck', sql`amount_minor > 0`)
        .execute();
      await db.schema.createIndex('payment_refunds_payment_idx').on('payment_refunds').columns(['payment_id']).execute();

      // Never deleted: a payment is reversed, an allocation or refund stays as history.
      const message = 'payments are reversed, never deleted';
      for (const table of ['payments', 'payment_allocations', 'payment_refunds']) {
        if (isPg) {
          await sql
            .raw(
              `CREATE OR REPLACE FUNCTION ${table}_no_delete() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}'; END; $$ LANGUAGE plpgsql`,
            )
            .execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_no_delete()`).execute(db);
        } else {
          await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
        }
      }
      await sql.raw(
        isPg
          ? `CREATE OR REPLACE FUNCTION payment_allocations_no_update() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'payment allocations are immutable'; END; $$ LANGUAGE plpgsql`
          : `CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations BEGIN SELECT RAISE(ABORT, 'payment allocations are immutable'); END`,
      ).execute(db);
      if (isPg) {
        await sql.raw(`CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations FOR EACH ROW EXECUTE FUNCTION payment_allocations_no_update()`).execute(db);
      }
    },
  };
}
