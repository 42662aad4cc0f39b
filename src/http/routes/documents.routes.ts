import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RenderedPdf } from '../../app/document-pdf.service.js';
import { documentPreviewSchema, documentTemplateSchema, LOGO_MAX_BYTES } from '../../app/document-template.schemas.js';
import { AppError } from '../../domain/errors.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import type { IdempotencyStore } from '../idempotency.js';
import { documentTemplateOutSchema, errorResponses, idParamSchema, pdfResponse } from '../schemas.js';

/**
 * Printed documents: the PDF of an invoice or credit note (archived at first
 * request, served with its sha256 as ETag) and the company's document template
 * with its logo and a live preview.
 */

export const notModified = z.null().meta({ description: 'Not modified: If-None-Match matched the ETag' });

/** The preview is a pure read: an Idempotency-Key is ignored rather than storing a PDF as a replayable body. */
const noIdempotency: IdempotencyStore = { begin: async () => false, finish: async () => {} };

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value === etag || value === `W/${etag}`;
  });
}

export function sendPdf(request: FastifyRequest, reply: FastifyReply, pdf: RenderedPdf): FastifyReply {
  void reply.header('content-disposition', `inline; filename="${pdf.filename}"`);
  if (pdf.archived) {
    // The archived bytes never change: their hash is a strong validator.
    const etag = `"${pdf.sha256}"`;
    void reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  }
  return reply.type('application/pdf').send(pdf.bytes);
}

export function documentRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { documentPdfs, documentTemplates } = deps.services;
  return async (app) => {
    // Logo uploads are the raw image bytes (any image/* type, or application/octet-stream); the
    // service recognises PNG and JPEG by their magic bytes, so a wrong declared type does not matter.
    app.addContentTypeParser(/^image\/[\w.+-]+$/, { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    app.get(
      '/invoices/:id/pdf',
      {
        schema: {
          tags: ['invoices'],
          summary: 'The PDF of an invoice or credit note; issued documents are archived at the first request and served byte-identical after',
          description:
            'Drafts are rendered live with an UTKAST/DRAFT mark and are not stored. For issued documents the ETag is the sha256 of ' +
            'the archived bytes; send If-None-Match to get 304.',
          params: idParamSchema,
          response: { 200: pdfResponse, 304: notModified, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) => sendPdf(request, reply, await documentPdfs.getDocumentPdf(companyContext(request), request.params.id)),
    );

    app.get(
      '/credit-notes/:id/pdf',
      {
        schema: {
          tags: ['credit-notes'],
          summary: 'The PDF of a credit note ("Kreditnota" with the credited invoice); archived like an invoice PDF',
          params: idParamSchema,
          response: { 200: pdfResponse, 304: notModified, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request, reply) =>
        sendPdf(request, reply, await documentPdfs.getDocumentPdf(companyContext(request), request.params.id, { kind: 'credit_note' })),
    );

    app.get(
      '/document-template',
      {
        schema: {
          tags: ['document-template'],
          summary: 'The document template: design, accent colour, font, texts, optional fields, logo facts',
          response: { 200: documentTemplateOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => documentTemplates.getTemplate(companyContext(request)),
    );

    app.put(
      '/document-template',
      {
        schema: {
          tags: ['document-template'],
          summary: 'Replace the template settings (owner, admin); fields left out get their defaults. The logo is kept',
          body: documentTemplateSchema,
          response: { 200: documentTemplateOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => documentTemplates.updateTemplate(companyContext(request), request.body),
    );

    app.put(
      '/document-template/logo',
      {
        bodyLimit: LOGO_MAX_BYTES,
        schema: {
          tags: ['document-template'],
          summary: `Upload the logo as the raw bytes of a PNG or JPEG (at most ${LOGO_MAX_BYTES / 1024} KiB and 4000×4000 px; owner, admin)`,
          description:
            'Send the file itself as the body with `Content-Type: image/png` or `image/jpeg`, e.g. ' +
            '`curl -X PUT --data-binary @logo.png -H "Content-Type: image/png" …`. The format is recognised by its bytes; ' +
            'SVG is not supported (400 `logo.unsupported_format`). A larger body answers 413.',
          consumes: ['image/png', 'image/jpeg'],
          body: z.any().meta({ type: 'string', format: 'binary' }),
          response: { 200: documentTemplateOutSchema, 413: errorResponses[400], 415: errorResponses[400], ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body)) {
          throw new AppError('request.unsupported_media_type', 'Send the image bytes with Content-Type image/png or image/jpeg');
        }
        return documentTemplates.setLogo(companyContext(request), request.body);
      },
    );

    app.delete(
      '/document-template/logo',
      {
        schema: {
          tags: ['document-template'],
          summary: 'Remove the logo (owner, admin)',
          response: { 200: documentTemplateOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => documentTemplates.deleteLogo(companyContext(request)),
    );

    app.post(
      '/document-template/preview',
      {
        schema: {
          tags: ['document-template'],
          summary: 'Render the built-in sample invoice with the given (unsaved) settings and language, with the saved logo',
          body: documentPreviewSchema,
          response: { 200: pdfResponse, ...errorResponses },
        },
        preHandler: guard({ idempotency: noIdempotency }, 'invoices.read'),
      },
      async (request, reply) => {
        return sendPdf(request, reply, await documentPdfs.previewPdf(companyContext(request), request.body));
      },
    );
  };
}
