import type { Insertable } from 'kysely';
import type { MembershipRow, MembershipsTable, UserRow, UsersTable } from '../schema.js';
import type { Executor } from './executor.js';

export async function insertUser(db: Executor, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function updateUser(
  db: Executor,
  id: string,
  update: Partial<Pick<UserRow, 'name' | 'language' | 'password_hash' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('users').set(update).where('id', '=', id).execute();
}

export async function insertMembership(db: Executor, row: Insertable<MembershipsTable>): Promise<void> {
  await db.insertInto('memberships').values(row).execute();
}

export async function findMembership(
  db: Executor,
  companyId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: string;
  created_at: string;
}

export async function listMembers(db: Executor, companyId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.company_id', '=', companyId)
    .orderBy('users.email')
    .execute();
}

export async function findMember(db: Executor, companyId: string, userId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
    .where('memberships.company_id', '=', companyId)
    .where('memberships.user_id', '=', userId)
    .executeTakeFirst();
}

export async function updateMembershipRole(db: Executor, companyId: string, userId: string, role: string) {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Executor, companyId: string, userId: string): Promise<void> {
  await db.deleteFrom('memberships').where('company_id', '=', companyId).where('user_id', '=', userId).execute();
}

/**
 * Counts the company's owners. With `lock` (PostgreSQL only: SQLite has one writer) the owner
 * memberships are locked FOR UPDATE until the transaction ends, so two concurrent demotions or
 * removals cannot both see "another owner is left" and leave the company without one.
 */
export async function countOwners(db: Executor, companyId: string, options: { lock?: boolean } = {}): Promise<number> {
  if (options.lock) {
    const rows = await db
      .selectFrom('memberships')
      .select('user_id')
      .where('company_id', '=', companyId)
      .where('role', '=', 'owner')
      .orderBy('user_id')
      .forUpdate()
      .execute();
    return rows.length;
  }
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('company_id', '=', companyId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
