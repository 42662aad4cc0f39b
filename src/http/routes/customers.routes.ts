import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  customerCreateSchema,
  customerListQuerySchema,
  customerUpdateSchema,
} from '../../app/customer.schemas.js';
import { z } from 'zod';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { customerOutSchema, errorResponses, idParamSchema, pageOf } from '../schemas.js';

const customerBalanceSchema = z
  .object({
    customerId: z.string(),
    openReceivablesNokMinor: z.number().int().meta({ description: "What is open on the customer's issued invoices, in NOK øre" }),
    unappliedCreditNokMinor: z.number().int().meta({ description: "Credit the customer's payments hold (overpayments, prepayments, what credit notes released), in NOK øre" }),
    netBalanceNokMinor: z.number().int().meta({ description: "Open − credit: the customer's balance on receivables (1500); negative when they have money to their credit" }),
    currencies: z.array(
      z.object({
        currency: z.string(),
        openReceivablesMinor: z.number().int(),
        unappliedCreditMinor: z.number().int(),
        openReceivablesNokMinor: z.number().int(),
        unappliedCreditNokMinor: z.number().int(),
      }),
    ),
    openInvoices: z.array(
      z.object({
        id: z.string(),
        documentNumber: z.string().nullable(),
        issueDate: z.string().nullable(),
        dueDate: z.string().nullable(),
        currency: z.string(),
        openMinor: z.number().int(),
        openNokMinor: z.number().int(),
      }),
    ),
    creditPayments: z.array(
      z.object({
        id: z.string(),
        voucher: z.string(),
        paymentDate: z.string(),
        currency: z.string(),
        unallocatedMinor: z.number().int(),
        unallocatedNokMinor: z.number().int(),
        releasedMinor: z.number().int().meta({ description: 'Of the payment, what credit notes released from invoices it had paid' }),
      }),
    ),
  })
  .meta({ id: 'CustomerBalance' });

const balanceQuerySchema = z.strictObject({
  includeTest: z.enum(['true', 'false']).optional().meta({ description: 'Include test-mode documents (default false)' }),
});

export function customerRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { customers, payments } = deps.services;
  return async (app) => {
    app.get(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'List customers: search (q), filters, keyset pagination (cursor)',
          querystring: customerListQuerySchema,
          response: { 200: pageOf(customerOutSchema), ...errorResponses },
        },
        preHandler: guard(deps, 'customers.read'),
      },
      async (request) => customers.listCustomers(companyContext(request), request.query),
    );

    app.post(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Create a customer (number assigned unless given)',
          body: customerCreateSchema,
          response: { 201: customerOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.write'),
      },
      async (request, reply) =>
        reply.code(201).send(await customers.createCustomer(companyContext(request), request.body)),
    );

    app.get(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          summary: 'Read a customer',
          params: idParamSchema,
          response: { 200: customerOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.read'),
      },
      async (request) => customers.getCustomer(companyContext(request), request.params.id),
    );

    app.get(
      '/customers/:id/balance',
      {
        schema: {
          tags: ['customers'],
          summary: "A customer's open receivables, unapplied credit (and the payments holding it) and net balance",
          params: idParamSchema,
          querystring: balanceQuerySchema,
          response: { 200: customerBalanceSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.read'),
      },
      async (request) =>
        payments.customerBalance(companyContext(request), request.params.id, { includeTest: request.query.includeTest === 'true' }),
    );

    app.patch(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          summary: 'Update a customer',
          params: idParamSchema,
          body: customerUpdateSchema,
          response: { 200: customerOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.write'),
      },
      async (request) => customers.updateCustomer(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/customers/:id/archive',
      {
        schema: {
          tags: ['customers'],
          summary: 'Archive a customer (kept for history, hidden from lists by default)',
          params: idParamSchema,
          response: { 200: customerOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.write'),
      },
      async (request) => customers.archiveCustomer(companyContext(request), request.params.id),
    );

    app.post(
      '/customers/:id/unarchive',
      {
        schema: {
          tags: ['customers'],
          summary: 'Bring an archived customer back',
          params: idParamSchema,
          response: { 200: customerOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'customers.write'),
      },
      async (request) => customers.unarchiveCustomer(companyContext(request), request.params.id),
    );
  };
}
