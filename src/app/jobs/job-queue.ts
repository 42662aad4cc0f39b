import { findJobByUniqueKey, insertJob } from '../../db/repositories/job.repository.js';
import type { Executor } from '../../db/repositories/executor.js';
import type { Clock, IdGenerator } from '../ports.js';
import type { JobDefinition } from './job.js';

export interface EnqueueOptions {
  companyId: string | null;
  /** Deduplicates: while a job with this key exists (in any state), no second one is made. */
  uniqueKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job inside the caller's transaction, so it exists exactly when the change that
 * needs it does (the outbox pattern). Returns the job id, and whether this call made it.
 */
export async function enqueueJob<P>(
  trx: Executor,
  deps: { clock: Clock; ids: IdGenerator },
  definition: JobDefinition<P>,
  payload: P,
  options: EnqueueOptions,
): Promise<{ jobId: string; isNew: boolean }> {
  const parsed = definition.payloadSchema.parse(payload);
  const now = deps.clock.now().toISOString();
  const id = deps.ids.newId();
  const inserted = await insertJob(trx, {
    id,
    company_id: options.companyId,
    type: definition.type,
    payload_json: JSON.stringify(parsed),
    unique_key: options.uniqueKey ?? null,
    status: 'queued',
    attempts: 0,
    max_attempts: options.maxAttempts ?? definition.maxAttempts,
    run_at: (options.runAt ?? deps.clock.now()).toISOString(),
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  });
  if (inserted) return { jobId: id, isNew: true };
  const existing = await findJobByUniqueKey(trx, options.uniqueKey!);
  return { jobId: existing!.id, isNew: false };
}
