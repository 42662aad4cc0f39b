import { type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { foundationMigration } from './migrations/2026-11-26T21-00_foundation.js';
import { invoicesMigration } from './migrations/2026-11-26T22-00_invoices.js';
import { documentTemplatesMigration } from './migrations/2026-11-27T01-00_document_templates.js';
import { deliveryMigration } from './migrations/2026-11-27T02-00_delivery.js';
import { bulkOperationsMigration } from './migrations/2026-11-27T04-00_bulk_operations.js';
import { ehfDeliveryMigration } from './migrations/2026-11-27T05-00_ehf_delivery.js';
import { allowanceChargesMigration } from './migrations/2026-11-27T06-00_allowance_charges.js';
import { paymentsMigration } from './migrations/2026-11-27T07-00_payments.js';
import { bankImportsMigration } from './migrations/2026-11-27T08-00_bank_imports.js';
import { bankImportSpeedMigration } from './migrations/2026-11-27T09-00_bank_import_speed.js';
import { allocationReleasesMigration } from './migrations/2026-11-27T09-10_allocation_releases.js';
import { bankReversalsMigration } from './migrations/2026-11-27T09-20_bank_reversals.js';

/** Migrations in order. Names sort by time; never rename or edit a landed migration. */
function listMigrations(db: Db): Record<string, Migration> {
  return {
    '2026-11-26T21-00_foundation': foundationMigration(db.dialect),
    '2026-11-26T22-00_invoices': invoicesMigration(db.dialect),
    '2026-11-27T01-00_document_templates': documentTemplatesMigration(db.dialect),
    '2026-11-27T02-00_delivery': deliveryMigration(db.dialect),
    '2026-11-27T04-00_bulk_operations': bulkOperationsMigration(db.dialect),
    '2026-11-27T05-00_ehf_delivery': ehfDeliveryMigration(db.dialect),
    '2026-11-27T06-00_allowance_charges': allowanceChargesMigration(db.dialect),
    '2026-11-27T07-00_payments': paymentsMigration(db.dialect),
    '2026-11-27T08-00_bank_imports': bankImportsMigration(db.dialect),
    '2026-11-27T09-00_bank_import_speed': bankImportSpeedMigration(db.dialect),
    '2026-11-27T09-10_allocation_releases': allocationReleasesMigration(db.dialect),
    '2026-11-27T09-20_bank_reversals': bankReversalsMigration(db.dialect),
  };
}

/**
 * Brings the schema up to date. Safe to run from several app instances at once:
 * Kysely's migrator takes a lock (a row lock on PostgreSQL) before it migrates.
 */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => listMigrations(db) },
    ...(db.dialect === 'postgres' ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw result.error instanceof Error ? result.error : new Error(String(result.error));
  }
  return result;
}

/**
 * The schema this connection works in (DATABASE_SCHEMA, else the search_path's first). Kysely's
 * PostgreSQL introspection sees the tables of every schema, so without naming this schema its
 * migrator takes another schema's kysely_migration tables for ours and fails with
 * `relation "kysely_migration_lock" does not exist` (two instances or test runs in one database).
 */
async function currentSchema(db: Db): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db.kysely);
  return rows[0]?.schema ?? undefined;
}
