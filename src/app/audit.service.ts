import { z } from 'zod';
import type { Db } from '../db/database.js';
import { auditEventRowToAuditEvent } from '../db/mappers.js';
import { listAuditEvents } from '../db/repositories/audit.repository.js';
import type { AuditEvent } from '../domain/party.js';
import { listLimitSchema } from './common.schemas.js';
import type { CompanyContext } from './context.js';
import { decodeCursor, type Page, toPage } from './pagination.js';

export const auditListQuerySchema = z.strictObject({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(80).optional(),
  actorId: z.string().max(64).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: listLimitSchema,
  cursor: z.string().max(500).optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export function createAuditService(deps: { db: Db }) {
  return {
    /** Newest first. The log is append-only; there is no write API. */
    async listAuditEvents(ctx: CompanyContext, query: AuditListQuery): Promise<Page<AuditEvent>> {
      const sortKey = 'audit:id';
      const rows = await listAuditEvents(deps.db.kysely, {
        companyId: ctx.companyId,
        entityType: query.entityType,
        entityId: query.entityId,
        action: query.action,
        actorId: query.actorId,
        from: query.from,
        to: query.to,
        beforeId: query.cursor ? decodeCursor(sortKey, query.cursor)[1] : undefined,
        limit: query.limit + 1,
      });
      return toPage(rows, query.limit, sortKey, (row) => [row.id, row.id], auditEventRowToAuditEvent);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
