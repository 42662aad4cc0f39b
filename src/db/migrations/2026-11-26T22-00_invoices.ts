import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Invoices, credit notes, their lines and VAT totals, the journal, and the
 * company's invoicing settings. Issued documents and journal postings are
 * protected by triggers on both engines: the database itself refuses to change
 * them, whatever the application does. Frozen in time: Kysely<any>, no app imports.
 */

/** Columns of `invoices` that may still change after issue (payment and delivery state). */
const MUTABLE_AFTER_ISSUE = new Set(['sent_at', 'paid_minor', 'credited_minor', 'updated_at']);

const INVOICE_COLUMNS: Array<[string, 'text' | 'int' | 'bigint' | 'instant', boolean?]> = [
  ['id', 'text', true],
  ['company_id', 'text', true],
  ['kind', 'text', true],
  ['state', 'text', true],
  ['is_test', 'int', true],
  ['series', 'text'],
  ['number', 'bigint'],
  ['document_number', 'text'],
  ['customer_id', 'text', true],
  ['customer_number', 'bigint', true],
  ['buyer_name', 'text', true],
  ['buyer_kind', 'text', true],
  ['buyer_org_number', 'text'],
  ['buyer_email', 'text'],
  ['buyer_address_line1', 'text'],
  ['buyer_address_line2', 'text'],
  ['buyer_postal_code', 'text'],
  ['buyer_city', 'text'],
  ['buyer_country_code', 'text', true],
  ['buyer_peppol_id', 'text'],
  ['buyer_language', 'text', true],
  ['seller_json', 'text'],
  ['issue_date', 'text'],
  ['delivery_date', 'text'],
  ['delivery_period_start', 'text'],
  ['delivery_period_end', 'text'],
  ['delivery_address_json', 'text'],
  ['due_date', 'text'],
  ['payment_terms_days', 'int'],
  ['buyer_reference', 'text'],
  ['order_reference', 'text'],
  ['our_reference', 'text'],
  ['free_text', 'text'],
  ['currency', 'text', true],
  ['exchange_rate_micros', 'bigint', true],
  ['kid', 'text'],
  ['net_total_minor', 'bigint', true],
  ['vat_total_minor', 'bigint', true],
  ['gross_total_minor', 'bigint', true],
  ['payable_minor', 'bigint', true],
  ['net_total_nok_minor', 'bigint', true],
  ['vat_total_nok_minor', 'bigint', true],
  ['gross_total_nok_minor', 'bigint', true],
  ['credited_invoice_id', 'text'],
  ['credited_invoice_number', 'text'],
  ['credited_invoice_date', 'text'],
  ['credit_reason', 'text'],
  ['journal_entry_id', 'text'],
  ['issued_at', 'instant'],
  ['sent_at', 'instant'],
  ['paid_minor', 'bigint', true],
  ['credited_minor', 'bigint', true],
  ['created_at', 'instant', true],
  ['updated_at', 'instant', true],
];


export function invoicesMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const types = {
    text: sql`text`,
    int: sql`integer`,
    bigint: isPg ? sql`bigint` : sql`integer`,
    instant: isPg ? sql`timestamptz` : sql`text`,
  };
  const frozenColumns = INVOICE_COLUMNS.map(([name]) => name).filter((name) => !MUTABLE_AFTER_ISSUE.has(name));

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('companies').addColumn('is_test_mode', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('companies').addColumn('kid_method', 'text', (c) => c.notNull().defaultTo('mod10')).execute();
      await db.schema
        .alterTable('companies')
        .addColumn('kid_composition', 'text', (c) => c.notNull().defaultTo('customer_and_invoice'))
        .execute();
      await db.schema.alterTable('companies').addColumn('kid_customer_digits', 'integer', (c) => c.notNull().defaultTo(6)).execute();
      await db.schema.alterTable('companies').addColumn('kid_invoice_digits', 'integer', (c) => c.notNull().defaultTo(8)).execute();
      await db.schema
        .alterTable('companies')
        .addColumn('credit_note_series', 'text', (c) => c.notNull().defaultTo('invoice'))
        .execute();
      await db.schema.alterTable('companies').addColumn('accounts_json', 'text').execute();

      let invoices = db.schema.createTable('invoices');
      for (const [name, type, notNull] of INVOICE_COLUMNS) {
        invoices = invoices.addColumn(name, types[type], (c) => {
          let column = name === 'id' ? c.primaryKey() : c;
          if (notNull && name !== 'id') column = column.notNull();
          if (name === 'company_id') column = column.references('companies.id');
          if (name === 'customer_id') column = column.references('customers.id');
          return column;
        });
      }
      await invoices
        .addCheckConstraint('invoices_kind_ck', sql`kind in ('invoice', 'credit_note')`)
        .addCheckConstraint('invoices_state_ck', sql`state in ('draft', 'issued')`)
        .addCheckConstraint('invoices_number_ck', sql`(state = 'draft') = (number is null)`)
        .execute();
      await db.schema
        .createIndex('invoices_number_uq')
        .unique()
        .on('invoices')
        .columns(['company_id', 'series', 'number'])
        .execute();
      await db.schema.createIndex('invoices_company_idx').on('invoices').columns(['company_id', 'kind', 'id']).execute();
      await db.schema.createIndex('invoices_customer_idx').on('invoices').columns(['company_id', 'customer_id']).execute();
      await db.schema.createIndex('invoices_credited_idx').on('invoices').column('credited_invoice_id').execute();

      await db.schema
        .createTable('invoice_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.references('products.id'))
        .addColumn('description', 'text')
        .addColumn('quantity_micros', types.bigint, (c) => c.notNull())
        .addColumn('unit_code', 'text', (c) => c.notNull())
        .addColumn('unit_price_micros', types.bigint)
        .addColumn('discount_bp', 'integer', (c) => c.notNull())
        .addColumn('vat_code', 'text', (c) => c.notNull())
        .addColumn('vat_category', 'text', (c) => c.notNull())
        .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
        .addColumn('revenue_account', 'text')
        .addColumn('net_minor', types.bigint, (c) => c.notNull())
        .addColumn('credited_line_id', 'text', (c) => c.references('invoice_lines.id'))
        .execute();
      await db.schema.createIndex('invoice_lines_invoice_idx').on('invoice_lines').columns(['invoice_id', 'position']).execute();
      await db.schema.createIndex('invoice_lines_credited_idx').on('invoice_lines').column('credited_line_id').execute();

      await db.schema
        .createTable('invoice_vat_totals')
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('vat_code', 'text', (c) => c.notNull())
        .addColumn('vat_category', 'text', (c) => c.notNull())
        .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
        .addColumn('taxable_minor', types.bigint, (c) => c.notNull())
        .addColumn('vat_minor', types.bigint, (c) => c.notNull())
        .addColumn('taxable_nok_minor', types.bigint, (c) => c.notNull())
        .addColumn('vat_nok_minor', types.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('invoice_vat_totals_pk', ['invoice_id', 'vat_code'])
        .execute();

      await db.schema
        .createTable('journal_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('voucher', 'text', (c) => c.notNull())
        .addColumn('entry_date', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('is_test', 'integer', (c) => c.notNull())
        .addColumn('created_at', types.instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('journal_entries_source_uq')
        .unique()
        .on('journal_entries')
        .columns(['source_type', 'source_id'])
        .execute();
      await db.schema
        .createIndex('journal_entries_company_idx')
        .on('journal_entries')
        .columns(['company_id', 'entry_date', 'id'])
        .execute();

      await db.schema
        .createTable('journal_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
        .addColumn('company_id', 'text', (c) => c.notNull())
        .addColumn('line_number', 'integer', (c) => c.notNull())
        .addColumn('entry_date', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('debit_minor', types.bigint, (c) => c.notNull())
        .addColumn('credit_minor', types.bigint, (c) => c.notNull())
        .addColumn('vat_code', 'text')
        .addColumn('customer_id', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addCheckConstraint('journal_lines_amount_ck', sql`debit_minor >= 0 and credit_minor >= 0`)
        .execute();
      await db.schema.createIndex('journal_lines_entry_idx').on('journal_lines').columns(['entry_id', 'line_number']).execute();
      await db.schema
        .createIndex('journal_lines_account_idx')
        .on('journal_lines')
        .columns(['company_id', 'account', 'entry_date'])
        .execute();

      // Issued documents, their lines and VAT totals, and every posting are immutable in the database.
      const message = 'issued invoices and journal postings are immutable';
      if (isPg) {
        const changed = sql.raw(
          `ROW(${frozenColumns.map((name) => `NEW.${name}`).join(', ')}) IS DISTINCT FROM ROW(${frozenColumns
            .map((name) => `OLD.${name}`)
            .join(', ')})`,
        );
        await sql`
          CREATE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.state = 'issued' THEN
                RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.state = 'issued' AND ${changed} THEN
              RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
          END $$`.execute(db);
        await sql`CREATE TRIGGER invoices_guard BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_guard()`.execute(db);
        await sql`
          CREATE FUNCTION invoice_children_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND state = 'issued') THEN
              RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id AND state = 'issued') THEN
              RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
          END $$`.execute(db);
        for (const table of ['invoice_lines', 'invoice_vat_totals']) {
          await sql`CREATE TRIGGER ${sql.raw(`${table}_guard`)} BEFORE INSERT OR UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION invoice_children_guard()`.execute(db);
        }
        await sql`
          CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION '${sql.raw(message)}' USING ERRCODE = 'restrict_violation';
          END $$`.execute(db);
        for (const table of ['journal_entries', 'journal_lines']) {
          await sql`CREATE TRIGGER ${sql.raw(`${table}_no_change`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW EXECUTE FUNCTION journal_append_only()`.execute(db);
          await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)} FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only()`.execute(db);
        }
        await sql`CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION journal_append_only()`.execute(db);
      } else {
        const changed = frozenColumns.map((name) => `NEW.${name} IS NOT OLD.${name}`).join(' OR ');
        const abort = `SELECT RAISE(ABORT, '${message}')`;
        await sql.raw(`CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices WHEN OLD.state = 'issued' AND (${changed}) BEGIN ${abort}; END`).execute(db);
        await sql.raw(`CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices WHEN OLD.state = 'issued' BEGIN ${abort}; END`).execute(db);
        for (const table of ['invoice_lines', 'invoice_vat_totals']) {
          const issued = (ref: string) => `(SELECT state FROM invoices WHERE id = ${ref}.invoice_id) = 'issued'`;
          await sql.raw(`CREATE TRIGGER ${table}_no_insert BEFORE INSERT ON ${table} WHEN ${issued('NEW')} BEGIN ${abort}; END`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} WHEN ${issued('OLD')} OR ${issued('NEW')} BEGIN ${abort}; END`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} WHEN ${issued('OLD')} BEGIN ${abort}; END`).execute(db);
        }
        for (const table of ['journal_entries', 'journal_lines']) {
          await sql.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN ${abort}; END`).execute(db);
          await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN ${abort}; END`).execute(db);
        }
      }
    },
  };
}

