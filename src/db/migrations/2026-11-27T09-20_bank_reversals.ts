import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Bank reversals of incoming payments (camt DBIT entries with RvslInd=true, OCR giro types 18
 * and 20) are stored as bank transactions of kind 'reversal'; a booked one names the payment it
 * reversed in payment_id. Duplicate detection stays per bank reference, now per kind: a
 * reversal may carry the reference of the payment it takes back, and each is imported once.
 * resolution_note: why a person dismissed a waiting transaction (or how it was resolved).
 * Frozen in time: Kysely<any>.
 */
export function bankReversalsMigration(_dialect: DialectName) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('bank_transactions')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('payment').check(sql`kind in ('payment', 'reversal')`))
        .execute();
      await db.schema.alterTable('bank_transactions').addColumn('resolution_note', 'text').execute();
      await db.schema.dropIndex('bank_transactions_reference_uq').execute();
      await sql
        .raw(
          `CREATE UNIQUE INDEX bank_transactions_reference_uq ON bank_transactions (company_id, kind, bank_reference) WHERE bank_reference IS NOT NULL AND status <> 'duplicate'`,
        )
        .execute(db);
    },
  };
}
