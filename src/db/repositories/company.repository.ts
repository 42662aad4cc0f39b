import type { CompanyRow, CompanyRowUpdate, NewCompanyRow } from '../schema.js';
import { cachedQuery } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertCompany(db: Executor, row: NewCompanyRow): Promise<void> {
  await db.insertInto('companies').values(row).execute();
}

// Runs in every invoice request: SQL compiled once (compiled-queries.ts).
const selectCompanyById = cachedQuery('companies.byId', ['id'], (db, p) => db.selectFrom('companies').selectAll().where('id', '=', p.id));

export async function findCompanyById(db: Executor, id: string): Promise<CompanyRow | undefined> {
  return (await selectCompanyById(db, { id })).rows[0];
}

export async function findCompanyByOrgNumber(db: Executor, orgNumber: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('org_number', '=', orgNumber).executeTakeFirst();
}

export async function updateCompany(db: Executor, id: string, update: CompanyRowUpdate): Promise<void> {
  await db.updateTable('companies').set(update).where('id', '=', id).execute();
}

export async function countCompanies(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('companies')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listCompaniesForUser(
  db: Executor,
  userId: string,
): Promise<Array<{ id: string; legal_name: string; org_number: string; role: string }>> {
  return db
    .selectFrom('memberships')
    .innerJoin('companies', 'companies.id', 'memberships.company_id')
    .select(['companies.id', 'companies.legal_name', 'companies.org_number', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('companies.legal_name')
    .execute();
}
