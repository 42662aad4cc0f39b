import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ehfSettingsUpdateSchema } from '../../app/ehf-settings.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { ehfSettingsOutSchema, errorResponses } from '../schemas.js';

export function ehfSettingsRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { ehfSettings } = deps.services;
  return async (app) => {
    app.get(
      '/ehf-settings',
      {
        schema: {
          tags: ['ehf'],
          summary: "The company's EHF settings: embedded PDF and access point (the token is never returned)",
          response: { 200: ehfSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.read'),
      },
      async (request) => ehfSettings.getSettings(companyContext(request)),
    );

    app.put(
      '/ehf-settings',
      {
        schema: {
          tags: ['ehf'],
          summary: 'Set the embedded PDF switch and the access point (owner, admin); without `token` the stored one is kept',
          description:
            '`http` needs `accessPointUrl` (https; http only to a loopback host) and a token; `folder` needs an absolute ' +
            '`folderPath` the server can create and write (checked when saving). Field problems: `access_point_url.required`, ' +
            '`access_point_url.insecure`, `access_point_url.credentials`, `token.required`, `folder_path.required`, ' +
            '`folder_path.not_absolute`, `folder_path.not_writable`.',
          body: ehfSettingsUpdateSchema,
          response: { 200: ehfSettingsOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'company.update'),
      },
      async (request) => ehfSettings.updateSettings(companyContext(request), request.body),
    );
  };
}
