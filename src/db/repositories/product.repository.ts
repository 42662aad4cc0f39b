import { sql } from 'kysely';
import type { NewProductRow, ProductRow, ProductRowUpdate } from '../schema.js';
import { cachedQuery } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertProduct(db: Executor, row: NewProductRow): Promise<void> {
  await db.insertInto('products').values(row).execute();
}

// Runs for invoice lines from products: SQL compiled once (compiled-queries.ts).
const selectProduct = cachedQuery('products.byId', ['companyId', 'id'], (db, p) =>
  db.selectFrom('products').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id),
);

export async function findProduct(db: Executor, companyId: string, id: string): Promise<ProductRow | undefined> {
  return (await selectProduct(db, { companyId, id })).rows[0];
}

export async function updateProduct(
  db: Executor,
  companyId: string,
  id: string,
  update: ProductRowUpdate,
): Promise<void> {
  await db.updateTable('products').set(update).where('company_id', '=', companyId).where('id', '=', id).execute();
}

export interface ProductListQuery {
  companyId: string;
  searchPattern?: string | undefined;
  vatCode?: string | undefined;
  archived: 'exclude' | 'only' | 'include';
  sort: 'number' | 'name';
  after?: [string | number, string] | undefined;
  limit: number;
}

export async function listProducts(db: Executor, query: ProductListQuery): Promise<ProductRow[]> {
  let select = db.selectFrom('products').selectAll().where('company_id', '=', query.companyId);
  if (query.searchPattern) {
    select = select.where(sql<boolean>`search_text like ${query.searchPattern} escape '\\'`);
  }
  if (query.vatCode) {
    select = select.where('vat_code', '=', query.vatCode);
  }
  if (query.archived === 'exclude') {
    select = select.where('archived_at', 'is', null);
  } else if (query.archived === 'only') {
    select = select.where('archived_at', 'is not', null);
  }
  const after = query.after;
  const column = query.sort === 'name' ? 'name' : 'product_number';
  if (after) {
    select = select.where((eb) => eb(eb.refTuple(column, 'id'), '>', eb.tuple(String(after[0]), after[1])));
  }
  return select.orderBy(column).orderBy('id').limit(query.limit).execute();
}
