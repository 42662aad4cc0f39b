import { type Kysely, Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrator.js';
import { foundationMigration } from '../../src/db/migrations/2026-11-26T21-00_foundation.js';
import { invoicesMigration } from '../../src/db/migrations/2026-11-26T22-00_invoices.js';
import { documentTemplatesMigration } from '../../src/db/migrations/2026-11-27T01-00_document_templates.js';
import { deliveryMigration } from '../../src/db/migrations/2026-11-27T02-00_delivery.js';
import { bulkOperationsMigration } from '../../src/db/migrations/2026-11-27T04-00_bulk_operations.js';
import { createTestDatabase, DIALECTS } from '../helpers/dialects.js';

/**
 * 2026-11-27T05-00_ehf_delivery widens document_files' kind check. SQLite cannot alter a
 * CHECK, so the migration rebuilds the table: files archived before it must survive byte
 * for byte, with the unique key and the append-only triggers back in place.
 */
describe.each(DIALECTS)('EHF delivery migration on a database with archived files (%s)', (dialect) => {
  it('keeps the archived files, allows the new kinds only, and stays append-only and unique', async () => {
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
          }),
        },
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      expect((await before.migrateToLatest()).error).toBeUndefined();

      const kysely = db.kysely as unknown as Kysely<any>;
      const now = '2026-11-27T08:00:00.000Z';
      // The smallest real company, customer and two issued documents the files can belong to.
      await kysely
        .insertInto('companies')
        .values({ id: 'c1', legal_name: 'Arkiv AS', org_number: '974760673', is_vat_registered: 1, is_in_foretaksregisteret: 1, country_code: 'NO', payment_terms_days: 14, time_zone: 'Europe/Oslo', default_language: 'nb', created_at: now, updated_at: now })
        .execute();
      await kysely
        .insertInto('customers')
        .values({ id: 'k1', company_id: 'c1', customer_number: 1, kind: 'business', name: 'Kunde AS', country_code: 'NO', language: 'nb', search_text: 'kunde', created_at: now, updated_at: now })
        .execute();
      for (const [id, number] of [['i1', 1], ['i2', 2]] as const) {
        await kysely
          .insertInto('invoices')
          .values({
            id, company_id: 'c1', kind: 'invoice', state: 'issued', is_test: 0, series: 'invoice', number, document_number: String(number),
            customer_id: 'k1', customer_number: 1, buyer_name: 'Kunde AS', buyer_kind: 'business', buyer_country_code: 'NO', buyer_language: 'nb',
            currency: 'NOK', exchange_rate_micros: 1_000_000, net_total_minor: 100, vat_total_minor: 25, gross_total_minor: 125, payable_minor: 125,
            net_total_nok_minor: 100, vat_total_nok_minor: 25, gross_total_nok_minor: 125, paid_minor: 0, credited_minor: 0, created_at: now, updated_at: now,
          })
          .execute();
      }
      const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10, 0x80]);
      const insertFile = (id: string, invoiceId: string, kind: string) =>
        kysely
          .insertInto('document_files')
          .values({ id, company_id: 'c1', invoice_id: invoiceId, kind, bytes: pdf, byte_size: pdf.length, sha256: 'h', created_at: now })
          .execute();
      await insertFile('f1', 'i1', 'pdf');
      await insertFile('f2', 'i2', 'pdf');
      await expect(insertFile('f0', 'i1', 'ehf')).rejects.toThrow(/check|document_files_kind_ck/i);

      const result = await migrateToLatest(db);
      // This migration, and any that came after it, all succeed.
      const ran = result.results?.map((entry) => [entry.migrationName, entry.status]) ?? [];
      expect(ran[0]).toEqual(['2026-11-27T05-00_ehf_delivery', 'Success']);
      expect(ran.every(([, status]) => status === 'Success')).toBe(true);

      const rows = await kysely.selectFrom('document_files').selectAll().orderBy('id').execute();
      expect(rows.map((row) => [row.id, row.invoice_id, row.kind, Buffer.compare(Buffer.from(row.bytes), pdf)])).toEqual([
        ['f1', 'i1', 'pdf', 0],
        ['f2', 'i2', 'pdf', 0],
      ]);
      await insertFile('f3', 'i1', 'ehf');
      await insertFile('f4', 'i1', 'archive_pdf');
      await expect(insertFile('f5', 'i1', 'docx')).rejects.toThrow(/check|document_files_kind_ck/i);
      await expect(insertFile('f6', 'i1', 'ehf')).rejects.toThrow(/unique|duplicate/i);
      await expect(insertFile('f7', 'no-such-invoice', 'ehf')).rejects.toThrow(/foreign key/i);
      await expect(kysely.updateTable('document_files').set({ sha256: 'x' }).where('id', '=', 'f1').execute()).rejects.toThrow(/append-only/);
      await expect(kysely.deleteFrom('document_files').where('id', '=', 'f3').execute()).rejects.toThrow(/append-only/);
      expect(await kysely.selectFrom('document_files').select('id').orderBy('id').execute()).toEqual([{ id: 'f1' }, { id: 'f2' }, { id: 'f3' }, { id: 'f4' }]);

      // The customer's channel: email, ehf or null (automatic) only.
      expect(await kysely.selectFrom('customers').select('delivery_channel').execute()).toEqual([{ delivery_channel: null }]);
      await kysely.updateTable('customers').set({ delivery_channel: 'ehf' }).where('id', '=', 'k1').execute();
      await expect(kysely.updateTable('customers').set({ delivery_channel: 'fax' }).where('id', '=', 'k1').execute()).rejects.toThrow(/check/i);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
