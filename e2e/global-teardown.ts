import fs from 'node:fs';

/** Removes this run's SQLite database (and its WAL files) from the temp folder. */
export default function globalTeardown(): void {
  const file = process.env.E2E_DATABASE_FILE;
  if (!file) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    fs.rmSync(`${file}${suffix}`, { force: true });
  }
}
