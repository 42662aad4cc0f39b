import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Bulk operations (issue and send many drafts, download many PDFs as one ZIP): one row per
 * operation with its progress counters, and one row per document with its own outcome.
 * The work itself runs as jobs on the `jobs` table. Items name their invoice without a
 * foreign key: a draft that failed its legal check may be deleted later, and the
 * operation's report must not stop that. Frozen in time: Kysely<any>.
 */
export function bulkOperationsMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('bulk_operations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('done_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('chunk_size', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('ip_address', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('started_at', instant)
        .addColumn('finished_at', instant)
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('bulk_operations_kind_ck', sql`kind in ('issue_and_send', 'pdf_zip')`)
        .addCheckConstraint(
          'bulk_operations_status_ck',
          sql`status in ('queued', 'running', 'completed', 'completed_with_errors', 'failed')`,
        )
        .addCheckConstraint(
          'bulk_operations_counts_ck',
          sql`total >= 1 and done_count >= 0 and failed_count >= 0 and failed_count <= done_count and done_count <= total and chunk_size >= 1`,
        )
        .execute();
      await db.schema.createIndex('bulk_operations_company_idx').on('bulk_operations').columns(['company_id', 'created_at']).execute();

      await db.schema
        .createTable('bulk_operation_items')
        .addColumn('operation_id', 'text', (c) => c.notNull().references('bulk_operations.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('invoice_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('document_number', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('details_json', 'text')
        .addColumn('delivery_id', 'text')
        .addColumn('file_name', 'text')
        .addColumn('byte_size', 'integer')
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('bulk_operation_items_pk', ['operation_id', 'position'])
        .addUniqueConstraint('bulk_operation_items_invoice_uq', ['operation_id', 'invoice_id'])
        .addCheckConstraint('bulk_operation_items_status_ck', sql`status in ('pending', 'succeeded', 'failed')`)
        .execute();
    },
  };
}
