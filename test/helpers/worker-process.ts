import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real `fakturaflyt worker` process (run from source with tsx), with its recent output kept for failure messages. */
export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  /** The exit code, or -1 when a signal ended it. */
  exited: Promise<number | null>;
}

export function startWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli-main.ts', 'worker'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 500) output.splice(0, output.length - 500);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output, exited };
}

/** Polls `check` every 25 ms; on timeout fails with `logs()` (the workers' output). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, logs: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await sleep(25);
  }
}

/** The last lines each worker wrote, for a failure message. */
export function workerLogs(workers: readonly WorkerProcess[]): string {
  return workers.map((worker, index) => `--- worker ${index + 1}:\n${worker.output.join('').slice(-4000)}`).join('\n');
}

/**
 * The environment of a worker process on a test database: short leases (a killed worker's
 * jobs come back after 2 s), quick polling, logs at info for failure messages.
 */
export function workerEnv(database: { url: string; schema: string | undefined }, encryptionKey: string, concurrency: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: database.url,
    ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
    DATABASE_POOL_SIZE: '4',
    ENCRYPTION_KEY: encryptionKey,
    JOBS_LEASE_SECONDS: '2',
    JOBS_POLL_INTERVAL_MS: '100',
    JOBS_CONCURRENCY: String(concurrency),
    LOG_LEVEL: 'info',
  };
}
