import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { companyRowToCompany, userRowToUser } from '../db/mappers.js';
import {
  countCompanies,
  findCompanyById,
  insertCompany,
  listCompaniesForUser,
  updateCompany,
} from '../db/repositories/company.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { findUserByEmail, insertMembership, insertUser } from '../db/repositories/user.repository.js';
import type { CompanyRowUpdate, NewCompanyRow } from '../db/schema.js';
import { AppError } from '../domain/errors.js';
import type { Company, User } from '../domain/party.js';
import type { Role } from '../domain/roles.js';
import { changedFields, recordAudit, recordCompanyAudit } from './audit.js';
import type { CompanyCreateInput, CompanyUpdateInput, OnboardingInput } from './company.schemas.js';
import type { Actor, CompanyContext } from './context.js';
import type { Clock, IdGenerator, PasswordHasher } from './ports.js';

export interface CompanyServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
}

export interface CompanySummary {
  id: string;
  legalName: string;
  orgNumber: string;
  role: Role;
}

function toRow(id: string, input: CompanyCreateInput, now: string): NewCompanyRow {
  return {
    id,
    legal_name: input.legalName,
    org_number: input.orgNumber,
    is_vat_registered: input.isVatRegistered ? 1 : 0,
    is_in_foretaksregisteret: input.isInForetaksregisteret ? 1 : 0,
    address_line1: input.address.line1 ?? null,
    address_line2: input.address.line2 ?? null,
    postal_code: input.address.postalCode ?? null,
    city: input.address.city ?? null,
    country_code: input.address.countryCode,
    bank_account: input.bankAccount ?? null,
    iban: input.iban ?? null,
    bic: input.bic ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
    website: input.website ?? null,
    payment_terms_days: input.paymentTermsDays,
    time_zone: input.timeZone,
    default_language: input.defaultLanguage,
    created_at: now,
    updated_at: now,
  };
}

function toUpdate(input: CompanyUpdateInput): CompanyRowUpdate {
  const update: CompanyRowUpdate = {};
  if (input.legalName !== undefined) update.legal_name = input.legalName;
  if (input.isVatRegistered !== undefined) update.is_vat_registered = input.isVatRegistered ? 1 : 0;
  if (input.isInForetaksregisteret !== undefined) {
    update.is_in_foretaksregisteret = input.isInForetaksregisteret ? 1 : 0;
  }
  if (input.address !== undefined) {
    update.address_line1 = input.address.line1 ?? null;
    update.address_line2 = input.address.line2 ?? null;
    update.postal_code = input.address.postalCode ?? null;
    update.city = input.address.city ?? null;
    update.country_code = input.address.countryCode;
  }
  if (input.bankAccount !== undefined) update.bank_account = input.bankAccount;
  if (input.iban !== undefined) update.iban = input.iban;
  if (input.bic !== undefined) update.bic = input.bic;
  if (input.email !== undefined) update.email = input.email;
  if (input.phone !== undefined) update.phone = input.phone ?? null;
  if (input.website !== undefined) update.website = input.website ?? null;
  if (input.paymentTermsDays !== undefined) update.payment_terms_days = input.paymentTermsDays;
  if (input.timeZone !== undefined) update.time_zone = input.timeZone;
  if (input.defaultLanguage !== undefined) update.default_language = input.defaultLanguage;
  return update;
}

export function createCompanyService(deps: CompanyServiceDeps) {
  const { db, clock, ids, passwords } = deps;

  async function insertNewCompany(
    trx: Executor,
    input: CompanyCreateInput,
    actor: Actor,
    ipAddress: string | null,
  ): Promise<Company> {
    const now = clock.now().toISOString();
    const id = ids.newId();
    try {
      await insertCompany(trx, toRow(id, input, now));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('company.org_number_taken', 'A company with this organisation number exists', {
          issues: [{ path: 'orgNumber', code: 'org_number.taken', message: 'Already registered' }],
          cause: error,
        });
      }
      throw error;
    }
    await recordAudit(trx, deps, {
      companyId: id,
      actor,
      ipAddress,
      action: 'company.created',
      entityType: 'company',
      entityId: id,
      details: { orgNumber: input.orgNumber },
    });
    const row = await findCompanyById(trx, id);
    return companyRowToCompany(row!);
  }

  return {
    /** True while no company exists: the web UI then shows first-run onboarding. */
    async isOnboardingNeeded(): Promise<boolean> {
      return (await countCompanies(db.kysely)) === 0;
    },

    /**
     * First run: creates the first company and its owner in one transaction.
     * Refused once any company exists, so the open endpoint cannot be abused later.
     */
    async onboard(input: OnboardingInput, ipAddress: string | null): Promise<{ company: Company; user: User }> {
      const passwordHash = await passwords.hash(input.owner.password);
      return db.kysely.transaction().execute(async (trx) => {
        if (db.dialect === 'postgres') {
          // Two first-run requests at once must not both succeed (SQLite has one writer anyway).
          await sql`lock table companies in share row exclusive mode`.execute(trx);
        }
        if ((await countCompanies(trx)) > 0) {
          throw new AppError('onboarding.already_done', 'A company already exists; log in instead');
        }
        const now = clock.now().toISOString();
        const userId = ids.newId();
        await insertUser(trx, {
          id: userId,
          email: input.owner.email,
          name: input.owner.name,
          password_hash: passwordHash,
          language: input.owner.language,
          created_at: now,
          updated_at: now,
        });
        const actor: Actor = { type: 'user', id: userId, label: input.owner.email };
        const company = await insertNewCompany(trx, input.company, actor, ipAddress);
        await insertMembership(trx, { company_id: company.id, user_id: userId, role: 'owner', created_at: now });
        const user = await findUserByEmail(trx, input.owner.email);
        return { company, user: userRowToUser(user!) };
      });
    },

    /** Creates a company; when `ownerUserId` is given that user becomes its owner. */
    async createCompany(
      input: CompanyCreateInput,
      actor: Actor,
      options: { ownerUserId?: string; ipAddress?: string | null } = {},
    ): Promise<Company> {
      return db.kysely.transaction().execute(async (trx) => {
        const company = await insertNewCompany(trx, input, actor, options.ipAddress ?? null);
        if (options.ownerUserId) {
          await insertMembership(trx, {
            company_id: company.id,
            user_id: options.ownerUserId,
            role: 'owner',
            created_at: clock.now().toISOString(),
          });
        }
        return company;
      });
    },

    async getCompany(ctx: CompanyContext): Promise<Company> {
      const row = await findCompanyById(db.kysely, ctx.companyId);
      if (!row) {
        throw new AppError('company.not_found', 'Company not found');
      }
      return companyRowToCompany(row);
    },

    async updateCompany(ctx: CompanyContext, input: CompanyUpdateInput): Promise<Company> {
      return db.kysely.transaction().execute(async (trx) => {
        const before = await findCompanyById(trx, ctx.companyId);
        if (!before) {
          throw new AppError('company.not_found', 'Company not found');
        }
        const update = toUpdate(input);
        const changed = changedFields(before, update);
        if (changed.length > 0) {
          await updateCompany(trx, ctx.companyId, { ...update, updated_at: clock.now().toISOString() });
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'company.updated',
            entityType: 'company',
            entityId: ctx.companyId,
            details: { fields: changed },
          });
        }
        return companyRowToCompany((await findCompanyById(trx, ctx.companyId))!);
      });
    },

    async listCompaniesForUser(userId: string): Promise<CompanySummary[]> {
      const rows = await listCompaniesForUser(db.kysely, userId);
      return rows.map((row) => ({
        id: row.id,
        legalName: row.legal_name,
        orgNumber: row.org_number,
        role: row.role as Role,
      }));
    },
  };
}

export type CompanyService = ReturnType<typeof createCompanyService>;
