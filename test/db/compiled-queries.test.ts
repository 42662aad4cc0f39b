import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedQuery, insertRows } from '../../src/db/compiled-queries.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/dialects.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { newCompanyContext } from '../helpers/service-context.js';

/**
 * SQL compiled once and reused (src/db/compiled-queries.ts): every call binds its own
 * values, the constants of the query stay, each dialect gets its own SQL, and rows of
 * differing shapes still insert correctly.
 */

const seriesOf = cachedQuery('test.numberSeries.ofCompany', ['companyId', 'from'], (db, p) =>
  db
    .selectFrom('number_series')
    .select(['series', 'next_value'])
    .where('company_id', '=', p.companyId)
    .where('next_value', '>=', p.from)
    .orderBy('series')
    .limit(5),
);

describe.each(DIALECTS)('compiled queries (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect);
  });
  afterAll(async () => harness?.close());

  it('binds each call’s own values and keeps the query’s constants (limit)', async () => {
    const db = harness.runtime.db.kysely;
    const a = (await newCompanyContext(harness)).companyId;
    const b = (await newCompanyContext(harness)).companyId;
    await insertRows(db, 'number_series', [
      { company_id: a, series: 'x1', next_value: 10 },
      { company_id: a, series: 'x2', next_value: 20 },
    ]);
    await insertRows(db, 'number_series', [{ company_id: b, series: 'y1', next_value: 30 }]);
    const many = Array.from({ length: 7 }, (_, index) => ({ company_id: b, series: `z${index}`, next_value: 100 + index }));
    await insertRows(db, 'number_series', many);

    const pick = (rows: Array<{ series: string; next_value: number }>) => rows.filter((row) => /^[xyz]/.test(row.series));
    expect(pick((await seriesOf(db, { companyId: a, from: 0 })).rows)).toEqual([
      { series: 'x1', next_value: 10 },
      { series: 'x2', next_value: 20 },
    ]);
    expect(pick((await seriesOf(db, { companyId: a, from: 15 })).rows)).toEqual([{ series: 'x2', next_value: 20 }]);
    // limit(5) is a constant of the template, not a value of the call.
    expect((await seriesOf(db, { companyId: b, from: 100 })).rows).toHaveLength(5);
    expect(pick((await seriesOf(db, { companyId: b, from: 30 })).rows)[0]).toEqual({ series: 'y1', next_value: 30 });
  });

  it('inserts rows of differing shapes (a left-out column) through the ordinary builder', async () => {
    const db = harness.runtime.db.kysely;
    const ctx = await newCompanyContext(harness);
    const at = '2026-11-26T10:00:00.000Z';
    const event = (id: string, extra: Record<string, unknown>) => ({
      id,
      company_id: ctx.companyId,
      actor_type: 'system',
      actor_label: 'test',
      action: 'test.event',
      entity_type: 'test',
      created_at: at,
      ...extra,
    });
    await insertRows(db, 'audit_events', [
      event(`t-${ctx.companyId}-1`, { actor_id: 'a', entity_id: 'e1', details_json: null }),
      event(`t-${ctx.companyId}-2`, { actor_id: undefined, entity_id: 'e2', details_json: '{"n":2}' }),
    ]);
    const rows = await db
      .selectFrom('audit_events')
      .select(['id', 'actor_id', 'entity_id', 'details_json'])
      .where('company_id', '=', ctx.companyId)
      .where('action', '=', 'test.event')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: `t-${ctx.companyId}-1`, actor_id: 'a', entity_id: 'e1', details_json: null },
      { id: `t-${ctx.companyId}-2`, actor_id: null, entity_id: 'e2', details_json: '{"n":2}' },
    ]);
  });
});

describe.runIf(DIALECTS.length === 2)('compiled queries on both dialects in one process', () => {
  const databases: TestDatabase[] = [];
  const dbs: Db[] = [];

  afterAll(async () => {
    for (const db of dbs) await db.destroy();
    for (const database of databases) await database.drop();
  });

  it('keeps one template per dialect (SQLite ? and PostgreSQL $1 placeholders)', async () => {
    for (const dialect of ['sqlite', 'postgres', 'sqlite'] as const) {
      const database = await createTestDatabase(dialect);
      databases.push(database);
      const db = database.open();
      dbs.push(db);
      await migrateToLatest(db);
      const { rows } = await seriesOf(db.kysely, { companyId: 'none', from: 0 });
      expect(rows).toEqual([]);
    }
  });
});
