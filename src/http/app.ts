import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { resolvePrincipal } from './auth.js';
import type { RouteDeps } from './context.js';
import { registerErrorHandler, sendProblem, toProblem } from './error-handler.js';
import { apiKeyRoutes } from './routes/api-keys.routes.js';
import { auditRoutes } from './routes/audit.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { bulkRoutes } from './routes/bulk.routes.js';
import { companyRoutes } from './routes/companies.routes.js';
import { customerRoutes } from './routes/customers.routes.js';
import { deliveryRoutes } from './routes/deliveries.routes.js';
import { documentRoutes } from './routes/documents.routes.js';
import { emailSettingsRoutes } from './routes/email-settings.routes.js';
import { ehfRoutes } from './routes/ehf.routes.js';
import { ehfSettingsRoutes } from './routes/ehf-settings.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { invoiceRoutes } from './routes/invoices.routes.js';
import { journalRoutes } from './routes/journal.routes.js';
import { paymentRoutes } from './routes/payments.routes.js';
import { bankImportRoutes } from './routes/bank-imports.routes.js';
import { productRoutes } from './routes/products.routes.js';
import { userRoutes } from './routes/users.routes.js';

export interface AppOptions extends RouteDeps {
  logger: FastifyServerOptions['logger'];
  bodyLimitBytes: number;
  trustProxy: boolean;
  /** Folder with the built web UI (index.html); the UI is not served when absent. */
  webRoot?: string | undefined;
}

export const API_PREFIX = '/api/v1';

/** Builds the HTTP application. Pure wiring: no listening, no database set-up. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(fastifyCookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('companyContext', null);
  app.decorateRequest('idempotency', null);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith(`${API_PREFIX}/`)) {
      void reply.header('cache-control', 'no-store');
      request.principal = await resolvePrincipal(request, options.services.auth);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    await options.idempotency.finish(request, reply, payload);
    return payload;
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fakturaflyt API',
        version: options.version,
        description:
          'Invoicing for Norwegian businesses. Money is integer øre; errors are RFC 9457 problem JSON with a stable `code`. ' +
          'Authenticate with `Authorization: Bearer <API key>`, or with the session cookie plus `X-CSRF-Token` on writes. ' +
          'Every POST honours `Idempotency-Key`.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key created under Settings → API keys' },
          session: { type: 'apiKey', in: 'cookie', name: 'ff_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await app.register(
    async (api) => {
      for (const plugin of [
        healthRoutes,
        authRoutes,
        companyRoutes,
        userRoutes,
        apiKeyRoutes,
        customerRoutes,
        productRoutes,
        invoiceRoutes,
        deliveryRoutes,
        documentRoutes,
        emailSettingsRoutes,
        ehfRoutes,
        ehfSettingsRoutes,
        bulkRoutes,
        journalRoutes,
        paymentRoutes,
        bankImportRoutes,
        auditRoutes,
      ]) {
        await api.register(plugin(options));
      }
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      api.setNotFoundHandler((request, reply) =>
        sendProblem(reply, toProblem(request, 'resource.not_found', `No route ${request.method} ${request.url}`)),
      );
    },
    { prefix: API_PREFIX },
  );

  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const webRoot = options.webRoot;
  if (webRoot && fs.existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
    // Client-side routes: any other GET outside /api answers with the SPA.
    app.setNotFoundHandler((request, reply) => {
      // A missing asset is a 404, not the page (a stale tab after an upgrade must not get HTML as JS).
      if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/assets/')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return sendProblem(reply, toProblem(request, 'resource.not_found', `No route ${request.method} ${request.url}`));
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, toProblem(request, 'resource.not_found', `No route ${request.method} ${request.url}`)),
    );
  }

  return app;
}
