import { type Kysely, Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrator.js';
import { foundationMigration } from '../../src/db/migrations/2026-11-26T21-00_foundation.js';
import { invoicesMigration } from '../../src/db/migrations/2026-11-26T22-00_invoices.js';
import { documentTemplatesMigration } from '../../src/db/migrations/2026-11-27T01-00_document_templates.js';
import { deliveryMigration } from '../../src/db/migrations/2026-11-27T02-00_delivery.js';
import { bulkOperationsMigration } from '../../src/db/migrations/2026-11-27T04-00_bulk_operations.js';
import { ehfDeliveryMigration } from '../../src/db/migrations/2026-11-27T05-00_ehf_delivery.js';
import { createTestDatabase, DIALECTS } from '../helpers/dialects.js';

/**
 * 2026-11-27T06-00_allowance_charges adds line_type (and reason code, percentage, base) to
 * invoice_lines. Lines of documents issued before it become items, keep their figures, and stay
 * immutable; the type accepts only item, allowance and charge.
 */
describe.each(DIALECTS)('allowance and charge migration on a database with issued lines (%s)', (dialect) => {
  it('makes existing lines items, keeps them immutable, and checks the type', async () => {
    const database = await createTestDatabase(dialect);
    const db = database.open();
    try {
      const schema = database.schema;
      const before = new Migrator({
        db: db.kysely,
        provider: {
          getMigrations: async () => ({
            '2026-11-26T21-00_foundation': foundationMigration(dialect),
            '2026-11-26T22-00_invoices': invoicesMigration(dialect),
            '2026-11-27T01-00_document_templates': documentTemplatesMigration(dialect),
            '2026-11-27T02-00_delivery': deliveryMigration(dialect),
            '2026-11-27T04-00_bulk_operations': bulkOperationsMigration(dialect),
            '2026-11-27T05-00_ehf_delivery': ehfDeliveryMigration(dialect),
          }),
        },
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();

      const kysely = db.kysely as unknown as Kysely<any>;
      const now = '2026-11-27T08:00:00.000Z';
      await kysely
        .insertInto('companies')
        .values({ id: 'c1', legal_name: 'Linje AS', org_number: '974760673', is_vat_registered: 1, is_in_foretaksregisteret: 1, country_code: 'NO', payment_terms_days: 14, time_zone: 'Europe/Oslo', default_language: 'nb', created_at: now, updated_at: now })
        .execute();
      await kysely
        .insertInto('customers')
        .values({ id: 'k1', company_id: 'c1', customer_number: 1, kind: 'business', name: 'Kunde AS', country_code: 'NO', language: 'nb', search_text: 'kunde', created_at: now, updated_at: now })
        .execute();
      await kysely
        .insertInto('invoices')
        .values({
          id: 'i1', company_id: 'c1', kind: 'invoice', state: 'draft', is_test: 0, customer_id: 'k1', customer_number: 1, buyer_name: 'Kunde AS',
          buyer_kind: 'business', buyer_country_code: 'NO', buyer_language: 'nb', currency: 'NOK', exchange_rate_micros: 1_000_000,
          net_total_minor: 10000, vat_total_minor: 2500, gross_total_minor: 12500, payable_minor: 12500, net_total_nok_minor: 10000,
          vat_total_nok_minor: 2500, gross_total_nok_minor: 12500, paid_minor: 0, credited_minor: 0, created_at: now, updated_at: now,
        })
        .execute();
      await kysely
        .insertInto('invoice_lines')
        .values({
          id: 'l1', invoice_id: 'i1', company_id: 'c1', position: 1, description: 'Kaffe', quantity_micros: 1_000_000, unit_code: 'C62',
          unit_price_micros: 100_000_000, discount_bp: 0, vat_code: '3', vat_category: 'S', vat_rate_bp: 2500, net_minor: 10000,
        })
        .execute();
      await kysely.updateTable('invoices').set({ state: 'issued', series: 'invoice', number: 1, document_number: '1' }).where('id', '=', 'i1').execute();

      const result = await migrateToLatest(db);
      expect(result.error).toBeUndefined();
      expect(result.results?.[0]).toMatchObject({ migrationName: '2026-11-27T06-00_allowance_charges', status: 'Success' });

      const line = await kysely.selectFrom('invoice_lines').selectAll().where('id', '=', 'l1').executeTakeFirstOrThrow();
      expect(line).toMatchObject({ line_type: 'item', reason_code: null, percent_bp: null, base_minor: null, net_minor: 10000 });
      await expect(sql`update invoice_lines set line_type = 'charge' where id = 'l1'`.execute(kysely)).rejects.toThrow(/immutable/);
      // A draft takes new lines: an allowance yes, an unknown type no.
      await kysely
        .insertInto('invoices')
        .values({
          id: 'i2', company_id: 'c1', kind: 'invoice', state: 'draft', is_test: 0, customer_id: 'k1', customer_number: 1, buyer_name: 'Kunde AS',
          buyer_kind: 'business', buyer_country_code: 'NO', buyer_language: 'nb', currency: 'NOK', exchange_rate_micros: 1_000_000,
          net_total_minor: 0, vat_total_minor: 0, gross_total_minor: 0, payable_minor: 0, net_total_nok_minor: 0,
          vat_total_nok_minor: 0, gross_total_nok_minor: 0, paid_minor: 0, credited_minor: 0, created_at: now, updated_at: now,
        })
        .execute();
      const lineOf = (id: string, lineType: string) => ({
        id, invoice_id: 'i2', company_id: 'c1', position: 1, description: 'Rabatt', quantity_micros: 1_000_000, unit_code: 'C62',
        unit_price_micros: -5_000_000, discount_bp: 0, vat_code: '3', vat_category: 'S', vat_rate_bp: 2500, net_minor: -500, line_type: lineType,
      });
      await kysely.insertInto('invoice_lines').values(lineOf('l2', 'allowance')).execute();
      await expect(kysely.insertInto('invoice_lines').values(lineOf('l3', 'rebate')).execute()).rejects.toThrow(/check/i);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
