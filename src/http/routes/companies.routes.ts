import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { companyCreateSchema, companyUpdateSchema } from '../../app/company.schemas.js';
import { goLiveSchema, invoiceSettingsUpdateSchema } from '../../app/invoice.schemas.js';
import { companyContext, guard, requireSession, sessionGuard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { companyOutSchema, companySummarySchema, errorResponses, invoiceSettingsOutSchema } from '../schemas.js';

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
      '/company/invoice-settings',
      {
        schema: {
          tags: ['companies'],
          summary: 'Invoicing settings: KID, credit-note series, accounts, test mode',
          response: { 200: invoiceSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.read'),
      },
      async (request) => services.invoiceSettings.getSettings(companyContext(request)),
    );

    app.patch(
      '/company/invoice-settings',
      {
        schema: {
          tags: ['companies'],
          summary: 'Change invoicing settings (owner, admin)',
          body: invoiceSettingsUpdateSchema,
          response: { 200: invoiceSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => services.invoiceSettings.updateSettings(companyContext(request), request.body),
    );

    app.post(
      '/company/test-mode',
      {
        schema: {
          tags: ['companies'],
          summary: 'Work in test mode (own number series, TEST on every document); only before the first live document',
          body: z.strictObject({}).nullish(),
          response: { 200: invoiceSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => services.invoiceSettings.enableTestMode(companyContext(request)),
    );

    app.post(
      '/company/go-live',
      {
        schema: {
          tags: ['companies'],
          summary: 'Leave test mode; the live series starts at 1 or at startNumber (only before the first live document)',
          body: goLiveSchema.nullish(),
          response: { 200: invoiceSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => services.invoiceSettings.goLive(companyContext(request), request.body?.startNumber),
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
