import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bulkListQuerySchema, bulkRequestSchema } from '../../app/bulk.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { bulkOperationOutSchema, errorResponses, idParamSchema, zipResponse } from '../schemas.js';

const ISSUE_AND_SEND_DESCRIPTION =
  'Issues the drafts (each in its own transaction, numbered in the order given) and queues the e-mail of each, as ' +
  'background work. 202 with the operation; follow it with `GET /bulk/{id}`. A draft that fails the legal check is ' +
  'reported on its item (`invoice.incomplete` with every missing item) and does not stop the others; a customer without ' +
  'e-mail gives the item `delivery.no_recipient` with the invoice issued. Each invoice is issued and mailed once, even ' +
  'when a worker crashes and the work is run again. Every id must be a draft of the caller\'s company: 404 ' +
  '`invoice.not_found` / 409 `invoice.not_draft` with `errors[]` naming each failing position. Needs `invoices.issue`.';

const PDF_ZIP_DESCRIPTION =
  'Makes sure every issued invoice and credit note has its archived PDF, as background work (progress = PDFs archived). ' +
  'When the operation has completed, `GET /bulk/{id}/download` streams the ZIP. Every id must be an issued document of ' +
  'the caller\'s company (404 `invoice.not_found` / 409 `invoice.not_issued` per position).';

/** Streams the ZIP; the stream ends the response (a failure half-way aborts it, so a client never takes a cut ZIP for whole). */
function sendZip(reply: FastifyReply, zip: { filename: string; stream: NodeJS.ReadableStream; byteLength: number | null }): FastifyReply {
  void reply.type('application/zip').header('content-disposition', `attachment; filename="${zip.filename}"`);
  if (zip.byteLength !== null) void reply.header('content-length', String(zip.byteLength));
  return reply.send(zip.stream);
}

export function bulkRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { bulk } = deps.services;
  return async (app) => {
    app.post(
      '/bulk/issue-and-send',
      {
        schema: {
          tags: ['bulk'],
          summary: 'Issue many drafts and send each by e-mail, in the background',
          description: ISSUE_AND_SEND_DESCRIPTION,
          body: bulkRequestSchema,
          response: { 202: bulkOperationOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.issue'),
      },
      async (request, reply) => reply.code(202).send(await bulk.startIssueAndSend(companyContext(request), request.body)),
    );

    app.post(
      '/bulk/pdf-zip',
      {
        schema: {
          tags: ['bulk'],
          summary: 'Prepare the PDFs of many documents for download as one ZIP, in the background',
          description: PDF_ZIP_DESCRIPTION,
          body: bulkRequestSchema,
          response: { 202: bulkOperationOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => reply.code(202).send(await bulk.startPdfZip(companyContext(request), request.body)),
    );

    app.get(
      '/bulk',
      {
        schema: {
          tags: ['bulk'],
          summary: 'The company\'s recent bulk operations, newest first (without items)',
          querystring: bulkListQuerySchema,
          response: { 200: z.object({ items: z.array(bulkOperationOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => ({ items: await bulk.listOperations(companyContext(request), request.query) }),
    );

    app.get(
      '/bulk/:id',
      {
        schema: {
          tags: ['bulk'],
          summary: 'A bulk operation\'s progress (total, done, failed) and every item\'s outcome',
          params: idParamSchema,
          response: { 200: bulkOperationOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => bulk.getOperation(companyContext(request), request.params.id),
    );

    app.get(
      '/bulk/:id/download',
      {
        schema: {
          tags: ['bulk'],
          summary: 'The ZIP of a completed PDF operation (`Faktura-1001.pdf`, `Kreditnota-KN-2.pdf`, …), streamed',
          description:
            'The archived PDFs — byte-identical to `GET /invoices/{id}/pdf` — read from the database one at a time while the ' +
            'ZIP is written to the response. 409 `bulk.not_ready` until the operation has completed, 409 ' +
            '`bulk.not_downloadable` for an issue-and-send operation.',
          params: idParamSchema,
          response: { 200: zipResponse, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => sendZip(reply, await bulk.openZip(companyContext(request), request.params.id)),
    );
  };
}
