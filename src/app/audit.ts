import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { insertAuditEvent, insertAuditEvents } from '../db/repositories/audit.repository.js';
import type { Actor, CompanyContext } from './context.js';
import type { Clock, IdGenerator } from './ports.js';

export interface AuditEntry {
  companyId: string | null;
  actor: Actor;
  ipAddress: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

/**
 * Appends one audit event inside the caller's transaction, so the event exists
 * exactly when the change it describes does.
 */
export async function recordAudit(
  trx: Kysely<Database> | Transaction<Database>,
  deps: { clock: Clock; ids: IdGenerator },
  entry: AuditEntry,
): Promise<void> {
  await insertAuditEvent(trx, {
    id: deps.ids.newId(),
    company_id: entry.companyId,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_label: entry.actor.label,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    details_json: entry.details ? JSON.stringify(entry.details) : null,
    ip_address: entry.ipAddress,
    created_at: deps.clock.now().toISOString(),
  });
}

/** `recordAudit` for a change made by the caller of a company-scoped use case. */
export async function recordCompanyAudit(
  trx: Kysely<Database> | Transaction<Database>,
  deps: { clock: Clock; ids: IdGenerator },
  ctx: CompanyContext,
  event: Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'details'>,
): Promise<void> {
  await recordAudit(trx, deps, { companyId: ctx.companyId, actor: ctx.actor, ipAddress: ctx.ipAddress, ...event });
}

/**
 * Several `recordCompanyAudit` events of one use case in one statement, in the given order
 * (ids are time-ordered), e.g. "draft created" and "issued" for save-and-issue.
 */
export async function recordCompanyAuditEvents(
  trx: Kysely<Database> | Transaction<Database>,
  deps: { clock: Clock; ids: IdGenerator },
  ctx: CompanyContext,
  events: ReadonlyArray<Pick<AuditEntry, 'action' | 'entityType' | 'entityId' | 'details'>>,
): Promise<void> {
  const createdAt = deps.clock.now().toISOString();
  await insertAuditEvents(
    trx,
    events.map((event) => ({
      id: deps.ids.newId(),
      company_id: ctx.companyId,
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      actor_label: ctx.actor.label,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId,
      details_json: event.details ? JSON.stringify(event.details) : null,
      ip_address: ctx.ipAddress,
      created_at: createdAt,
    })),
  );
}

/** Lists the names of fields whose values differ, for audit details (values are not logged). */
export function changedFields<T extends object>(before: T, after: Partial<T>): string[] {
  return Object.keys(after).filter(
    (key) => JSON.stringify(after[key as keyof T]) !== JSON.stringify(before[key as keyof T]),
  );
}
