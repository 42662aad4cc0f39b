import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * E-mail delivery: SMTP settings per company (password sealed by the app's SecretBox), the
 * durable job queue every background task shares, and deliveries — one row per attempt to
 * hand a document to a channel, unique by `delivery_key` so a document never goes out twice
 * through the same channel unless someone asks for a resend. Frozen in time: Kysely<any>.
 */
export function deliveryMigration(dialect: DialectName) {
  const isPg = dialect === 'postgres';
  const instant = isPg ? sql`timestamptz` : sql`text`;

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('email_settings')
        .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id'))
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('security', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('password_sealed', 'text')
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('from_name', 'text')
        .addColumn('reply_to', 'text')
        .addColumn('subject_nb', 'text', (c) => c.notNull())
        .addColumn('body_nb', 'text', (c) => c.notNull())
        .addColumn('subject_en', 'text', (c) => c.notNull())
        .addColumn('body_en', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('email_settings_security_ck', sql`security in ('tls', 'starttls', 'none')`)
        .addCheckConstraint('email_settings_port_ck', sql`port between 1 and 65535`)
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.references('companies.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('unique_key', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', instant, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', instant)
        .addColumn('last_error', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('finished_at', instant)
        .addCheckConstraint('jobs_status_ck', sql`status in ('queued', 'running', 'succeeded', 'failed', 'dead')`)
        .addCheckConstraint('jobs_attempts_ck', sql`attempts >= 0 and max_attempts >= 1`)
        .execute();
      // NULLs are distinct in a unique index on both engines: only jobs that name a key are deduplicated.
      await db.schema.createIndex('jobs_unique_key_uq').unique().on('jobs').column('unique_key').execute();
      await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'run_at']).execute();
      await db.schema.createIndex('jobs_lease_idx').on('jobs').columns(['status', 'lease_expires_at']).execute();
      await db.schema.createIndex('jobs_company_idx').on('jobs').columns(['company_id', 'type']).execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('delivery_key', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('message_id', 'text')
        .addColumn('server_response', 'text')
        .addColumn('last_error', 'text')
        .addColumn('job_id', 'text', (c) => c.references('jobs.id'))
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('sent_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addCheckConstraint('deliveries_status_ck', sql`status in ('queued', 'sending', 'sent', 'failed', 'dead')`)
        .addCheckConstraint('deliveries_sequence_ck', sql`sequence >= 1`)
        .execute();
      // The never-twice rule: one delivery per document, channel and sequence number.
      await db.schema.createIndex('deliveries_key_uq').unique().on('deliveries').column('delivery_key').execute();
      await db.schema
        .createIndex('deliveries_invoice_uq')
        .unique()
        .on('deliveries')
        .columns(['invoice_id', 'channel', 'sequence'])
        .execute();
      await db.schema.createIndex('deliveries_company_idx').on('deliveries').columns(['company_id', 'invoice_id']).execute();
    },
  };
}
