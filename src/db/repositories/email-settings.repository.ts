import type { EmailSettingsRow } from '../schema.js';
import type { Executor } from './executor.js';

export async function findEmailSettings(db: Executor, companyId: string): Promise<EmailSettingsRow | undefined> {
  return db.selectFrom('email_settings').selectAll().where('company_id', '=', companyId).executeTakeFirst();
}

export async function upsertEmailSettings(db: Executor, row: EmailSettingsRow): Promise<void> {
  const { company_id: _companyId, created_at: _createdAt, ...changes } = row;
  await db
    .insertInto('email_settings')
    .values(row)
    .onConflict((conflict) => conflict.column('company_id').doUpdateSet(changes))
    .execute();
}
