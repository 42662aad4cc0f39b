import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/database.js';
import { startWalCheckpointer } from '../../src/db/wal-checkpointer.js';

/**
 * SQLite WAL checkpoints off the writing thread (src/db/wal-checkpointer.ts): a COMMIT leaves
 * its pages in the WAL (auto-checkpoint is off on the app's connection), and shortly after, a
 * checkpoint run elsewhere copies them into the database file; nothing is lost on close.
 */

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('WAL checkpoints in the background (sqlite)', () => {
  let directory: string | null = null;
  let db: Db | null = null;

  afterEach(async () => {
    await db?.destroy();
    db = null;
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
    directory = null;
  });

  it('commits without copying the WAL back, then checkpoints it shortly after, and keeps every row', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-wal-'));
    const file = path.join(directory, 'app.db');
    db = createDb({ url: `sqlite:${file}` });
    const connection = db.sqlite!;
    expect(connection.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(connection.pragma('page_size', { simple: true })).toBe(16384);

    connection.exec('create table filler (id integer primary key, body text not null)');
    const insert = connection.prepare('insert into filler (body) values (?)');
    const body = 'x'.repeat(2000);
    // ~8 MB in one transaction, past the 4 MiB at which a checkpoint is due.
    connection.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run(body);
    })();

    // The commit left its pages in the WAL: the database file has not grown yet.
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(6_000_000);
    expect(sizeOf(file)).toBeLessThan(1_000_000);

    // Without anyone on this connection asking, a checkpoint copies them into the database file.
    expect(await waitFor(() => sizeOf(file) > 6_000_000, 10_000)).toBe(true);
    expect(connection.prepare('select count(*) as n from filler').get()).toEqual({ n: 4000 });

    // The next write starts the WAL over (the checkpoint was complete), and reads stay right.
    insert.run('after');
    expect(connection.prepare('select count(*) as n from filler').get()).toEqual({ n: 4001 });

    await db.destroy();
    db = null;
    const reopened = new SQLite(file, { readonly: true });
    try {
      expect(reopened.prepare('select count(*) as n from filler').get()).toEqual({ n: 4001 });
    } finally {
      reopened.close();
    }
  });

  it('leaves a small WAL alone (no checkpoint thread for everyday writes)', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-wal-'));
    const file = path.join(directory, 'app.db');
    db = createDb({ url: `sqlite:${file}` });
    const connection = db.sqlite!;
    connection.exec('create table small (id integer primary key, body text)');
    connection.prepare('insert into small (body) values (?)').run('one');
    const before = sizeOf(file);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Below the threshold nothing was copied back: the file is as it was (its first pages only).
    expect(sizeOf(file)).toBe(before);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(0);
  });

  it('runs the checkpoint in its worker thread, on a connection of its own', async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-wal-'));
    const file = path.join(directory, 'raw.db');
    const connection = new SQLite(file);
    connection.pragma('journal_mode = WAL');
    const checkpointer = startWalCheckpointer(connection, file, { thresholdBytes: 1024 * 1024, intervalMs: 50 });
    try {
      connection.exec('create table filler (id integer primary key, body text not null)');
      const insert = connection.prepare('insert into filler (body) values (?)');
      connection.transaction(() => {
        for (let i = 0; i < 1500; i++) insert.run('y'.repeat(2000));
      })();
      expect(await waitFor(() => checkpointer.stats().inWorker > 0, 10_000)).toBe(true);
      expect(checkpointer.stats()).toMatchObject({ inPlace: 0, workerFailed: false });
      expect(sizeOf(file)).toBeGreaterThan(2_500_000);
    } finally {
      await checkpointer.close();
      connection.close();
    }
  });
});
