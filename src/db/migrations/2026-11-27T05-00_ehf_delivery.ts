import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * EHF delivery through an access point: per-company EHF settings (attach the PDF, which access
 * point — none, an HTTP provider with a sealed token, or a folder), the customer's preferred
 * delivery channel, and two more kinds of archived files — the EHF XML as first made (what an
 * access point receives and GET …/ehf serves for ever) and the PDF/A-3 archive copy with that
 * XML embedded. Frozen in time: Kysely<any>.
 */
export function ehfDeliveryMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;
  const bytes = isPg ? sql`bytea` : sql`blob`;
  const kinds = sql`kind in ('pdf', 'archive_pdf', 'ehf')`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ehf_settings')
        .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
        .addColumn('attach_pdf', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('access_point_kind', 'text', (c) => c.notNull())
        .addColumn('access_point_url', 'text')
        .addColumn('access_point_token_sealed', 'text')
        .addColumn('folder_path', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('ehf_settings_kind_ck', sql`access_point_kind in ('none', 'http', 'folder')`)
        .addCheckConstraint('ehf_settings_attach_pdf_ck', sql`attach_pdf in (0, 1)`)
        .execute();

      // null: automatic (EHF when the customer has a PEPPOL id, else e-mail).
      await db.schema
        .alterTable('customers')
        .addColumn('delivery_channel', 'text', (c) => c.check(sql`delivery_channel in ('email', 'ehf')`))
        .execute();

      if (isPg) {
        await sql`ALTER TABLE document_files DROP CONSTRAINT document_files_kind_ck`.execute(db);
        await sql`ALTER TABLE document_files ADD CONSTRAINT document_files_kind_ck CHECK (${kinds})`.execute(db);
        return;
      }

      // SQLite cannot change a CHECK constraint: rebuild the table (nothing references it), in one
      // transaction, keeping its indexes and its append-only triggers. Kysely runs SQLite migrations
      // outside a transaction, so this makes the rebuild all-or-nothing itself.
      const message = 'document_files is append-only';
      await db.transaction().execute(async (trx) => {
        await sql`DROP TRIGGER document_files_no_update`.execute(trx);
        await sql`DROP TRIGGER document_files_no_delete`.execute(trx);
        await trx.schema
          .createTable('document_files_rebuilt')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
          .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('bytes', bytes, (c) => c.notNull())
          .addColumn('byte_size', 'integer', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('created_at', instant, (c) => c.notNull())
          .addCheckConstraint('document_files_kind_ck', kinds)
          .execute();
        await sql`INSERT INTO document_files_rebuilt (id, company_id, invoice_id, kind, bytes, byte_size, sha256, created_at)
          SELECT id, company_id, invoice_id, kind, bytes, byte_size, sha256, created_at FROM document_files`.execute(trx);
        await sql`DROP TABLE document_files`.execute(trx);
        await sql`ALTER TABLE document_files_rebuilt RENAME TO document_files`.execute(trx);
        await trx.schema.createIndex('document_files_invoice_uq').unique().on('document_files').columns(['invoice_id', 'kind']).execute();
        await trx.schema.createIndex('document_files_company_idx').on('document_files').columns(['company_id', 'invoice_id']).execute();
        await sql.raw(`CREATE TRIGGER document_files_no_update BEFORE UPDATE ON document_files BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(trx);
        await sql.raw(`CREATE TRIGGER document_files_no_delete BEFORE DELETE ON document_files BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(trx);
      });
    },
  };
}
