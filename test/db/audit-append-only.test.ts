import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyContext } from '../../src/app/context.js';
import { customerUpdateSchema } from '../../src/app/customer.schemas.js';
import { DIALECTS } from '../helpers/dialects.js';
import { makeCustomerInput, makeProductInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { countRows, expectAppError, newCompanyContext } from '../helpers/service-context.js';

describe.each(DIALECTS)('audit log (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const auditRows = (companyId: string) =>
    harness.runtime.db.kysely
      .selectFrom('audit_events')
      .selectAll()
      .where('company_id', '=', companyId)
      .orderBy('id')
      .execute();

  describe('the database refuses changes to audit_events', () => {
    let ctx: CompanyContext;
    let eventId: string;

    beforeAll(async () => {
      ctx = await newCompanyContext(harness);
      await harness.runtime.services.customers.createCustomer(ctx, makeCustomerInput());
      const rows = await auditRows(ctx.companyId);
      expect(rows.length).toBeGreaterThanOrEqual(2); // company.created, customer.created
      eventId = rows.at(-1)!.id;
    });

    it('refuses UPDATE of one event', async () => {
      const { kysely } = harness.runtime.db;
      await expect(
        kysely.updateTable('audit_events').set({ action: 'tampered' }).where('id', '=', eventId).execute(),
      ).rejects.toThrow(/append-only/);
      await expect(
        kysely.updateTable('audit_events').set({ actor_label: 'someone else' }).where('company_id', '=', ctx.companyId).execute(),
      ).rejects.toThrow(/append-only/);
      const row = await kysely.selectFrom('audit_events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
      expect(row.action).toBe('customer.created');
      expect(row.actor_label).toBe('service-test@example.no');
    });

    it('refuses DELETE of one event and of all events', async () => {
      const { kysely } = harness.runtime.db;
      const before = await countRows(harness, 'audit_events');
      await expect(kysely.deleteFrom('audit_events').where('id', '=', eventId).execute()).rejects.toThrow(/append-only/);
      await expect(kysely.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events`.execute(kysely)).rejects.toThrow(/append-only/);
      expect(await countRows(harness, 'audit_events')).toBe(before);
    });

    it('refuses TRUNCATE (PostgreSQL; SQLite has no TRUNCATE and its DELETE is refused above)', async () => {
      if (harness.dialect !== 'postgres') return;
      const before = await countRows(harness, 'audit_events');
      await expect(sql`truncate audit_events`.execute(harness.runtime.db.kysely)).rejects.toThrow(/append-only/);
      expect(await countRows(harness, 'audit_events')).toBe(before);
    });

    it('refuses changes inside a transaction too, rolling back the rest of it', async () => {
      const { kysely } = harness.runtime.db;
      const customersBefore = await countRows(harness, 'customers', { company_id: ctx.companyId });
      await expect(
        kysely.transaction().execute(async (trx) => {
          await trx.deleteFrom('customers').where('company_id', '=', ctx.companyId).execute();
          await trx.deleteFrom('audit_events').where('company_id', '=', ctx.companyId).execute();
        }),
      ).rejects.toThrow(/append-only/);
      expect(await countRows(harness, 'customers', { company_id: ctx.companyId })).toBe(customersBefore);
    });

    it('still accepts INSERT (the log is append-only, not read-only)', async () => {
      const before = await countRows(harness, 'audit_events', { company_id: ctx.companyId });
      await harness.runtime.db.kysely
        .insertInto('audit_events')
        .values({
          id: `test-${Date.now()}`,
          company_id: ctx.companyId,
          actor_type: 'system',
          actor_id: null,
          actor_label: 'test',
          action: 'test.appended',
          entity_type: 'test',
          entity_id: null,
          details_json: null,
          ip_address: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      expect(await countRows(harness, 'audit_events', { company_id: ctx.companyId })).toBe(before + 1);
    });
  });

  describe('services write the event in the same transaction as the change', () => {
    it('create customer → exactly one customer.created event for it', async () => {
      const ctx = await newCompanyContext(harness);
      const before = await auditRows(ctx.companyId);
      const customer = await harness.runtime.services.customers.createCustomer(ctx, makeCustomerInput());
      const added = (await auditRows(ctx.companyId)).slice(before.length);
      expect(added).toHaveLength(1);
      expect(added[0]).toMatchObject({
        action: 'customer.created',
        entity_type: 'customer',
        entity_id: customer.id,
        company_id: ctx.companyId,
        actor_type: 'user',
        actor_label: 'service-test@example.no',
        ip_address: '127.0.0.1',
      });
      expect(JSON.parse(added[0]!.details_json!)).toEqual({ customerNumber: customer.customerNumber });
    });

    it('a failed create (number taken, rule broken) writes no event', async () => {
      const { customers, products } = harness.runtime.services;
      const ctx = await newCompanyContext(harness);
      await customers.createCustomer(ctx, makeCustomerInput({ customerNumber: 3 }));
      await products.createProduct(ctx, makeProductInput({ productNumber: 'X-1' }));
      const before = await countRows(harness, 'audit_events', { company_id: ctx.companyId });

      await expectAppError(customers.createCustomer(ctx, makeCustomerInput({ customerNumber: 3 })), 'customer.number_taken');
      await expectAppError(
        customers.createCustomer(ctx, makeCustomerInput({ kind: 'person' })),
        'validation.failed',
      );
      await expectAppError(products.createProduct(ctx, makeProductInput({ productNumber: 'X-1' })), 'product.number_taken');
      expect(await countRows(harness, 'audit_events', { company_id: ctx.companyId })).toBe(before);
      expect(await countRows(harness, 'customers', { company_id: ctx.companyId })).toBe(1);
    });

    it('an update writes customer.updated with the changed fields; a no-op update writes nothing', async () => {
      const { customers } = harness.runtime.services;
      const ctx = await newCompanyContext(harness);
      const customer = await customers.createCustomer(ctx, makeCustomerInput({ name: 'Før AS' }));
      const before = await countRows(harness, 'audit_events', { company_id: ctx.companyId });
      await customers.updateCustomer(ctx, customer.id, customerUpdateSchema.parse({ name: 'Før AS' }));
      expect(await countRows(harness, 'audit_events', { company_id: ctx.companyId })).toBe(before);
      await customers.updateCustomer(ctx, customer.id, customerUpdateSchema.parse({ name: 'Etter AS' }));
      const last = (await auditRows(ctx.companyId)).at(-1)!;
      expect(last.action).toBe('customer.updated');
      expect(last.entity_id).toBe(customer.id);
      expect(JSON.parse(last.details_json!)).toEqual({ fields: ['name'] });
    });

    it('when the audit insert fails, the change is rolled back with it', async () => {
      const { kysely } = harness.runtime.db;
      const { customers } = harness.runtime.services;
      const ctx = await newCompanyContext(harness);
      // A test-only trigger that makes every audit insert for this company fail.
      const companyLiteral = sql.lit(ctx.companyId);
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION test_audit_boom() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit insert refused by test'; END $$`.execute(kysely);
        await sql`CREATE TRIGGER test_audit_boom BEFORE INSERT ON audit_events FOR EACH ROW
          WHEN (NEW.company_id = ${companyLiteral}) EXECUTE FUNCTION test_audit_boom()`.execute(kysely);
      } else {
        await sql`CREATE TRIGGER test_audit_boom BEFORE INSERT ON audit_events
          WHEN NEW.company_id = ${companyLiteral}
          BEGIN SELECT RAISE(ABORT, 'audit insert refused by test'); END`.execute(kysely);
      }
      try {
        await expect(customers.createCustomer(ctx, makeCustomerInput({ name: 'Skal ikke finnes AS' }))).rejects.toThrow(
          /audit insert refused by test/,
        );
        expect(await countRows(harness, 'customers', { company_id: ctx.companyId })).toBe(0);
        const series = await kysely
          .selectFrom('number_series')
          .selectAll()
          .where('company_id', '=', ctx.companyId)
          .execute();
        expect(series).toEqual([]);
      } finally {
        await sql`DROP TRIGGER test_audit_boom${dialect === 'postgres' ? sql` ON audit_events` : sql``}`.execute(kysely);
        if (dialect === 'postgres') await sql`DROP FUNCTION test_audit_boom()`.execute(kysely);
      }
      // With the trigger gone the first customer still gets number 1: nothing leaked from the failed attempt.
      expect((await customers.createCustomer(ctx, makeCustomerInput())).customerNumber).toBe(1);
    });
  });
});
