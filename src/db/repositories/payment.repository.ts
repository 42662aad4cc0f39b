import type { Insertable } from 'kysely';
import type { PaymentAllocationReleaseRow, PaymentAllocationReleasesTable, PaymentAllocationRow, PaymentAllocationsTable, PaymentRefundsTable, PaymentRow, PaymentsTable } from '../schema.js';
import type { Executor } from './executor.js';

export async function insertPayment(db: Executor, row: Insertable<PaymentsTable>): Promise<void> {
  await db.insertInto('payments').values(row).execute();
}

export async function insertAllocations(db: Executor, rows: ReadonlyArray<Insertable<PaymentAllocationsTable>>): Promise<void> {
  if (rows.length > 0) await db.insertInto('payment_allocations').values([...rows]).execute();
}

export async function findPayment(db: Executor, companyId: string, id: string, lock = false): Promise<PaymentRow | undefined> {
  let query = db.selectFrom('payments').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listAllocations(db: Executor, paymentIds: readonly string[]): Promise<Array<PaymentAllocationRow & { document_number: string | null }>> {
  if (paymentIds.length === 0) return [];
  return db
    .selectFrom('payment_allocations')
    .innerJoin('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .selectAll('payment_allocations')
    .select('invoices.document_number')
    .where('payment_allocations.payment_id', 'in', paymentIds)
    .orderBy('payment_allocations.id')
    .execute();
}

export async function listPayments(
  db: Executor,
  query: { companyId: string; customerId?: string | undefined; invoiceId?: string | undefined; after?: [string, string] | undefined; limit: number },
): Promise<PaymentRow[]> {
  let select = db.selectFrom('payments').selectAll().where('company_id', '=', query.companyId);
  if (query.customerId) select = select.where('customer_id', '=', query.customerId);
  const invoiceId = query.invoiceId;
  if (invoiceId) {
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('payment_allocations')
          .select('payment_allocations.id')
          .whereRef('payment_allocations.payment_id', '=', 'payments.id')
          .where('payment_allocations.invoice_id', '=', invoiceId),
      ),
    );
  }
  const after = query.after;
  if (after) select = select.where((eb) => eb(eb.refTuple('payment_date', 'id'), '<', eb.tuple(after[0], after[1])));
  return select.orderBy('payment_date', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
}

export async function markPaymentReversed(
  db: Executor,
  companyId: string,
  id: string,
  update: { reversed_at: string; reversal_reason: string; reversal_journal_entry_id: string; updated_at: string },
): Promise<void> {
  await db.updateTable('payments').set(update).where('company_id', '=', companyId).where('id', '=', id).where('reversed_at', 'is', null).execute();
}

export async function insertRefund(db: Executor, row: Insertable<PaymentRefundsTable>): Promise<void> {
  await db.insertInto('payment_refunds').values(row).execute();
}

export async function listRefunds(db: Executor, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return [];
  return db.selectFrom('payment_refunds').selectAll().where('payment_id', 'in', paymentIds).orderBy('id').execute();
}

export async function insertReleases(db: Executor, rows: ReadonlyArray<Insertable<PaymentAllocationReleasesTable>>): Promise<void> {
  if (rows.length > 0) await db.insertInto('payment_allocation_releases').values([...rows]).execute();
}

/** Releases of the payments' allocations, with the credit note's number; oldest first. */
export async function listReleases(db: Executor, paymentIds: readonly string[]): Promise<Array<PaymentAllocationReleaseRow & { credit_note_number: string | null }>> {
  if (paymentIds.length === 0) return [];
  return db
    .selectFrom('payment_allocation_releases')
    .innerJoin('invoices', 'invoices.id', 'payment_allocation_releases.credit_note_id')
    .selectAll('payment_allocation_releases')
    .select('invoices.document_number as credit_note_number')
    .where('payment_allocation_releases.payment_id', 'in', paymentIds)
    .orderBy('payment_allocation_releases.id')
    .execute();
}

/**
 * An invoice's allocations from payments that are not reversed, newest first, each with what
 * was released from it already (in its currency and in NOK).
 */
export async function listLiveAllocationsOfInvoice(db: Executor, companyId: string, invoiceId: string) {
  const rows = await db
    .selectFrom('payment_allocations')
    .innerJoin('payments', 'payments.id', 'payment_allocations.payment_id')
    .leftJoin('payment_allocation_releases', 'payment_allocation_releases.allocation_id', 'payment_allocations.id')
    .select((eb) => [
      'payment_allocations.id',
      'payment_allocations.payment_id',
      'payment_allocations.amount_minor',
      'payment_allocations.amount_nok_minor',
      eb.fn.coalesce(eb.fn.sum<number | string>('payment_allocation_releases.amount_minor'), eb.lit(0)).as('released_minor'),
      eb.fn.coalesce(eb.fn.sum<number | string>('payment_allocation_releases.amount_nok_minor'), eb.lit(0)).as('released_nok_minor'),
    ])
    .where('payment_allocations.company_id', '=', companyId)
    .where('payment_allocations.invoice_id', '=', invoiceId)
    .where('payments.reversed_at', 'is', null)
    .groupBy(['payment_allocations.id', 'payment_allocations.payment_id', 'payment_allocations.amount_minor', 'payment_allocations.amount_nok_minor'])
    .orderBy('payment_allocations.id', 'desc')
    .execute();
  return rows.map((row) => ({ ...row, released_minor: Number(row.released_minor), released_nok_minor: Number(row.released_nok_minor) }));
}
