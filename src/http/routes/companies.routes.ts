import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { companyCreateSchema, companyUpdateSchema } from '../../app/company.schemas.js';
import { companyContext, guard, requireSession, sessionGuard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { companyOutSchema, companySummarySchema, errorResponses } from '../schemas.js';

export function companyRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    app.get(
      '/company',
      {
        schema: {
          tags: ['companies'],
          summary: "The caller's current company",
          response: { 200: companyOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.read'),
      },
      async (request) => services.companies.getCompany(companyContext(request)),
    );

    app.patch(
      '/company',
      {
        schema: {
          tags: ['companies'],
          summary: 'Update the current company (owner, admin)',
          body: companyUpdateSchema,
          response: { 200: companyOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => services.companies.updateCompany(companyContext(request), request.body),
    );

    app.get(
      '/companies',
      {
        schema: {
          tags: ['companies'],
          summary: 'Companies the logged-in user belongs to, with the role in each',
          response: { 200: z.object({ items: z.array(companySummarySchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const session = requireSession(request);
        return { items: await services.companies.listCompaniesForUser(session.user.id) };
      },
    );

    app.post(
      '/companies',
      {
        schema: {
          tags: ['companies'],
          summary: 'Create another company; the logged-in user becomes its owner',
          body: companyCreateSchema,
          response: { 201: companyOutSchema, ...errorResponses },
        },
        preHandler: sessionGuard(deps),
      },
      async (request, reply) => {
        const session = requireSession(request);
        const company = await services.companies.createCompany(
          request.body,
          { type: 'user', id: session.user.id, label: session.user.email },
          { ownerUserId: session.user.id, ipAddress: request.ip },
        );
        return reply.code(201).send(company);
      },
    );
  };
}
