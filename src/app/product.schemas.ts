import { z } from 'zod';
import { parseDecimalToMicros } from '../domain/money.js';
import { UNIT_CODES } from '../domain/units.js';
import { VAT_CODE_VALUES } from '../domain/vat.js';
import { listLimitSchema, optionalText, text } from './common.schemas.js';
import { archivedFilterSchema } from './customer.schemas.js';

export const unitPriceSchema = z
  .string()
  .max(24)
  .refine((value) => parseDecimalToMicros(value) !== undefined, {
    message: 'A decimal number with at most 6 decimals, e.g. "199.50"',
    params: { code: 'decimal.invalid' },
  })
  .meta({ description: 'Unit price excluding VAT as a decimal string (up to 6 decimals)', example: '1250.00' });

export const revenueAccountSchema = z
  .string()
  .regex(/^\d{4}$/, { message: 'A four-digit account number (NS 4102), e.g. 3000' });

export const productCreateSchema = z.strictObject({
  productNumber: text(40),
  name: text(200),
  description: optionalText(2000),
  unitCode: z.enum(UNIT_CODES).default('C62'),
  unitPrice: unitPriceSchema,
  vatCode: z.enum(VAT_CODE_VALUES).default('3'),
  revenueAccount: revenueAccountSchema.nullable().optional(),
});
export type ProductCreateInput = z.infer<typeof productCreateSchema>;

export const productUpdateSchema = z.strictObject({
  productNumber: text(40).optional(),
  name: text(200).optional(),
  description: optionalText(2000),
  unitCode: z.enum(UNIT_CODES).optional(),
  unitPrice: unitPriceSchema.optional(),
  vatCode: z.enum(VAT_CODE_VALUES).optional(),
  revenueAccount: revenueAccountSchema.nullable().optional(),
});
export type ProductUpdateInput = z.infer<typeof productUpdateSchema>;

export const productListQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  vatCode: z.enum(VAT_CODE_VALUES).optional(),
  archived: archivedFilterSchema,
  sort: z.enum(['number', 'name']).default('number'),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type ProductListQueryInput = z.infer<typeof productListQuerySchema>;
