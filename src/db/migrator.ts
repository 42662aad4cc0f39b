import { type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { Db } from './database.js';
import { foundationMigration } from './migrations/2026-11-26T21-00_foundation.js';

/** Migrations in order. Names sort by time; never rename or edit a landed migration. */
function listMigrations(db: Db): Record<string, Migration> {
  return {
    '2026-11-26T21-00_foundation': foundationMigration(db.dialect),
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
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    throw result.error instanceof Error ? result.error : new Error(String(result.error));
  }
  return result;
}
