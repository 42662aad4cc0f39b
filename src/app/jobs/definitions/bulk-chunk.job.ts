import { z } from 'zod';
import { defineJob } from '../job.js';

/**
 * Works through one chunk of a bulk operation's items (positions `chunk × chunk_size` up to
 * the next chunk), in order, then queues the next chunk. Chunks run one after the other, so
 * invoices are numbered in the order they were selected, and each chunk's e-mail deliveries
 * can go out while the next chunk is issued.
 */
export const bulkChunkJob = defineJob({
  type: 'bulk.chunk',
  payloadSchema: z.strictObject({
    companyId: z.string().min(1),
    operationId: z.string().min(1),
    chunk: z.number().int().min(0),
  }),
  maxAttempts: 10,
});
export type BulkChunkPayload = z.infer<typeof bulkChunkJob.payloadSchema>;

/** One job per chunk, ever: the unique key makes a second enqueue of the same chunk a no-op. */
export function bulkChunkJobKey(operationId: string, chunk: number): string {
  return `bulk:${operationId}:${chunk}`;
}
