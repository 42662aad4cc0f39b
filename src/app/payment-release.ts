import type { Executor } from '../db/repositories/executor.js';
import { updateInvoice } from '../db/repositories/invoice.repository.js';
import { insertReleases, listLiveAllocationsOfInvoice } from '../db/repositories/payment.repository.js';
import type { InvoiceRow } from '../db/schema.js';
import { type PlannedRelease, planReleases } from '../domain/payment/release.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { Clock, IdGenerator } from './ports.js';

/**
 * After a credit note on an invoice that payments (partly) paid: when paid + credited exceeds
 * what is payable, the surplus (never more than is paid) goes back from the invoice's
 * allocations to their payments, newest allocation first, where it is the customer's credit.
 * Runs in the credit note's transaction, with the invoice locked and its credited amount and
 * credit notes already written. No entry: the credit note credited 1500 for the customer, the
 * money stays there as their credit. For a foreign-currency invoice the releases carry the NOK
 * that leaves the invoice's receivable at exactly zero (it is settled afterwards).
 */
export async function releaseCreditedSurplus(
  trx: Executor,
  deps: { clock: Clock; ids: IdGenerator },
  ctx: CompanyContext,
  invoice: InvoiceRow,
  creditNote: { id: string; documentNumber: string },
): Promise<PlannedRelease[]> {
  const surplus = Math.min(invoice.paid_minor, invoice.paid_minor + invoice.credited_minor - invoice.payable_minor);
  if (surplus <= 0) return [];
  const allocations = (await listLiveAllocationsOfInvoice(trx, ctx.companyId, invoice.id)).map((row) => ({
    id: row.id,
    paymentId: row.payment_id,
    netMinor: row.amount_minor - row.released_minor,
    netNokMinor: row.amount_nok_minor - row.released_nok_minor,
  }));
  let releasedNokTotal: number | null = null;
  if (invoice.currency !== 'NOK') {
    const credited = await trx
      .selectFrom('invoices')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('gross_total_nok_minor'), eb.lit(0)).as('nok'))
      .where('company_id', '=', ctx.companyId)
      .where('credited_invoice_id', '=', invoice.id)
      .where('state', '=', 'issued')
      .executeTakeFirstOrThrow();
    const paidNok = allocations.reduce((total, allocation) => total + allocation.netNokMinor, 0);
    // Settled afterwards: what stays allocated in NOK is what the invoice still has on 1500.
    releasedNokTotal = paidNok - (invoice.gross_total_nok_minor - Number(credited.nok));
  }
  const releases = planReleases(allocations, surplus, releasedNokTotal);
  const released = releases.reduce((total, release) => total + release.amountMinor, 0);
  const now = deps.clock.now().toISOString();
  await insertReleases(
    trx,
    releases.map((release) => ({
      id: deps.ids.newId(),
      company_id: ctx.companyId,
      payment_id: release.paymentId,
      invoice_id: invoice.id,
      allocation_id: release.allocationId,
      credit_note_id: creditNote.id,
      amount_minor: release.amountMinor,
      amount_nok_minor: release.amountNokMinor,
      created_at: now,
    })),
  );
  await updateInvoice(trx, ctx.companyId, invoice.id, { paid_minor: invoice.paid_minor - released, updated_at: now });
  await recordCompanyAudit(trx, deps, ctx, {
    action: 'payment.credit_released',
    entityType: 'invoice',
    entityId: invoice.id,
    details: {
      creditNote: creditNote.documentNumber,
      amountMinor: released,
      payments: releases.map((release) => ({ paymentId: release.paymentId, amountMinor: release.amountMinor })),
    },
  });
  return releases;
}
