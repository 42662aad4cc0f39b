import type { EhfSettingsRow } from '../schema.js';
import type { Executor } from './executor.js';

export async function findEhfSettings(db: Executor, companyId: string): Promise<EhfSettingsRow | undefined> {
  return db.selectFrom('ehf_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export async function upsertEhfSettings(db: Executor, row: EhfSettingsRow): Promise<void> {
  const { company_id: _companyId, created_at: _createdAt, ...changes } = row;
  await db
    .insertInto('ehf_settings')
    .values(row)
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet(changes))
    .execute();
}
