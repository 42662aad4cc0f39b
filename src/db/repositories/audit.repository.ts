import type { Insertable } from 'kysely';
import type { AuditEventRow, AuditEventsTable } from '../schema.js';
import { insertRows } from '../compiled-queries.js';
import type { Executor } from './executor.js';

export async function insertAuditEvent(db: Executor, row: Insertable<AuditEventsTable>): Promise<void> {
  await insertRows(db, 'audit_events', [row]);
}

/** Several events in one statement. */
export async function insertAuditEvents(db: Executor, rows: ReadonlyArray<Insertable<AuditEventsTable>>): Promise<void> {
  await insertRows(db, 'audit_events', rows);
}

export interface AuditEventFilter {
  companyId: string;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Return events older than this id (ids are time-ordered UUIDv7). */
  beforeId?: string | undefined;
  limit: number;
}

/** Newest first; keyset on id. */
export async function listAuditEvents(db: Executor, filter: AuditEventFilter): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll().where('company_id', '=', filter.companyId);
  if (filter.entityType) {
    query = query.where('entity_type', '=', filter.entityType);
  }
  if (filter.entityId) {
    query = query.where('entity_id', '=', filter.entityId);
  }
  if (filter.action) {
    query = query.where('action', '=', filter.action);
  }
  if (filter.actorId) {
    query = query.where('actor_id', '=', filter.actorId);
  }
  if (filter.from) {
    query = query.where('created_at', '>=', filter.from);
  }
  if (filter.to) {
    query = query.where('created_at', '<', filter.to);
  }
  if (filter.beforeId) {
    query = query.where('id', '<', filter.beforeId);
  }
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}
