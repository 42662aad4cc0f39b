import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { positiveAmountSchema } from '../../app/invoice.schemas.js';
import { validationError } from '../../domain/errors.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, idParamSchema } from '../schemas.js';

const summarySchema = z.object({
  format: z.string().nullable(),
  version: z.string().nullable(),
  transactionCount: z.number().int(),
  paymentCount: z.number().int(),
  bookedCount: z.number().int(),
  reviewCount: z.number().int(),
  duplicateCount: z.number().int(),
  ignoredCount: z.number().int().meta({ description: 'Neither payments nor reversals of incoming payments (debits, reversed debits, AvtaleGiro notices)' }),
  reversalCount: z.number().int().meta({ description: 'Reversals of incoming payments (camt DBIT entries with RvslInd=true, OCR types 18/20)' }),
  reversedCount: z.number().int().meta({ description: 'Of those, payments reversed automatically' }),
  reversalReviewCount: z.number().int(),
  reversalDuplicateCount: z.number().int(),
  reversalSums: z
    .array(z.object({ currency: z.string(), reversalMinor: z.number().int(), reversedMinor: z.number().int(), reviewMinor: z.number().int(), duplicateMinor: z.number().int() }))
    .meta({ description: 'Per currency, positive: what the bank took back = reversed + waiting for review + duplicates' }),
  sums: z.array(z.object({ currency: z.string(), creditedMinor: z.number().int(), bookedMinor: z.number().int(), reviewMinor: z.number().int(), duplicateMinor: z.number().int() })),
  reconciles: z.boolean().meta({ description: 'Booked = credited − waiting for review − duplicates, per currency' }),
  warnings: z.array(z.object({ code: z.string(), location: z.string(), message: z.string() })),
  notes: z.array(z.object({ code: z.string(), location: z.string(), message: z.string() })),
});

export const bankImportOutSchema = z
  .object({
    id: z.string(),
    fileName: z.string().nullable(),
    sha256: z.string(),
    byteSize: z.number().int(),
    status: z.enum(['completed', 'rejected', 'duplicate_file']),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    duplicateOfId: z.string().nullable(),
    summary: summarySchema,
    createdAt: z.string(),
  })
  .meta({ id: 'BankImport' });

export const bankTransactionOutSchema = z
  .object({
    id: z.string(),
    importId: z.string(),
    position: z.number().int(),
    kind: z.enum(['payment', 'reversal']).meta({ description: "'reversal': the bank took back an incoming payment (amountMinor < 0); booked, paymentId is the payment reversed" }),
    status: z.enum(['booked', 'review', 'duplicate', 'dismissed']),
    bankReference: z.string().nullable(),
    bookingDate: z.string().nullable(),
    valueDate: z.string().nullable(),
    currency: z.string(),
    amountMinor: z.number().int(),
    kid: z.string().nullable(),
    texts: z.array(z.string()),
    payerName: z.string().nullable(),
    payerAccount: z.string().nullable(),
    location: z.string().meta({ description: 'The record or element in the file' }),
    matchReason: z.string().nullable(),
    confidence: z.number().int().meta({ description: '0–100; booked automatically from 80' }),
    suggestions: z.array(z.string()).meta({ description: 'Ids that may be meant, best first: invoices for a payment, payments for a reversal' }),
    explanation: z.string().nullable(),
    paymentId: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    resolutionNote: z.string().nullable().meta({ description: 'Why it was dismissed' }),
  })
  .meta({ id: 'BankTransaction' });

const FILE_TYPES = ['application/octet-stream', 'application/xml', 'text/xml', 'text/plain'];

export function bankImportRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { bankImports } = deps.services;
  return async (app) => {
    // The file is the body, as bytes (OCR giro is ISO-8859-1; camt is XML): no JSON, no multipart.
    app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.post(
      '/bank-imports',
      {
        schema: {
          tags: ['payments'],
          summary: 'Import a bank file (Nets OCR giro, camt.053, camt.054): the body is the file; payments are matched and the confident ones booked',
          querystring: z.strictObject({ fileName: z.string().max(255).optional() }),
          consumes: FILE_TYPES,
          response: { 201: bankImportOutSchema, 200: bankImportOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
        // Bank files are larger than API bodies: a camt.054 of 100,000 payments is about 60 MiB.
        bodyLimit: 256 * 1024 * 1024,
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw validationError([{ path: 'body', code: 'bank_file.missing', message: 'Send the bank file as the request body (Content-Type application/octet-stream)' }]);
        }
        const result = await bankImports.importFile(companyContext(request), { bytes: body, fileName: request.query.fileName });
        return reply.code(result.status === 'duplicate_file' ? 200 : 201).send(result);
      },
    );

    app.get(
      '/bank-imports',
      {
        schema: { tags: ['payments'], summary: 'Bank file imports, newest first', response: { 200: z.object({ items: z.array(bankImportOutSchema) }), ...errorResponses } },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => ({ items: await bankImports.listImports(companyContext(request)) }),
    );

    app.get(
      '/bank-imports/:id',
      {
        schema: { tags: ['payments'], summary: 'One import with its summary', params: idParamSchema, response: { 200: bankImportOutSchema, ...errorResponses } },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => bankImports.getImport(companyContext(request), request.params.id),
    );

    app.get(
      '/bank-transactions',
      {
        schema: {
          tags: ['payments'],
          summary: 'Transactions of bank files; status=review is the review queue',
          querystring: z.strictObject({ importId: z.string().max(64).optional(), status: z.enum(['booked', 'review', 'duplicate', 'dismissed']).optional() }),
          response: { 200: z.object({ items: z.array(bankTransactionOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => ({ items: await bankImports.listTransactions(companyContext(request), request.query) }),
    );

    app.post(
      '/bank-transactions/:id/match',
      {
        schema: {
          tags: ['payments'],
          summary: 'Book a transaction that waits for review, with the invoices chosen by hand',
          params: idParamSchema,
          body: z.strictObject({
            allocations: z.array(z.strictObject({ invoiceId: z.string().min(1).max(64), amount: positiveAmountSchema })).max(500),
            customerId: z.string().min(1).max(64).optional(),
          }),
          response: { 200: bankTransactionOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => bankImports.matchTransaction(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/bank-transactions/:id/reverse',
      {
        schema: {
          tags: ['payments'],
          summary: 'Resolve a waiting reversal from the bank: reverse the payment it takes back (same currency and amount)',
          params: idParamSchema,
          body: z.strictObject({ paymentId: z.string().min(1).max(64) }),
          response: { 200: bankTransactionOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => bankImports.reverseTransaction(companyContext(request), request.params.id, request.body),
    );

    app.post(
      '/bank-transactions/:id/dismiss',
      {
        schema: {
          tags: ['payments'],
          summary: 'Set a waiting transaction (payment or reversal) aside with a reason; nothing is booked',
          params: idParamSchema,
          body: z.strictObject({ reason: z.string().trim().min(1, { message: 'Say why the transaction is dismissed' }).max(500) }),
          response: { 200: bankTransactionOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'payments.write'),
      },
      async (request) => bankImports.dismissTransaction(companyContext(request), request.params.id, request.body),
    );
  };
}
