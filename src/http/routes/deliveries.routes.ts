import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deliveryRequestSchema } from '../../app/delivery.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { deliveryOutSchema, errorResponses, idParamSchema } from '../schemas.js';

const SEND_DESCRIPTION =
  'Queues the issued invoice or credit note (same route for both) for delivery: `email` with its PDF attached, or ' +
  '`ehf` handed to the company\'s access point; without `channel`, the customer\'s channel (its own choice, else EHF ' +
  'when it has a PEPPOL id, else e-mail). ' +
  '202 with the new delivery; a document already sent through the channel answers 200 with that delivery and sends ' +
  'nothing (use `/resend` to send again). 422 `email.not_configured` when SMTP is not set up, 422 `delivery.no_recipient` ' +
  'when the customer has no e-mail address and no `recipient` is given. Test documents go only to the company\'s own ' +
  'address (422 `delivery.test_recipient_not_allowed` for any other recipient). EHF: 422 ' +
  '`ehf.access_point_not_configured` without an access point (`/ehf-settings`), 422 `ehf.not_representable` with the ' +
  'reasons when the document cannot be an EHF (e.g. no Peppol address); test documents are never handed to the access point.';

export function deliveryRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { deliveries } = deps.services;
  return async (app) => {
    app.post(
      '/invoices/:id/send',
      {
        schema: {
          tags: ['deliveries'],
          summary: 'Send an issued invoice or credit note by e-mail or EHF, once per channel',
          description: SEND_DESCRIPTION,
          params: idParamSchema,
          body: deliveryRequestSchema,
          response: { 200: deliveryOutSchema, 202: deliveryOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.send'),
      },
      async (request, reply) => {
        const { delivery, isNew } = await deliveries.send(companyContext(request), request.params.id, request.body);
        return reply.code(isNew ? 202 : 200).send(delivery);
      },
    );

    app.post(
      '/invoices/:id/resend',
      {
        schema: {
          tags: ['deliveries'],
          summary: 'Send the document again: a new delivery with the next sequence number',
          description:
            '202 with the new delivery. 409 `delivery.in_progress` while the latest delivery is queued, sending or waiting to retry. ' +
            'The recipient defaults to the previous delivery\'s.',
          params: idParamSchema,
          body: deliveryRequestSchema,
          response: { 202: deliveryOutSchema, 200: deliveryOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.send'),
      },
      async (request, reply) => {
        const { delivery, isNew } = await deliveries.resend(companyContext(request), request.params.id, request.body);
        return reply.code(isNew ? 202 : 200).send(delivery);
      },
    );

    app.get(
      '/invoices/:id/deliveries',
      {
        schema: {
          tags: ['deliveries'],
          summary: 'Deliveries of an invoice or credit note, oldest first, with status, attempts and the last error',
          params: idParamSchema,
          response: { 200: z.object({ items: z.array(deliveryOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'invoices.read'),
      },
      async (request) => ({ items: await deliveries.listDeliveries(companyContext(request), request.params.id) }),
    );
  };
}
