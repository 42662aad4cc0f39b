import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Document templates (design, colour, font, texts, optional fields, logo) per
 * company, and the archive of rendered documents: the PDF of an issued invoice or
 * credit note is stored once, at its first request, and served from here for ever
 * (append-only, like the audit log). Frozen in time: Kysely<any>, no app imports.
 */
export function documentTemplatesMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;
  const bytes = isPg ? sql`bytea` : sql`blob`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('document_templates')
        .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
        .addColumn('design', 'text', (c) => c.notNull())
        .addColumn('accent_color', 'text', (c) => c.notNull())
        .addColumn('font', 'text', (c) => c.notNull())
        .addColumn('header_text', 'text')
        .addColumn('footer_text', 'text')
        .addColumn('payment_text', 'text')
        .addColumn('show_fields_json', 'text', (c) => c.notNull())
        .addColumn('logo', bytes)
        .addColumn('logo_content_type', 'text')
        .addColumn('logo_sha256', 'text')
        .addColumn('logo_width', 'integer')
        .addColumn('logo_height', 'integer')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('document_templates_design_ck', sql`design in ('classic', 'modern', 'compact')`)
        .addCheckConstraint('document_templates_font_ck', sql`font in ('sans', 'serif', 'condensed')`)
        .addCheckConstraint('document_templates_logo_ck', sql`(logo is null) = (logo_sha256 is null)`)
        .execute();

      await db.schema
        .createTable('document_files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('bytes', bytes, (c) => c.notNull())
        .addColumn('byte_size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addCheckConstraint('document_files_kind_ck', sql`kind in ('pdf')`)
        .execute();
      // One archived file per document and kind: two first requests at once end with one row.
      await db.schema.createIndex('document_files_invoice_uq').unique().on('document_files').columns(['invoice_id', 'kind']).execute();
      await db.schema.createIndex('document_files_company_idx').on('document_files').columns(['company_id', 'invoice_id']).execute();

      // What was sent is what is served for ever: archived files never change and are never deleted.
      const message = 'document_files is append-only';
      if (isPg) {
        await sql`
          CREATE FUNCTION document_files_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
          END $$`.execute(db);
        await sql`
          CREATE TRIGGER document_files_no_change BEFORE UPDATE OR DELETE ON document_files
          FOR EACH ROW EXECUTE FUNCTION document_files_append_only()`.execute(db);
        await sql`
          CREATE TRIGGER document_files_no_truncate BEFORE TRUNCATE ON document_files
          FOR EACH STATEMENT EXECUTE FUNCTION document_files_append_only()`.execute(db);
      } else {
        await sql.raw(`CREATE TRIGGER document_files_no_update BEFORE UPDATE ON document_files BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
        await sql.raw(`CREATE TRIGGER document_files_no_delete BEFORE DELETE ON document_files BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
      }
    },
  };
}
