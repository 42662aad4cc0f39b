import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Bank file imports (Nets OCR giro, camt.053/054) and their transactions. A file is known by
 * its SHA-256 per company, a transaction by its bank reference per company (unique where
 * present), so a file imported again, or one that overlaps an earlier one, books nothing twice.
 * Transactions that were not booked wait for review. Frozen in time: Kysely<any>.
 */
export function bankImportsMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('bank_imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('file_name', 'text')
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('byte_size', 'integer', (c) => c.notNull())
        .addColumn('format', 'text')
        .addColumn('version', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('duplicate_of_id', 'text')
        .addColumn('summary_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addCheckConstraint('bank_imports_status_ck', sql`status in ('completed', 'rejected', 'duplicate_file')`)
        .execute();
      await db.schema.createIndex('bank_imports_company_idx').on('bank_imports').columns(['company_id', 'created_at']).execute();
      await db.schema.createIndex('bank_imports_sha_idx').on('bank_imports').columns(['company_id', 'sha256']).execute();

      await db.schema
        .createTable('bank_transactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('import_id', 'text', (c) => c.notNull().references('bank_imports.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('bank_reference', 'text')
        .addColumn('booking_date', 'text')
        .addColumn('value_date', 'text')
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('kid', 'text')
        .addColumn('texts_json', 'text', (c) => c.notNull())
        .addColumn('payer_name', 'text')
        .addColumn('payer_account', 'text')
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('match_reason', 'text')
        .addColumn('confidence', 'integer', (c) => c.notNull())
        .addColumn('suggestions_json', 'text', (c) => c.notNull())
        .addColumn('explanation', 'text')
        .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('resolved_at', instant)
        .addCheckConstraint('bank_transactions_status_ck', sql`status in ('booked', 'review', 'duplicate', 'dismissed')`)
        .execute();
      await db.schema.createIndex('bank_transactions_import_idx').on('bank_transactions').columns(['import_id', 'position']).execute();
      await db.schema.createIndex('bank_transactions_review_idx').on('bank_transactions').columns(['company_id', 'status']).execute();
      // One booked or waiting transaction per bank reference: the duplicate rows of a later file carry status 'duplicate'.
      await sql
        .raw(
          `CREATE UNIQUE INDEX bank_transactions_reference_uq ON bank_transactions (company_id, bank_reference) WHERE bank_reference IS NOT NULL AND status <> 'duplicate'`,
        )
        .execute(db);
    },
  };
}
