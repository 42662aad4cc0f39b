import { z } from 'zod';
import {
  addressSchema,
  emailSchema,
  languageSchema,
  listLimitSchema,
  optionalText,
  orgNumberSchema,
  paymentTermsSchema,
  peppolIdSchema,
  text,
} from './common.schemas.js';

export const customerKindSchema = z.enum(['business', 'person']);

export const customerDeliveryChannelSchema = z.enum(['email', 'ehf']).nullable().meta({
  description: 'How documents go out when a send names no channel: `email`, `ehf`, or null = automatic (EHF when the customer has a PEPPOL id, else e-mail)',
});

const customerFields = {
  customerNumber: z.number().int().min(1).max(999_999_999).optional(),
  kind: customerKindSchema.default('business'),
  name: text(200),
  orgNumber: orgNumberSchema.nullable().optional(),
  contactName: optionalText(200),
  email: emailSchema.nullable().optional(),
  phone: optionalText(40),
  address: addressSchema.default({ countryCode: 'NO' }),
  deliveryAddress: addressSchema.nullable().optional(),
  language: languageSchema.default('nb'),
  paymentTermsDays: paymentTermsSchema.nullable().optional(),
  peppolId: peppolIdSchema.nullable().optional(),
  deliveryChannel: customerDeliveryChannelSchema.optional(),
  notes: optionalText(2000),
};

export const customerCreateSchema = z.strictObject(customerFields);
export type CustomerCreateInput = z.infer<typeof customerCreateSchema>;

export const customerUpdateSchema = z.strictObject({
  kind: customerKindSchema.optional(),
  name: text(200).optional(),
  orgNumber: orgNumberSchema.nullable().optional(),
  contactName: optionalText(200),
  email: emailSchema.nullable().optional(),
  phone: optionalText(40),
  address: addressSchema.optional(),
  deliveryAddress: addressSchema.nullable().optional(),
  language: languageSchema.optional(),
  paymentTermsDays: paymentTermsSchema.nullable().optional(),
  peppolId: peppolIdSchema.nullable().optional(),
  deliveryChannel: customerDeliveryChannelSchema.optional(),
  notes: optionalText(2000),
});
export type CustomerUpdateInput = z.infer<typeof customerUpdateSchema>;

export const archivedFilterSchema = z.enum(['exclude', 'only', 'include']).default('exclude');

export const customerListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  kind: customerKindSchema.optional(),
  archived: archivedFilterSchema,
  sort: z.enum(['number', 'name']).default('number'),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type CustomerListQueryInput = z.infer<typeof customerListQuerySchema>;
