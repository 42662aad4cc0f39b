import type { Insertable } from 'kysely';
import type { JournalEntriesTable, JournalEntryRow, JournalLineRow, JournalLinesTable } from '../schema.js';
import { insertRows } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertJournalEntry(
  db: Executor,
  entry: Insertable<JournalEntriesTable>,
  lines: ReadonlyArray<Insertable<JournalLinesTable>>,
): Promise<void> {
  await insertRows(db, 'journal_entries', [entry]);
  await insertRows(db, 'journal_lines', lines);
}

export interface JournalQuery {
  companyId: string;
  from?: string | undefined;
  to?: string | undefined;
  account?: string | undefined;
  sourceId?: string | undefined;
  includeTest: boolean;
  /** Keyset: entries after this (entry_date, id). */
  after?: [string, string] | undefined;
  limit?: number | undefined;
}

/** Entries in date order; with `account`, only entries that touch it. */
export async function listJournalEntries(db: Executor, query: JournalQuery): Promise<JournalEntryRow[]> {
  let select = db.selectFrom('journal_entries').selectAll().where('company_id', '=', query.companyId);
  if (!query.includeTest) select = select.where('is_test', '=', 0);
  if (query.from) select = select.where('entry_date', '>=', query.from);
  if (query.to) select = select.where('entry_date', '<=', query.to);
  if (query.sourceId) select = select.where('source_id', '=', query.sourceId);
  if (query.account) {
    const account = query.account;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('journal_lines')
          .select('journal_lines.id')
          .whereRef('journal_lines.entry_id', '=', 'journal_entries.id')
          .where('journal_lines.account', '=', account),
      ),
    );
  }
  const after = query.after;
  if (after) {
    select = select.where((eb) => eb(eb.refTuple('entry_date', 'id'), '>', eb.tuple(after[0], after[1])));
  }
  select = select.orderBy('entry_date').orderBy('id');
  if (query.limit !== undefined) select = select.limit(query.limit);
  return select.execute();
}

export async function listJournalLines(db: Executor, entryIds: readonly string[]): Promise<JournalLineRow[]> {
  if (entryIds.length === 0) return [];
  return db
    .selectFrom('journal_lines')
    .selectAll()
    .where('entry_id', 'in', entryIds)
    .orderBy('entry_id')
    .orderBy('line_number')
    .execute();
}

/** Sum of debits minus credits per account: the trial balance (saldobalanse). */
export async function trialBalance(
  db: Executor,
  companyId: string,
  options: { to?: string | undefined; includeTest: boolean },
): Promise<Array<{ account: string; debit: number; credit: number }>> {
  let select = db
    .selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .select([
      'journal_lines.account',
      (eb) => eb.fn.sum<number | string>('journal_lines.debit_minor').as('debit'),
      (eb) => eb.fn.sum<number | string>('journal_lines.credit_minor').as('credit'),
    ])
    .where('journal_lines.company_id', '=', companyId)
    .groupBy('journal_lines.account')
    .orderBy('journal_lines.account');
  if (!options.includeTest) select = select.where('journal_entries.is_test', '=', 0);
  if (options.to) select = select.where('journal_lines.entry_date', '<=', options.to);
  const rows = await select.execute();
  return rows.map((row) => ({ account: row.account, debit: Number(row.debit), credit: Number(row.credit) }));
}
