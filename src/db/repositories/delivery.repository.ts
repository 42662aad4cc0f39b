import type { DeliveryRow, DeliveryRowUpdate, DeliveryStatus, NewDeliveryRow } from '../schema.js';
import type { Executor } from './executor.js';

/** Inserts a delivery unless its `delivery_key` exists; true when this call inserted it. */
export async function insertDelivery(db: Executor, row: NewDeliveryRow): Promise<boolean> {
  const result = await db
    .insertInto('deliveries')
    .values(row)
    .onConflict((conflict) => conflict.column('delivery_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findDelivery(
  db: Executor,
  companyId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<DeliveryRow | undefined> {
  let query = db.selectFrom('deliveries').selectAll().where('company_id', '=', companyId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findDeliveryByKey(db: Executor, companyId: string, deliveryKey: string): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('delivery_key', '=', deliveryKey)
    .executeTakeFirst();
}

/** The delivery with the highest sequence number for a document and channel. */
export async function findLatestDelivery(
  db: Executor,
  companyId: string,
  invoiceId: string,
  channel: string,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .where('channel', '=', channel)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listDeliveriesForInvoice(db: Executor, companyId: string, invoiceId: string): Promise<DeliveryRow[]> {
  return db
    .selectFrom('deliveries')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('created_at')
    .orderBy('sequence')
    .execute();
}

/** Updates a delivery, only while it is in one of `fromStatuses` when given; true when a row changed. */
export async function updateDelivery(
  db: Executor,
  companyId: string,
  id: string,
  update: DeliveryRowUpdate,
  fromStatuses?: readonly DeliveryStatus[],
): Promise<boolean> {
  let query = db.updateTable('deliveries').set(update).where('company_id', '=', companyId).where('id', '=', id);
  if (fromStatuses) query = query.where('status', 'in', [...fromStatuses]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
