import type { Db } from '../db/database.js';
import { findEhfSettings } from '../db/repositories/ehf-settings.repository.js';
import { updateDelivery } from '../db/repositories/delivery.repository.js';
import { findInvoice } from '../db/repositories/invoice.repository.js';
import type { DeliveryRow } from '../db/schema.js';
import { buyerEndpoint } from '../domain/ehf/ehf-document.js';
import { isAppError } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { accessPointTargetOf, requireAccessPointSettings } from './ehf-settings.service.js';
import type { EhfService } from './ehf.service.js';
import { type JobContext, PermanentJobError } from './jobs/job.js';
import { type AccessPoint, AccessPointError, type Clock, type IdGenerator, type Logger, type SecretBox } from './ports.js';

/** What a test document's EHF delivery records instead of a hand-over. */
export const TEST_MODE_EHF_RESPONSE = 'test document: not handed to the access point (test mode)';

/**
 * Checks, when a send is requested, that an EHF delivery can go out: an access point is set
 * up (422 ehf.access_point_not_configured) and the document is an issued one EHF can
 * express (409 invoice.not_issued, 422 ehf.not_representable with the writer's problem
 * codes). Makes — and so archives — the EHF now, so every attempt later hands over the same
 * bytes GET …/ehf serves. Answers the recipient to record: the buyer's Peppol address.
 */
export function createEhfDeliveryPreparer(deps: { db: Db; ehf: Pick<EhfService, 'exportEhf'> }) {
  return {
    async prepare(ctx: CompanyContext, invoiceId: string): Promise<string> {
      await requireAccessPointSettings(deps.db.kysely, ctx.companyId);
      const { document } = await deps.ehf.exportEhf(ctx, invoiceId);
      const endpoint = buyerEndpoint(document)!;
      return `${endpoint.scheme}:${endpoint.id}`;
    },
  };
}

export type EhfDeliveryPreparer = ReturnType<typeof createEhfDeliveryPreparer>;

export interface EhfDeliverySenderDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  secretBox: SecretBox;
  accessPoint: Pick<AccessPoint, 'deliver'>;
  ehf: Pick<EhfService, 'exportEhf'>;
  logger: Logger;
}

/**
 * Hands one EHF delivery to the company's access point; called by the delivery job
 * (delivery-send.handler.ts) for channel `ehf`, with the same exactly-once steps as e-mail:
 *
 * 1. a delivery already `sent` is done (checked by the job before it gets here);
 * 2. what can fail harmlessly comes first: the archived EHF (the same bytes on every
 *    attempt), the settings, the opened token;
 * 3. `sending` and the attempt are committed, fenced by the job lease, before the hand-over;
 * 4. the hand-over carries the delivery key (`Idempotency-Key`/`X-Delivery-Key` over HTTP;
 *    the file name `<number>-<delivery id>.xml` in a folder), the same on every attempt;
 * 5. right after the provider's 2xx (or the rename) one transaction marks the delivery
 *    `sent` with the provider's message id, the invoice sent, and writes the audit event.
 *
 * A crash between the provider's 2xx and step 5 makes the retry post again with the same
 * key — a provider that honours the key accepts once; a folder gets the same file again.
 * Test documents are never handed over (an access point would pass them to the real buyer
 * over Peppol): the delivery completes as `sent` with TEST_MODE_EHF_RESPONSE instead.
 */
export function createEhfDeliverySender(deps: EhfDeliverySenderDeps) {
  const { db, clock, secretBox, accessPoint, ehf, logger } = deps;

  async function markSent(
    ctx: CompanyContext,
    delivery: DeliveryRow,
    result: { messageId: string | null; response: string; attempt: number; details: Record<string, unknown>; fence?: boolean },
    job: JobContext,
  ): Promise<void> {
    await db.kysely.transaction().execute(async (trx) => {
      if (result.fence) await job.fence(trx);
      const now = clock.now().toISOString();
      await updateDelivery(trx, ctx.companyId, delivery.id, {
        status: 'sent',
        attempts: result.attempt,
        message_id: result.messageId,
        server_response: result.response.slice(0, 500),
        last_error: null,
        sent_at: now,
        updated_at: now,
      });
      await trx
        .updateTable('invoices')
        .set({ sent_at: now, updated_at: now })
        .where('company_id', '=', ctx.companyId)
        .where('id', '=', delivery.invoice_id)
        .where('sent_at', 'is', null)
        .execute();
      await recordCompanyAudit(trx, deps, ctx, {
        action: 'delivery.sent',
        entityType: 'invoice',
        entityId: delivery.invoice_id,
        details: {
          deliveryId: delivery.id,
          deliveryKey: delivery.delivery_key,
          channel: 'ehf',
          recipient: delivery.recipient,
          messageId: result.messageId,
          attempt: result.attempt,
          jobId: job.job.id,
          ...result.details,
        },
      });
    });
  }

  return {
    async send(ctx: CompanyContext, delivery: DeliveryRow, job: JobContext): Promise<void> {
      const invoice = await findInvoice(db.kysely, ctx.companyId, delivery.invoice_id);
      if (!invoice || invoice.state !== 'issued') throw new PermanentJobError('The document is gone or not issued');
      let xml: string;
      let sha256: string;
      try {
        ({ xml, sha256 } = await ehf.exportEhf(ctx, invoice.id));
      } catch (error) {
        // The document cannot be an EHF (it was checked at the request; only a changed rule gets here).
        if (isAppError(error)) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
      const attempt = delivery.attempts + 1;

      if (invoice.is_test) {
        job.signal.throwIfAborted();
        await markSent(ctx, delivery, { messageId: null, response: TEST_MODE_EHF_RESPONSE, attempt, details: { testMode: true, sha256 }, fence: true }, job);
        logger.info({ deliveryId: delivery.id, invoiceId: invoice.id }, 'Test document: EHF delivery completed without an access point');
        return;
      }

      // Retried: someone may set the access point up again before the attempts run out.
      const target = accessPointTargetOf(await findEhfSettings(db.kysely, ctx.companyId), secretBox);
      if (!target) throw new Error('No access point is set up for the company any more (Settings → EHF / Peppol)');

      // Nothing irreversible has happened yet: a stopping worker may hand the job back here.
      job.signal.throwIfAborted();
      await db.kysely.transaction().execute(async (trx) => {
        await job.fence(trx);
        const marked = await updateDelivery(
          trx,
          ctx.companyId,
          delivery.id,
          { status: 'sending', attempts: attempt, updated_at: clock.now().toISOString() },
          ['queued', 'failed', 'sending'],
        );
        if (!marked) throw new PermanentJobError('The delivery changed state while being prepared');
      });

      let receipt;
      try {
        receipt = await accessPoint.deliver(target, {
          xml,
          documentNumber: invoice.document_number ?? invoice.id,
          deliveryId: delivery.id,
          deliveryKey: delivery.delivery_key,
        });
      } catch (error) {
        if (error instanceof AccessPointError && error.isPermanent) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }

      // Accepted: the document is the access point's responsibility now. Record it before anything else.
      await markSent(ctx, delivery, { messageId: receipt.messageId, response: receipt.response, attempt, details: { accessPoint: target.kind, sha256 } }, job);
      logger.info(
        { deliveryId: delivery.id, invoiceId: invoice.id, accessPoint: target.kind, messageId: receipt.messageId, attempt },
        'EHF handed to the access point',
      );
    },
  };
}

export type EhfDeliverySender = ReturnType<typeof createEhfDeliverySender>;
