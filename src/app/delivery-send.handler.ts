import type { Db } from '../db/database.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findDelivery, updateDelivery } from '../db/repositories/delivery.repository.js';
import { findEmailSettings } from '../db/repositories/email-settings.repository.js';
import { findInvoice } from '../db/repositories/invoice.repository.js';
import { emailTemplateValues, renderEmail } from '../domain/email-template.js';
import type { SellerSnapshot } from '../domain/party.js';
import { recordCompanyAudit } from './audit.js';
import type { Actor, CompanyContext } from './context.js';
import type { EhfDeliverySender } from './ehf-delivery.js';
import { mailProblem, templatesOf } from './email-settings.service.js';
import { INSECURE_NOT_ALLOWED_MESSAGE, isTransportAllowed, messageIdFor, smtpTransportOf } from './email-transport.js';
import { type SendDeliveryPayload, sendDeliveryJob } from './jobs/definitions/send-delivery.job.js';
import { type JobHandler, PermanentJobError, jobHandler } from './jobs/job.js';
import { type Clock, type DocumentPdfSource, type IdGenerator, type Logger, MailError, type Mailer, type SecretBox } from './ports.js';

export const WORKER_ACTOR: Actor = { type: 'system', id: null, label: 'fakturaflyt worker' };

export interface DeliverySendDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  secretBox: SecretBox;
  mailer: Mailer;
  pdfs: DocumentPdfSource;
  logger: Logger;
  /** Channel `ehf`: hands the EHF to the access point (src/app/ehf-delivery.ts). */
  ehf: Pick<EhfDeliverySender, 'send'>;
  /** SMTP_ALLOW_INSECURE: plain SMTP to hosts other than loopback. */
  allowInsecureSmtp: boolean;
}

/**
 * Sends one e-mail delivery. Exactly-once, as far as SMTP allows (ARCHITECTURE.md):
 * 1. a delivery already `sent` is done — a rerun after a crash sends nothing;
 * 2. everything that can fail without a side effect (settings, PDF, template) is prepared;
 * 3. `sending` and the attempt are committed, fenced by the job lease, before SMTP starts;
 * 4. the Message-ID is the delivery's own (`<delivery-id@sender-domain>`), the same on every try;
 * 5. right after the server's 250 the delivery becomes `sent` and the invoice sent, in one transaction.
 * A crash before the 250 means the server did not take the message (RFC 5321 §4.1.1.4, §6.1):
 * the retry is right. Only a crash between the 250 and step 5's commit sends it again — with
 * the same Message-ID.
 */
export function createDeliverySendHandler(deps: DeliverySendDeps): JobHandler<unknown> {
  const { db, clock, secretBox, mailer, pdfs, logger } = deps;

  const contextFor = (companyId: string): CompanyContext => ({ companyId, role: 'owner', actor: WORKER_ACTOR, ipAddress: null });

  const handler: JobHandler<SendDeliveryPayload> = {
    definition: sendDeliveryJob,

    async run({ deliveryId, companyId }, job) {
      const delivery = await findDelivery(db.kysely, companyId, deliveryId);
      if (!delivery) throw new PermanentJobError(`Delivery ${deliveryId} does not exist`);
      if (delivery.status === 'sent' || delivery.status === 'dead') return;
      if (delivery.channel === 'ehf') return deps.ehf.send(contextFor(companyId), delivery, job);
      if (delivery.channel !== 'email') throw new PermanentJobError(`No sender for channel ${delivery.channel}`);

      const [invoice, company, settings] = await Promise.all([
        findInvoice(db.kysely, companyId, delivery.invoice_id),
        findCompanyById(db.kysely, companyId),
        findEmailSettings(db.kysely, companyId),
      ]);
      if (!invoice || !company || invoice.state !== 'issued') throw new PermanentJobError('The document is gone or not issued');
      // Retried: someone may set e-mail up again before the attempts run out.
      if (!settings) throw new Error('E-mail is not set up for the company any more');
      // Retried as well: the settings can be changed to tls/starttls before the attempts run out.
      if (!isTransportAllowed(settings, deps.allowInsecureSmtp)) throw new Error(`email.insecure_not_allowed: ${INSECURE_NOT_ALLOWED_MESSAGE}`);

      const ctx = contextFor(companyId);
      const pdf = await pdfs.getDocumentPdf(ctx, invoice.id);
      const seller = JSON.parse(invoice.seller_json ?? 'null') as SellerSnapshot | null;
      const language = invoice.buyer_language === 'en' ? 'en' : 'nb';
      const content = renderEmail(
        templatesOf(settings)[language],
        emailTemplateValues(
          {
            kind: invoice.kind,
            documentNumber: invoice.document_number ?? '',
            customerName: invoice.buyer_name,
            amountMinor: invoice.kind === 'invoice' ? invoice.payable_minor : invoice.gross_total_minor,
            currency: invoice.currency,
            issueDate: invoice.issue_date,
            dueDate: invoice.due_date,
            kid: invoice.kid,
            bankAccount: seller?.bankAccount ?? company.bank_account,
            iban: seller?.iban ?? company.iban,
            companyName: seller?.legalName ?? company.legal_name,
            creditedInvoiceNumber: invoice.credited_invoice_number,
          },
          language,
        ),
      );
      const transport = smtpTransportOf(settings, secretBox);
      const messageId = messageIdFor(delivery.id, settings.from_address);

      // Nothing irreversible has happened yet: a stopping worker may hand the job back here.
      job.signal.throwIfAborted();
      const attempt = delivery.attempts + 1;
      await db.kysely.transaction().execute(async (trx) => {
        await job.fence(trx);
        const now = clock.now().toISOString();
        const marked = await updateDelivery(
          trx,
          companyId,
          deliveryId,
          { status: 'sending', attempts: attempt, message_id: messageId, updated_at: now },
          ['queued', 'failed', 'sending'],
        );
        if (!marked) throw new PermanentJobError('The delivery changed state while being prepared');
      });

      let response: string;
      try {
        ({ response } = await mailer.send(transport, {
          from: { name: settings.from_name ?? seller?.legalName ?? company.legal_name, address: settings.from_address },
          replyTo: settings.reply_to,
          to: delivery.recipient,
          subject: content.subject,
          text: content.body,
          messageId,
          attachments: [{ filename: pdf.filename, content: pdf.bytes, contentType: 'application/pdf' }],
        }));
      } catch (error) {
        if (!(error instanceof MailError)) throw error;
        // The recorded error starts with the same stable code the test endpoint answers with
        // (`email.tls_failed: …`), so a failed delivery says what kind of problem to fix.
        const recorded = `${mailProblem(error).code}: ${error.message}`;
        if (error.isPermanent) throw new PermanentJobError(recorded, { cause: error });
        throw new Error(recorded, { cause: error });
      }

      // The server said 250: the message is its responsibility now. Record it before anything else.
      await db.kysely.transaction().execute(async (trx) => {
        const now = clock.now().toISOString();
        await updateDelivery(trx, companyId, deliveryId, {
          status: 'sent',
          message_id: messageId,
          server_response: response.slice(0, 500),
          last_error: null,
          sent_at: now,
          updated_at: now,
        });
        await trx
          .updateTable('invoices')
          .set({ sent_at: now, updated_at: now })
          .where('company_id', '=', companyId)
          .where('id', '=', invoice.id)
          .where('sent_at', 'is', null)
          .execute();
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'delivery.sent',
          entityType: 'invoice',
          entityId: invoice.id,
          details: { deliveryId, deliveryKey: delivery.delivery_key, channel: 'email', recipient: delivery.recipient, messageId, attempt },
        });
      });
      logger.info({ deliveryId, invoiceId: invoice.id, messageId, attempt }, 'E-mail delivered to the SMTP server');
    },

    async onFailure(trx, { deliveryId, companyId }, failure) {
      const now = clock.now().toISOString();
      await updateDelivery(
        trx,
        companyId,
        deliveryId,
        { status: failure.willRetry ? 'failed' : 'dead', last_error: failure.message, updated_at: now },
        ['queued', 'sending', 'failed'],
      );
      if (!failure.willRetry) {
        const delivery = await findDelivery(trx, companyId, deliveryId);
        if (delivery) {
          await recordCompanyAudit(trx, deps, contextFor(companyId), {
            action: 'delivery.failed',
            entityType: 'invoice',
            entityId: delivery.invoice_id,
            details: { deliveryId, deliveryKey: delivery.delivery_key, attempts: delivery.attempts, error: failure.message },
          });
        }
      }
    },
  };
  return jobHandler(handler);
}
