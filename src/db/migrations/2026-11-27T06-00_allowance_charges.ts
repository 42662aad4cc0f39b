import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Document-level allowances and charges (EN 16931 BG-20/BG-21) are stored as lines of their
 * document with `line_type` 'allowance' or 'charge' (quantity 1, a signed unit price, one VAT
 * code each), so that credit notes credit them with the same per-line bookkeeping as items.
 * `reason_code` is UNCL 5189 (allowance) or UNCL 7161 (charge); `percent_bp` and `base_minor`
 * are set when the amount was given as a percentage of the item lines of its VAT code.
 * Frozen in time: Kysely<any>.
 */
export function allowanceChargesMigration(_dialect: DialectName) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('invoice_lines')
        .addColumn('line_type', 'text', (c) =>
          c.notNull().defaultTo('item').check(sql`line_type in ('item', 'allowance', 'charge')`),
        )
        .execute();
      await db.schema.alterTable('invoice_lines').addColumn('reason_code', 'text').execute();
      await db.schema.alterTable('invoice_lines').addColumn('percent_bp', 'integer').execute();
      await db.schema.alterTable('invoice_lines').addColumn('base_minor', 'bigint').execute();
    },
  };
}
