import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixedClock, systemClock } from '../../src/adapters/clock.js';
import { createUuidV7Generator } from '../../src/adapters/ids.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { defineJob, type JobFailure, type JobHandler, jobHandler, PermanentJobError } from '../../src/app/jobs/job.js';
import { enqueueJob } from '../../src/app/jobs/job-queue.js';
import { createJobRunner, type JobRunnerOptions } from '../../src/app/jobs/job-runner.js';
import type { Clock } from '../../src/app/ports.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { claimJobs, findJob } from '../../src/db/repositories/job.repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';

const T0 = '2026-11-27T08:00:00.000Z';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A job type of its own per test, so runners of other tests never pick it up. */
function testJob(name: string, maxAttempts = 5) {
  return defineJob({ type: `test.${name}`, payloadSchema: z.strictObject({ n: z.number().int() }), maxAttempts });
}

describe.each(DIALECTS)('job runner (%s)', (dialect) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.open();
    await migrateToLatest(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  function runner(clock: Clock, handlers: Array<JobHandler<unknown>>, options: Partial<JobRunnerOptions> = {}, onDb = db) {
    return createJobRunner({
      db: onDb,
      clock,
      logger: silentLogger,
      handlers,
      options: { workerId: `test-${Math.random().toString(36).slice(2, 8)}`, concurrency: 4, pollIntervalMs: 20, leaseMs: 30_000, random: () => 0.5, ...options },
    });
  }

  async function enqueue(clock: Clock, definition: ReturnType<typeof testJob>, n: number, uniqueKey?: string) {
    const ids = createUuidV7Generator(clock);
    return enqueueJob(db.kysely, { clock, ids }, definition, { n }, { companyId: null, ...(uniqueKey ? { uniqueKey } : {}) });
  }

  it('runs a job once with its payload, and a unique key makes no second job', async () => {
    const clock = fixedClock(T0);
    const job = testJob('once');
    const seen: number[] = [];
    const first = await enqueue(clock, job, 7, 'once:7');
    const again = await enqueue(clock, job, 7, 'once:7');
    expect(first.isNew).toBe(true);
    expect(again).toEqual({ jobId: first.jobId, isNew: false });
    const results = await runner(clock, [jobHandler({ definition: job, run: async ({ n }) => void seen.push(n) })]).runUntilIdle();
    expect(results).toEqual([{ id: first.jobId, type: 'test.once', outcome: 'succeeded' }]);
    expect(seen).toEqual([7]);
    const row = await findJob(db.kysely, first.jobId);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, lease_owner: null, lease_expires_at: null, finished_at: T0 });
    expect(await enqueue(clock, job, 7, 'once:7')).toEqual({ jobId: first.jobId, isNew: false });
  });

  it('retries with exponential back-off on the injected clock, then marks the job dead', async () => {
    const clock = fixedClock(T0);
    const job = testJob('backoff', 4);
    const failures: JobFailure[] = [];
    let runs = 0;
    const jobs = runner(clock, [
      jobHandler({
        definition: job,
        run: async () => {
          runs += 1;
          throw new Error(`SMTP says no (${runs})`);
        },
        onFailure: async (_trx, _payload, failure) => void failures.push(failure),
      }),
    ]);
    const { jobId } = await enqueue(clock, job, 1);
    const start = Date.parse(T0);
    const expectedDelays = [30_000, 60_000, 120_000];
    let at = start;
    for (const [index, delay] of expectedDelays.entries()) {
      expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
      const row = (await findJob(db.kysely, jobId))!;
      expect(row).toMatchObject({ status: 'failed', attempts: index + 1, last_error: `SMTP says no (${index + 1})`, lease_owner: null });
      expect(Date.parse(row.run_at)).toBe(at + delay);
      // Not a moment early.
      clock.set(new Date(at + delay - 1));
      expect(await jobs.runOnce()).toEqual([]);
      clock.set(new Date(at + delay));
      at += delay;
    }
    expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    expect(await findJob(db.kysely, jobId)).toMatchObject({ status: 'dead', attempts: 4, last_error: 'SMTP says no (4)' });
    expect(failures.map((failure) => [failure.attempt, failure.willRetry])).toEqual([[1, true], [2, true], [3, true], [4, false]]);
    expect(failures.map((failure) => failure.nextRunAt)).toEqual([
      new Date(start + 30_000).toISOString(),
      new Date(start + 90_000).toISOString(),
      new Date(start + 210_000).toISOString(),
      null,
    ]);
    clock.advance(10 * 3600_000);
    expect(await jobs.runOnce()).toEqual([]);
    expect(runs).toBe(4);
  });

  it('a permanent failure is dead at once', async () => {
    const clock = fixedClock(T0);
    const job = testJob('permanent', 5);
    const { jobId } = await enqueue(clock, job, 1);
    const jobs = runner(clock, [jobHandler({ definition: job, run: async () => { throw new PermanentJobError('recipient refused'); } })]);
    expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    expect(await findJob(db.kysely, jobId)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'recipient refused' });
  });

  it('a job held by a crashed worker is claimed again only after its lease expires; its last attempt is not run again', async () => {
    const clock = fixedClock(T0);
    const job = testJob('reclaim', 2);
    const seen: number[] = [];
    const failures: JobFailure[] = [];
    const jobs = runner(clock, [
      jobHandler({
        definition: job,
        run: async ({ n }) => void seen.push(n),
        onFailure: async (_trx, _payload, failure) => void failures.push(failure),
      }),
    ]);
    const { jobId } = await enqueue(clock, job, 1);
    // A worker claims it and dies (never finishes, never renews).
    const crashed = await claimJobs(db.kysely, db.dialect, {
      owner: 'crashed-worker',
      now: T0,
      leaseExpiresAt: new Date(Date.parse(T0) + 5_000).toISOString(),
      limit: 10,
      types: [job.type],
    });
    expect(crashed.map((row) => row.id)).toEqual([jobId]);
    clock.advance(4_999);
    expect(await jobs.runOnce()).toEqual([]);
    clock.advance(2);
    expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(seen).toEqual([1]);
    expect(await findJob(db.kysely, jobId)).toMatchObject({ status: 'succeeded', attempts: 2 });

    // A crash during the final allowed attempt: the next claim gives up instead of running it a third time.
    const last = await enqueue(clock, job, 2);
    for (const owner of ['crash-1', 'crash-2']) {
      await claimJobs(db.kysely, db.dialect, {
        owner,
        now: clock.now().toISOString(),
        leaseExpiresAt: new Date(clock.now().getTime() + 1_000).toISOString(),
        limit: 10,
        types: [job.type],
      });
      clock.advance(1_001);
    }
    expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    expect(seen).toEqual([1]);
    expect(await findJob(db.kysely, last.jobId)).toMatchObject({ status: 'dead', attempts: 3 });
    // The handler still hears of it, so its own record (a delivery) does not stay "sending" for ever.
    expect(failures.map((failure) => [failure.willRetry, failure.message])).toEqual([[false, expect.stringMatching(/No attempts left/)]]);
  });

  it('the heartbeat keeps a long job to its worker: a second worker cannot take it meanwhile', async () => {
    const job = testJob('heartbeat');
    let runs = 0;
    const slow = jobHandler({
      definition: job,
      run: async () => {
        runs += 1;
        await sleep(900);
      },
    });
    const { jobId } = await enqueue(systemClock, job, 1);
    const a = runner(systemClock, [slow], { leaseMs: 300, heartbeatMs: 80 });
    const b = runner(systemClock, [slow], { leaseMs: 300, heartbeatMs: 80 });
    const first = a.runOnce();
    const stolen: string[] = [];
    for (let i = 0; i < 8; i++) {
      await sleep(100);
      stolen.push(...(await b.runOnce()).map((result) => result.id));
    }
    expect((await first).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(stolen).toEqual([]);
    expect(runs).toBe(1);
    expect(await findJob(db.kysely, jobId)).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('a handler that lost its lease cannot commit through fence(), and does not finish the job', async () => {
    const clock = fixedClock(T0);
    const job = testJob('fence');
    let committed = false;
    const { jobId } = await enqueue(clock, job, 1);
    const jobs = runner(clock, [
      jobHandler({
        definition: job,
        run: async (_payload, context) => {
          // Another worker took the job over meanwhile.
          await db.kysely.updateTable('jobs').set({ lease_owner: 'usurper' }).where('id', '=', jobId).execute();
          await db.kysely.transaction().execute(async (trx) => {
            await context.fence(trx);
            committed = true;
          });
        },
      }),
    ]);
    expect((await jobs.runOnce()).map((result) => result.outcome)).toEqual(['lost']);
    expect(committed).toBe(false);
    expect(await findJob(db.kysely, jobId)).toMatchObject({ status: 'running', lease_owner: 'usurper', attempts: 1 });
  });

  it('stops gracefully: a running job finishes; one that outlives the grace period goes back to the queue', async () => {
    const job = testJob('graceful');
    let release: () => void = () => {};
    const finishing = jobHandler({
      definition: job,
      run: async ({ n }, context) => {
        if (n === 1) await new Promise<void>((resolve) => (release = resolve));
        else await new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason)));
      },
    });
    const one = await enqueue(systemClock, job, 1);
    const jobs = runner(systemClock, [finishing], { shutdownGraceMs: 5_000 });
    jobs.start();
    await sleep(150);
    const stopped = jobs.stop();
    await sleep(100);
    release();
    await stopped;
    expect(await findJob(db.kysely, one.jobId)).toMatchObject({ status: 'succeeded' });

    const two = await enqueue(systemClock, job, 2);
    const impatient = runner(systemClock, [finishing], { shutdownGraceMs: 100 });
    impatient.start();
    await sleep(150);
    expect(await findJob(db.kysely, two.jobId)).toMatchObject({ status: 'running', attempts: 1 });
    await impatient.stop();
    expect(await findJob(db.kysely, two.jobId)).toMatchObject({ status: 'queued', attempts: 0, lease_owner: null });
  });

  it.runIf(dialect === 'postgres')('two runners on separate connection pools never run the same job (300 jobs)', async () => {
    const job = testJob('race');
    const count = 300;
    const runsByJob = new Map<number, number>();
    const byRunner = { a: 0, b: 0 };
    const make = (name: 'a' | 'b') =>
      jobHandler({
        definition: job,
        run: async ({ n }) => {
          runsByJob.set(n, (runsByJob.get(n) ?? 0) + 1);
          byRunner[name] += 1;
          await sleep(Math.floor(Math.random() * 4));
        },
      });
    for (let n = 0; n < count; n++) await enqueue(systemClock, job, n);
    const otherDb = database.open();
    try {
      const a = runner(systemClock, [make('a')], { concurrency: 8, pollIntervalMs: 5 });
      const b = runner(systemClock, [make('b')], { concurrency: 8, pollIntervalMs: 5 }, otherDb);
      a.start();
      b.start();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const left = await db.kysely
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll<string | number>().as('n'))
          .where('type', '=', job.type)
          .where('status', '<>', 'succeeded')
          .executeTakeFirstOrThrow();
        if (Number(left.n) === 0 || Date.now() > deadline) break;
        await sleep(50);
      }
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await otherDb.destroy();
    }
    expect(runsByJob.size).toBe(count);
    expect([...runsByJob.values()].filter((runs) => runs !== 1)).toEqual([]);
    expect(byRunner.a + byRunner.b).toBe(count);
    expect(byRunner.a).toBeGreaterThan(0);
    expect(byRunner.b).toBeGreaterThan(0);
    const attempts = await db.kysely.selectFrom('jobs').select('attempts').where('type', '=', job.type).execute();
    expect(attempts.every((row) => row.attempts === 1)).toBe(true);
  });
});
