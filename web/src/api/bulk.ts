import type { BulkItem, BulkOperation, BulkStatus } from '../../../src/domain/bulk-operation.js';
import { http } from './client';

export type { BulkItem, BulkOperation, BulkStatus };
export { isBulkFinished } from '../../../src/domain/bulk-operation.js';

/** Bulk operations on many invoices: started here, followed with `operation(id)`. */
export const bulkApi = {
  issueAndSend: (invoiceIds: readonly string[]) => http.post<BulkOperation>('/bulk/issue-and-send', { invoiceIds }),
  pdfZip: (invoiceIds: readonly string[]) => http.post<BulkOperation>('/bulk/pdf-zip', { invoiceIds }),
  operation: (id: string) => http.get<BulkOperation>(`/bulk/${encodeURIComponent(id)}`),
};

/** Where a finished PDF operation's ZIP is streamed (cookie-authenticated GET, so a plain link works). */
export function bulkDownloadUrl(id: string): string {
  return `/api/v1/bulk/${encodeURIComponent(id)}/download`;
}
