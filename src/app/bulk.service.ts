import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import { bulkOperationRowToOperation } from '../db/bulk-mappers.js';
import {
  findBulkOperation,
  insertBulkOperation,
  insertBulkOperationItems,
  listBulkOperationItems,
  listBulkOperations,
  listInvoiceStates,
  listSucceededBulkItems,
} from '../db/repositories/bulk-operation.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import type { BulkOperationItemsTable } from '../db/schema.js';
import { type BulkKind, type BulkOperation, uniqueFileNames } from '../domain/bulk-operation.js';
import { AppError, type FieldIssue } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { BulkListQueryInput, BulkRequestInput } from './bulk.schemas.js';
import type { CompanyContext } from './context.js';
import { bulkChunkJob, bulkChunkJobKey } from './jobs/definitions/bulk-chunk.job.js';
import { enqueueJob } from './jobs/job-queue.js';
import type { Clock, DocumentPdfSource, IdGenerator } from './ports.js';

/** One entry of a ZIP: its bytes are read only when the writer gets to it. */
export interface ZipEntrySource {
  name: string;
  size: number;
  modifiedAt: Date;
  read(): Promise<Uint8Array>;
}

/** Writes a ZIP as a stream, pulling one entry at a time (src/adapters/zip implements it with yazl). */
export interface ZipWriter {
  write(entries: readonly ZipEntrySource[]): { stream: NodeJS.ReadableStream; byteLength: number | null };
}

export interface BulkServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  pdfs: DocumentPdfSource;
  zip: ZipWriter;
  /** Items per job; the next chunk is queued when one ends. */
  chunkSize?: number;
  /** Called after an operation's first job was committed (wakes an in-process worker at once). */
  onEnqueued?: () => void;
}

export const DEFAULT_BULK_CHUNK_SIZE = 25;

/**
 * Starts and reports bulk operations, and streams the ZIP of a finished `pdf_zip`
 * operation. The work runs on the job runner (bulk-chunk.handler.ts).
 */
export function createBulkService(deps: BulkServiceDeps) {
  const { db, clock, ids, pdfs, zip } = deps;
  const chunkSize = deps.chunkSize ?? DEFAULT_BULK_CHUNK_SIZE;

  async function read(executor: Executor, ctx: CompanyContext, id: string): Promise<BulkOperation> {
    const row = await findBulkOperation(executor, ctx.companyId, id);
    if (!row) throw new AppError('bulk.not_found', 'Bulk operation not found');
    return bulkOperationRowToOperation(row, await listBulkOperationItems(executor, ctx.companyId, id));
  }

  /**
   * Every id must be one of the company's documents in the state the work needs; the
   * problem lists each failing position (never another company's data: a foreign id is
   * simply not found).
   */
  async function checkDocuments(trx: Executor, ctx: CompanyContext, kind: BulkKind, invoiceIds: readonly string[]): Promise<void> {
    const states = new Map((await listInvoiceStates(trx, ctx.companyId, invoiceIds)).map((row) => [row.id, row]));
    const missing: FieldIssue[] = [];
    const wrongState: FieldIssue[] = [];
    invoiceIds.forEach((id, index) => {
      const row = states.get(id);
      const path = `invoiceIds.${index}`;
      if (!row) missing.push({ path, code: 'invoice.not_found', message: 'No such invoice or credit note' });
      else if (kind === 'issue_and_send' && (row.kind !== 'invoice' || row.state !== 'draft')) {
        wrongState.push({ path, code: 'invoice.not_draft', message: `Not a draft: ${row.document_number ?? row.kind} is issued already` });
      } else if (kind === 'pdf_zip' && row.state !== 'issued') {
        wrongState.push({ path, code: 'invoice.not_issued', message: 'A draft has no archived PDF; issue it first' });
      }
    });
    if (missing.length > 0) {
      throw new AppError('invoice.not_found', `${missing.length} of the documents were not found`, { issues: missing });
    }
    if (wrongState.length > 0) {
      throw kind === 'issue_and_send'
        ? new AppError('invoice.not_draft', `${wrongState.length} of the invoices are not drafts`, { issues: wrongState })
        : new AppError('invoice.not_issued', `${wrongState.length} of the documents are not issued`, { issues: wrongState });
    }
  }

  async function start(ctx: CompanyContext, kind: BulkKind, input: BulkRequestInput): Promise<BulkOperation> {
    const operation = await db.kysely.transaction().execute(async (trx) => {
      await checkDocuments(trx, ctx, kind, input.invoiceIds);
      const id = ids.newId();
      const now = clock.now().toISOString();
      await insertBulkOperation(trx, {
        id,
        company_id: ctx.companyId,
        kind,
        status: 'queued',
        total: input.invoiceIds.length,
        done_count: 0,
        failed_count: 0,
        chunk_size: chunkSize,
        error: null,
        created_by: ctx.actor.label,
        actor_type: ctx.actor.type,
        actor_id: ctx.actor.id,
        actor_role: ctx.role,
        ip_address: ctx.ipAddress,
        created_at: now,
        started_at: null,
        finished_at: null,
        updated_at: now,
      });
      const items: Array<Insertable<BulkOperationItemsTable>> = input.invoiceIds.map((invoiceId, position) => ({
        operation_id: id,
        position,
        company_id: ctx.companyId,
        invoice_id: invoiceId,
        status: 'pending',
        document_number: null,
        error_code: null,
        error_message: null,
        details_json: null,
        delivery_id: null,
        file_name: null,
        byte_size: null,
        updated_at: now,
      }));
      await insertBulkOperationItems(trx, items);
      // The first chunk only: each chunk queues the next when it ends.
      await enqueueJob(trx, deps, bulkChunkJob, { companyId: ctx.companyId, operationId: id, chunk: 0 }, {
        companyId: ctx.companyId,
        uniqueKey: bulkChunkJobKey(id, 0),
      });
      await recordCompanyAudit(trx, deps, ctx, {
        action: 'bulk_operation.started',
        entityType: 'bulk_operation',
        entityId: id,
        details: { kind, total: items.length },
      });
      return read(trx, ctx, id);
    });
    deps.onEnqueued?.();
    return operation;
  }

  return {
    /**
     * Issues the drafts and queues the e-mail of each, in the background. Every draft is
     * issued in its own transaction: one failing the legal check is reported with its
     * missing items and the others go on.
     */
    startIssueAndSend: (ctx: CompanyContext, input: BulkRequestInput) => start(ctx, 'issue_and_send', input),

    /** Makes sure every document's PDF is archived, in the background; then the ZIP can be downloaded. */
    startPdfZip: (ctx: CompanyContext, input: BulkRequestInput) => start(ctx, 'pdf_zip', input),

    /** One operation with every item's outcome. */
    getOperation: (ctx: CompanyContext, id: string) => read(db.kysely, ctx, id),

    /** The company's most recent operations, newest first, without their items. */
    async listOperations(ctx: CompanyContext, query: BulkListQueryInput): Promise<BulkOperation[]> {
      return (await listBulkOperations(db.kysely, ctx.companyId, query.limit)).map((row) => bulkOperationRowToOperation(row));
    },

    /**
     * The ZIP of a finished `pdf_zip` operation's archived PDFs, as a stream: each PDF is
     * read from the database when the writer reaches it, so neither the ZIP nor all PDFs
     * are ever in memory at once, and any app instance can serve it.
     */
    async openZip(ctx: CompanyContext, id: string): Promise<{ filename: string; stream: NodeJS.ReadableStream; byteLength: number | null }> {
      const operation = await findBulkOperation(db.kysely, ctx.companyId, id);
      if (!operation) throw new AppError('bulk.not_found', 'Bulk operation not found');
      if (operation.kind !== 'pdf_zip') {
        throw new AppError('bulk.not_downloadable', 'Only a PDF ZIP operation has a download');
      }
      if (operation.status !== 'completed' && operation.status !== 'completed_with_errors') {
        throw new AppError('bulk.not_ready', 'The ZIP is not ready yet; wait until the operation has completed', {
          details: { operationStatus: operation.status, done: operation.done_count, total: operation.total },
        });
      }
      const items = await listSucceededBulkItems(db.kysely, ctx.companyId, id);
      const names = uniqueFileNames(items.map((item) => item.file_name ?? `${item.invoice_id}.pdf`));
      const modifiedAt = new Date(operation.finished_at ?? operation.updated_at);
      const { stream, byteLength } = zip.write(
        items.map((item, index) => ({
          name: names[index]!,
          size: item.byte_size ?? 0,
          modifiedAt,
          read: async () => (await pdfs.getDocumentPdf(ctx, item.invoice_id)).bytes,
        })),
      );
      return { filename: `Fakturaer-${operation.created_at.slice(0, 10)}.zip`, stream, byteLength };
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
