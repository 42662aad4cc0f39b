import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuthService, SessionInfo } from '../app/auth.service.js';
import type { CompanyContext } from '../app/context.js';
import type { IdempotencyStore } from './idempotency.js';
import type { ApiKeyRow } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import { hasPermission, type Permission, type Role } from '../domain/roles.js';

export const SESSION_COOKIE = 'ff_session';

export type Principal = { kind: 'session'; session: SessionInfo } | { kind: 'api_key'; apiKey: ApiKeyRow };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    companyContext: CompanyContext | null;
    idempotency: { scope: string; key: string } | null;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * Resolves who is calling: `Authorization: Bearer <api key>` or the session
 * cookie. A bearer header that does not resolve is an error, never a fallback.
 */
export async function resolvePrincipal(request: FastifyRequest, auth: AuthService): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const apiKey = match ? await auth.authenticateApiKey(match[1]!) : undefined;
    if (!apiKey) {
      throw new AppError('auth.api_key_invalid', 'The API key is invalid or revoked');
    }
    return { kind: 'api_key', apiKey };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    const session = await auth.authenticateSession(token);
    if (session) {
      return { kind: 'session', session };
    }
  }
  return null;
}

/** Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token`. */
export function checkCsrf(request: FastifyRequest, principal: Principal): void {
  if (principal.kind !== 'session' || !UNSAFE_METHODS.has(request.method)) {
    return;
  }
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, principal.session.csrfToken)) {
    throw new AppError('auth.csrf_failed', 'Missing or wrong X-CSRF-Token header');
  }
}

export function requireSession(request: FastifyRequest): SessionInfo {
  const principal = request.principal;
  if (!principal) {
    throw new AppError('auth.unauthenticated', 'Log in or send an API key');
  }
  if (principal.kind !== 'session') {
    throw new AppError('auth.forbidden', 'This operation needs a logged-in user, not an API key');
  }
  checkCsrf(request, principal);
  return principal.session;
}

function contextOf(request: FastifyRequest, principal: Principal): CompanyContext {
  if (principal.kind === 'api_key') {
    const key = principal.apiKey;
    return {
      companyId: key.company_id,
      role: key.role as Role,
      actor: { type: 'api_key', id: key.id, label: `API key ${key.name} (${key.prefix})` },
      ipAddress: request.ip,
    };
  }
  const session = principal.session;
  if (!session.companyId || !session.role) {
    throw new AppError('auth.no_company', 'Choose a company first');
  }
  return {
    companyId: session.companyId,
    role: session.role,
    actor: { type: 'user', id: session.user.id, label: session.user.email },
    ipAddress: request.ip,
  };
}

export interface GuardDeps {
  idempotency: IdempotencyStore;
}

/**
 * Route guard: authenticated caller, CSRF for cookie writes, a company, and the
 * permission. Then, for a POST with `Idempotency-Key`, either replays the stored
 * response or reserves the key. Sets `request.companyContext` for the handler.
 */
export function guard(deps: GuardDeps, permission: Permission): preHandlerAsyncHookHandler {
  return async function guardHandler(request: FastifyRequest, reply: FastifyReply) {
    const principal = request.principal;
    if (!principal) {
      throw new AppError('auth.unauthenticated', 'Log in or send an API key');
    }
    checkCsrf(request, principal);
    const ctx = contextOf(request, principal);
    if (!hasPermission(ctx.role, permission)) {
      throw new AppError('auth.forbidden', `Your role (${ctx.role}) may not do this (${permission})`, {
        details: { permission },
      });
    }
    request.companyContext = ctx;
    const actorId = principal.kind === 'api_key' ? `key:${principal.apiKey.id}` : `user:${principal.session.user.id}`;
    if (await deps.idempotency.begin(request, reply, `${ctx.companyId}:${actorId}`)) {
      return reply;
    }
    return undefined;
  };
}

/** Guard for routes that act for a user across companies (e.g. creating a company). */
export function sessionGuard(deps: GuardDeps): preHandlerAsyncHookHandler {
  return async function sessionGuardHandler(request: FastifyRequest, reply: FastifyReply) {
    const session = requireSession(request);
    if (await deps.idempotency.begin(request, reply, `user:${session.user.id}`)) {
      return reply;
    }
    return undefined;
  };
}

export function companyContext(request: FastifyRequest): CompanyContext {
  if (!request.companyContext) {
    throw new Error('Route is missing its guard');
  }
  return request.companyContext;
}
