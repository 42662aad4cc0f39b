import { z } from 'zod';
import { defineJob } from '../job.js';

/** Hands one delivery (one document, one channel, one sequence number) to its channel. */
export const sendDeliveryJob = defineJob({
  type: 'delivery.send',
  payloadSchema: z.strictObject({ deliveryId: z.string().min(1), companyId: z.string().min(1) }),
  maxAttempts: 8,
});
export type SendDeliveryPayload = z.infer<typeof sendDeliveryJob.payloadSchema>;
