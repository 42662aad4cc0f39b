import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionInfo } from '../../app/auth.service.js';
import { onboardingSchema } from '../../app/company.schemas.js';
import { AppError } from '../../domain/errors.js';
import { requireSession, SESSION_COOKIE } from '../auth.js';
import type { RouteDeps } from '../context.js';
import { languageSchema, passwordSchema, text } from '../../app/common.schemas.js';
import { errorResponses, sessionOutSchema, userOutSchema } from '../schemas.js';

const loginSchema = z.strictObject({
  email: z.string().trim().max(254),
  password: z.string().max(200),
});

export function authRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;

  function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
    const secure = deps.cookie.secure === 'auto' ? request.protocol === 'https' : deps.cookie.secure;
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: deps.cookie.maxAgeSeconds,
    });
  }

  async function sessionView(session: SessionInfo) {
    return {
      user: session.user,
      companies: await services.companies.listCompaniesForUser(session.user.id),
      currentCompanyId: session.companyId,
      role: session.role,
      csrfToken: session.csrfToken,
    };
  }

  return async (app) => {
    app.get(
      '/onboarding',
      {
        schema: {
          tags: ['auth'],
          summary: 'Whether first-run onboarding is needed (no company exists yet)',
          security: [],
          response: { 200: z.object({ needed: z.boolean() }) },
        },
      },
      async () => ({ needed: await services.companies.isOnboardingNeeded() }),
    );

    app.post(
      '/onboarding',
      {
        schema: {
          tags: ['auth'],
          summary: 'First run: create the first company and its owner, and log the owner in',
          security: [],
          body: onboardingSchema,
          response: { 201: sessionOutSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        await services.companies.onboard(request.body, request.ip);
        const login = await services.auth.login(request.body.owner.email, request.body.owner.password, request.ip);
        setSessionCookie(request, reply, login.token);
        return reply.code(201).send(await sessionView(login));
      },
    );

    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with e-mail and password; sets the session cookie',
          security: [],
          body: loginSchema,
          response: { 200: sessionOutSchema, ...errorResponses, 429: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const login = await services.auth.login(request.body.email, request.body.password, request.ip);
        setSessionCookie(request, reply, login.token);
        return sessionView(login);
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: { tags: ['auth'], summary: 'Log out (ends the session)', response: { 204: z.null(), ...errorResponses } },
      },
      async (request, reply) => {
        const session = requireSession(request);
        await services.auth.logout(session, request.ip);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          summary: 'The current session: user, companies, chosen company, CSRF token',
          response: { 200: sessionOutSchema, ...errorResponses },
        },
      },
      async (request) => sessionView(requireSession(request)),
    );

    app.patch(
      '/auth/profile',
      {
        schema: {
          tags: ['auth'],
          summary: "Change the logged-in user's name or language",
          body: z.strictObject({ name: text(200).optional(), language: languageSchema.optional() }),
          response: { 200: userOutSchema, ...errorResponses },
        },
      },
      async (request) => services.auth.updateProfile(requireSession(request), request.body),
    );

    app.put(
      '/auth/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change the password; every other session of the user ends',
          body: z.strictObject({ currentPassword: z.string().max(200), newPassword: passwordSchema }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const session = requireSession(request);
        await services.auth.changePassword(session, request.body.currentPassword, request.body.newPassword, request.ip);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          summary: 'Switch the company this session works in',
          body: z.strictObject({ companyId: z.string().min(1).max(64) }),
          response: { 200: sessionOutSchema, ...errorResponses },
        },
      },
      async (request) => {
        const session = requireSession(request);
        if (!request.body.companyId) {
          throw new AppError('company.not_found', 'Company not found');
        }
        return sessionView(await services.auth.switchCompany(session, request.body.companyId));
      },
    );
  };
}
