import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EhfExport } from '../../app/ehf.service.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, idParamSchema, pdfResponse } from '../schemas.js';
import { notModified, sendPdf } from './documents.routes.js';

/** The XML body for the OpenAPI document (sent as a string with its own media type). */
const xmlResponse = {
  description: 'The EHF document: UBL 2.1 Invoice or CreditNote, UTF-8',
  content: { 'application/xml': { schema: z.string() } },
} as const;

const DESCRIPTION =
  'UBL 2.1 Invoice or CreditNote following Peppol BIS Billing 3.0 and the Norwegian rules, built from the issued ' +
  'document\'s stored figures, with the archived PDF embedded unless the company switched that off (`/ehf-settings`). ' +
  'Made once, at the first request or send, and served byte-identical from then on. 409 `invoice.not_issued` for a draft; ' +
  '422 `ehf.not_representable` when EHF cannot express the document (e.g. a private buyer without a Peppol address), with ' +
  'one entry per reason in `errors`.';

const ARCHIVE_DESCRIPTION =
  'One file a person and a machine can both read: the printed document as PDF/A-3b (XMP `pdfaid:part` 3, fonts ' +
  'embedded, sRGB output intent) with the EHF XML embedded as an associated file (`ehf-<number>.xml`, ' +
  '`application/xml`, relationship `Alternative`), byte-identical to GET …/ehf. Archived at the first request and ' +
  'served byte-identical after (ETag = sha256; If-None-Match → 304). 409 `invoice.not_issued` for a draft; 422 ' +
  '`ehf.not_representable` when the document has no EHF.';

export function ehfRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { ehf, archivePdfs } = deps.services;
  const send = (reply: FastifyReply, result: EhfExport) =>
    reply
      .type('application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${result.fileName}"`)
      .send(result.xml);
  return async (app) => {
    app.get(
      '/invoices/:id/ehf',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The issued invoice or credit note as EHF (Peppol BIS Billing 3.0 XML)',
          description: DESCRIPTION,
          params: idParamSchema,
          response: { 200: xmlResponse, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => send(reply, await ehf.exportEhf(companyContext(request), request.params.id)),
    );

    app.get(
      '/credit-notes/:id/ehf',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'The issued credit note as EHF (Peppol BIS Billing 3.0 UBL CreditNote)',
          description: DESCRIPTION,
          params: idParamSchema,
          response: { 200: xmlResponse, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => send(reply, await ehf.exportEhf(companyContext(request), request.params.id, 'credit_note')),
    );

    app.get(
      '/invoices/:id/archive-pdf',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The archive copy of an issued invoice or credit note: PDF/A-3 with its EHF embedded',
          description: ARCHIVE_DESCRIPTION,
          params: idParamSchema,
          response: { 200: pdfResponse, 304: notModified, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => sendPdf(request, reply, await archivePdfs.getArchivePdf(companyContext(request), request.params.id)),
    );

    app.get(
      '/credit-notes/:id/archive-pdf',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'The archive copy of an issued credit note: PDF/A-3 with its EHF (UBL CreditNote) embedded',
          description: ARCHIVE_DESCRIPTION,
          params: idParamSchema,
          response: { 200: pdfResponse, 304: notModified, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) =>
        sendPdf(request, reply, await archivePdfs.getArchivePdf(companyContext(request), request.params.id, 'credit_note')),
    );
  };
}
