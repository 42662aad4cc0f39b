import type { Executor } from './executor.js';

export interface IdempotencyRecord {
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export async function findIdempotencyRecord(
  db: Executor,
  scope: string,
  key: string,
): Promise<IdempotencyRecord | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status', 'response_status', 'response_body', 'created_at'])
    .where('scope', '=', scope)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** Inserts a pending reservation; throws a unique violation when the key is already taken. */
export async function reserveIdempotencyKey(
  db: Executor,
  row: { scope: string; key: string; requestHash: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      scope: row.scope,
      idempotency_key: row.key,
      request_hash: row.requestHash,
      status: 'pending',
      response_status: null,
      response_body: null,
      created_at: row.createdAt,
    })
    .execute();
}

export async function completeIdempotencyKey(
  db: Executor,
  scope: string,
  key: string,
  response: { status: number; body: string },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', response_status: response.status, response_body: response.body })
    .where('scope', '=', scope)
    .where('idempotency_key', '=', key)
    .execute();
}

export async function releaseIdempotencyKey(db: Executor, scope: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('idempotency_key', '=', key).execute();
}

export async function deleteIdempotencyKeysBefore(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
