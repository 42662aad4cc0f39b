import type { Db } from '../../db/database.js';
import type { Executor } from '../../db/repositories/executor.js';
import { claimJobs, finishJob, renewJobLease } from '../../db/repositories/job.repository.js';
import type { JobRow } from '../../db/schema.js';
import type { Clock, Logger } from '../ports.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff.js';
import { type JobContext, type JobHandler, LeaseLostError, PermanentJobError, WorkerStoppingError } from './job.js';

export interface JobRunnerOptions {
  /** Names this worker in `lease_owner` (host, process, random part): unique per running runner. */
  workerId: string;
  /** Jobs run at the same time by this runner. */
  concurrency: number;
  /** Idle wait between looks for due jobs. */
  pollIntervalMs: number;
  /** How long a claim holds a job without a heartbeat. */
  leaseMs: number;
  /** Heartbeat period; a third of the lease by default. */
  heartbeatMs?: number;
  /** On stop, how long running jobs may take to finish before they are asked to give up. */
  shutdownGraceMs?: number;
  backoff?: BackoffPolicy;
  /** [0, 1), for the retry jitter. */
  random?: () => number;
}

export type JobOutcome = 'succeeded' | 'failed' | 'dead' | 'released' | 'lost';

export interface JobRunner {
  readonly workerId: string;
  /** Starts the polling loop (serve and `fakturaflyt worker`). */
  start(): void;
  /** Stops claiming, lets running jobs finish (or releases them after the grace period). */
  stop(): Promise<void>;
  /** Claims what is due now (up to `limit`) and runs it to the end; for tests and tools. */
  runOnce(limit?: number): Promise<Array<{ id: string; type: string; outcome: JobOutcome }>>;
  /** Repeats runOnce until nothing is due. */
  runUntilIdle(maxRounds?: number): Promise<Array<{ id: string; type: string; outcome: JobOutcome }>>;
  /** Looks for due jobs now instead of at the next poll (a job was just enqueued). */
  wake(): void;
}

const ERROR_TEXT_LIMIT = 2000;

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, ERROR_TEXT_LIMIT);
}

/**
 * A durable job runner on the `jobs` table. Any number of runners (threads of `serve`, or
 * `fakturaflyt worker` processes) can share one database: a claim is a single UPDATE that
 * takes due jobs with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), a heartbeat renews
 * the lease while the handler runs, and a job whose worker died becomes claimable again
 * when its lease expires. Failures retry with exponential back-off and jitter up to the
 * job's `max_attempts`, then the job is `dead`. Handlers must be idempotent: a job can run
 * again after a crash at any point.
 */
export function createJobRunner(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  handlers: ReadonlyArray<JobHandler<unknown>>;
  options: JobRunnerOptions;
}): JobRunner {
  const { db, clock, logger, options } = deps;
  const handlers = new Map(deps.handlers.map((handler) => [handler.definition.type, handler]));
  const types = [...handlers.keys()];
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(options.leaseMs / 3));
  const shutdownGraceMs = options.shutdownGraceMs ?? 25_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  const owner = options.workerId;

  const running = new Map<string, { promise: Promise<JobOutcome>; controller: AbortController }>();
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wakeUp: (() => void) | null = null;

  const iso = (offsetMs = 0) => new Date(clock.now().getTime() + offsetMs).toISOString();

  function wake(): void {
    const resolve = wakeUp;
    wakeUp = null;
    resolve?.();
  }

  async function claim(limit: number): Promise<JobRow[]> {
    return claimJobs(db.kysely, db.dialect, {
      owner,
      now: iso(),
      leaseExpiresAt: iso(options.leaseMs),
      limit,
      types,
    });
  }

  async function execute(row: JobRow, controller: AbortController): Promise<JobOutcome> {
    const handler = handlers.get(row.type)!;
    const job = { id: row.id, owner, now: '' };
    let leaseLost = false;
    const loseLease = () => {
      leaseLost = true;
      controller.abort(new LeaseLostError(row.id));
    };
    const heartbeat = setInterval(() => {
      renewJobLease(db.kysely, { id: row.id, owner, now: iso(), leaseExpiresAt: iso(options.leaseMs) }).then(
        (held) => {
          if (!held && !leaseLost) {
            logger.warn({ jobId: row.id, type: row.type }, 'Lost the lease on a running job; another worker may take it');
            loseLease();
          }
        },
        (error: unknown) => logger.warn({ jobId: row.id, err: error }, 'Job heartbeat failed'),
      );
    }, heartbeatMs);
    heartbeat.unref?.();

    let payload: unknown;
    try {
      try {
        payload = handler.definition.payloadSchema.parse(JSON.parse(row.payload_json));
      } catch (cause) {
        throw new PermanentJobError('The job payload is not valid for its type', { cause });
      }
      if (row.attempts > row.max_attempts) {
        // Its last allowed attempt was claimed by a worker that died: give up rather than try once more.
        throw new PermanentJobError(`No attempts left (the worker running attempt ${row.max_attempts} stopped without finishing)`);
      }
      const context: JobContext = {
        job: { id: row.id, type: row.type, companyId: row.company_id, attempt: row.attempts, maxAttempts: row.max_attempts },
        signal: controller.signal,
        async fence(trx: Executor) {
          const held = await renewJobLease(trx, { id: row.id, owner, now: iso(), leaseExpiresAt: iso(options.leaseMs) });
          if (!held) {
            loseLease();
            throw new LeaseLostError(row.id);
          }
        },
      };
      await handler.run(payload, context);
      clearInterval(heartbeat);
      if (!(await finishJob(db.kysely, { ...job, now: iso() }, { status: 'succeeded' }))) {
        logger.warn({ jobId: row.id, type: row.type }, 'Job finished after its lease was lost');
        return 'lost';
      }
      logger.debug({ jobId: row.id, type: row.type, attempt: row.attempts }, 'Job succeeded');
      return 'succeeded';
    } catch (error) {
      clearInterval(heartbeat);
      if (leaseLost || error instanceof LeaseLostError) {
        logger.warn({ jobId: row.id, type: row.type }, 'Job abandoned: its lease was lost');
        return 'lost';
      }
      if (controller.signal.reason instanceof WorkerStoppingError || error instanceof WorkerStoppingError) {
        await finishJob(db.kysely, { ...job, now: iso() }, { status: 'queued', runAt: iso() });
        logger.info({ jobId: row.id, type: row.type }, 'Job released: the worker is stopping');
        return 'released';
      }
      const isPermanent = error instanceof PermanentJobError;
      const willRetry = !isPermanent && row.attempts < row.max_attempts;
      const nextRunAt = willRetry ? iso(retryDelayMs(row.attempts, backoff, random)) : null;
      const message = errorText(error);
      try {
        await db.kysely.transaction().execute(async (trx) => {
          if (handler.onFailure && payload !== undefined) {
            await handler.onFailure(trx, payload, { error, message, attempt: row.attempts, willRetry, nextRunAt });
          }
          const outcome = willRetry
            ? ({ status: 'failed', runAt: nextRunAt!, error: message } as const)
            : ({ status: 'dead', error: message } as const);
          if (!(await finishJob(trx, { ...job, now: iso() }, outcome))) throw new LeaseLostError(row.id);
        });
      } catch (recordError) {
        if (recordError instanceof LeaseLostError) return 'lost';
        logger.error({ jobId: row.id, err: recordError }, 'Could not record a job failure; the lease will expire and the job run again');
        return 'lost';
      }
      const fields = { jobId: row.id, type: row.type, attempt: row.attempts, maxAttempts: row.max_attempts, error: message };
      if (willRetry) {
        logger.warn({ ...fields, nextRunAt }, 'Job failed; will retry');
        return 'failed';
      }
      logger.error(fields, 'Job is dead: no more attempts');
      return 'dead';
    }
  }

  function launch(row: JobRow): Promise<JobOutcome> {
    const entry = { promise: Promise.resolve<JobOutcome>('lost'), controller: new AbortController() };
    running.set(row.id, entry);
    entry.promise = execute(row, entry.controller)
      .catch((error: unknown) => {
        logger.error({ jobId: row.id, err: error }, 'Job runner error');
        return 'lost' as const;
      })
      .finally(() => {
        running.delete(row.id);
        wake();
      });
    return entry.promise;
  }

  async function pollLoop(): Promise<void> {
    while (!stopping) {
      const free = options.concurrency - running.size;
      let claimed: JobRow[] = [];
      if (free > 0) {
        try {
          claimed = await claim(free);
        } catch (error) {
          logger.error({ err: error }, 'Claiming jobs failed');
        }
      }
      for (const row of claimed) void launch(row);
      if (stopping) break;
      if (free > 0 && claimed.length === free) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wakeUp = null;
          resolve();
        }, options.pollIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async function runOnce(limit = options.concurrency) {
    const claimed = await claim(limit);
    return Promise.all(
      claimed.map(async (row) => ({ id: row.id, type: row.type, outcome: await launch(row) })),
    );
  }

  return {
    workerId: owner,
    start() {
      if (loop) return;
      stopping = false;
      logger.info({ workerId: owner, types, concurrency: options.concurrency }, 'Job worker started');
      loop = pollLoop();
    },
    async stop() {
      stopping = true;
      wake();
      await loop;
      loop = null;
      const inFlight = () => [...running.values()].map((entry) => entry.promise);
      if (running.size > 0) {
        const settled = Promise.allSettled(inFlight());
        const timedOut = await Promise.race([
          settled.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), shutdownGraceMs).unref?.()),
        ]);
        if (timedOut) {
          for (const entry of running.values()) entry.controller.abort(new WorkerStoppingError());
          await Promise.race([Promise.allSettled(inFlight()), new Promise((resolve) => setTimeout(resolve, 2000))]);
        }
      }
      logger.info({ workerId: owner, stillRunning: running.size }, 'Job worker stopped');
    },
    runOnce,
    async runUntilIdle(maxRounds = 100) {
      const all: Array<{ id: string; type: string; outcome: JobOutcome }> = [];
      for (let round = 0; round < maxRounds; round++) {
        const results = await runOnce();
        if (results.length === 0) break;
        all.push(...results);
      }
      return all;
    },
    wake,
  };
}
