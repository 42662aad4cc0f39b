import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { emailSettingsUpdateSchema, emailTestSchema } from '../../app/email-settings.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { emailSettingsOutSchema, emailTestOutSchema, errorResponses, problemSchema } from '../schemas.js';

export function emailSettingsRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { emailSettings } = deps.services;
  return async (app) => {
    app.get(
      '/email-settings',
      {
        schema: {
          tags: ['email'],
          summary: "The company's SMTP settings and e-mail templates (the password is never returned)",
          response: { 200: emailSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.read'),
      },
      async (request) => emailSettings.getSettings(companyContext(request)),
    );

    app.put(
      '/email-settings',
      {
        schema: {
          tags: ['email'],
          summary: 'Set the SMTP server, sender and templates (owner, admin); without `password` the stored one is kept',
          body: emailSettingsUpdateSchema,
          response: { 200: emailSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => emailSettings.updateSettings(companyContext(request), request.body),
    );

    app.post(
      '/email-settings/test',
      {
        schema: {
          tags: ['email'],
          summary: 'Send a test message through the saved settings',
          description:
            'Problems: 422 `email.not_configured` (nothing saved), 422 `email.auth_failed` (log-in refused), ' +
            '502 `email.connection_failed` (server not reachable or timed out), ' +
            '502 `email.tls_failed` (certificate not trusted for the host, or STARTTLS required but not offered), 422 `email.rejected`, 422 `email.insecure_not_allowed` (plain SMTP to a non-loopback host while SMTP_ALLOW_INSECURE is off).',
          body: emailTestSchema,
          response: { 200: emailTestOutSchema, ...errorResponses, 502: problemSchema },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => emailSettings.sendTestMail(companyContext(request), request.body),
    );
  };
}
