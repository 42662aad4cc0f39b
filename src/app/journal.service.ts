import { z } from 'zod';
import type { Db } from '../db/database.js';
import { listJournalEntries, listJournalLines, trialBalance } from '../db/repositories/journal.repository.js';
import type { JournalEntryRow, JournalLineRow } from '../db/schema.js';
import type { JournalEntry } from '../domain/invoice/journal.js';

export type { JournalEntry };
import { listLimitSchema } from './common.schemas.js';
import type { CompanyContext } from './context.js';
import { calendarDateSchema } from './invoice.schemas.js';
import { decodeCursor, type Page, toPage } from './pagination.js';

export const journalQuerySchema = z.strictObject({
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  account: z.string().regex(/^\d{4}$/).optional(),
  sourceId: z.string().max(64).optional(),
  includeTest: z.enum(['true', 'false']).default('false'),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type JournalQueryInput = z.infer<typeof journalQuerySchema>;


function toEntry(row: JournalEntryRow, lines: JournalLineRow[]): JournalEntry {
  return {
    id: row.id,
    voucher: row.voucher,
    entryDate: row.entry_date,
    description: row.description,
    sourceType: row.source_type,
    sourceId: row.source_id,
    isTest: Boolean(row.is_test),
    lines: lines.map((line) => ({
      lineNumber: line.line_number,
      account: line.account,
      debitMinor: line.debit_minor,
      creditMinor: line.credit_minor,
      vatCode: line.vat_code,
      customerId: line.customer_id,
      description: line.description,
    })),
    currency: 'NOK',
    createdAt: row.created_at,
  };
}

/** Øre as a Norwegian decimal for spreadsheets: 123456 → "1234,56". */
function kroner(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const absolute = Math.abs(minor);
  return `${sign}${Math.trunc(absolute / 100)},${String(absolute % 100).padStart(2, '0')}`;
}

function csvField(value: string): string {
  return /[";\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function createJournalService(deps: { db: Db }) {
  const { db } = deps;

  async function entriesWithLines(rows: JournalEntryRow[]) {
    const lines = await listJournalLines(db.kysely, rows.map((row) => row.id));
    const byEntry = new Map<string, JournalLineRow[]>();
    for (const line of lines) byEntry.set(line.entry_id, [...(byEntry.get(line.entry_id) ?? []), line]);
    return rows.map((row) => toEntry(row, byEntry.get(row.id) ?? []));
  }

  return {
    async listEntries(ctx: CompanyContext, query: JournalQueryInput): Promise<Page<JournalEntry>> {
      const sortKey = 'journal:date';
      const after = query.cursor ? decodeCursor(sortKey, query.cursor) : undefined;
      const rows = await listJournalEntries(db.kysely, {
        companyId: ctx.companyId,
        from: query.from,
        to: query.to,
        account: query.account,
        sourceId: query.sourceId,
        includeTest: query.includeTest === 'true',
        after: after ? [String(after[0]), after[1]] : undefined,
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit, sortKey, (row) => [row.entry_date, row.id], (row) => row);
      return { items: await entriesWithLines(page.items), nextCursor: page.nextCursor };
    },

    /** Every posting line in the period as semicolon-separated CSV (UTF-8 with BOM, decimal comma). */
    async *exportCsv(ctx: CompanyContext, query: Omit<JournalQueryInput, 'limit' | 'cursor'>): AsyncGenerator<string> {
      yield '\uFEFFBilag;Dato;Konto;Debet;Kredit;MVA-kode;Beskrivelse;Kilde\r\n';
      let after: [string, string] | undefined;
      for (;;) {
        const rows = await listJournalEntries(db.kysely, {
          companyId: ctx.companyId,
          from: query.from,
          to: query.to,
          account: query.account,
          sourceId: query.sourceId,
          includeTest: query.includeTest === 'true',
          after,
          limit: 500,
        });
        if (rows.length === 0) return;
        for (const entry of await entriesWithLines(rows)) {
          let chunk = '';
          for (const line of entry.lines) {
            if (query.account && line.account !== query.account) continue;
            chunk += [
              entry.voucher,
              entry.entryDate,
              line.account,
              kroner(line.debitMinor),
              kroner(line.creditMinor),
              line.vatCode ?? '',
              line.description,
              entry.sourceType,
            ]
              .map(csvField)
              .join(';');
            chunk += '\r\n';
          }
          yield chunk;
        }
        const last = rows.at(-1)!;
        after = [last.entry_date, last.id];
      }
    },

    async trialBalance(ctx: CompanyContext, options: { to?: string | undefined; includeTest: boolean }) {
      const accounts = await trialBalance(db.kysely, ctx.companyId, options);
      const debit = accounts.reduce((total, row) => total + row.debit, 0);
      const credit = accounts.reduce((total, row) => total + row.credit, 0);
      return {
        accounts: accounts.map((row) => ({
          account: row.account,
          debitMinor: row.debit,
          creditMinor: row.credit,
          balanceMinor: row.debit - row.credit,
        })),
        totalDebitMinor: debit,
        totalCreditMinor: credit,
        currency: 'NOK' as const,
      };
    },
  };
}

export type JournalService = ReturnType<typeof createJournalService>;
