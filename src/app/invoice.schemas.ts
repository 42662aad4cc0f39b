import { z } from 'zod';
import { isValidCalendarDate } from '../domain/calendar-date.js';
import { parseDecimalToMicros } from '../domain/money.js';
import { isReasonCodeFor } from '../domain/invoice/allowance-charge.js';
import { UNIT_CODES } from '../domain/units.js';
import { VAT_CODE_VALUES } from '../domain/vat.js';
import { addressSchema, listLimitSchema, optionalText } from './common.schemas.js';
import { revenueAccountSchema } from './product.schemas.js';

export const calendarDateSchema = z
  .string()
  .refine(isValidCalendarDate, { message: 'A date as YYYY-MM-DD', params: { code: 'date.invalid' } })
  .meta({ example: '2026-11-26' });

function decimalSchema(options: { min?: number; max?: number; example: string; description: string }) {
  return z
    .string()
    .max(24)
    .refine(
      (value) => {
        const micros = parseDecimalToMicros(value);
        if (micros === undefined) return false;
        if (options.min !== undefined && micros < options.min * 1_000_000) return false;
        if (options.max !== undefined && micros > options.max * 1_000_000) return false;
        return true;
      },
      {
        message: `A decimal number with at most 6 decimals${options.min !== undefined ? ` from ${options.min}` : ''}${options.max !== undefined ? ` to ${options.max}` : ''}`,
        params: { code: 'decimal.invalid' },
      },
    )
    .meta({ example: options.example, description: options.description });
}

export const quantitySchema = decimalSchema({ min: -1_000_000_000, max: 1_000_000_000, example: '2.5', description: 'Quantity as a decimal string; negative for a deduction line' });
export const linePriceSchema = decimalSchema({ min: -1_000_000_000, max: 1_000_000_000, example: '1250.00', description: 'Unit price excluding VAT as a decimal string' });
export const discountPercentSchema = z
  .string()
  .regex(/^\d{1,3}([.,]\d{1,2})?$/, { message: 'A percentage with at most 2 decimals' })
  .refine((value) => Number(value.replace(',', '.')) <= 100, { message: 'At most 100 %', params: { code: 'discount.too_big' } })
  .meta({ example: '10', description: 'Line discount in percent (0–100, two decimals)' });
export const exchangeRateSchema = decimalSchema({ min: 0.000001, max: 1_000_000, example: '11.4567', description: 'NOK per one unit of the currency' });

export const invoiceLineInputSchema = z.strictObject({
  productId: z.string().min(1).max(64).nullable().optional(),
  description: optionalText(1000),
  quantity: quantitySchema.default('1'),
  unitCode: z.enum(UNIT_CODES).optional(),
  unitPrice: linePriceSchema.nullable().optional(),
  discountPercent: discountPercentSchema.default('0'),
  vatCode: z.enum(VAT_CODE_VALUES).optional(),
  revenueAccount: revenueAccountSchema.nullable().optional(),
});
export type InvoiceLineInput = z.infer<typeof invoiceLineInputSchema>;

/** A positive amount in the document currency with at most two decimals (øre). */
export const positiveAmountSchema = z
  .string()
  .max(24)
  .refine(
    (value) => {
      const micros = parseDecimalToMicros(value);
      return micros !== undefined && micros > 0 && micros % 10_000 === 0 && micros <= 1_000_000_000 * 1_000_000;
    },
    { message: 'A positive amount with at most two decimals', params: { code: 'amount.invalid' } },
  )
  .meta({ example: '500.00', description: 'Amount excluding VAT, positive, at most two decimals' });

export const allowanceChargeInputSchema = z
  .strictObject({
    type: z.enum(['allowance', 'charge']).meta({ description: 'allowance: a discount on the whole invoice (rabatt); charge: a fee or freight (gebyr, frakt)' }),
    reason: z.string().trim().min(1, { message: 'Say what the allowance or charge is for' }).max(500).meta({ example: 'Rabatt 10 %' }),
    reasonCode: z.string().trim().max(3).nullable().optional().meta({
      description: 'UNCL 5189 code for an allowance (e.g. 95 discount), UNCL 7161 for a charge (e.g. FC freight)',
    }),
    amount: positiveAmountSchema.optional(),
    percent: z
      .string()
      .regex(/^\d{1,3}([.,]\d{1,2})?$/, { message: 'A percentage with at most 2 decimals' })
      .refine((value) => Number(value.replace(',', '.')) > 0 && Number(value.replace(',', '.')) <= 100, {
        message: 'Above 0 and at most 100 %',
        params: { code: 'percent.invalid' },
      })
      .optional()
      .meta({ example: '10', description: 'Instead of amount: a percentage of the item lines with the same VAT code' }),
    vatCode: z.enum(VAT_CODE_VALUES).default('3'),
    revenueAccount: revenueAccountSchema.nullable().optional(),
  })
  .superRefine((value, context) => {
    if ((value.amount === undefined) === (value.percent === undefined)) {
      context.addIssue({ code: 'custom', path: ['amount'], message: 'Give an amount or a percentage (one of them)', params: { code: 'allowance_charge.amount_or_percent' } });
    }
    if (value.reasonCode && !isReasonCodeFor(value.type, value.reasonCode)) {
      context.addIssue({
        code: 'custom',
        path: ['reasonCode'],
        message: value.type === 'allowance' ? 'Not a UNCL 5189 allowance reason code' : 'Not a UNCL 7161 charge reason code',
        params: { code: 'allowance_charge.reason_code_invalid' },
      });
    }
  });
export type AllowanceChargeInput = z.infer<typeof allowanceChargeInputSchema>;

const deliveryPeriodSchema = z.strictObject({ start: calendarDateSchema, end: calendarDateSchema });

const draftFields = {
  issueDate: calendarDateSchema.nullable().optional(),
  deliveryDate: calendarDateSchema.nullable().optional(),
  deliveryPeriod: deliveryPeriodSchema.nullable().optional(),
  deliveryAddress: addressSchema.nullable().optional(),
  dueDate: calendarDateSchema.nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  buyerReference: optionalText(200),
  orderReference: optionalText(200),
  ourReference: optionalText(200),
  freeText: optionalText(4000),
  currency: z.string().regex(/^[A-Z]{3}$/, { message: 'ISO 4217 currency code, e.g. NOK or EUR' }).default('NOK'),
  exchangeRate: exchangeRateSchema.nullable().optional(),
  lines: z.array(invoiceLineInputSchema).max(1000).default([]),
  allowanceCharges: z.array(allowanceChargeInputSchema).max(100).default([]),
};

export const invoiceCreateSchema = z.strictObject({
  customerId: z.string().min(1).max(64),
  ...draftFields,
  issue: z.boolean().default(false).meta({
    description:
      'true: create and issue in one transaction ("save and issue"; needs the invoices.issue permission too). ' +
      'If the legal check fails the answer is 422 with every missing item and nothing is created',
  }),
});
export type InvoiceCreateInput = z.infer<typeof invoiceCreateSchema>;

export const invoiceUpdateSchema = z.strictObject({
  customerId: z.string().min(1).max(64).optional(),
  issueDate: draftFields.issueDate,
  deliveryDate: draftFields.deliveryDate,
  deliveryPeriod: draftFields.deliveryPeriod,
  deliveryAddress: draftFields.deliveryAddress,
  dueDate: draftFields.dueDate,
  paymentTermsDays: draftFields.paymentTermsDays,
  buyerReference: draftFields.buyerReference,
  orderReference: draftFields.orderReference,
  ourReference: draftFields.ourReference,
  freeText: draftFields.freeText,
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  exchangeRate: draftFields.exchangeRate,
  lines: z.array(invoiceLineInputSchema).max(1000).optional(),
  allowanceCharges: z.array(allowanceChargeInputSchema).max(100).optional(),
});
export type InvoiceUpdateInput = z.infer<typeof invoiceUpdateSchema>;

export const creditNoteCreateSchema = z.strictObject({
  /** Omit for a full credit note; otherwise the lines to credit, each fully or by quantity or by net amount. */
  lines: z
    .array(
      z.strictObject({
        invoiceLineId: z.string().min(1).max(64),
        quantity: quantitySchema.optional(),
        amount: linePriceSchema.optional().meta({
          description:
            'Net amount excluding VAT to credit on this line, with the line\'s sign (negative for a deduction line); for a document-level allowance its size, with or without the minus sign',
        }),
      }),
    )
    .min(1)
    .max(1000)
    .optional(),
  reason: optionalText(500),
});
export type CreditNoteCreateInput = z.infer<typeof creditNoteCreateSchema>;

export const invoiceStatusSchema = z.enum(['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited']);

export const invoiceListQuerySchema = z.strictObject({
  status: invoiceStatusSchema.optional(),
  customerId: z.string().max(64).optional(),
  from: calendarDateSchema.optional().meta({ description: 'Issue date from (inclusive)' }),
  to: calendarDateSchema.optional().meta({ description: 'Issue date to (inclusive)' }),
  overdue: z.enum(['true', 'false']).optional(),
  test: z.enum(['true', 'false']).optional().meta({ description: 'Only test-mode (true) or live (false) documents' }),
  q: z.string().trim().max(200).optional(),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type InvoiceListQueryInput = z.infer<typeof invoiceListQuerySchema>;

export const invoiceSettingsUpdateSchema = z.strictObject({
  kidMethod: z.enum(['mod10', 'mod11']).optional(),
  kidComposition: z.enum(['invoice_number', 'customer_and_invoice']).optional(),
  kidCustomerDigits: z.number().int().min(0).max(12).optional(),
  kidInvoiceDigits: z.number().int().min(3).max(15).optional(),
  creditNoteSeries: z.enum(['invoice', 'separate']).optional(),
  accounts: z
    .strictObject({
      receivable: z.string().regex(/^\d{4}$/).optional(),
      // partialRecord: with enum keys zod's record() demands every code; these maps are merged into the current ones.
      outputVat: z.partialRecord(z.enum(VAT_CODE_VALUES), z.string().regex(/^\d{4}$/)).optional(),
      revenueByVatCode: z.partialRecord(z.enum(VAT_CODE_VALUES), z.string().regex(/^\d{4}$/)).optional(),
    })
    .optional(),
});
export type InvoiceSettingsUpdateInput = z.infer<typeof invoiceSettingsUpdateSchema>;

export const goLiveSchema = z.strictObject({
  startNumber: z.number().int().min(1).max(999_999_999).optional().meta({
    description: 'First live invoice number, for companies moving from another system; 1 when omitted',
  }),
});
