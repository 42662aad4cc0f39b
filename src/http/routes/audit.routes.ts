import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditListQuerySchema } from '../../app/audit.service.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { auditEventOutSchema, errorResponses, pageOf } from '../schemas.js';

export function auditRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit-events',
      {
        schema: {
          tags: ['audit'],
          summary: 'The append-only audit log, newest first (owner, admin, accountant)',
          querystring: auditListQuerySchema,
          response: { 200: pageOf(auditEventOutSchema), ...errorResponses },
        },
        preHandler: guard(deps, 'audit.read'),
      },
      async (request) => deps.services.audit.listAuditEvents(companyContext(request), request.query),
    );
  };
}
