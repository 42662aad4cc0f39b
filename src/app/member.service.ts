import type { Db } from '../db/database.js';
import { memberRowToMember } from '../db/mappers.js';
import { clearSessionCompany } from '../db/repositories/session.repository.js';
import {
  countOwners,
  deleteMembership,
  findMember,
  findMembership,
  findUserByEmail,
  insertMembership,
  insertUser,
  listMembers,
  updateMembershipRole,
} from '../db/repositories/user.repository.js';
import { AppError } from '../domain/errors.js';
import type { Member } from '../domain/party.js';
import { canAssignRole, type Role } from '../domain/roles.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { MemberAddInput } from './member.schemas.js';
import type { Clock, IdGenerator, PasswordHasher } from './ports.js';

export interface MemberServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
}

function assertCanAssign(ctx: CompanyContext, role: Role): void {
  // The CLI acts with the rights of the machine's operator.
  if (ctx.actor.type !== 'cli' && !canAssignRole(ctx.role, role)) {
    throw new AppError('membership.role_not_allowed', `Your role cannot grant or change the role ${role}`);
  }
}

export function createMemberService(deps: MemberServiceDeps) {
  const { db, clock, ids, passwords } = deps;

  return {
    async listMembers(ctx: CompanyContext): Promise<Member[]> {
      return (await listMembers(db.kysely, ctx.companyId)).map(memberRowToMember);
    },

    /**
     * Gives a user a role in the caller's company. An existing user (for example an
     * accountant serving many companies) keeps their password; a new one needs one.
     */
    async addMember(ctx: CompanyContext, input: MemberAddInput): Promise<Member> {
      assertCanAssign(ctx, input.role);
      const existing = await findUserByEmail(db.kysely, input.email);
      const passwordHash =
        existing === undefined && input.password !== undefined ? await passwords.hash(input.password) : undefined;
      return db.kysely.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        let user = await findUserByEmail(trx, input.email);
        if (!user) {
          const issues = [];
          if (!input.name) issues.push({ path: 'name', code: 'required', message: 'A new user needs a name' });
          if (!passwordHash) {
            issues.push({ path: 'password', code: 'required', message: 'A new user needs a password' });
          }
          if (issues.length > 0) {
            throw new AppError('validation.failed', 'A new user needs a name and a password', { issues });
          }
          await insertUser(trx, {
            id: ids.newId(),
            email: input.email,
            name: input.name!,
            password_hash: passwordHash!,
            language: input.language,
            created_at: now,
            updated_at: now,
          });
          user = (await findUserByEmail(trx, input.email))!;
        } else if (await findMembership(trx, ctx.companyId, user.id)) {
          throw new AppError('membership.exists', 'This user is already a member of the company');
        }
        await insertMembership(trx, { company_id: ctx.companyId, user_id: user.id, role: input.role, created_at: now });
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'membership.created',
          entityType: 'user',
          entityId: user.id,
          details: { email: user.email, role: input.role },
        });
        return memberRowToMember((await findMember(trx, ctx.companyId, user.id))!);
      });
    },

    async changeRole(ctx: CompanyContext, userId: string, role: Role): Promise<Member> {
      return db.kysely.transaction().execute(async (trx) => {
        // Lock the owners before reading the member, so a concurrent change is seen once it commits.
        const owners = await countOwners(trx, ctx.companyId, { lock: db.dialect === 'postgres' });
        const member = await findMember(trx, ctx.companyId, userId);
        if (!member) {
          throw new AppError('membership.not_found', 'No such member in this company');
        }
        assertCanAssign(ctx, member.role as Role);
        assertCanAssign(ctx, role);
        if (member.role === 'owner' && role !== 'owner' && owners <= 1) {
          throw new AppError('membership.last_owner', 'A company must keep at least one owner');
        }
        await updateMembershipRole(trx, ctx.companyId, userId, role);
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'membership.role_changed',
          entityType: 'user',
          entityId: userId,
          details: { from: member.role, to: role },
        });
        return memberRowToMember((await findMember(trx, ctx.companyId, userId))!);
      });
    },

    async removeMember(ctx: CompanyContext, userId: string): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const owners = await countOwners(trx, ctx.companyId, { lock: db.dialect === 'postgres' });
        const member = await findMember(trx, ctx.companyId, userId);
        if (!member) {
          throw new AppError('membership.not_found', 'No such member in this company');
        }
        assertCanAssign(ctx, member.role as Role);
        if (member.role === 'owner' && owners <= 1) {
          throw new AppError('membership.last_owner', 'A company must keep at least one owner');
        }
        await deleteMembership(trx, ctx.companyId, userId);
        await clearSessionCompany(trx, userId, ctx.companyId);
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'membership.removed',
          entityType: 'user',
          entityId: userId,
          details: { email: member.email, role: member.role },
        });
      });
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
