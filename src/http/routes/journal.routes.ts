import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { journalQuerySchema } from '../../app/journal.service.js';
import { calendarDateSchema } from '../../app/invoice.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, journalEntryOutSchema, pageOf } from '../schemas.js';

export function journalRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { journal } = deps.services;
  return async (app) => {
    app.get(
      '/journal-entries',
      {
        schema: {
          tags: ['accounting'],
          summary: 'Journal entries (bilag) in date order, with date and account filters',
          querystring: journalQuerySchema,
          response: { 200: pageOf(journalEntryOutSchema), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => journal.listEntries(companyContext(request), request.query),
    );

    app.get(
      '/journal-entries/export.csv',
      {
        schema: {
          tags: ['accounting'],
          summary: 'The journal lines as CSV (semicolons, decimal comma, UTF-8 with BOM)',
          querystring: journalQuerySchema.omit({ limit: true, cursor: true }),
          produces: ['text/csv'],
        },
        preHandler: guard(deps, 'exports.run'),
      },
      async (request, reply) => {
        const ctx = companyContext(request);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="hovedbok.csv"')
          .send(Readable.from(journal.exportCsv(ctx, request.query)));
      },
    );

    app.get(
      '/trial-balance',
      {
        schema: {
          tags: ['accounting'],
          summary: 'Trial balance (saldobalanse): debit, credit and balance per account',
          querystring: z.strictObject({
            to: calendarDateSchema.optional(),
            includeTest: z.enum(['true', 'false']).default('false'),
          }),
          response: {
            200: z.object({
              accounts: z.array(
                z.object({ account: z.string(), debitMinor: z.number().int(), creditMinor: z.number().int(), balanceMinor: z.number().int() }),
              ),
              totalDebitMinor: z.number().int(),
              totalCreditMinor: z.number().int(),
              currency: z.literal('NOK'),
            }),
            ...errorResponses,
          },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) =>
        journal.trialBalance(companyContext(request), { to: request.query.to, includeTest: request.query.includeTest === 'true' }),
    );
  };
}
