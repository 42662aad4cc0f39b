import type { BulkItem, BulkOperation } from '../domain/bulk-operation.js';
import type { FieldIssue } from '../domain/errors.js';
import type { BulkItemWithDelivery } from './repositories/bulk-operation.repository.js';
import type { BulkOperationRow } from './schema.js';

export function bulkOperationRowToOperation(row: BulkOperationRow, items?: BulkItemWithDelivery[]): BulkOperation {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    total: row.total,
    done: row.done_count,
    succeeded: row.done_count - row.failed_count,
    failed: row.failed_count,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
    ...(items ? { items: items.map(bulkItemRowToItem) } : {}),
  };
}

export function bulkItemRowToItem(row: BulkItemWithDelivery): BulkItem {
  const details = row.details_json ? (JSON.parse(row.details_json) as { missing?: FieldIssue[] }) : null;
  return {
    position: row.position,
    invoiceId: row.invoice_id,
    status: row.status,
    documentNumber: row.document_number,
    isIssued: row.document_number !== null,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    missing: details?.missing ?? null,
    deliveryId: row.delivery_id,
    deliveryStatus: row.delivery_status,
    fileName: row.file_name,
    byteSize: row.byte_size,
  };
}
