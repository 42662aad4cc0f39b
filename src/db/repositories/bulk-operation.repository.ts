import type { Insertable } from 'kysely';
import type {
  BulkOperationItemRow,
  BulkOperationItemRowUpdate,
  BulkOperationItemsTable,
  BulkOperationRow,
  BulkOperationsTable,
  InvoiceRow,
} from '../schema.js';
import type { Executor } from './executor.js';

/** Bulk operations and their items; every query is scoped to a company. */

/** Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_BATCH = 200;

export async function insertBulkOperation(db: Executor, row: Insertable<BulkOperationsTable>): Promise<void> {
  await db.insertInto('bulk_operations').values(row).execute();
}

export async function insertBulkOperationItems(db: Executor, rows: ReadonlyArray<Insertable<BulkOperationItemsTable>>): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await db.insertInto('bulk_operation_items').values(rows.slice(start, start + INSERT_BATCH)).execute();
  }
}

export async function findBulkOperation(db: Executor, companyId: string, id: string): Promise<BulkOperationRow | undefined> {
  return db.selectFrom('bulk_operations').selectAll().where('company_id', '=', companyId).where('id', '=', id).executeTakeFirst();
}

/** The newest operations first. */
export async function listBulkOperations(db: Executor, companyId: string, limit: number): Promise<BulkOperationRow[]> {
  return db
    .selectFrom('bulk_operations')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type BulkItemWithDelivery = BulkOperationItemRow & { delivery_status: string | null };

/** An operation's items in request order, with the current status of each item's delivery. */
export async function listBulkOperationItems(db: Executor, companyId: string, operationId: string): Promise<BulkItemWithDelivery[]> {
  return db
    .selectFrom('bulk_operation_items as item')
    .leftJoin('deliveries as delivery', (join) =>
      join.onRef('delivery.id', '=', 'item.delivery_id').onRef('delivery.company_id', '=', 'item.company_id'),
    )
    .selectAll('item')
    .select('delivery.status as delivery_status')
    .where('item.company_id', '=', companyId)
    .where('item.operation_id', '=', operationId)
    .orderBy('item.position')
    .execute();
}

/** Items with `from <= position < to`, in order. */
export async function listBulkItemsInRange(
  db: Executor,
  companyId: string,
  operationId: string,
  from: number,
  to: number,
): Promise<BulkOperationItemRow[]> {
  return db
    .selectFrom('bulk_operation_items')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('operation_id', '=', operationId)
    .where('position', '>=', from)
    .where('position', '<', to)
    .orderBy('position')
    .execute();
}

/** Items that succeeded, in order (the ZIP's entries). */
export async function listSucceededBulkItems(db: Executor, companyId: string, operationId: string): Promise<BulkOperationItemRow[]> {
  return db
    .selectFrom('bulk_operation_items')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('operation_id', '=', operationId)
    .where('status', '=', 'succeeded')
    .orderBy('position')
    .execute();
}

/** A queued operation becomes running at its first job; true when this call changed it. */
export async function markBulkOperationRunning(db: Executor, companyId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('bulk_operations')
    .set({ status: 'running', started_at: now, updated_at: now })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records an item's outcome only while it is still pending, and then counts it on the
 * operation: a rerun of the same item (a job run again after a crash, or a duplicate job)
 * changes nothing. True when this call recorded it.
 */
export async function recordBulkItemOutcome(
  db: Executor,
  item: { companyId: string; operationId: string; position: number },
  update: BulkOperationItemRowUpdate & { status: 'succeeded' | 'failed'; updated_at: string },
): Promise<boolean> {
  const result = await db
    .updateTable('bulk_operation_items')
    .set(update)
    .where('company_id', '=', item.companyId)
    .where('operation_id', '=', item.operationId)
    .where('position', '=', item.position)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await db
    .updateTable('bulk_operations')
    .set((eb) => ({
      done_count: eb('done_count', '+', 1),
      failed_count: update.status === 'failed' ? eb('failed_count', '+', 1) : eb.ref('failed_count'),
      updated_at: update.updated_at,
    }))
    .where('company_id', '=', item.companyId)
    .where('id', '=', item.operationId)
    .execute();
  return true;
}

/**
 * Marks the operation completed (or completed with errors) once every item is done; true
 * when this call finished it. An operation already failed stays failed.
 */
export async function completeBulkOperationIfDone(db: Executor, companyId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('bulk_operations')
    .set((eb) => ({
      status: eb.case().when('failed_count', '>', 0).then('completed_with_errors' as const).else('completed' as const).end(),
      finished_at: now,
      updated_at: now,
    }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .whereRef('done_count', '=', 'total')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Gives up on an operation whose job ran out of attempts: every item still pending fails
 * with `error`, and the operation is `failed`. Returns how many items it failed.
 */
export async function failBulkOperation(db: Executor, companyId: string, id: string, error: string, now: string): Promise<number> {
  const result = await db
    .updateTable('bulk_operation_items')
    .set({ status: 'failed', error_code: 'internal', error_message: error, updated_at: now })
    .where('company_id', '=', companyId)
    .where('operation_id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const failed = Number(result.numUpdatedRows);
  await db
    .updateTable('bulk_operations')
    .set((eb) => ({
      status: 'failed',
      error,
      done_count: eb('done_count', '+', failed),
      failed_count: eb('failed_count', '+', failed),
      finished_at: now,
      updated_at: now,
    }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
  return failed;
}

export type InvoiceState = Pick<InvoiceRow, 'id' | 'kind' | 'state' | 'document_number'>;

/** Kind, state and number of the company's documents among `ids` (others are not returned). */
export async function listInvoiceStates(db: Executor, companyId: string, ids: readonly string[]): Promise<InvoiceState[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('invoices')
    .select(['id', 'kind', 'state', 'document_number'])
    .where('company_id', '=', companyId)
    .where('id', 'in', [...ids])
    .execute();
}
