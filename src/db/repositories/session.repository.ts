import type { Insertable } from 'kysely';
import type { LoginThrottleTable, SessionRow, SessionsTable } from '../schema.js';
import type { Executor } from './executor.js';

export async function insertSession(db: Executor, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionByTokenHash(db: Executor, tokenHash: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function updateSession(
  db: Executor,
  id: string,
  update: Partial<Pick<SessionRow, 'company_id' | 'last_seen_at' | 'expires_at'>>,
): Promise<void> {
  await db.updateTable('sessions').set(update).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteOtherSessions(db: Executor, userId: string, keepSessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '!=', keepSessionId).execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

/** Forgets a company on every session of a user who lost access to it. */
export async function clearSessionCompany(db: Executor, userId: string, companyId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ company_id: null })
    .where('user_id', '=', userId)
    .where('company_id', '=', companyId)
    .execute();
}

export async function findLoginThrottle(db: Executor, key: string) {
  return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function upsertLoginThrottle(db: Executor, row: Insertable<LoginThrottleTable>): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({
        failure_count: row.failure_count,
        first_failure_at: row.first_failure_at,
        locked_until: row.locked_until ?? null,
      }),
    )
    .execute();
}

export async function deleteLoginThrottle(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
