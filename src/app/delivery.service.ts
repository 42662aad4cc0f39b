import type { Db } from '../db/database.js';
import { deliveryRowToDelivery } from '../db/delivery-mappers.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findCustomer } from '../db/repositories/customer.repository.js';
import {
  findDelivery,
  findDeliveryByKey,
  findLatestDelivery,
  insertDelivery,
  listDeliveriesForInvoice,
} from '../db/repositories/delivery.repository.js';
import { findEmailSettings } from '../db/repositories/email-settings.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { findInvoice } from '../db/repositories/invoice.repository.js';
import { findJob, listJobsByIds } from '../db/repositories/job.repository.js';
import type { CompanyRow, DeliveryRow, EmailSettingsRow, InvoiceRow } from '../db/schema.js';
import { type Delivery, type DeliveryChannel, defaultDeliveryChannel, deliveryKeyFor, isDeliveryOpen } from '../domain/delivery.js';
import { AppError, validationError } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { DeliveryRequestInput } from './delivery.schemas.js';
import type { EhfDeliveryPreparer } from './ehf-delivery.js';
import { NOT_CONFIGURED_MESSAGE } from './email-settings.service.js';
import { sendDeliveryJob } from './jobs/definitions/send-delivery.job.js';
import { enqueueJob } from './jobs/job-queue.js';
import type { Clock, IdGenerator } from './ports.js';

export interface DeliveryServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  /** Called after a delivery job was committed (wakes an in-process worker at once). */
  onEnqueued?: () => void;
  /** Attempts per delivery; the job definition's default when absent. */
  maxAttempts?: number;
  /** Checks an EHF delivery can go out and makes its EHF (src/app/ehf-delivery.ts). */
  ehf: Pick<EhfDeliveryPreparer, 'prepare'>;
}

export interface DeliveryRequestResult {
  delivery: Delivery;
  /** false: the delivery existed already and nothing new was queued. */
  isNew: boolean;
}

/**
 * Test documents never reach a customer: they go to the company's own mailbox (reply-to,
 * else the company's e-mail, else the sender address), and an explicit recipient must be
 * one of those addresses.
 */
function recipientFor(
  invoice: InvoiceRow,
  company: CompanyRow,
  settings: EmailSettingsRow,
  requested: string | undefined,
  previous: string | undefined,
): string {
  if (invoice.is_test) {
    const own = [settings.reply_to, company.email, settings.from_address].filter((value): value is string => Boolean(value));
    if (requested !== undefined) {
      if (!own.some((address) => address.toLowerCase() === requested.toLowerCase())) {
        throw new AppError(
          'delivery.test_recipient_not_allowed',
          `A test document is only sent to the company's own address (${own.join(', ')}), never to a customer`,
          { details: { allowedRecipients: own } },
        );
      }
      return requested;
    }
    return own[0]!;
  }
  const recipient = requested ?? previous ?? invoice.buyer_email;
  if (!recipient) {
    throw new AppError(
      'delivery.no_recipient',
      'The customer has no e-mail address: add one to the customer (it is copied onto new documents) or give a recipient',
    );
  }
  return recipient;
}

/**
 * Requests deliveries of issued invoices and credit notes. A request writes the delivery and
 * its job in one transaction; the job runner does the sending (delivery-send.handler.ts).
 */
export function createDeliveryService(deps: DeliveryServiceDeps) {
  const { db, clock, ids } = deps;
  const lockRows = db.dialect === 'postgres';

  async function view(executor: Executor, rows: DeliveryRow[]): Promise<Delivery[]> {
    const jobs = await listJobsByIds(executor, rows.map((row) => row.job_id).filter((id): id is string => id !== null));
    return rows.map((row) => deliveryRowToDelivery(row, jobs.find((job) => job.id === row.job_id)));
  }

  async function one(executor: Executor, row: DeliveryRow): Promise<Delivery> {
    return (await view(executor, [row]))[0]!;
  }

  /**
   * The issued document, locked on PostgreSQL so sends and resends of one document take
   * turns (SQLite has one writer anyway).
   */
  async function requireIssued(trx: Executor, ctx: CompanyContext, invoiceId: string): Promise<InvoiceRow> {
    const invoice = await findInvoice(trx, ctx.companyId, invoiceId, { lock: lockRows });
    if (!invoice) throw new AppError('invoice.not_found', 'Invoice not found');
    if (invoice.state !== 'issued') throw new AppError('invoice.not_issued', 'Only an issued invoice or credit note can be sent');
    return invoice;
  }

  async function requireSettings(trx: Executor, ctx: CompanyContext): Promise<EmailSettingsRow> {
    const settings = await findEmailSettings(trx, ctx.companyId);
    if (!settings) throw new AppError('email.not_configured', NOT_CONFIGURED_MESSAGE, { details: { settingsPath: '/api/v1/email-settings' } });
    return settings;
  }

  /** The requested channel, else the customer's (its own choice, else EHF with a PEPPOL id, else e-mail). */
  async function channelOf(ctx: CompanyContext, invoiceId: string, requested: DeliveryChannel | undefined): Promise<DeliveryChannel> {
    if (requested) return requested;
    const invoice = await findInvoice(db.kysely, ctx.companyId, invoiceId);
    if (!invoice) throw new AppError('invoice.not_found', 'Invoice not found');
    const customer = await findCustomer(db.kysely, ctx.companyId, invoice.customer_id);
    return defaultDeliveryChannel({ deliveryChannel: customer?.delivery_channel ?? null, peppolId: customer?.peppol_id ?? null });
  }

  /**
   * EHF goes to the buyer's Peppol address, never to a typed-in one. Checked before the
   * transaction: it reads the document and makes its EHF (on SQLite a second connection
   * inside the write transaction would wait for ever).
   */
  async function prepareEhf(ctx: CompanyContext, invoiceId: string, input: DeliveryRequestInput): Promise<string> {
    if (input.recipient !== undefined) {
      throw validationError([
        { path: 'recipient', code: 'recipient.not_for_ehf', message: "EHF goes to the buyer's Peppol address; a recipient is for e-mail only" },
      ]);
    }
    return deps.ehf.prepare(ctx, invoiceId);
  }

  function requireRecipient(recipient: string | undefined): string {
    // Set before the transaction whenever no delivery existed then; deliveries are never deleted.
    if (recipient === undefined) throw new Error('EHF delivery requested without its preparation');
    return recipient;
  }

  async function createDelivery(
    trx: Executor,
    ctx: CompanyContext,
    invoice: InvoiceRow,
    channel: string,
    sequence: number,
    recipient: string,
  ): Promise<DeliveryRequestResult> {
    const key = deliveryKeyFor(invoice.id, channel, sequence);
    const id = ids.newId();
    const now = clock.now().toISOString();
    // The job row first (the delivery points at it); its unique key ties it to this delivery.
    const { jobId } = await enqueueJob(trx, deps, sendDeliveryJob, { deliveryId: id, companyId: ctx.companyId }, {
      companyId: ctx.companyId,
      uniqueKey: `delivery:${key}`,
      ...(deps.maxAttempts ? { maxAttempts: deps.maxAttempts } : {}),
    });
    const inserted = await insertDelivery(trx, {
      id,
      company_id: ctx.companyId,
      invoice_id: invoice.id,
      channel,
      sequence,
      delivery_key: key,
      recipient,
      status: 'queued',
      attempts: 0,
      message_id: null,
      server_response: null,
      last_error: null,
      job_id: jobId,
      requested_by: ctx.actor.label,
      sent_at: null,
      created_at: now,
      updated_at: now,
    });
    if (!inserted) {
      // Someone else made this delivery between our read and insert; theirs stands.
      return { delivery: await one(trx, (await findDeliveryByKey(trx, ctx.companyId, key))!), isNew: false };
    }
    await recordCompanyAudit(trx, deps, ctx, {
      action: sequence === 1 ? 'delivery.requested' : 'delivery.resend_requested',
      entityType: 'invoice',
      entityId: invoice.id,
      details: { deliveryId: id, deliveryKey: key, channel, recipient, documentNumber: invoice.document_number },
    });
    return { delivery: await one(trx, (await findDelivery(trx, ctx.companyId, id))!), isNew: true };
  }

  function afterCommit(result: DeliveryRequestResult): DeliveryRequestResult {
    if (result.isNew) deps.onEnqueued?.();
    return result;
  }

  return {
    /**
     * Sends a document through a channel once: the first request creates delivery 1 and its
     * job; every later request returns that same delivery and sends nothing.
     */
    async send(ctx: CompanyContext, invoiceId: string, input: DeliveryRequestInput): Promise<DeliveryRequestResult> {
      const channel = await channelOf(ctx, invoiceId, input.channel);
      let ehfRecipient: string | undefined;
      if (channel === 'ehf' && !(await findDeliveryByKey(db.kysely, ctx.companyId, deliveryKeyFor(invoiceId, channel, 1)))) {
        ehfRecipient = await prepareEhf(ctx, invoiceId, input);
      }
      const result = await db.kysely.transaction().execute(async (trx) => {
        const invoice = await requireIssued(trx, ctx, invoiceId);
        const existing = await findDeliveryByKey(trx, ctx.companyId, deliveryKeyFor(invoice.id, channel, 1));
        if (existing) return { delivery: await one(trx, existing), isNew: false };
        if (channel === 'ehf') return createDelivery(trx, ctx, invoice, channel, 1, requireRecipient(ehfRecipient));
        const settings = await requireSettings(trx, ctx);
        const company = (await findCompanyById(trx, ctx.companyId))!;
        const recipient = recipientFor(invoice, company, settings, input.recipient, undefined);
        return createDelivery(trx, ctx, invoice, channel, 1, recipient);
      });
      return afterCommit(result);
    },

    /**
     * The explicit "send again": the next sequence number, so a new delivery key. Refused
     * while the latest delivery may still go out (queued, sending or waiting to retry).
     */
    async resend(ctx: CompanyContext, invoiceId: string, input: DeliveryRequestInput): Promise<DeliveryRequestResult> {
      const channel = await channelOf(ctx, invoiceId, input.channel);
      const ehfRecipient = channel === 'ehf' ? await prepareEhf(ctx, invoiceId, input) : undefined;
      const result = await db.kysely.transaction().execute(async (trx) => {
        const invoice = await requireIssued(trx, ctx, invoiceId);
        const latest = await findLatestDelivery(trx, ctx.companyId, invoice.id, channel);
        if (latest && isDeliveryOpen(latest.status)) {
          throw new AppError('delivery.in_progress', 'The latest delivery of this document has not finished yet; wait for it before sending again', {
            details: { deliveryId: latest.id, deliveryStatus: latest.status },
          });
        }
        const sequence = (latest?.sequence ?? 0) + 1;
        if (channel === 'ehf') return createDelivery(trx, ctx, invoice, channel, sequence, requireRecipient(ehfRecipient));
        const settings = await requireSettings(trx, ctx);
        const company = (await findCompanyById(trx, ctx.companyId))!;
        const recipient = recipientFor(invoice, company, settings, input.recipient, latest?.recipient);
        return createDelivery(trx, ctx, invoice, channel, sequence, recipient);
      });
      return afterCommit(result);
    },

    async listDeliveries(ctx: CompanyContext, invoiceId: string): Promise<Delivery[]> {
      const invoice = await findInvoice(db.kysely, ctx.companyId, invoiceId);
      if (!invoice) throw new AppError('invoice.not_found', 'Invoice not found');
      return view(db.kysely, await listDeliveriesForInvoice(db.kysely, ctx.companyId, invoiceId));
    },

    async getDelivery(ctx: CompanyContext, id: string): Promise<Delivery> {
      const row = await findDelivery(db.kysely, ctx.companyId, id);
      if (!row) throw new AppError('delivery.not_found', 'Delivery not found');
      const job = row.job_id ? await findJob(db.kysely, row.job_id) : undefined;
      return deliveryRowToDelivery(row, job);
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;
