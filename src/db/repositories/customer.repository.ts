import { sql } from 'kysely';
import type { CustomerRow, CustomerRowUpdate, NewCustomerRow } from '../schema.js';
import { cachedQuery } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertCustomer(db: Executor, row: NewCustomerRow): Promise<void> {
  await db.insertInto('customers').values(row).execute();
}

// Runs in every invoice request: SQL compiled once (compiled-queries.ts).
const selectCustomer = cachedQuery('customers.byId', ['companyId', 'id'], (db, p) =>
  db.selectFrom('customers').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id),
);

export async function findCustomer(db: Executor, companyId: string, id: string): Promise<CustomerRow | undefined> {
  return (await selectCustomer(db, { companyId, id })).rows[0];
}

export async function updateCustomer(
  db: Executor,
  companyId: string,
  id: string,
  update: CustomerRowUpdate,
): Promise<void> {
  await db.updateTable('customers').set(update).where('company_id', '=', companyId).where('id', '=', id).execute();
}

export interface CustomerListQuery {
  companyId: string;
  /** Lower-cased LIKE pattern with wildcards escaped by `\`. */
  searchPattern?: string | undefined;
  kind?: string | undefined;
  archived: 'exclude' | 'only' | 'include';
  sort: 'number' | 'name';
  after?: [string | number, string] | undefined;
  limit: number;
}

/** Keyset-paginated list; fetches `limit` rows (callers ask for one extra to detect more). */
export async function listCustomers(db: Executor, query: CustomerListQuery): Promise<CustomerRow[]> {
  let select = db.selectFrom('customers').selectAll().where('company_id', '=', query.companyId);
  if (query.searchPattern) {
    select = select.where(sql<boolean>`search_text like ${query.searchPattern} escape '\\'`);
  }
  if (query.kind) {
    select = select.where('kind', '=', query.kind);
  }
  if (query.archived === 'exclude') {
    select = select.where('archived_at', 'is', null);
  } else if (query.archived === 'only') {
    select = select.where('archived_at', 'is not', null);
  }
  const after = query.after;
  if (query.sort === 'name') {
    if (after) {
      select = select.where((eb) => eb(eb.refTuple('name', 'id'), '>', eb.tuple(String(after[0]), after[1])));
    }
    select = select.orderBy('name').orderBy('id');
  } else {
    if (after) {
      select = select.where('customer_number', '>', Number(after[0]));
    }
    select = select.orderBy('customer_number');
  }
  return select.limit(query.limit).execute();
}
