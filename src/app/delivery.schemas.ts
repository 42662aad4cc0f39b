import { z } from 'zod';
import { emailSchema } from './common.schemas.js';

/** Channels a document can be delivered through: e-mail with the PDF, or EHF through the access point. */
export const DELIVERY_CHANNELS = ['email', 'ehf'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export const deliveryRequestSchema = z
  .strictObject({
    channel: z.enum(DELIVERY_CHANNELS).optional().meta({
      description:
        "`email` or `ehf`; omitted: the customer's channel (its own choice, else EHF when it has a PEPPOL id, else e-mail)",
    }),
    recipient: emailSchema
      .optional()
      .meta({ description: "E-mail only: overrides the customer's e-mail address for this delivery (EHF goes to the buyer's Peppol address)" }),
  });
export type DeliveryRequestInput = z.infer<typeof deliveryRequestSchema>;
