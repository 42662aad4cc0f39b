import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentApplySchema, paymentCreateSchema, paymentListQuerySchema, paymentRefundSchema, paymentReverseSchema } from '../../app/payment.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, idParamSchema, pageOf } from '../schemas.js';

export const paymentOutSchema = z
  .object({
    id: z.string(),
    status: z.enum(['booked', 'reversed']),
    customerId: z.string().nullable(),
    paymentDate: z.string(),
    currency: z.string(),
    amountMinor: z.number().int(),
    amountNokMinor: z.number().int(),
    exchangeRate: z.string().nullable().meta({ description: 'NOK per unit of the currency that the bank applied; null for NOK' }),
    ledgerAccount: z.string(),
    reference: z.string().nullable(),
    payerName: z.string().nullable(),
    payerAccount: z.string().nullable(),
    bankReference: z.string().nullable(),
    note: z.string().nullable(),
    source: z.enum(['manual', 'bank_import']),
    isTest: z.boolean(),
    voucher: z.string().meta({ description: 'The journal voucher, e.g. INN-12' }),
    allocations: z.array(
      z.object({
        id: z.string(),
        invoiceId: z.string(),
        documentNumber: z.string().nullable(),
        amountMinor: z.number().int().meta({ description: 'As allocated; allocations are never changed' }),
        amountNokMinor: z.number().int(),
        releasedMinor: z.number().int().meta({ description: "Given back to the payment by credit notes on the invoice (the customer's credit again)" }),
        releasedNokMinor: z.number().int(),
        netMinor: z.number().int().meta({ description: 'What the invoice keeps: amountMinor − releasedMinor' }),
        releases: z.array(
          z.object({
            id: z.string(),
            creditNoteId: z.string(),
            creditNoteNumber: z.string().nullable(),
            amountMinor: z.number().int(),
            amountNokMinor: z.number().int(),
            createdAt: z.string(),
          }),
        ),
      }),
    ),
    refunds: z.array(
      z.object({ id: z.string(), refundDate: z.string(), amountMinor: z.number().int(), amountNokMinor: z.number().int(), voucher: z.string(), note: z.string().nullable(), journalEntryId: z.string() }),
    ),
    unallocatedMinor: z.number().int().meta({ description: "What no invoice keeps and was not paid back (including what credit notes released): the customer's credit" }),
    unallocatedNokMinor: z.number().int().meta({ description: 'That credit in NOK øre, as it stands on receivables (1500)' }),
    journalEntryId: z.string(),
    reversedAt: z.string().nullable(),
    reversalReason: z.string().nullable(),
    reversalJournalEntryId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Payment' });

export function paymentRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { payments, invoices } = deps.services;
  return async (app) => {
    app.post(
      '/payments',
      {
        schema: {
          tags: ['payments'],
          summary: 'Register a payment received and the invoices it settles (partial payments; the rest is the customer\'s credit)',
          body: paymentCreateSchema,
          response: { 201: paymentOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request, reply) => reply.code(201).send(await payments.registerPayment(companyContext(request), request.body)),
    );

    app.get(
      '/payments',
      {
        schema: {
          tags: ['payments'],
          summary: 'Payments, newest first; by customer or by invoice',
          querystring: paymentListQuerySchema,
          response: { 200: pageOf(paymentOutSchema), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => payments.listPayments(companyContext(request), request.query),
    );

    app.get(
      '/payments/:id',
      {
        schema: { tags: ['payments'], summary: 'One payment with its allocations', params: idParamSchema, response: { 200: paymentOutSchema, ...errorResponses } },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => payments.getPayment(companyContext(request), request.params.id),
    );

    app.post(
      '/payments/:id/reverse',
      {
        schema: {
          tags: ['payments'],
          summary: 'Reverse a payment: the mirror journal entry, and the invoices it paid are open again (never deleted)',
          params: idParamSchema,
          body: paymentReverseSchema,
          response: { 200: paymentOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => payments.reversePayment(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/payments/:id/allocations',
      {
        schema: {
          tags: ['payments'],
          summary: "Apply a payment's unallocated credit to another open invoice of the same customer",
          params: idParamSchema,
          body: paymentApplySchema,
          response: { 200: paymentOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => payments.applyCredit(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/payments/:id/refunds',
      {
        schema: {
          tags: ['payments'],
          summary: "Pay a payment's unallocated credit back to the customer (debit 1500, credit the bank account)",
          params: idParamSchema,
          body: paymentRefundSchema,
          response: { 200: paymentOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => payments.refundCredit(companyContext(request), request.params.id, request.body),
    );

    app.get(
      '/invoices/:id/payments',
      {
        schema: {
          tags: ['payments'],
          summary: "An invoice's payments, newest first (including reversed ones)",
          params: idParamSchema,
          response: { 200: z.object({ items: z.array(paymentOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => {
        const ctx = companyContext(request);
        await invoices.getInvoice(ctx, request.params.id, 'invoice');
        const items = [];
        let cursor: string | undefined;
        do {
          const page = await payments.listPayments(ctx, { invoiceId: request.params.id, limit: 200, ...(cursor ? { cursor } : {}) });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return { items };
      },
    );
  };
}
