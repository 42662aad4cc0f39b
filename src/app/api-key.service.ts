import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/database.js';
import { apiKeyRowToApiKey } from '../db/mappers.js';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../db/repositories/api-key.repository.js';
import { AppError } from '../domain/errors.js';
import type { ApiKey } from '../domain/party.js';
import { canAssignRole } from '../domain/roles.js';
import { recordCompanyAudit } from './audit.js';
import { sha256Hex } from './auth.service.js';
import { text } from './common.schemas.js';
import type { CompanyContext } from './context.js';
import { roleSchema } from './member.schemas.js';
import type { Clock, IdGenerator } from './ports.js';

export const apiKeyCreateSchema = z.strictObject({
  name: text(100),
  role: roleSchema.default('biller'),
});
export type ApiKeyCreateInput = z.infer<typeof apiKeyCreateSchema>;

export interface ApiKeyServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
}

/** Key format: `ffk_<8 char prefix>_<43 char secret>`. Only the SHA-256 of the whole key is stored. */
function generateKey(): { key: string; prefix: string } {
  const prefix = randomBytes(4).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `ffk_${prefix}_${secret}`, prefix };
}

export function createApiKeyService(deps: ApiKeyServiceDeps) {
  const { db, clock, ids } = deps;

  return {
    async listApiKeys(ctx: CompanyContext): Promise<ApiKey[]> {
      return (await listApiKeys(db.kysely, ctx.companyId)).map(apiKeyRowToApiKey);
    },

    /** Creates a key; the plain key is returned this once and never again. */
    async createApiKey(ctx: CompanyContext, input: ApiKeyCreateInput): Promise<{ apiKey: ApiKey; key: string }> {
      if (ctx.actor.type !== 'cli' && !canAssignRole(ctx.role, input.role)) {
        throw new AppError('membership.role_not_allowed', `Your role cannot create a key with role ${input.role}`);
      }
      const { key, prefix } = generateKey();
      const id = ids.newId();
      return db.kysely.transaction().execute(async (trx) => {
        await insertApiKey(trx, {
          id,
          company_id: ctx.companyId,
          name: input.name,
          role: input.role,
          prefix,
          key_hash: sha256Hex(key),
          created_by_user_id: ctx.actor.type === 'user' ? ctx.actor.id : null,
          created_at: clock.now().toISOString(),
          last_used_at: null,
          revoked_at: null,
        });
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'api_key.created',
          entityType: 'api_key',
          entityId: id,
          details: { name: input.name, role: input.role, prefix },
        });
        return { apiKey: apiKeyRowToApiKey((await findApiKey(trx, ctx.companyId, id))!), key };
      });
    },

    async revokeApiKey(ctx: CompanyContext, id: string): Promise<ApiKey> {
      return db.kysely.transaction().execute(async (trx) => {
        const existing = await findApiKey(trx, ctx.companyId, id);
        if (!existing) {
          throw new AppError('api_key.not_found', 'API key not found');
        }
        if (existing.revoked_at === null) {
          await revokeApiKey(trx, ctx.companyId, id, clock.now().toISOString());
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'api_key.revoked',
            entityType: 'api_key',
            entityId: id,
            details: { name: existing.name, prefix: existing.prefix },
          });
        }
        return apiKeyRowToApiKey((await findApiKey(trx, ctx.companyId, id))!);
      });
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
