import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type Db, type DialectName, createDb, dropPostgresSchema, ensurePostgresSchema } from '../../src/db/database.js';

/**
 * The database tiers run once per dialect. DIALECTS=sqlite,postgres (default) or
 * one of them; TEST_POSTGRES_URL points at the server (default: local `test` database).
 */
export const DIALECTS: DialectName[] = (process.env.DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is DialectName => name === 'sqlite' || name === 'postgres');

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** ENCRYPTION_KEY for test runtimes and processes (required on PostgreSQL); a fixed, test-only key. */
export const TEST_ENCRYPTION_KEY = process.env.TEST_ENCRYPTION_KEY ?? '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0';

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  /** PostgreSQL schema of this test database; every run gets its own so runs never collide. */
  schema: string | undefined;
  open(): Db;
  drop(): Promise<void>;
}

/** A new, empty database: a temp SQLite file, or a fresh PostgreSQL schema. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const suffix = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (dialect === 'postgres') {
    const schema = `ff_test_${suffix}`;
    await ensurePostgresSchema(POSTGRES_URL, schema);
    return {
      dialect,
      url: POSTGRES_URL,
      schema,
      open: () => createDb({ url: POSTGRES_URL, schema, poolSize: 10 }),
      drop: () => dropPostgresSchema(POSTGRES_URL, schema),
    };
  }
  const file = path.join(os.tmpdir(), `fakturaflyt-test-${suffix}.db`);
  return {
    dialect,
    url: `sqlite:${file}`,
    schema: undefined,
    open: () => createDb({ url: `sqlite:${file}` }),
    drop: async () => {
      const fs = await import('node:fs');
      for (const extension of ['', '-wal', '-shm']) fs.rmSync(`${file}${extension}`, { force: true });
    },
  };
}
