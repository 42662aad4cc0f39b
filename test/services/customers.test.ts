import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyContext } from '../../src/app/context.js';
import { customerListQuerySchema, customerUpdateSchema } from '../../src/app/customer.schemas.js';
import type { CustomerService } from '../../src/app/customer.service.js';
import type { Customer } from '../../src/domain/party.js';
import { DIALECTS } from '../helpers/dialects.js';
import { makeCustomerInput, randomOrgNumber } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectAppError, newCompanyContext } from '../helpers/service-context.js';

describe.each(DIALECTS)('customer service (%s)', (dialect) => {
  let harness: Harness;
  let customers: CustomerService;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    customers = harness.runtime.services.customers;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const create = (ctx: CompanyContext, overrides: Record<string, unknown> = {}) =>
    customers.createCustomer(ctx, makeCustomerInput(overrides));
  const person = (ctx: CompanyContext, name: string) => create(ctx, { kind: 'person', name, orgNumber: null });
  const list = (ctx: CompanyContext, query: Record<string, unknown> = {}) =>
    customers.listCustomers(ctx, customerListQuerySchema.parse({ limit: 200, ...query }));
  const names = (items: Customer[]) => items.map((customer) => customer.name).sort();

  describe('numbering', () => {
    it('numbers 1, 2, 3 per company, each company with its own series', async () => {
      const a = await newCompanyContext(harness);
      const b = await newCompanyContext(harness);
      const numbers: Record<string, number[]> = { a: [], b: [] };
      for (const [key, ctx] of [['a', a], ['b', b], ['a', a], ['b', b], ['a', a]] as const) {
        numbers[key]!.push((await create(ctx)).customerNumber);
      }
      expect(numbers.a).toEqual([1, 2, 3]);
      expect(numbers.b).toEqual([1, 2]);
      const listed = await list(a);
      expect(listed.items.map((customer) => customer.customerNumber)).toEqual([1, 2, 3]);
    });

    it('accepts a free given number and moves the series past it', async () => {
      const ctx = await newCompanyContext(harness);
      expect((await create(ctx)).customerNumber).toBe(1);
      expect((await create(ctx, { customerNumber: 10 })).customerNumber).toBe(10);
      expect((await create(ctx)).customerNumber).toBe(11);
      // A lower free number is fine and does not move the series backwards.
      expect((await create(ctx, { customerNumber: 5 })).customerNumber).toBe(5);
      expect((await create(ctx)).customerNumber).toBe(12);
    });

    it('refuses a given number that is taken (customer.number_taken), writing nothing', async () => {
      const ctx = await newCompanyContext(harness);
      const first = await create(ctx, { name: 'Først AS' });
      await create(ctx, { customerNumber: 7 });
      for (const taken of [first.customerNumber, 7]) {
        const error = await expectAppError(create(ctx, { customerNumber: taken, name: 'Duplikat AS' }), 'customer.number_taken');
        expect(error.issues?.map((issue) => issue.code)).toEqual(['customer_number.taken']);
      }
      expect((await list(ctx, { q: 'duplikat' })).items).toEqual([]);
      expect((await create(ctx)).customerNumber).toBe(8);
      // The same number in another company is free.
      const other = await newCompanyContext(harness);
      expect((await create(other, { customerNumber: 7 })).customerNumber).toBe(7);
      expect((await create(other)).customerNumber).toBe(8);
    });
  });

  describe('business rules', () => {
    it('rejects a person with an organisation number (org_number.not_for_person)', async () => {
      const ctx = await newCompanyContext(harness);
      const error = await expectAppError(
        create(ctx, { kind: 'person', name: 'Kari Nordmann', orgNumber: randomOrgNumber() }),
        'validation.failed',
      );
      expect(error.issues?.map((issue) => [issue.path, issue.code])).toEqual([['orgNumber', 'org_number.not_for_person']]);
      expect((await list(ctx, { archived: 'include' })).items).toEqual([]);
      // The failed create consumed no number.
      expect((await person(ctx, 'Kari Nordmann')).customerNumber).toBe(1);
    });

    it('checks the rule on the merged record when updating', async () => {
      const ctx = await newCompanyContext(harness);
      const business = await create(ctx, { name: 'Bedrift AS' });
      expect(business.orgNumber).not.toBeNull();
      const error = await expectAppError(
        customers.updateCustomer(ctx, business.id, customerUpdateSchema.parse({ kind: 'person' })),
        'validation.failed',
      );
      expect(error.issues?.map((issue) => issue.code)).toEqual(['org_number.not_for_person']);
      expect((await customers.getCustomer(ctx, business.id)).kind).toBe('business');

      const changed = await customers.updateCustomer(
        ctx,
        business.id,
        customerUpdateSchema.parse({ kind: 'person', orgNumber: null }),
      );
      expect(changed.kind).toBe('person');
      expect(changed.orgNumber).toBeNull();
    });
  });

  describe('search and filters', () => {
    let ctx: CompanyContext;

    beforeAll(async () => {
      ctx = await newCompanyContext(harness);
      const noContact = { email: null, address: { countryCode: 'NO' } };
      await person(ctx, 'Ola Ødegård');
      await person(ctx, 'Åse Ærlig');
      for (const name of ['100% Rabatt AS', 'Rabatt AS', 'snake_case AS', 'snakeXcase AS', 'Back\\slash AS', 'Backslash AS']) {
        await create(ctx, { name, ...noContact });
      }
    });

    it('matches case-insensitively, including æ, ø and å', async () => {
      expect(names((await list(ctx, { q: 'ØDEGÅRD' })).items)).toEqual(['Ola Ødegård']);
      expect(names((await list(ctx, { q: 'ola ødegå' })).items)).toEqual(['Ola Ødegård']);
      expect(names((await list(ctx, { q: 'ÆRLIG' })).items)).toEqual(['Åse Ærlig']);
      expect(names((await list(ctx, { q: 'åse' })).items)).toEqual(['Åse Ærlig']);
      expect(names((await list(ctx, { q: 'RABATT' })).items)).toEqual(['100% Rabatt AS', 'Rabatt AS']);
      expect((await list(ctx, { q: 'finnes ikke' })).items).toEqual([]);
    });

    it('matches % and _ (and the escape character) literally', async () => {
      expect(names((await list(ctx, { q: '%' })).items)).toEqual(['100% Rabatt AS']);
      expect(names((await list(ctx, { q: '0% r' })).items)).toEqual(['100% Rabatt AS']);
      expect(names((await list(ctx, { q: '_' })).items)).toEqual(['snake_case AS']);
      expect(names((await list(ctx, { q: 'e_c' })).items)).toEqual(['snake_case AS']);
      expect(names((await list(ctx, { q: '\\' })).items)).toEqual(['Back\\slash AS']);
      expect(names((await list(ctx, { q: 'k\\s' })).items)).toEqual(['Back\\slash AS']);
    });

    it('filters by kind', async () => {
      expect(names((await list(ctx, { kind: 'person' })).items)).toEqual(['Ola Ødegård', 'Åse Ærlig']);
      const businesses = (await list(ctx, { kind: 'business' })).items;
      expect(businesses).toHaveLength(6);
      expect(businesses.every((customer) => customer.kind === 'business')).toBe(true);
      expect(names((await list(ctx, { kind: 'person', q: 'rabatt' })).items)).toEqual([]);
    });

    it('finds a customer by its new name after an update, not by the old one', async () => {
      const own = await newCompanyContext(harness);
      const customer = await create(own, { name: 'Solsikke AS' });
      expect((await list(own, { q: 'solsikke' })).items.map((item) => item.id)).toEqual([customer.id]);
      await customers.updateCustomer(own, customer.id, customerUpdateSchema.parse({ name: 'Tulipan AS' }));
      expect((await list(own, { q: 'solsikke' })).items).toEqual([]);
      expect((await list(own, { q: 'TULIPAN' })).items.map((item) => item.id)).toEqual([customer.id]);
      // Other search fields follow updates too.
      await customers.updateCustomer(
        own,
        customer.id,
        customerUpdateSchema.parse({ address: { city: 'Tromsø', countryCode: 'NO' } }),
      );
      expect((await list(own, { q: 'tromsø' })).items.map((item) => item.id)).toEqual([customer.id]);
      expect((await list(own, { q: 'tulipan' })).items.map((item) => item.id)).toEqual([customer.id]);
    });

    it('excludes, shows only, or includes archived customers', async () => {
      const own = await newCompanyContext(harness);
      const active = await create(own, { name: 'Aktiv AS' });
      const archived = await create(own, { name: 'Arkivert AS' });
      const archivedResult = await customers.archiveCustomer(own, archived.id);
      expect(archivedResult.archivedAt).not.toBeNull();

      const ids = async (archivedFilter?: string) =>
        (await list(own, archivedFilter ? { archived: archivedFilter } : {})).items.map((item) => item.id).sort();
      expect(await ids()).toEqual([active.id]);
      expect(await ids('exclude')).toEqual([active.id]);
      expect(await ids('only')).toEqual([archived.id]);
      expect(await ids('include')).toEqual([active.id, archived.id].sort());

      await customers.unarchiveCustomer(own, archived.id);
      expect(await ids('only')).toEqual([]);
      expect(await ids()).toEqual([active.id, archived.id].sort());
    });
  });

  describe('keyset pagination', () => {
    let ctx: CompanyContext;
    let all: Customer[];
    // Equal prefixes and exact duplicates, so page boundaries fall inside runs of equal names.
    const NAMES = ['Berg AS', 'Berg', 'Berg AS', 'Bergen AS', 'Berg AS', 'Aas AS', 'Berg Eiendom AS'];

    beforeAll(async () => {
      ctx = await newCompanyContext(harness);
      all = [];
      for (const name of NAMES) all.push(await create(ctx, { name }));
    });

    async function walk(sort: 'number' | 'name'): Promise<{ items: Customer[]; pages: number }> {
      const items: Customer[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(ctx, { sort, limit: 2, ...(cursor ? { cursor } : {}) });
        pages += 1;
        expect(page.items.length).toBeLessThanOrEqual(2);
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
        expect(pages, 'pagination does not terminate').toBeLessThan(20);
      } while (cursor);
      return { items, pages };
    }

    it('walks every customer exactly once by number', async () => {
      const { items, pages } = await walk('number');
      expect(pages).toBe(4);
      expect(items.map((item) => item.customerNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(items.map((item) => item.id)).toEqual(all.map((item) => item.id));
    });

    it('walks every customer exactly once by name, in the same order as one big page', async () => {
      const { items, pages } = await walk('name');
      expect(pages).toBe(4);
      const ids = items.map((item) => item.id);
      expect(new Set(ids).size).toBe(NAMES.length);
      expect([...ids].sort()).toEqual(all.map((item) => item.id).sort());
      const onePage = (await list(ctx, { sort: 'name' })).items;
      expect(ids).toEqual(onePage.map((item) => item.id));
      expect(onePage.map((item) => item.name)).toEqual([
        'Aas AS',
        'Berg',
        'Berg AS',
        'Berg AS',
        'Berg AS',
        'Berg Eiendom AS',
        'Bergen AS',
      ]);
    });

    it('ends with a null cursor when the last page is exactly full', async () => {
      const page = await list(ctx, { limit: NAMES.length });
      expect(page.items).toHaveLength(NAMES.length);
      expect(page.nextCursor).toBeNull();
      const short = await list(ctx, { limit: NAMES.length - 1 });
      expect(short.nextCursor).not.toBeNull();
    });

    it('refuses a cursor made for another sort order or list (validation.failed)', async () => {
      const byName = await list(ctx, { sort: 'name', limit: 2 });
      expect(byName.nextCursor).not.toBeNull();
      const error = await expectAppError(
        list(ctx, { sort: 'number', limit: 2, cursor: byName.nextCursor }),
        'validation.failed',
      );
      expect(error.issues?.map((issue) => issue.code)).toEqual(['cursor.invalid']);

      const byNumber = await list(ctx, { sort: 'number', limit: 2 });
      await expectAppError(list(ctx, { sort: 'name', limit: 2, cursor: byNumber.nextCursor }), 'validation.failed');
      await expectAppError(list(ctx, { cursor: 'not-a-cursor' }), 'validation.failed');
      // A products cursor is not a customers cursor.
      const products = await harness.runtime.services.products.listProducts(ctx, {
        sort: 'number',
        archived: 'exclude',
        limit: 1,
      });
      expect(products.items).toEqual([]);
      const foreign = Buffer.from(JSON.stringify(['products:number', 'P-1', 'x'])).toString('base64url');
      await expectAppError(list(ctx, { cursor: foreign }), 'validation.failed');
    });
  });
});
