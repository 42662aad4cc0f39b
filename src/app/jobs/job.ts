import type { z } from 'zod';
import type { Executor } from '../../db/repositories/executor.js';

/**
 * What a kind of background job is: its type name, the shape of its payload and how often
 * it may be tried. Kept apart from the handler (what it does), so code that only enqueues
 * needs nothing of the handler's dependencies.
 */
export interface JobDefinition<P> {
  type: string;
  payloadSchema: z.ZodType<P>;
  /** Attempts before the job is `dead` (a claim whose worker died counts as one). */
  maxAttempts: number;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

export interface JobContext {
  job: {
    id: string;
    type: string;
    companyId: string | null;
    /** 1 for the first try. */
    attempt: number;
    maxAttempts: number;
  };
  /**
   * Aborted when the worker stops (before the grace period ends the handler may still
   * finish) or the lease was lost. Check it before anything that cannot be undone.
   */
  signal: AbortSignal;
  /**
   * Inside the handler's own transaction: proves this worker still holds the job and
   * renews the lease, or throws LeaseLostError (rolling the transaction back). Use it
   * when committing the step before an irreversible side effect.
   */
  fence(trx: Executor): Promise<void>;
}

export interface JobFailure {
  error: unknown;
  message: string;
  attempt: number;
  willRetry: boolean;
  /** When the next attempt runs; null when the job is dead. */
  nextRunAt: string | null;
}

export interface JobHandler<P> {
  definition: JobDefinition<P>;
  run(payload: P, context: JobContext): Promise<void>;
  /**
   * Records a failed attempt in the handler's own tables, in the same transaction that
   * schedules the retry or marks the job dead.
   */
  onFailure?(trx: Executor, payload: P, failure: JobFailure): Promise<void>;
}

/** Registers a handler with its definition's payload type checked. */
export function jobHandler<P>(handler: JobHandler<P>): JobHandler<unknown> {
  return handler as JobHandler<unknown>;
}

/** A failure that another attempt cannot fix (bad payload, refused recipient): the job goes straight to `dead`. */
export class PermanentJobError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PermanentJobError';
  }
}

/** Another worker holds the job now (this one's lease expired). */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`The lease on job ${jobId} was lost`);
    this.name = 'LeaseLostError';
  }
}

/** The worker is stopping; the job goes back to the queue untouched. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('The worker is stopping');
    this.name = 'WorkerStoppingError';
  }
}
