import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { productRowToProduct } from '../db/mappers.js';
import { findProduct, insertProduct, listProducts, updateProduct } from '../db/repositories/product.repository.js';
import type { ProductRow, ProductRowUpdate } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import { parseDecimalToMicros } from '../domain/money.js';
import type { Product } from '../domain/party.js';
import { changedFields, recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { decodeCursor, likeContains, type Page, toPage } from './pagination.js';
import type { Clock, IdGenerator } from './ports.js';
import type { ProductCreateInput, ProductListQueryInput, ProductUpdateInput } from './product.schemas.js';

export interface ProductServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

function searchText(row: Pick<ProductRow, 'product_number' | 'name' | 'description'>): string {
  return [row.product_number, row.name, row.description].filter(Boolean).join(' ').toLowerCase();
}

function numberTaken(cause: unknown): AppError {
  return new AppError('product.number_taken', 'The product number is in use', {
    issues: [{ path: 'productNumber', code: 'product_number.taken', message: 'Already in use' }],
    cause,
  });
}

function updateToRow(input: ProductUpdateInput): ProductRowUpdate {
  const update: ProductRowUpdate = {};
  if (input.productNumber !== undefined) update.product_number = input.productNumber;
  if (input.name !== undefined) update.name = input.name;
  if (input.description !== undefined) update.description = input.description ?? null;
  if (input.unitCode !== undefined) update.unit_code = input.unitCode;
  if (input.unitPrice !== undefined) update.unit_price_micros = parseDecimalToMicros(input.unitPrice)!;
  if (input.vatCode !== undefined) update.vat_code = input.vatCode;
  if (input.revenueAccount !== undefined) update.revenue_account = input.revenueAccount;
  return update;
}

export function createProductService(deps: ProductServiceDeps) {
  const { db, clock, ids } = deps;

  async function requireProduct(executor: Db['kysely'], ctx: CompanyContext, id: string): Promise<ProductRow> {
    const row = await findProduct(executor, ctx.companyId, id);
    if (!row) {
      throw new AppError('product.not_found', 'Product not found');
    }
    return row;
  }

  async function setArchived(ctx: CompanyContext, id: string, archive: boolean): Promise<Product> {
    return db.kysely.transaction().execute(async (trx) => {
      const row = await requireProduct(trx, ctx, id);
      if ((row.archived_at !== null) !== archive) {
        const now = clock.now().toISOString();
        await updateProduct(trx, ctx.companyId, id, { archived_at: archive ? now : null, updated_at: now });
        await recordCompanyAudit(trx, deps, ctx, {
          action: archive ? 'product.archived' : 'product.unarchived',
          entityType: 'product',
          entityId: id,
        });
      }
      return productRowToProduct(await requireProduct(trx, ctx, id));
    });
  }

  return {
    async createProduct(ctx: CompanyContext, input: ProductCreateInput): Promise<Product> {
      const id = ids.newId();
      const now = clock.now().toISOString();
      const fields = {
        product_number: input.productNumber,
        name: input.name,
        description: input.description ?? null,
      };
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          await insertProduct(trx, {
            ...fields,
            id,
            company_id: ctx.companyId,
            unit_code: input.unitCode,
            unit_price_micros: parseDecimalToMicros(input.unitPrice)!,
            vat_code: input.vatCode,
            revenue_account: input.revenueAccount ?? null,
            search_text: searchText(fields),
            archived_at: null,
            created_at: now,
            updated_at: now,
          });
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'product.created',
            entityType: 'product',
            entityId: id,
            details: { productNumber: input.productNumber },
          });
          return productRowToProduct(await requireProduct(trx, ctx, id));
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw numberTaken(error);
        throw error;
      }
    },

    async getProduct(ctx: CompanyContext, id: string): Promise<Product> {
      return productRowToProduct(await requireProduct(db.kysely, ctx, id));
    },

    async updateProduct(ctx: CompanyContext, id: string, input: ProductUpdateInput): Promise<Product> {
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const before = await requireProduct(trx, ctx, id);
          const update = updateToRow(input);
          const changed = changedFields(before, update);
          if (changed.length > 0) {
            const merged = { ...before, ...update };
            await updateProduct(trx, ctx.companyId, id, {
              ...update,
              search_text: searchText(merged),
              updated_at: clock.now().toISOString(),
            });
            await recordCompanyAudit(trx, deps, ctx, {
              action: 'product.updated',
              entityType: 'product',
              entityId: id,
              details: { fields: changed },
            });
          }
          return productRowToProduct(await requireProduct(trx, ctx, id));
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw numberTaken(error);
        throw error;
      }
    },

    archiveProduct: (ctx: CompanyContext, id: string) => setArchived(ctx, id, true),
    unarchiveProduct: (ctx: CompanyContext, id: string) => setArchived(ctx, id, false),

    async listProducts(ctx: CompanyContext, query: ProductListQueryInput): Promise<Page<Product>> {
      const sortKey = `products:${query.sort}`;
      const rows = await listProducts(db.kysely, {
        companyId: ctx.companyId,
        searchPattern: query.q ? likeContains(query.q) : undefined,
        vatCode: query.vatCode,
        archived: query.archived,
        sort: query.sort,
        after: query.cursor ? decodeCursor(sortKey, query.cursor) : undefined,
        limit: query.limit + 1,
      });
      return toPage(
        rows,
        query.limit,
        sortKey,
        (row) => [query.sort === 'name' ? row.name : row.product_number, row.id],
        productRowToProduct,
      );
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
