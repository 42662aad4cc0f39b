import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * A credit note on a paid invoice releases the surplus (paid + credited − payable) from the
 * invoice's payment allocations back to the payments, where it is the customer's credit.
 * Allocations are immutable, so a release is a row of its own, never updated or deleted.
 * Also: the NOK a foreign-currency payment's credit carried when it was applied to an invoice
 * (`payment_allocations.credit_nok_minor`, null when the allocation was made with the payment,
 * or in NOK) or paid back (`payment_refunds.amount_nok_minor`, null in NOK).
 * Frozen in time: Kysely<any>.
 */
export function allocationReleasesMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('payment_allocation_releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('allocation_id', 'text', (c) => c.notNull().references('payment_allocations.id'))
        .addColumn('credit_note_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('amount_nok_minor', 'bigint', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addCheckConstraint('payment_allocation_releases_amount_ck', sql`amount_minor > 0 and amount_nok_minor >= 0`)
        .execute();
      await db.schema.createIndex('payment_allocation_releases_payment_idx').on('payment_allocation_releases').columns(['payment_id']).execute();
      await db.schema.createIndex('payment_allocation_releases_invoice_idx').on('payment_allocation_releases').columns(['invoice_id']).execute();
      await db.schema.createIndex('payment_allocation_releases_note_idx').on('payment_allocation_releases').columns(['credit_note_id']).execute();

      await db.schema.alterTable('payment_allocations').addColumn('credit_nok_minor', 'bigint').execute();
      await db.schema.alterTable('payment_refunds').addColumn('amount_nok_minor', 'bigint').execute();

      const table = 'payment_allocation_releases';
      for (const [event, message] of [
        ['DELETE', 'allocation releases are never deleted'],
        ['UPDATE', 'allocation releases are immutable'],
      ] as const) {
        const name = `${table}_no_${event.toLowerCase()}`;
        if (isPg) {
          await sql.raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${message}'; END; $$ LANGUAGE plpgsql`).execute(db);
          await sql.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`).execute(db);
        } else {
          await sql.raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
        }
      }
    },
  };
}
