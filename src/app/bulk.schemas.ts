import { z } from 'zod';
import { BULK_MAX_ITEMS } from '../domain/bulk-operation.js';

const invoiceIdSchema = z.string().min(1).max(64).regex(/^[0-9a-zA-Z-]+$/);

/** The documents of a bulk operation, in the order they are worked on; a repeated id counts once. */
export const bulkRequestSchema = z.strictObject({
  invoiceIds: z
    .array(invoiceIdSchema)
    .min(1)
    .max(BULK_MAX_ITEMS)
    .transform((ids) => [...new Set(ids)])
    .meta({ description: `1 to ${BULK_MAX_ITEMS} ids of the caller's company; worked on in this order, repeats ignored` }),
});
export type BulkRequestInput = z.infer<typeof bulkRequestSchema>;

export const bulkListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type BulkListQueryInput = z.infer<typeof bulkListQuerySchema>;
