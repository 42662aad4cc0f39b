import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** `sqlite:<path>` / a plain file path / `:memory:`, or `postgres://…`. */
  url: string;
  /** PostgreSQL only: the schema to work in (created if missing). Used by tests to isolate runs. */
  schema?: string;
  /** PostgreSQL only: pool size per app instance. */
  poolSize?: number;
}

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /**
   * SQLite only: the connection under `kysely` (one connection, so inside a Kysely
   * transaction its statements run in that transaction). For bulk writes that bind
   * hundreds of thousands of rows, where going through Kysely per row costs more than
   * SQLite's own work (src/db/repositories/bank-booking.repository.ts).
   */
  sqlite: SQLite.Database | null;
  destroy(): Promise<void>;
}

export function dialectOf(url: string): DialectName {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export function sqliteFilePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, '');
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;
const TIMESTAMPTZ_OID = 1184;

/**
 * Makes PostgreSQL rows look like SQLite rows: int8 as a JS number (refusing
 * values beyond 2^53), dates as `YYYY-MM-DD`, instants as ISO-8601 UTC strings.
 */
function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case INT8_OID:
      return (value: string) => {
        const parsed = Number(value);
        if (!Number.isSafeInteger(parsed)) {
          throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
        }
        return parsed;
      };
    case NUMERIC_OID:
    case DATE_OID:
      return (value: string) => value;
    case TIMESTAMP_OID:
    case TIMESTAMPTZ_OID:
      return (value: string) => new Date(value).toISOString();
    default:
      return pg.types.getTypeParser(oid, format as 'text');
  }
}

export function createDb(options: DatabaseOptions): Db {
  const dialect = dialectOf(options.url);
  if (dialect === 'postgres') {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: { getTypeParser } as pg.CustomTypesConfig,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect, sqlite: null, destroy: () => kysely.destroy() };
  }

  const file = sqliteFilePath(options.url);
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  const database = new SQLite(file);
  // 16 KiB pages for a new database (an existing one keeps its size): B-trees a level
  // shallower and fewer page splits on large writes; measured in bench/bank-import.ts.
  if (file !== ':memory:') database.pragma('page_size = 16384');
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  // Up to 256 MiB of page cache (SQLite's default is 2 MiB; pages are taken as they are used): a
  // large write, such as a bank file of 100 000 payments, then stays in memory until it commits
  // instead of spilling to the WAL half-way.
  database.pragma('cache_size = -262144');
  // Temporary tables (a bank import's staging rows) in memory, not in a temporary file.
  database.pragma('temp_store = MEMORY');
  // SQLite's own lower() folds only ASCII ('Ø' stays 'Ø'); make it fold like PostgreSQL's, so
  // case-insensitive search (lower(column) LIKE lower-cased pattern) finds Æ, Ø and Å on both engines.
  database.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const checkpointer = file === ':memory:' ? null : startWalCheckpointer(database, file);
  return {
    kysely,
    dialect,
    sqlite: database,
    async destroy() {
      await checkpointer?.close();
      await kysely.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; parsing and planning the SQL cost
 * about as much as running it. Statements are reused by SQL text (an LRU of 500): a
 * better-sqlite3 statement holds no state between runs (all/run are synchronous), and
 * SQLite re-prepares it by itself after a schema change.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      // A statement still being iterated (Kysely's stream()) cannot run again: take a fresh one.
      if (statement?.busy) return database.prepare(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** Creates the PostgreSQL schema if it does not exist (tests and multi-tenant hosting). */
export async function ensurePostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
