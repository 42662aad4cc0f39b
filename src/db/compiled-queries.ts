import { type Compilable, CompiledQuery, type Insertable, type QueryResult } from 'kysely';
import type { Executor } from './repositories/executor.js';
import type { Database } from './schema.js';

/**
 * SQL compiled once and reused, for the statements that run on every invoice.
 *
 * Building a Kysely query and compiling it to SQL costs 10–25 µs per statement on the
 * benchmark machine — about what SQLite needs to run it. Here a query is built once
 * with marker strings in place of its values and compiled; the SQL text is kept with
 * the position of each value, and later calls only bind the values. The SQL is exactly
 * what Kysely produces for the same query (on SQLite it also hits the driver's prepared
 * statement cache by that text). Templates are kept per database adapter, so SQLite and
 * PostgreSQL in one process (the tests) each get their dialect's SQL.
 *
 * Only for queries whose shape does not depend on the values: the key names the shape
 * (columns, row count), the values are bound. The executor must have no plugins that
 * rewrite queries (this project uses none).
 */

const MARKER = '\u0000ff:param:';
/** Shapes per adapter before the cache starts over (shapes are few; this only bounds odd callers). */
const MAX_TEMPLATES = 2000;

interface Template {
  readonly sql: string;
  /** Per bound parameter: the name of the value, or null for a constant of the query itself. */
  readonly names: ReadonlyArray<string | null>;
  readonly constants: readonly unknown[];
}

const templatesByAdapter = new WeakMap<object, Map<string, Template>>();

function templateFor(db: Executor, key: string, build: (marker: (name: string) => never) => Compilable<unknown>): Template {
  const adapter = db.getExecutor().adapter;
  let templates = templatesByAdapter.get(adapter);
  if (!templates) {
    templates = new Map();
    templatesByAdapter.set(adapter, templates);
  }
  let template = templates.get(key);
  if (!template) {
    const compiled = build((name) => `${MARKER}${name}` as never).compile();
    const isMarker = (value: unknown): value is string => typeof value === 'string' && value.startsWith(MARKER);
    template = {
      sql: compiled.sql,
      names: compiled.parameters.map((value) => (isMarker(value) ? value.slice(MARKER.length) : null)),
      constants: compiled.parameters.map((value) => (isMarker(value) ? undefined : value)),
    };
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(key, template);
  }
  return template;
}

function bind(template: Template, valueOf: (name: string) => unknown): unknown[] {
  return template.names.map((name, position) => (name === null ? template.constants[position] : valueOf(name)));
}

/**
 * A query with named values, compiled once per dialect. `key` must be unique per query.
 *
 * @example
 * const findCompany = cachedQuery('companies.byId', ['id'], (db, p) => db.selectFrom('companies').selectAll().where('id', '=', p.id));
 * const { rows } = await findCompany(db, { id });
 */
export function cachedQuery<P extends string, R>(
  key: string,
  names: readonly P[],
  build: (db: Executor, params: { readonly [K in P]: never }) => Compilable<R>,
): (db: Executor, params: { readonly [K in P]: unknown }) => Promise<QueryResult<R>> {
  return (db, params) => {
    const template = templateFor(db, key, (marker) =>
      build(db, Object.fromEntries(names.map((name) => [name, marker(name)])) as { readonly [K in P]: never }),
    );
    const parameters = bind(template, (name) => params[name as P]);
    return db.executeQuery(CompiledQuery.raw(template.sql, parameters) as CompiledQuery<R>);
  };
}

function definedColumns(row: object): string[] {
  return Object.keys(row).filter((column) => (row as Record<string, unknown>)[column] !== undefined);
}

/** For each parameter of an insert template: the row and the column its value comes from. */
const insertCells = new WeakMap<Template, ReadonlyArray<readonly [number, string] | null>>();

/**
 * `insert into <table> (…) values (…), (…)` in one statement, for rows that all have the
 * same columns (as with Kysely, a column whose value is `undefined` is left out). Rows
 * of differing shapes go through the ordinary builder.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Executor,
  table: T,
  rows: ReadonlyArray<Insertable<Database[T]>>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = definedColumns(rows[0]!);
  const shape = columns.join(',');
  if (rows.some((row, index) => index > 0 && definedColumns(row).join(',') !== shape)) {
    await db.insertInto(table).values(rows as never).execute();
    return;
  }
  const template = templateFor(db, `insert:${table}:${rows.length}:${shape}`, (marker) =>
    db
      .insertInto(table)
      .values(rows.map((_, index) => Object.fromEntries(columns.map((column) => [column, marker(`${index}:${column}`)]))) as never),
  );
  let cells = insertCells.get(template);
  if (!cells) {
    cells = template.names.map((name) => {
      const separator = name === null ? -1 : name.indexOf(':');
      return separator < 0 ? null : ([Number(name!.slice(0, separator)), name!.slice(separator + 1)] as const);
    });
    insertCells.set(template, cells);
  }
  const parameters = template.names.map((_, position) => {
    const cell = cells[position];
    return cell ? (rows[cell[0]] as Record<string, unknown>)[cell[1]] : template.constants[position];
  });
  await db.executeQuery(CompiledQuery.raw(template.sql, parameters));
}

/** `update <table> set … where company_id = ? and id = ?`, compiled once per set of columns. */
export async function updateCompanyRow(
  db: Executor,
  table: 'invoices',
  companyId: string,
  id: string,
  set: { readonly [K in keyof Database['invoices'] & string]?: unknown },
): Promise<void> {
  const columns = definedColumns(set);
  if (columns.length === 0) return;
  const template = templateFor(db, `update:${table}:${columns.join(',')}`, (marker) =>
    db
      .updateTable(table)
      .set(Object.fromEntries(columns.map((column) => [column, marker(`set.${column}`)])) as never)
      .where('company_id', '=', marker('companyId'))
      .where('id', '=', marker('id')),
  );
  const values = set as Record<string, unknown>;
  const parameters = bind(template, (name) => (name === 'companyId' ? companyId : name === 'id' ? id : values[name.slice(4)]));
  await db.executeQuery(CompiledQuery.raw(template.sql, parameters));
}


const bulkSql = new Map<string, string>();
/** Engines' limits: SQLite binds at most 32 766 parameters, PostgreSQL 65 535. */
const MAX_BULK_PARAMETERS = 30_000;
const MAX_BULK_ROWS = 1_000;

/**
 * `insert into <table> (…) values (…), (…)` for many rows that share some values (the
 * `constant` columns: on PostgreSQL bound once per statement, on SQLite once per row) and
 * differ in `columns`, in statements of up to 1 000 rows (one SQL text per row count, cached).
 */
export async function insertBulk<T extends keyof Database & string>(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  table: T,
  constant: { readonly [K in keyof Insertable<Database[T]>]?: unknown },
  columns: ReadonlyArray<keyof Insertable<Database[T]> & string>,
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<void> {
  if (rows.length === 0) return;
  const constantColumns = Object.keys(constant).filter((column) => (constant as Record<string, unknown>)[column] !== undefined);
  const constantValues = constantColumns.map((column) => (constant as Record<string, unknown>)[column]);
  const perRow = columns.length + (dialect === 'postgres' ? 0 : constantColumns.length);
  const perStatement = Math.max(1, Math.min(MAX_BULK_ROWS, Math.floor((MAX_BULK_PARAMETERS - constantColumns.length) / Math.max(1, perRow))));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const key = `${dialect}:${table}:${constantColumns.join(',')}:${columns.join(',')}:${chunk.length}`;
    let text = bulkSql.get(key);
    if (!text) {
      const names = [...constantColumns, ...columns].map((column) => `"${column}"`).join(', ');
      const tuples: string[] = [];
      let position = constantColumns.length;
      for (let row = 0; row < chunk.length; row++) {
        // SQLite: plain `?` (the constants bound again in every row). better-sqlite3 binds `?NNN`
        // by name, and SQLite finds a parameter's name by a linear scan: quadratic in the
        // parameters of one statement (21 000 of them took a second). PostgreSQL: `$n`, once.
        const cells = constantColumns.map((_, index) => (dialect === 'postgres' ? `$${index + 1}` : '?'));
        for (let column = 0; column < columns.length; column++) cells.push(dialect === 'postgres' ? `$${++position}` : '?');
        tuples.push(`(${cells.join(', ')})`);
      }
      text = `insert into "${table}" (${names}) values ${tuples.join(', ')}`;
      if (bulkSql.size > 200) bulkSql.clear();
      bulkSql.set(key, text);
    }
    const parameters: unknown[] = dialect === 'postgres' ? constantValues.slice() : [];
    for (const row of chunk) {
      if (row.length !== columns.length) throw new RangeError(`insertBulk ${table}: a row has ${row.length} values for ${columns.length} columns`);
      if (dialect !== 'postgres') for (const value of constantValues) parameters.push(value);
      for (const value of row) parameters.push(value);
    }
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}
