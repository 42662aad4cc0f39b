import type { Insertable } from 'kysely';
import type { ApiKeyRow, ApiKeysTable } from '../schema.js';
import { cachedQuery } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertApiKey(db: Executor, row: Insertable<ApiKeysTable>): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

// Runs in every API-key request: SQL compiled once (compiled-queries.ts).
const selectApiKeyByHash = cachedQuery('api_keys.byHash', ['keyHash'], (db, p) =>
  db.selectFrom('api_keys').selectAll().where('key_hash', '=', p.keyHash),
);

export async function findApiKeyByHash(db: Executor, keyHash: string): Promise<ApiKeyRow | undefined> {
  return (await selectApiKeyByHash(db, { keyHash })).rows[0];
}

export async function findApiKey(db: Executor, companyId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listApiKeys(db: Executor, companyId: string): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().where('company_id', '=', companyId).orderBy('id', 'desc').execute();
}

export async function revokeApiKey(db: Executor, companyId: string, id: string, revokedAt: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: revokedAt })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function touchApiKey(db: Executor, id: string, usedAt: string): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: usedAt }).where('id', '=', id).execute();
}
