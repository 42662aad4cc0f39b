import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyContext } from '../../src/app/context.js';
import { productListQuerySchema, productUpdateSchema } from '../../src/app/product.schemas.js';
import type { ProductService } from '../../src/app/product.service.js';
import type { Product } from '../../src/domain/party.js';
import { DIALECTS } from '../helpers/dialects.js';
import { makeProductInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectAppError, newCompanyContext } from '../helpers/service-context.js';

describe.each(DIALECTS)('product service (%s)', (dialect) => {
  let harness: Harness;
  let products: ProductService;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    products = harness.runtime.services.products;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const create = (ctx: CompanyContext, overrides: Record<string, unknown> = {}) =>
    products.createProduct(ctx, makeProductInput(overrides));
  const list = (ctx: CompanyContext, query: Record<string, unknown> = {}) =>
    products.listProducts(ctx, productListQuerySchema.parse({ limit: 200, ...query }));
  const numbers = (items: Product[]) => items.map((product) => product.productNumber).sort();

  async function storedMicros(id: string): Promise<number> {
    const row = await harness.runtime.db.kysely
      .selectFrom('products')
      .select('unit_price_micros')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return Number(row.unit_price_micros);
  }

  describe('product numbers', () => {
    it('are unique per company on create (product.number_taken), free in another company', async () => {
      const a = await newCompanyContext(harness);
      const b = await newCompanyContext(harness);
      await create(a, { productNumber: 'KONS-1', name: 'Konsulenttime' });
      const error = await expectAppError(create(a, { productNumber: 'KONS-1', name: 'Kopi' }), 'product.number_taken');
      expect(error.issues?.map((issue) => [issue.path, issue.code])).toEqual([['productNumber', 'product_number.taken']]);
      expect(numbers((await list(a)).items)).toEqual(['KONS-1']);
      expect((await list(a, { q: 'kopi' })).items).toEqual([]);

      const inB = await create(b, { productNumber: 'KONS-1', name: 'Annet firma' });
      expect(inB.productNumber).toBe('KONS-1');
    });

    it('are unique per company on update (product.number_taken), and the product is left unchanged', async () => {
      const ctx = await newCompanyContext(harness);
      await create(ctx, { productNumber: 'A-1', name: 'Alfa' });
      const beta = await create(ctx, { productNumber: 'B-1', name: 'Beta' });
      await expectAppError(
        products.updateProduct(ctx, beta.id, productUpdateSchema.parse({ productNumber: 'A-1', name: 'Beta 2' })),
        'product.number_taken',
      );
      const after = await products.getProduct(ctx, beta.id);
      expect(after.productNumber).toBe('B-1');
      expect(after.name).toBe('Beta');

      // Renaming to a number used only in another company is fine.
      const other = await newCompanyContext(harness);
      await create(other, { productNumber: 'C-1' });
      const renamed = await products.updateProduct(ctx, beta.id, productUpdateSchema.parse({ productNumber: 'C-1' }));
      expect(renamed.productNumber).toBe('C-1');
    });
  });

  describe('unit prices', () => {
    let ctx: CompanyContext;
    beforeAll(async () => {
      ctx = await newCompanyContext(harness);
    });

    it('stores "1250,5" exactly and returns "1250.50"', async () => {
      const product = await create(ctx, { unitPrice: '1250,5' });
      expect(product.unitPrice).toBe('1250.50');
      expect((await products.getProduct(ctx, product.id)).unitPrice).toBe('1250.50');
      expect(await storedMicros(product.id)).toBe(1_250_500_000);
    });

    it('keeps six decimals exactly ("0.123456")', async () => {
      const product = await create(ctx, { unitPrice: '0.123456' });
      expect(product.unitPrice).toBe('0.123456');
      expect(await storedMicros(product.id)).toBe(123_456);
      const listed = (await list(ctx, { q: product.productNumber })).items;
      expect(listed.map((item) => item.unitPrice)).toEqual(['0.123456']);
    });

    it('keeps large prices and price updates exact', async () => {
      const product = await create(ctx, { unitPrice: '9999999.99' });
      expect(product.unitPrice).toBe('9999999.99');
      expect(await storedMicros(product.id)).toBe(9_999_999_990_000);
      const updated = await products.updateProduct(ctx, product.id, productUpdateSchema.parse({ unitPrice: '0,1' }));
      expect(updated.unitPrice).toBe('0.10');
      expect(await storedMicros(product.id)).toBe(100_000);
    });

    it('rejects more than six decimals at the schema', () => {
      expect(productUpdateSchema.safeParse({ unitPrice: '0.1234567' }).success).toBe(false);
      expect(productUpdateSchema.safeParse({ unitPrice: '1.2.3' }).success).toBe(false);
    });
  });

  describe('lists', () => {
    let ctx: CompanyContext;
    beforeAll(async () => {
      ctx = await newCompanyContext(harness);
      await create(ctx, { productNumber: 'HW-100', name: 'Skjerm', vatCode: '3' });
      await create(ctx, { productNumber: 'FOOD-7', name: 'Kaffe', vatCode: '31' });
      await create(ctx, { productNumber: 'BOOK-2', name: 'Bok om Ærlighet', vatCode: '5' });
      await create(ctx, { productNumber: 'HW-200', name: 'Tastatur', vatCode: '3', description: 'Trådløst' });
      await create(ctx, { productNumber: 'SVC_1', name: 'Service 100%', vatCode: '3' });
    });

    it('filters by VAT code', async () => {
      expect(numbers((await list(ctx, { vatCode: '3' })).items)).toEqual(['HW-100', 'HW-200', 'SVC_1']);
      expect(numbers((await list(ctx, { vatCode: '31' })).items)).toEqual(['FOOD-7']);
      expect(numbers((await list(ctx, { vatCode: '5' })).items)).toEqual(['BOOK-2']);
      expect((await list(ctx, { vatCode: '33' })).items).toEqual([]);
    });

    it('searches by number and by name, case-insensitively and literally', async () => {
      expect(numbers((await list(ctx, { q: 'hw-' })).items)).toEqual(['HW-100', 'HW-200']);
      expect(numbers((await list(ctx, { q: 'food-7' })).items)).toEqual(['FOOD-7']);
      expect(numbers((await list(ctx, { q: 'KAFFE' })).items)).toEqual(['FOOD-7']);
      expect(numbers((await list(ctx, { q: 'ærlighet' })).items)).toEqual(['BOOK-2']);
      expect(numbers((await list(ctx, { q: 'TRÅDLØST' })).items)).toEqual(['HW-200']);
      expect(numbers((await list(ctx, { q: '%' })).items)).toEqual(['SVC_1']);
      expect(numbers((await list(ctx, { q: 'c_1' })).items)).toEqual(['SVC_1']);
      expect(numbers((await list(ctx, { q: 'hw', vatCode: '31' })).items)).toEqual([]);
    });

    it('search follows an update of name and number', async () => {
      const own = await newCompanyContext(harness);
      const product = await create(own, { productNumber: 'OLD-1', name: 'Gammelt navn' });
      await products.updateProduct(own, product.id, productUpdateSchema.parse({ productNumber: 'NEW-1', name: 'Nytt' }));
      expect((await list(own, { q: 'old-1' })).items).toEqual([]);
      expect((await list(own, { q: 'gammelt' })).items).toEqual([]);
      expect((await list(own, { q: 'new-1' })).items.map((item) => item.id)).toEqual([product.id]);
      expect((await list(own, { q: 'nytt' })).items.map((item) => item.id)).toEqual([product.id]);
    });

    it('walks every product exactly once with keyset pagination by number and by name', async () => {
      for (const sort of ['number', 'name'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await list(ctx, { sort, limit: 2, ...(cursor ? { cursor } : {}) });
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
          expect(pages).toBeLessThan(10);
        } while (cursor);
        const onePage = (await list(ctx, { sort })).items.map((item) => item.id);
        expect(seen, sort).toEqual(onePage);
        expect(new Set(seen).size).toBe(5);
      }
      const byName = await list(ctx, { sort: 'name', limit: 2 });
      await expectAppError(list(ctx, { sort: 'number', cursor: byName.nextCursor }), 'validation.failed');
    });
  });
});
