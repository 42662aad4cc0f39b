import { type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type {
  Database,
  InvoiceLineRow,
  InvoiceLinesTable,
  InvoiceRow,
  InvoiceRowUpdate,
  InvoiceVatTotalRow,
  InvoiceVatTotalsTable,
  NewInvoiceRow,
} from '../schema.js';
import type { Insertable } from 'kysely';
import { cachedQuery, insertRows, updateCompanyRow } from '../compiled-queries.js';
import type { Executor } from './executor.js';

// The statements of creating and issuing an invoice run with SQL compiled once (compiled-queries.ts).

export async function insertInvoice(db: Executor, row: NewInvoiceRow): Promise<void> {
  await insertRows(db, 'invoices', [row]);
}

const selectInvoice = cachedQuery('invoices.byId', ['companyId', 'id'], (db, p) =>
  db.selectFrom('invoices').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id),
);
/** PostgreSQL only (SQLite has no FOR UPDATE; its single writer serializes instead). */
const selectInvoiceForUpdate = cachedQuery('invoices.byId.forUpdate', ['companyId', 'id'], (db, p) =>
  db.selectFrom('invoices').selectAll().where('company_id', '=', p.companyId).where('id', '=', p.id).forUpdate(),
);

export async function findInvoice(
  db: Executor,
  companyId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<InvoiceRow | undefined> {
  const { rows } = await (options.lock ? selectInvoiceForUpdate : selectInvoice)(db, { companyId, id });
  return rows[0];
}

export async function updateInvoice(db: Executor, companyId: string, id: string, update: InvoiceRowUpdate): Promise<void> {
  await updateCompanyRow(db, 'invoices', companyId, id, update);
}

export async function deleteInvoiceDraft(db: Executor, companyId: string, id: string): Promise<void> {
  await db.deleteFrom('invoice_vat_totals').where('invoice_id', '=', id).where('company_id', '=', companyId).execute();
  await db.deleteFrom('invoice_lines').where('invoice_id', '=', id).where('company_id', '=', companyId).execute();
  await db
    .deleteFrom('invoices')
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('state', '=', 'draft')
    .execute();
}

const selectLinesOfInvoice = cachedQuery('invoice_lines.ofInvoice', ['invoiceId'], (db, p) =>
  db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', p.invoiceId).orderBy('position'),
);

export async function listInvoiceLines(db: Executor, invoiceIds: readonly string[]): Promise<InvoiceLineRow[]> {
  if (invoiceIds.length === 0) return [];
  if (invoiceIds.length === 1) return (await selectLinesOfInvoice(db, { invoiceId: invoiceIds[0] })).rows;
  return db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', 'in', invoiceIds)
    .orderBy('invoice_id')
    .orderBy('position')
    .execute();
}

/** Lines of a document that has none yet. */
export async function insertInvoiceLines(db: Executor, lines: ReadonlyArray<Insertable<InvoiceLinesTable>>): Promise<void> {
  await insertRows(db, 'invoice_lines', lines);
}

const deleteLinesOfInvoice = cachedQuery('invoice_lines.deleteOfInvoice', ['invoiceId'], (db, p) =>
  db.deleteFrom('invoice_lines').where('invoice_id', '=', p.invoiceId),
);

export async function replaceInvoiceLines(
  db: Executor,
  invoiceId: string,
  lines: ReadonlyArray<Insertable<InvoiceLinesTable>>,
): Promise<void> {
  await deleteLinesOfInvoice(db, { invoiceId });
  await insertInvoiceLines(db, lines);
}

const selectVatTotalsOfInvoice = cachedQuery('invoice_vat_totals.ofInvoice', ['invoiceId'], (db, p) =>
  db.selectFrom('invoice_vat_totals').selectAll().where('invoice_id', '=', p.invoiceId).orderBy('vat_rate_bp', 'desc').orderBy('vat_code'),
);

/** In the order documents show them: highest rate first, then by code. */
export async function listVatTotals(db: Executor, invoiceIds: readonly string[]): Promise<InvoiceVatTotalRow[]> {
  if (invoiceIds.length === 0) return [];
  if (invoiceIds.length === 1) return (await selectVatTotalsOfInvoice(db, { invoiceId: invoiceIds[0] })).rows;
  return db
    .selectFrom('invoice_vat_totals')
    .selectAll()
    .where('invoice_id', 'in', invoiceIds)
    .orderBy('vat_rate_bp', 'desc')
    .orderBy('vat_code')
    .execute();
}

/** VAT totals of a document that has none yet. */
export async function insertVatTotals(db: Executor, rows: ReadonlyArray<Insertable<InvoiceVatTotalsTable>>): Promise<void> {
  await insertRows(db, 'invoice_vat_totals', rows);
}

const deleteVatTotalsOfInvoice = cachedQuery('invoice_vat_totals.deleteOfInvoice', ['invoiceId'], (db, p) =>
  db.deleteFrom('invoice_vat_totals').where('invoice_id', '=', p.invoiceId),
);

export async function replaceVatTotals(
  db: Executor,
  invoiceId: string,
  rows: ReadonlyArray<Insertable<InvoiceVatTotalsTable>>,
): Promise<void> {
  await deleteVatTotalsOfInvoice(db, { invoiceId });
  await insertVatTotals(db, rows);
}

/** Net already credited per invoice line (sum over the credit notes' lines that point at it). */
export async function sumCreditedByLine(db: Executor, invoiceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('invoice_lines as credit_line')
    .innerJoin('invoice_lines as original', 'original.id', 'credit_line.credited_line_id')
    .innerJoin('invoices as credit_note', 'credit_note.id', 'credit_line.invoice_id')
    .select(['credit_line.credited_line_id', (eb) => eb.fn.sum<number | string>('credit_line.net_minor').as('credited')])
    .where('original.invoice_id', '=', invoiceId)
    .where('credit_note.state', '=', 'issued')
    .groupBy('credit_line.credited_line_id')
    .execute();
  return new Map(rows.map((row) => [row.credited_line_id!, Number(row.credited)]));
}

export async function listCreditNotesFor(db: Executor, companyId: string, invoiceId: string): Promise<InvoiceRow[]> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('credited_invoice_id', '=', invoiceId)
    .where('state', '=', 'issued')
    .orderBy('id')
    .execute();
}

export async function hasLiveDocuments(db: Executor, companyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('invoices')
    .select('id')
    .where('company_id', '=', companyId)
    .where('state', '=', 'issued')
    .where('is_test', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export type InvoiceStatusFilter = 'draft' | 'issued' | 'sent' | 'partially_paid' | 'paid' | 'credited';

export interface InvoiceListQuery {
  companyId: string;
  kind: 'invoice' | 'credit_note';
  status?: InvoiceStatusFilter | undefined;
  customerId?: string | undefined;
  issuedFrom?: string | undefined;
  issuedTo?: string | undefined;
  /** With a value: only documents overdue on this company date. */
  overdueOn?: string | undefined;
  isTest?: boolean | undefined;
  searchPattern?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

type InvoiceEb = ExpressionBuilder<Database, 'invoices'>;

/** SQL for the open amount; mirrors domain/invoice/invoice-status.ts openAmountMinor. */
function openAmount(eb: InvoiceEb) {
  return eb(eb(eb.ref('payable_minor'), '-', eb.ref('paid_minor')), '-', eb.ref('credited_minor'));
}

function fullyCredited(eb: InvoiceEb) {
  return eb.and([eb('credited_minor', '>', 0), eb('credited_minor', '>=', eb.ref('payable_minor'))]);
}

/** The status filter, in SQL, matching domain/invoice/invoice-status.ts invoiceStatus. */
function statusCondition(eb: InvoiceEb, status: InvoiceStatusFilter, kind: 'invoice' | 'credit_note') {
  const issued = eb('state', '=', 'issued');
  if (status === 'draft') return eb('state', '=', 'draft');
  if (kind === 'credit_note') {
    if (status === 'sent') return eb.and([issued, eb('sent_at', 'is not', null)]);
    if (status === 'issued') return eb.and([issued, eb('sent_at', 'is', null)]);
    // No credit note is paid or credited. A literal, not a bound `false`: better-sqlite3 cannot bind booleans.
    return sql<SqlBool>`1 = 0`;
  }
  const notCredited = eb.not(fullyCredited(eb));
  const open = eb(openAmount(eb), '>', 0);
  switch (status) {
    case 'credited':
      return eb.and([issued, fullyCredited(eb)]);
    case 'paid':
      return eb.and([issued, notCredited, eb(openAmount(eb), '<=', 0)]);
    case 'partially_paid':
      return eb.and([issued, notCredited, open, eb('paid_minor', '>', 0)]);
    case 'sent':
      return eb.and([issued, notCredited, open, eb('paid_minor', '=', 0), eb('sent_at', 'is not', null)]);
    case 'issued':
      return eb.and([issued, notCredited, open, eb('paid_minor', '=', 0), eb('sent_at', 'is', null)]);
  }
}

/** Newest first (ids are time-ordered); keyset on id. */
export async function listInvoices(db: Executor, query: InvoiceListQuery): Promise<InvoiceRow[]> {
  let select = db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', query.companyId)
    .where('kind', '=', query.kind);
  if (query.status) {
    const status = query.status;
    select = select.where((eb) => statusCondition(eb, status, query.kind));
  }
  if (query.customerId) select = select.where('customer_id', '=', query.customerId);
  if (query.issuedFrom) select = select.where('issue_date', '>=', query.issuedFrom);
  if (query.issuedTo) select = select.where('issue_date', '<=', query.issuedTo);
  if (query.isTest !== undefined) select = select.where('is_test', '=', query.isTest ? 1 : 0);
  if (query.overdueOn) {
    const today = query.overdueOn;
    select = select.where((eb) =>
      eb.and([eb('state', '=', 'issued'), eb('due_date', '<', today), eb(openAmount(eb), '>', 0)]),
    );
  }
  if (query.searchPattern) {
    const pattern = query.searchPattern;
    select = select.where((eb) =>
      eb.or([
        eb(sql<string>`lower(buyer_name)`, 'like', sql<string>`${pattern} escape '\\'`),
        eb(sql<string>`lower(coalesce(document_number, ''))`, 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  if (query.beforeId) select = select.where('id', '<', query.beforeId);
  return select.orderBy('id', 'desc').limit(query.limit).execute();
}
