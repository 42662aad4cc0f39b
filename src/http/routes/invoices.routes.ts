import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  creditNoteCreateSchema,
  invoiceCreateSchema,
  invoiceListQuerySchema,
  invoiceUpdateSchema,
} from '../../app/invoice.schemas.js';
import { AppError } from '../../domain/errors.js';
import { hasPermission } from '../../domain/roles.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, idParamSchema, invoiceOutSchema, invoicePageSchema } from '../schemas.js';

export function invoiceRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { invoices } = deps.services;
  return async (app) => {
    app.get(
      '/invoices',
      {
        schema: {
          tags: ['invoices'],
          summary: 'List invoices (newest first) with filters, page totals and keyset pagination',
          querystring: invoiceListQuerySchema,
          response: { 200: invoicePageSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => invoices.listInvoices(companyContext(request), 'invoice', request.query),
    );

    app.post(
      '/invoices',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Create a draft invoice (lines from products or free text), or with "issue": true create and issue it at once',
          body: invoiceCreateSchema,
          response: { 201: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.write'),
      },
      async (request, reply) => {
        const ctx = companyContext(request);
        if (!request.body.issue) return reply.code(201).send(await invoices.createDraft(ctx, request.body));
        // Issuing needs its own permission on top of invoices.write (the guard's).
        if (!hasPermission(ctx.role, 'invoices.issue')) {
          throw new AppError('auth.forbidden', `Your role (${ctx.role}) may not do this (invoices.issue)`, {
            details: { permission: 'invoices.issue' },
          });
        }
        return reply.code(201).send(await invoices.createAndIssueInvoice(ctx, request.body));
      },
    );

    app.get(
      '/invoices/:id',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Read an invoice or credit note',
          params: idParamSchema,
          response: { 200: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => invoices.getInvoice(companyContext(request), request.params.id),
    );

    app.patch(
      '/invoices/:id',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Edit a draft (lines, when given, replace all lines); issued documents answer 409',
          params: idParamSchema,
          body: invoiceUpdateSchema,
          response: { 200: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.write'),
      },
      async (request) => invoices.updateDraft(companyContext(request), request.params.id, request.body),
    );

    app.delete(
      '/invoices/:id',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Delete a draft; issued documents are never deleted (409)',
          params: idParamSchema,
          response: { 204: z.null(), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.write'),
      },
      async (request, reply) => {
        await invoices.deleteDraft(companyContext(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/invoices/:id/issue',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Issue a draft: legal check, number, KID, due date, journal entry. 422 lists every missing item',
          params: idParamSchema,
          response: { 200: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.issue'),
      },
      async (request) => invoices.issueInvoice(companyContext(request), request.params.id),
    );

    app.post(
      '/invoices/:id/mark-sent',
      {
        schema: {
          tags: ['invoices'],
          summary: 'Mark an issued document as sent by other means (post, by hand)',
          params: idParamSchema,
          response: { 200: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.send'),
      },
      async (request) => invoices.markSent(companyContext(request), request.params.id),
    );

    app.post(
      '/invoices/:id/credit-note',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'Issue a credit note for the whole remaining invoice, or for chosen lines (quantity or net amount)',
          params: idParamSchema,
          body: creditNoteCreateSchema,
          response: { 201: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.issue'),
      },
      async (request, reply) =>
        reply.code(201).send(await invoices.createCreditNote(companyContext(request), request.params.id, request.body)),
    );

    app.get(
      '/credit-notes',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'List credit notes (newest first)',
          querystring: invoiceListQuerySchema,
          response: { 200: invoicePageSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => invoices.listInvoices(companyContext(request), 'credit_note', request.query),
    );

    app.get(
      '/credit-notes/:id',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'Read a credit note',
          params: idParamSchema,
          response: { 200: invoiceOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => invoices.getInvoice(companyContext(request), request.params.id, 'credit_note'),
    );
  };
}
