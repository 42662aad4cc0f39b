import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyCreateSchema } from '../../app/api-key.service.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { apiKeyOutSchema, errorResponses, idParamSchema } from '../schemas.js';

export function apiKeyRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    app.get(
      '/api-keys',
      {
        schema: {
          tags: ['api-keys'],
          summary: "The company's API keys (never the keys themselves)",
          response: { 200: z.object({ items: z.array(apiKeyOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'api_keys.manage'),
      },
      async (request) => ({ items: await services.apiKeys.listApiKeys(companyContext(request)) }),
    );

    app.post(
      '/api-keys',
      {
        schema: {
          tags: ['api-keys'],
          summary: 'Create an API key; the key is in this response only',
          body: apiKeyCreateSchema,
          response: {
            201: z.object({
              apiKey: apiKeyOutSchema,
              key: z.string().meta({ description: 'Use as Authorization: Bearer <key>. Shown once.' }),
            }),
            ...errorResponses,
          },
        },
        preHandler: guard(deps, 'api_keys.manage'),
      },
      async (request, reply) =>
        reply.code(201).send(await services.apiKeys.createApiKey(companyContext(request), request.body)),
    );

    app.delete(
      '/api-keys/:id',
      {
        schema: {
          tags: ['api-keys'],
          summary: 'Revoke an API key; it stops working at once',
          params: idParamSchema,
          response: { 200: apiKeyOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'api_keys.manage'),
      },
      async (request) => services.apiKeys.revokeApiKey(companyContext(request), request.params.id),
    );
  };
}
