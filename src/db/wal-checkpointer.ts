import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/**
 * WAL checkpoints off the writing thread, as PostgreSQL's checkpointer does them.
 *
 * SQLite's own auto-checkpoint runs inside the COMMIT that pushed the WAL past 1 000 pages:
 * a commit of a large write (a bank file of 100 000 payments writes ~150 MB of WAL) then
 * also copies all of it back into the database file before it returns, on the thread that
 * serves requests (1.3 s of a 100 000-payment import). Here the app's connection has
 * auto-checkpoint off; a timer looks at the WAL's size and, past `thresholdBytes`, a worker
 * thread with its own connection runs a PASSIVE checkpoint (it never blocks readers or the
 * writer; the next write transaction then starts the WAL over). Commits stay durable as
 * before: a committed transaction is in the WAL, which SQLite replays after a crash.
 * Should the worker fail, the timer checkpoints on the app's connection instead.
 */
export interface WalCheckpointer {
  /** Checkpoints run so far, by the worker thread and (fallback) on the app's connection. */
  stats(): { inWorker: number; inPlace: number; workerFailed: boolean };
  close(): Promise<void>;
}

const WORKER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.driver);
  const db = new Database(workerData.file);
  db.pragma('busy_timeout = 5000');
  parentPort.on('message', (message) => {
    if (message === 'close') { db.close(); parentPort.close(); return; }
    try { db.pragma('wal_checkpoint(PASSIVE)'); parentPort.postMessage({ ok: true }); }
    catch (error) { parentPort.postMessage({ ok: false, message: String(error && error.message || error) }); }
  });
`;

export function startWalCheckpointer(
  database: SQLite.Database,
  file: string,
  options: { thresholdBytes?: number; intervalMs?: number } = {},
): WalCheckpointer {
  const thresholdBytes = options.thresholdBytes ?? 4 * 1024 * 1024;
  const intervalMs = options.intervalMs ?? 200;
  const walFile = `${file}-wal`;
  database.pragma('wal_autocheckpoint = 0');
  // A WAL that grew large is cut back to this size when it starts over.
  database.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  let worker: Worker | null = null;
  let workerBroken = false;
  let running = false;
  let closed = false;
  const counts = { inWorker: 0, inPlace: 0 };

  const inPlace = () => {
    try {
      counts.inPlace++;
      database.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next tick tries again.
    }
  };

  const tick = () => {
    if (running || closed) return;
    let size: number;
    try {
      size = fs.statSync(walFile).size;
    } catch {
      return;
    }
    if (size < thresholdBytes) return;
    if (workerBroken) return inPlace();
    if (!worker) {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file } });
      worker.unref();
      worker.on('message', (result: { ok: boolean }) => {
        running = false;
        if (result.ok) counts.inWorker++;
      });
      worker.on('error', () => {
        workerBroken = true;
        running = false;
      });
    }
    running = true;
    worker.postMessage('checkpoint');
  };

  const timer = setInterval(tick, intervalMs);
  timer.unref();

  return {
    stats: () => ({ ...counts, workerFailed: workerBroken }),
    async close() {
      closed = true;
      clearInterval(timer);
      const current = worker;
      worker = null;
      if (current && !workerBroken) {
        const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
        current.postMessage('close');
        await exited;
      }
    },
  };
}
