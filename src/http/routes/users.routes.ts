import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { memberAddSchema, memberUpdateSchema } from '../../app/member.schemas.js';
import { companyContext, guard } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { errorResponses, memberOutSchema } from '../schemas.js';

const userIdParamSchema = z.strictObject({ userId: z.string().min(1).max(64) });

export function userRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: "The company's users and their roles",
          response: { 200: z.object({ items: z.array(memberOutSchema) }), ...errorResponses },
        },
        preHandler: guard(deps, 'members.read'),
      },
      async (request) => ({ items: await services.members.listMembers(companyContext(request)) }),
    );

    app.post(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Give a user a role in the company (creates the user when the e-mail is new)',
          body: memberAddSchema,
          response: { 201: memberOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'members.manage'),
      },
      async (request, reply) =>
        reply.code(201).send(await services.members.addMember(companyContext(request), request.body)),
    );

    app.patch(
      '/users/:userId',
      {
        schema: {
          tags: ['users'],
          summary: "Change a user's role in the company",
          params: userIdParamSchema,
          body: memberUpdateSchema,
          response: { 200: memberOutSchema, ...errorResponses },
        },
        preHandler: guard(deps, 'members.manage'),
      },
      async (request) =>
        services.members.changeRole(companyContext(request), request.params.userId, request.body.role),
    );

    app.delete(
      '/users/:userId',
      {
        schema: {
          tags: ['users'],
          summary: 'Remove a user from the company (the user and the audit trail stay)',
          params: userIdParamSchema,
          response: { 204: z.null(), ...errorResponses },
        },
        preHandler: guard(deps, 'members.manage'),
      },
      async (request, reply) => {
        await services.members.removeMember(companyContext(request), request.params.userId);
        return reply.code(204).send(null);
      },
    );
  };
}
