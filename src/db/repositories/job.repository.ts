import type { DialectName } from '../database.js';
import type { JobRow, NewJobRow } from '../schema.js';
import type { Executor } from './executor.js';

/** Inserts a job; a job with the same `unique_key` already there wins and nothing is inserted. */
export async function insertJob(db: Executor, row: NewJobRow): Promise<boolean> {
  const result = await db
    .insertInto('jobs')
    .values(row)
    .onConflict((conflict) => conflict.column('unique_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findJob(db: Executor, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findJobByUniqueKey(db: Executor, uniqueKey: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('unique_key', '=', uniqueKey).executeTakeFirst();
}

/**
 * Claims up to `limit` due jobs for `owner` in one statement: queued or failed jobs whose
 * `run_at` has come, and running jobs whose lease expired (their worker died). The claim
 * counts an attempt and sets the lease. PostgreSQL: `UPDATE … WHERE id IN (SELECT … FOR
 * UPDATE SKIP LOCKED)`, so concurrent workers take disjoint jobs without waiting on each
 * other. SQLite: the same single UPDATE statement, which is one write transaction.
 */
export async function claimJobs(
  db: Executor,
  dialect: DialectName,
  claim: { owner: string; now: string; leaseExpiresAt: string; limit: number; types: readonly string[] },
): Promise<JobRow[]> {
  if (claim.types.length === 0 || claim.limit < 1) return [];
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', [...claim.types])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['queued', 'failed']), eb('run_at', '<=', claim.now)]),
        eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', claim.now)]),
      ]),
    )
    .orderBy('run_at')
    .orderBy('id')
    .limit(claim.limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      lease_owner: claim.owner,
      lease_expires_at: claim.leaseExpiresAt,
      attempts: eb('attempts', '+', 1),
      updated_at: claim.now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.sort((a, b) => (a.run_at < b.run_at ? -1 : a.run_at > b.run_at ? 1 : a.id < b.id ? -1 : 1));
}

/** Extends the lease while `owner` still holds it; false means the job is no longer ours. */
export async function renewJobLease(
  db: Executor,
  lease: { id: string; owner: string; now: string; leaseExpiresAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ lease_expires_at: lease.leaseExpiresAt, updated_at: lease.now })
    .where('id', '=', lease.id)
    .where('lease_owner', '=', lease.owner)
    .where('status', '=', 'running')
    .where('lease_expires_at', '>', lease.now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

type Finish =
  | { status: 'succeeded' }
  | { status: 'failed'; runAt: string; error: string }
  | { status: 'dead'; error: string }
  | { status: 'queued'; runAt: string };

/**
 * Ends a claim: success, failure with the next run time, dead, or released back to the
 * queue (a stopping worker; the attempt is given back). Only the lease holder can do it.
 */
export async function finishJob(db: Executor, job: { id: string; owner: string; now: string }, outcome: Finish): Promise<boolean> {
  const common = { lease_owner: null, lease_expires_at: null, updated_at: job.now };
  const query = db.updateTable('jobs').where('id', '=', job.id).where('lease_owner', '=', job.owner).where('status', '=', 'running');
  let result;
  switch (outcome.status) {
    case 'succeeded':
      result = await query.set({ ...common, status: 'succeeded', finished_at: job.now }).executeTakeFirst();
      break;
    case 'failed':
      result = await query.set({ ...common, status: 'failed', run_at: outcome.runAt, last_error: outcome.error }).executeTakeFirst();
      break;
    case 'dead':
      result = await query.set({ ...common, status: 'dead', last_error: outcome.error, finished_at: job.now }).executeTakeFirst();
      break;
    case 'queued':
      result = await query
        .set((eb) => ({ ...common, status: 'queued', run_at: outcome.runAt, attempts: eb('attempts', '-', 1) }))
        .executeTakeFirst();
      break;
  }
  return Number(result.numUpdatedRows) > 0;
}

export async function listJobsByIds(db: Executor, ids: readonly string[]): Promise<JobRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('jobs').selectAll().where('id', 'in', [...ids]).execute();
}
