import { cachedQuery } from '../compiled-queries.js';
import type { Executor } from './executor.js';

// Runs in every issue: SQL compiled once (compiled-queries.ts).
const advanceSeries = cachedQuery('number_series.advance', ['companyId', 'series'], (db, p) =>
  db
    .updateTable('number_series')
    .set((eb) => ({ next_value: eb('next_value', '+', 1) }))
    .where('company_id', '=', p.companyId)
    .where('series', '=', p.series)
    .returning('next_value'),
);

/**
 * Takes the next value of a company's number series inside the caller's
 * transaction. The UPDATE … RETURNING locks the series row on PostgreSQL, so
 * concurrent transactions get distinct, gap-free values; SQLite has one writer.
 */
export async function takeNextNumber(db: Executor, companyId: string, series: string): Promise<number> {
  const advance = async () => (await advanceSeries(db, { companyId, series })).rows[0];
  // The row exists except for a series' first number: only then is it created (racing
  // creators meet at the primary key; ON CONFLICT DO NOTHING waits for the winner).
  let row = await advance();
  if (!row) {
    await db
      .insertInto('number_series')
      .values({ company_id: companyId, series, next_value: 1 })
      .onConflict((conflict) => conflict.columns(['company_id', 'series']).doNothing())
      .execute();
    row = await advance();
    if (!row) throw new Error(`number series ${series} is missing`);
  }
  return Number(row.next_value) - 1;
}

/** Moves a series past a number that was given explicitly (e.g. an imported customer number). */
export async function advanceNumberSeriesPast(
  db: Executor,
  companyId: string,
  series: string,
  usedValue: number,
): Promise<void> {
  await db
    .insertInto('number_series')
    .values({ company_id: companyId, series, next_value: usedValue + 1 })
    .onConflict((conflict) =>
      conflict.columns(['company_id', 'series']).doUpdateSet((eb) => ({
        next_value: eb
          .case()
          .when('number_series.next_value', '<=', usedValue)
          .then(usedValue + 1)
          .else(eb.ref('number_series.next_value'))
          .end(),
      })),
    )
    .execute();
}
