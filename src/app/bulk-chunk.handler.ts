import type { Db } from '../db/database.js';
import {
  completeBulkOperationIfDone,
  failBulkOperation,
  findBulkOperation,
  listBulkItemsInRange,
  listInvoiceStates,
  markBulkOperationRunning,
  recordBulkItemOutcome,
} from '../db/repositories/bulk-operation.repository.js';
import type { BulkOperationItemRow, BulkOperationRow } from '../db/schema.js';
import { AppError, type FieldIssue, isAppError } from '../domain/errors.js';
import type { Role } from '../domain/roles.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { DeliveryService } from './delivery.service.js';
import type { InvoiceService } from './invoice.service.js';
import { type BulkChunkPayload, bulkChunkJob, bulkChunkJobKey } from './jobs/definitions/bulk-chunk.job.js';
import { type JobHandler, PermanentJobError, jobHandler } from './jobs/job.js';
import { enqueueJob } from './jobs/job-queue.js';
import type { Clock, DocumentPdfSource, IdGenerator, Logger } from './ports.js';

export interface BulkChunkDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  invoices: Pick<InvoiceService, 'issueInvoice'>;
  deliveries: Pick<DeliveryService, 'send'>;
  pdfs: DocumentPdfSource;
}

/**
 * An item that keeps failing with an unexpected error (not an AppError) is retried with
 * the chunk; from this attempt of the chunk on it is reported as failed instead, so one
 * poisoned document cannot hold up the rest of the operation.
 */
const GIVE_UP_ON_ITEM_FROM_ATTEMPT = 3;

interface Outcome {
  status: 'succeeded' | 'failed';
  documentNumber?: string | null;
  errorCode?: string;
  errorMessage?: string;
  missing?: FieldIssue[];
  deliveryId?: string;
  fileName?: string;
  byteSize?: number;
}

function failure(error: AppError, extra: Partial<Outcome> = {}): Outcome {
  return {
    status: 'failed',
    errorCode: error.code,
    errorMessage: error.message,
    ...(error.code === 'invoice.incomplete' && error.issues ? { missing: error.issues } : {}),
    ...extra,
  };
}

/** The requester's context, so the audit log names who asked for the work. */
function contextOf(operation: BulkOperationRow): CompanyContext {
  return {
    companyId: operation.company_id,
    role: operation.actor_role as Role,
    actor: { type: operation.actor_type, id: operation.actor_id, label: operation.created_by },
    ipAddress: operation.ip_address,
  };
}

/**
 * Runs one chunk of a bulk operation. Every step is idempotent, so a chunk run again after
 * a crash (or a duplicate job) repeats nothing:
 * - an item's outcome is recorded only while it is pending, in one transaction with the
 *   operation's counters; recorded items are skipped;
 * - issuing happens only to a draft (issue is idempotent by status) and takes the number in
 *   its own transaction; a crash after it leaves an issued invoice, which the rerun sends;
 * - sending goes through the delivery service, whose unique delivery key makes a second
 *   request return the first delivery instead of sending again;
 * - archiving a PDF is insert-if-absent.
 */
export function createBulkChunkHandler(deps: BulkChunkDeps): JobHandler<unknown> {
  const { db, clock, logger, invoices, deliveries, pdfs } = deps;
  const now = () => clock.now().toISOString();

  async function stateOf(ctx: CompanyContext, invoiceId: string) {
    return (await listInvoiceStates(db.kysely, ctx.companyId, [invoiceId]))[0];
  }

  async function issueAndSend(ctx: CompanyContext, item: BulkOperationItemRow): Promise<Outcome> {
    let state = await stateOf(ctx, item.invoice_id);
    if (!state) return failure(new AppError('invoice.not_found', 'The draft was deleted before it was issued'));
    if (state.state === 'draft') {
      try {
        await invoices.issueInvoice(ctx, item.invoice_id);
      } catch (error) {
        // Issued in the meantime (by someone else, or by this chunk before a crash): send it.
        if (!isAppError(error, 'invoice.not_draft')) {
          if (error instanceof AppError) return failure(error);
          throw error;
        }
      }
      state = await stateOf(ctx, item.invoice_id);
      if (!state) throw new Error(`Invoice ${item.invoice_id} vanished after its issue`);
    }
    const documentNumber = state.document_number;
    try {
      const { delivery } = await deliveries.send(ctx, item.invoice_id, { channel: 'email' });
      return { status: 'succeeded', documentNumber, deliveryId: delivery.id };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = error.code === 'delivery.no_recipient' ? 'missing e-mail: the customer has no e-mail address' : error.message;
      return failure(error, { documentNumber, errorMessage: `Issued as ${documentNumber}, but not sent: ${reason}` });
    }
  }

  async function archivePdf(ctx: CompanyContext, item: BulkOperationItemRow): Promise<Outcome> {
    const state = await stateOf(ctx, item.invoice_id);
    if (!state) return failure(new AppError('invoice.not_found', 'Invoice not found'));
    if (state.state !== 'issued') return failure(new AppError('invoice.not_issued', 'A draft has no archived PDF'));
    const pdf = await pdfs.getDocumentPdf(ctx, item.invoice_id);
    return { status: 'succeeded', documentNumber: state.document_number, fileName: pdf.filename, byteSize: pdf.bytes.length };
  }

  async function record(ctx: CompanyContext, operation: BulkOperationRow, item: BulkOperationItemRow, outcome: Outcome): Promise<void> {
    await db.kysely.transaction().execute(async (trx) => {
      const at = now();
      const recorded = await recordBulkItemOutcome(
        trx,
        { companyId: operation.company_id, operationId: operation.id, position: item.position },
        {
          status: outcome.status,
          document_number: outcome.documentNumber ?? null,
          error_code: outcome.errorCode ?? null,
          error_message: outcome.errorMessage?.slice(0, 2000) ?? null,
          details_json: outcome.missing ? JSON.stringify({ missing: outcome.missing }) : null,
          delivery_id: outcome.deliveryId ?? null,
          file_name: outcome.fileName ?? null,
          byte_size: outcome.byteSize ?? null,
          updated_at: at,
        },
      );
      if (!recorded || !(await completeBulkOperationIfDone(trx, operation.company_id, operation.id, at))) return;
      const finished = (await findBulkOperation(trx, operation.company_id, operation.id))!;
      await recordCompanyAudit(trx, deps, ctx, {
        action: 'bulk_operation.completed',
        entityType: 'bulk_operation',
        entityId: operation.id,
        details: { kind: finished.kind, status: finished.status, total: finished.total, failed: finished.failed_count },
      });
      logger.info({ operationId: operation.id, kind: finished.kind, total: finished.total, failed: finished.failed_count }, 'Bulk operation completed');
    });
  }

  const handler: JobHandler<BulkChunkPayload> = {
    definition: bulkChunkJob,

    async run({ companyId, operationId, chunk }, job) {
      const operation = await findBulkOperation(db.kysely, companyId, operationId);
      if (!operation) throw new PermanentJobError(`Bulk operation ${operationId} does not exist`);
      if (operation.status === 'failed') return;
      if (operation.status === 'queued') await markBulkOperationRunning(db.kysely, companyId, operationId, now());
      const ctx = contextOf(operation);
      const from = chunk * operation.chunk_size;
      const to = from + operation.chunk_size;
      for (const item of await listBulkItemsInRange(db.kysely, companyId, operationId, from, to)) {
        if (item.status !== 'pending') continue;
        // Between items is a safe place to stop: a stopping worker hands the chunk back here.
        job.signal.throwIfAborted();
        let outcome: Outcome;
        try {
          outcome = operation.kind === 'issue_and_send' ? await issueAndSend(ctx, item) : await archivePdf(ctx, item);
        } catch (error) {
          if (job.signal.aborted || job.job.attempt < GIVE_UP_ON_ITEM_FROM_ATTEMPT) throw error;
          logger.error({ operationId, invoiceId: item.invoice_id, err: error }, 'Bulk item failed repeatedly; reporting it and going on');
          outcome = { status: 'failed', errorCode: 'internal', errorMessage: error instanceof Error ? error.message : String(error) };
        }
        await record(ctx, operation, item, outcome);
      }
      if (to < operation.total) {
        await db.kysely.transaction().execute(async (trx) => {
          await enqueueJob(trx, deps, bulkChunkJob, { companyId, operationId, chunk: chunk + 1 }, {
            companyId,
            uniqueKey: bulkChunkJobKey(operationId, chunk + 1),
          });
        });
      }
    },

    async onFailure(trx, { companyId, operationId }, failureInfo) {
      if (failureInfo.willRetry) return;
      // Out of attempts: the chain of chunks ends here, so the rest of the operation cannot run.
      const operation = await findBulkOperation(trx, companyId, operationId);
      if (!operation) return;
      const failed = await failBulkOperation(trx, companyId, operationId, `Stopped: ${failureInfo.message}`.slice(0, 2000), now());
      await recordCompanyAudit(trx, deps, contextOf(operation), {
        action: 'bulk_operation.failed',
        entityType: 'bulk_operation',
        entityId: operationId,
        details: { kind: operation.kind, total: operation.total, notProcessed: failed, error: failureInfo.message },
      });
    },
  };
  return jobHandler(handler);
}
