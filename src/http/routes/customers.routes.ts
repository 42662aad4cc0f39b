import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  customerCreateSchema,
  customerListQuerySchema,
  customerUpdateSchema,
} from '../../app/customer.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { customerOutSchema, errorResponses, idParamSchema, pageOf } from '../schemas.js';

export function customerRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { customers } = deps.services;
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
