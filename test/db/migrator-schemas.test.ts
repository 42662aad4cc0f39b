import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

/**
 * Several schemas in one PostgreSQL database (parallel test runs, or instances with their own
 * DATABASE_SCHEMA) must each get their own migration bookkeeping. Kysely's introspection sees
 * every schema, so the migrator has to be told which one is ours.
 */
describe.runIf(DIALECTS.includes('postgres'))('migrations in several PostgreSQL schemas of one database', () => {
  it('migrates a second schema while the first, already migrated, is in use; re-running is a no-op', async () => {
    const opened: Array<{ database: TestDatabase; db: Db }> = [];
    try {
      for (let index = 0; index < 2; index++) {
        const database = await createTestDatabase('postgres');
        const db = database.open();
        opened.push({ database, db });
        const result = await migrateToLatest(db);
        expect(result.error).toBeUndefined();
        const statuses = result.results?.map((entry) => [entry.migrationName, entry.status]) ?? [];
        expect(statuses[0]).toEqual(['2026-11-26T21-00_foundation', 'Success']);
        expect(statuses.every(([, status]) => status === 'Success')).toBe(true);
      }
      for (const { database, db } of opened) {
        const tables = await sql<{ table_name: string }>`
          select table_name from information_schema.tables
          where table_schema = ${database.schema!} and table_name in ('kysely_migration', 'kysely_migration_lock', 'customers')
          order by table_name`.execute(db.kysely);
        expect(tables.rows.map((row) => row.table_name)).toEqual(['customers', 'kysely_migration', 'kysely_migration_lock']);
        const again = await migrateToLatest(db);
        expect(again.results).toEqual([]);
      }
    } finally {
      for (const { database, db } of opened) {
        await db.destroy();
        await database.drop();
      }
    }
  });
});
