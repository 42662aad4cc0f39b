import { z } from 'zod';
import { listLimitSchema, optionalText } from './common.schemas.js';
import { calendarDateSchema, positiveAmountSchema } from './invoice.schemas.js';

const ledgerAccountSchema = z.string().regex(/^\d{4}$/, { message: 'A 4-digit account number, e.g. 1920' }).meta({ example: '1920' });

export const paymentCreateSchema = z
  .strictObject({
    paymentDate: calendarDateSchema.meta({ description: 'The date the money reached the account' }),
    amount: positiveAmountSchema.meta({ description: 'The amount received, in the payment currency' }),
    currency: z.string().regex(/^[A-Z]{3}$/, { message: 'ISO 4217 currency code, e.g. NOK or EUR' }).default('NOK'),
    amountNok: positiveAmountSchema.optional().meta({ description: 'For a foreign-currency payment: what reached the account in NOK' }),
    ledgerAccount: ledgerAccountSchema.default('1920').meta({ description: 'The bank account in the chart of accounts (1920 by default)' }),
    customerId: z.string().min(1).max(64).optional().meta({ description: 'The payer; taken from the invoices when they are given' }),
    reference: optionalText(200).meta({ description: 'KID or the payment message' }),
    payerName: optionalText(200),
    payerAccount: optionalText(50),
    bankReference: optionalText(200).meta({ description: "The bank's reference of the transaction" }),
    note: optionalText(1000),
    allocations: z
      .array(z.strictObject({ invoiceId: z.string().min(1).max(64), amount: positiveAmountSchema }))
      .max(500)
      .default([])
      .meta({ description: 'The invoices the payment settles and how much of each; the rest becomes the customer\'s credit' }),
  })
  .superRefine((value, context) => {
    if (value.currency !== 'NOK' && value.amountNok === undefined) {
      context.addIssue({ code: 'custom', path: ['amountNok'], message: 'A foreign-currency payment needs the NOK amount that reached the account', params: { code: 'payment.amount_nok_missing' } });
    }
    if (value.currency === 'NOK' && value.amountNok !== undefined && value.amountNok !== value.amount) {
      context.addIssue({ code: 'custom', path: ['amountNok'], message: 'For a NOK payment leave amountNok out (or equal to amount)', params: { code: 'payment.amount_nok_mismatch' } });
    }
  });
export type PaymentCreateInput = z.infer<typeof paymentCreateSchema>;

export const paymentReverseSchema = z.strictObject({
  reason: z.string().trim().min(1, { message: 'Say why the payment is reversed' }).max(500),
});
export type PaymentReverseInput = z.infer<typeof paymentReverseSchema>;

export const paymentListQuerySchema = z.strictObject({
  customerId: z.string().max(64).optional(),
  invoiceId: z.string().max(64).optional(),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type PaymentListQueryInput = z.infer<typeof paymentListQuerySchema>;


export const paymentApplySchema = z.strictObject({
  invoiceId: z.string().min(1).max(64),
  amount: positiveAmountSchema.meta({ description: "How much of the payment's unallocated credit to put on the invoice" }),
});
export type PaymentApplyInput = z.infer<typeof paymentApplySchema>;

export const paymentRefundSchema = z.strictObject({
  refundDate: calendarDateSchema.meta({ description: 'The date the money left the account' }),
  amount: positiveAmountSchema.meta({ description: "How much of the payment's unallocated credit is paid back" }),
  note: optionalText(500),
});
export type PaymentRefundInput = z.infer<typeof paymentRefundSchema>;
