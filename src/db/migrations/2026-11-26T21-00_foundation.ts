import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Foundation: tenants, users, memberships, sessions, API keys, customers,
 * products, audit log, idempotency keys, number series.
 * Frozen in time: uses Kysely<any> and imports no application code.
 */
export function foundationMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;
  const bigint = isPg ? 'bigint' : 'integer';

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('companies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('legal_name', 'text', (c) => c.notNull())
        .addColumn('org_number', 'text', (c) => c.notNull())
        .addColumn('is_vat_registered', 'integer', (c) => c.notNull().check(sql`is_vat_registered in (0, 1)`))
        .addColumn('is_in_foretaksregisteret', 'integer', (c) =>
          c.notNull().check(sql`is_in_foretaksregisteret in (0, 1)`),
        )
        .addColumn('address_line1', 'text')
        .addColumn('address_line2', 'text')
        .addColumn('postal_code', 'text')
        .addColumn('city', 'text')
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('bank_account', 'text')
        .addColumn('iban', 'text')
        .addColumn('bic', 'text')
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('website', 'text')
        .addColumn('payment_terms_days', 'integer', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('default_language', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('companies_org_number_uq').unique().on('companies').column('org_number').execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_email_uq').unique().on('users').column('email').execute();

      await db.schema
        .createTable('memberships')
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['company_id', 'user_id'])
        .execute();
      await db.schema.createIndex('memberships_user_idx').on('memberships').column('user_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('company_id', 'text', (c) => c.references('companies.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('last_seen_at', instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_token_hash_uq').unique().on('sessions').column('token_hash').execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failure_count', 'integer', (c) => c.notNull())
        .addColumn('first_failure_at', instant, (c) => c.notNull())
        .addColumn('locked_until', instant)
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('last_used_at', instant)
        .addColumn('revoked_at', instant)
        .execute();
      await db.schema.createIndex('api_keys_key_hash_uq').unique().on('api_keys').column('key_hash').execute();
      await db.schema.createIndex('api_keys_company_idx').on('api_keys').columns(['company_id', 'id']).execute();

      await db.schema
        .createTable('number_series')
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('next_value', bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('number_series_pk', ['company_id', 'series'])
        .execute();

      await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('customer_number', bigint, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('business', 'person')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('org_number', 'text')
        .addColumn('contact_name', 'text')
        .addColumn('email', 'text')
        .addColumn('phone', 'text')
        .addColumn('address_line1', 'text')
        .addColumn('address_line2', 'text')
        .addColumn('postal_code', 'text')
        .addColumn('city', 'text')
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('delivery_address_line1', 'text')
        .addColumn('delivery_address_line2', 'text')
        .addColumn('delivery_postal_code', 'text')
        .addColumn('delivery_city', 'text')
        .addColumn('delivery_country_code', 'text')
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('payment_terms_days', 'integer')
        .addColumn('peppol_id', 'text')
        .addColumn('notes', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('archived_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('customers_number_uq')
        .unique()
        .on('customers')
        .columns(['company_id', 'customer_number'])
        .execute();
      await db.schema.createIndex('customers_name_idx').on('customers').columns(['company_id', 'name', 'id']).execute();

      await db.schema
        .createTable('products')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('product_number', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('unit_code', 'text', (c) => c.notNull())
        .addColumn('unit_price_micros', bigint, (c) => c.notNull())
        .addColumn('vat_code', 'text', (c) => c.notNull())
        .addColumn('revenue_account', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('archived_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('products_number_uq')
        .unique()
        .on('products')
        .columns(['company_id', 'product_number'])
        .execute();
      await db.schema.createIndex('products_name_idx').on('products').columns(['company_id', 'name', 'id']).execute();

      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.references('companies.id'))
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text')
        .addColumn('details_json', 'text')
        .addColumn('ip_address', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_company_idx').on('audit_events').columns(['company_id', 'id']).execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'idempotency_key'])
        .execute();

      // The audit log is append-only: the database itself refuses UPDATE and DELETE.
      if (isPg) {
        await sql`
          CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'restrict_violation';
          END $$`.execute(db);
        await sql`
          CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
          FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`.execute(db);
        await sql`
          CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
          FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`.execute(db);
      } else {
        await sql`
          CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
          BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
        await sql`
          CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
          BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
      }
    },
  };
}
