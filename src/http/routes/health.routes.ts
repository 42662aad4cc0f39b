import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UNITS } from '../../domain/units.js';
import { VAT_CODES } from '../../domain/vat.js';
import type { RouteDeps } from '../context.js';

export function healthRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['meta'],
          summary: 'Liveness and database check',
          security: [],
          response: {
            200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']), version: z.string() }),
          },
        },
      },
      async () => {
        await deps.services.companies.isOnboardingNeeded();
        return { status: 'ok' as const, database: deps.dialect, version: deps.version };
      },
    );

    app.get(
      '/reference-data',
      {
        schema: {
          tags: ['meta'],
          summary: 'VAT codes (SAF-T) and units of measure (UN/ECE Rec 20)',
          security: [],
          response: {
            200: z.object({
              vatCodes: z.array(
                z.object({
                  code: z.string(),
                  rateBasisPoints: z.number().int(),
                  category: z.string(),
                  defaultRevenueAccount: z.string(),
                  descriptionNb: z.string(),
                  descriptionEn: z.string(),
                }),
              ),
              units: z.array(z.object({ code: z.string(), labelNb: z.string(), labelEn: z.string() })),
            }),
          },
        },
      },
      async () => ({ vatCodes: [...VAT_CODES], units: [...UNITS] }),
    );
  };
}
