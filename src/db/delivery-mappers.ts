import type { Delivery } from '../domain/delivery.js';
import type { DeliveryRow, JobRow } from './schema.js';

export function deliveryRowToDelivery(row: DeliveryRow, job?: Pick<JobRow, 'run_at' | 'max_attempts' | 'status'>): Delivery {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    channel: row.channel,
    sequence: row.sequence,
    deliveryKey: row.delivery_key,
    recipient: row.recipient,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: job?.max_attempts ?? null,
    nextAttemptAt: row.status === 'failed' && job?.status === 'failed' ? job.run_at : null,
    messageId: row.message_id,
    lastError: row.last_error,
    requestedBy: row.requested_by,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
