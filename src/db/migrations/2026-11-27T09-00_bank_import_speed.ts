import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Cheaper writes for bank imports (100 000 payments in one file), same guarantees:
 * - SQLite's invoices_frozen trigger compared ~50 columns on every update of an issued invoice,
 *   also when only paid_minor moved. It now fires only for updates that name a frozen column
 *   (`BEFORE UPDATE OF …`): an update that names none cannot change one. The columns are read off
 *   the trigger as it stands, so the guarded set stays exactly what it was. (PostgreSQL's guard
 *   compares one row value in plpgsql and is left as it is.)
 * - The review index holds only the transactions that wait (the queue), not every booked one.
 * Frozen in time: Kysely<any>.
 */
export function bankImportSpeedMigration(dialect: DialectName) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await sql`DROP INDEX bank_transactions_review_idx`.execute(db);
      await sql.raw(`CREATE INDEX bank_transactions_review_idx ON bank_transactions (company_id, created_at, position) WHERE status = 'review'`).execute(db);
      if (dialect === 'postgres') return;

      const row = (await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'invoices_frozen'`.execute(db)).rows[0];
      if (!row) throw new Error('trigger invoices_frozen is missing');
      const columns = [...row.sql.matchAll(/NEW\.(\w+) IS NOT OLD\.\1\b/g)].map((match) => match[1]!);
      if (columns.length < 10) throw new Error(`trigger invoices_frozen: could not read its columns (${columns.length})`);
      const rewritten = row.sql.replace(/^CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices /, `CREATE TRIGGER invoices_frozen BEFORE UPDATE OF ${columns.join(', ')} ON invoices `);
      if (rewritten === row.sql) throw new Error('trigger invoices_frozen: unexpected definition');
      await sql`DROP TRIGGER invoices_frozen`.execute(db);
      await sql.raw(rewritten).execute(db);
    },
  };
}
