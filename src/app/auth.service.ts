import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { userRowToUser } from '../db/mappers.js';
import { findApiKeyByHash, touchApiKey } from '../db/repositories/api-key.repository.js';
import {
  deleteExpiredSessions,
  deleteOtherSessions,
  deleteLoginThrottle,
  deleteSession,
  findLoginThrottle,
  findSessionByTokenHash,
  insertSession,
  upsertLoginThrottle,
  updateSession,
} from '../db/repositories/session.repository.js';
import { findMembership, findUserByEmail, findUserById, updateUser } from '../db/repositories/user.repository.js';
import type { ApiKeyRow } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { Language, User } from '../domain/party.js';
import { ROLES, type Role } from '../domain/roles.js';
import { recordAudit } from './audit.js';
import type { Clock, IdGenerator, PasswordHasher } from './ports.js';

export interface AuthPolicy {
  sessionTtlSeconds: number;
  /** Failed log-ins allowed per e-mail address within the window before it is locked. */
  maxFailedLogins: number;
  /** Failed log-ins allowed per client IP address within the window (password spraying). */
  maxFailedLoginsPerIp: number;
  failedLoginWindowSeconds: number;
  lockoutSeconds: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  sessionTtlSeconds: 7 * 24 * 3600,
  maxFailedLogins: 5,
  maxFailedLoginsPerIp: 50,
  failedLoginWindowSeconds: 15 * 60,
  lockoutSeconds: 15 * 60,
};

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
  policy: AuthPolicy;
}

export interface SessionInfo {
  sessionId: string;
  user: User;
  companyId: string | null;
  role: Role | null;
  csrfToken: string;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function addSeconds(date: Date, seconds: number): string {
  return new Date(date.getTime() + seconds * 1000).toISOString();
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, ids, passwords, policy } = deps;
  // Verified when the e-mail is unknown, so a miss costs as much time as a wrong password.
  const dummyHash = passwords.hash('not-a-real-password-placeholder');

  async function roleIn(companyId: string | null, userId: string): Promise<Role | null> {
    if (!companyId) return null;
    const membership = await findMembership(db.kysely, companyId, userId);
    return membership && (ROLES as readonly string[]).includes(membership.role) ? (membership.role as Role) : null;
  }

  async function registerFailure(throttleKey: string, limit: number, now: Date): Promise<void> {
    const existing = await findLoginThrottle(db.kysely, throttleKey);
    const windowStart = existing ? new Date(existing.first_failure_at) : now;
    const inWindow = now.getTime() - windowStart.getTime() < policy.failedLoginWindowSeconds * 1000;
    const count = existing && inWindow ? existing.failure_count + 1 : 1;
    await upsertLoginThrottle(db.kysely, {
      key: throttleKey,
      failure_count: count,
      first_failure_at: existing && inWindow ? existing.first_failure_at : now.toISOString(),
      locked_until: count >= limit ? addSeconds(now, policy.lockoutSeconds) : null,
    });
  }

  return {
    /**
     * Checks e-mail and password and opens a session. After `maxFailedLogins`
     * failures within the window the address is locked for `lockoutSeconds`,
     * whatever password is given; the lock lives in the database so it holds
     * across app instances.
     */
    async login(
      email: string,
      password: string,
      ipAddress: string | null,
    ): Promise<SessionInfo & { token: string }> {
      const now = clock.now();
      const throttleKey = `email:${email.toLowerCase()}`;
      const ipKey = ipAddress ? `ip:${ipAddress}` : undefined;
      for (const key of [throttleKey, ipKey]) {
        if (!key) continue;
        const throttle = await findLoginThrottle(db.kysely, key);
        if (throttle?.locked_until && new Date(throttle.locked_until) > now) {
          const retryAfterSeconds = Math.ceil((new Date(throttle.locked_until).getTime() - now.getTime()) / 1000);
          throw new AppError('auth.too_many_attempts', 'Too many failed log-ins; try again later', {
            details: { retryAfterSeconds },
          });
        }
      }
      const user = await findUserByEmail(db.kysely, email);
      const isValid = user
        ? await passwords.verify(password, user.password_hash)
        : (await passwords.verify(password, await dummyHash), false);
      if (!user || !isValid) {
        await registerFailure(throttleKey, policy.maxFailedLogins, now);
        if (ipKey) await registerFailure(ipKey, policy.maxFailedLoginsPerIp, now);
        throw new AppError('auth.invalid_credentials', 'Wrong e-mail or password');
      }
      await deleteLoginThrottle(db.kysely, throttleKey);

      const token = newToken();
      const csrfToken = newToken();
      const sessionId = ids.newId();
      const companies = await db.kysely
        .selectFrom('memberships')
        .innerJoin('companies', 'companies.id', 'memberships.company_id')
        .select(['memberships.company_id'])
        .where('memberships.user_id', '=', user.id)
        .orderBy('companies.legal_name')
        .execute();
      const companyId = companies[0]?.company_id ?? null;
      await db.kysely.transaction().execute(async (trx) => {
        await insertSession(trx, {
          id: sessionId,
          token_hash: sha256Hex(token),
          user_id: user.id,
          company_id: companyId,
          csrf_token: csrfToken,
          created_at: now.toISOString(),
          expires_at: addSeconds(now, policy.sessionTtlSeconds),
          last_seen_at: now.toISOString(),
        });
        await recordAudit(trx, deps, {
          companyId,
          actor: { type: 'user', id: user.id, label: user.email },
          ipAddress,
          action: 'auth.logged_in',
          entityType: 'user',
          entityId: user.id,
        });
      });
      return {
        token,
        sessionId,
        user: userRowToUser(user),
        companyId,
        role: await roleIn(companyId, user.id),
        csrfToken,
      };
    },

    /** Resolves a session cookie; undefined when missing, expired or the user is gone. */
    async authenticateSession(token: string): Promise<SessionInfo | undefined> {
      const session = await findSessionByTokenHash(db.kysely, sha256Hex(token));
      const now = clock.now();
      if (!session || new Date(session.expires_at) <= now) {
        return undefined;
      }
      const user = await findUserById(db.kysely, session.user_id);
      if (!user) {
        return undefined;
      }
      // Sliding expiry, written at most once a minute to spare the database.
      if (now.getTime() - new Date(session.last_seen_at).getTime() > 60_000) {
        await updateSession(db.kysely, session.id, {
          last_seen_at: now.toISOString(),
          expires_at: addSeconds(now, policy.sessionTtlSeconds),
        });
      }
      const role = await roleIn(session.company_id, user.id);
      return {
        sessionId: session.id,
        user: userRowToUser(user),
        companyId: role ? session.company_id : null,
        role,
        csrfToken: session.csrf_token,
      };
    },

    async switchCompany(session: SessionInfo, companyId: string): Promise<SessionInfo> {
      const role = await roleIn(companyId, session.user.id);
      if (!role) {
        throw new AppError('company.not_found', 'Company not found');
      }
      await updateSession(db.kysely, session.sessionId, { company_id: companyId });
      return { ...session, companyId, role };
    },

    async logout(session: SessionInfo, ipAddress: string | null): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        await deleteSession(trx, session.sessionId);
        await recordAudit(trx, deps, {
          companyId: session.companyId,
          actor: { type: 'user', id: session.user.id, label: session.user.email },
          ipAddress,
          action: 'auth.logged_out',
          entityType: 'user',
          entityId: session.user.id,
        });
      });
      await deleteExpiredSessions(db.kysely, clock.now().toISOString());
    },

    /** Changes the user's own name or language. */
    async updateProfile(session: SessionInfo, input: { name?: string | undefined; language?: Language | undefined }): Promise<User> {
      const update: { name?: string; language?: string; updated_at: string } = { updated_at: clock.now().toISOString() };
      if (input.name !== undefined) update.name = input.name;
      if (input.language !== undefined) update.language = input.language;
      await updateUser(db.kysely, session.user.id, update);
      return userRowToUser((await findUserById(db.kysely, session.user.id))!);
    },

    /**
     * Changes the user's password after checking the current one, and ends every
     * other session of the user (a stolen session does not survive the change).
     */
    async changePassword(
      session: SessionInfo,
      currentPassword: string,
      newPassword: string,
      ipAddress: string | null,
    ): Promise<void> {
      const user = await findUserById(db.kysely, session.user.id);
      if (!user || !(await passwords.verify(currentPassword, user.password_hash))) {
        throw new AppError('auth.invalid_credentials', 'The current password is wrong', {
          issues: [{ path: 'currentPassword', code: 'password.wrong', message: 'Wrong password' }],
        });
      }
      const passwordHash = await passwords.hash(newPassword);
      await db.kysely.transaction().execute(async (trx) => {
        await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: clock.now().toISOString() });
        await deleteOtherSessions(trx, user.id, session.sessionId);
        await recordAudit(trx, deps, {
          companyId: session.companyId,
          actor: { type: 'user', id: user.id, label: user.email },
          ipAddress,
          action: 'auth.password_changed',
          entityType: 'user',
          entityId: user.id,
        });
      });
    },

    /** Resolves an API key; revoked keys stop working at once (no cache). */
    async authenticateApiKey(key: string): Promise<ApiKeyRow | undefined> {
      const row = await findApiKeyByHash(db.kysely, sha256Hex(key));
      if (!row || row.revoked_at !== null) {
        return undefined;
      }
      const now = clock.now();
      if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
        await touchApiKey(db.kysely, row.id, now.toISOString());
      }
      return row;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
