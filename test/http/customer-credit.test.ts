import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

type JournalLine = { account: string; debitMinor: number; creditMinor: number; customerId: string | null };
type JournalEntry = { id: string; sourceType: string; sourceId: string; lines: JournalLine[] };

/**
 * A credit note on a paid invoice: the surplus (paid + credited − payable) goes back from the
 * invoice's allocations to the payments, newest first, and is the customer's credit — shown in
 * the customer's balance, applied to another invoice, paid back, taken into account when the
 * payment is reversed. At every step the customer's 1500 balance (their journal lines on
 * receivables) is open receivables − unapplied credit.
 */
describe.each(DIALECTS)('customer credit from credit notes on paid invoices (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;

  const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = owner.headers) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
  });
  afterAll(async () => harness?.close());

  const newCustomer = async () => json(await call('POST', '/api/v1/customers', customerBody({ name: 'Kreditt AS' }))).id as string;

  /** An issued invoice of 1 000,00 + 25 % = 1 250,00 (or as given). */
  async function issued(customerId: string, extra: object = {}) {
    const draft = json(
      await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Rådgivning', quantity: '1', unitPrice: '1000.00', vatCode: '3' }],
        ...extra,
      }),
    );
    const response = await call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(response.statusCode, response.body).toBe(200);
    return json(response);
  }

  async function pay(body: object) {
    const response = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', ...body });
    expect(response.statusCode, response.body).toBe(201);
    return json(response);
  }

  async function credit(invoice: { id: string; lines: Array<{ id: string }> }, netAmount?: string) {
    const body = netAmount ? { lines: [{ invoiceLineId: invoice.lines[0]!.id, amount: netAmount }] } : { reason: 'Reklamasjon' };
    const response = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, body);
    expect(response.statusCode, response.body).toBe(201);
    return json(response);
  }

  const invoiceOf = async (id: string) => json(await call('GET', `/api/v1/invoices/${id}`));
  const paymentOf = async (id: string) => json(await call('GET', `/api/v1/payments/${id}`));

  async function balanceOf(customerId: string) {
    const response = await call('GET', `/api/v1/customers/${customerId}/balance`);
    expect(response.statusCode, response.body).toBe(200);
    return json(response);
  }

  async function allEntries(): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: JournalEntry[]; nextCursor: string | null } = json(await call('GET', `/api/v1/journal-entries?includeTest=true&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
      entries.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    for (const entry of entries) {
      expect(entry.lines.reduce((total, line) => total + line.debitMinor, 0)).toBe(entry.lines.reduce((total, line) => total + line.creditMinor, 0));
    }
    return entries;
  }

  /** The customer's balance on 1500 from the journal, checked against the balance endpoint; returns the balance. */
  async function expectLedgerAgrees(customerId: string) {
    const receivable = (await allEntries())
      .flatMap((entry) => entry.lines)
      .filter((line) => line.account === '1500' && line.customerId === customerId)
      .reduce((total, line) => total + line.debitMinor - line.creditMinor, 0);
    const balance = await balanceOf(customerId);
    expect({ receivable, net: balance.netBalanceNokMinor }).toEqual({
      receivable: balance.openReceivablesNokMinor - balance.unappliedCreditNokMinor,
      net: receivable,
    });
    return balance;
  }

  it('pays an invoice, credits it fully: settled, the payment holds the credit; applied to another invoice, the rest paid back', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId);
    const payment = await pay({ amount: '1250.00', allocations: [{ invoiceId: invoice.id, amount: '1250.00' }] });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 0, netBalanceNokMinor: 0 });
    const entriesBefore = (await allEntries()).length;

    const note = await credit(invoice);
    // Only the credit note's own entry: the release posts nothing (the money stays on the customer's 1500).
    expect((await allEntries()).length).toBe(entriesBefore + 1);
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'credited', paidMinor: 0, creditedMinor: 125000, openMinor: 0 });
    const released = await paymentOf(payment.id);
    expect(released).toMatchObject({ unallocatedMinor: 125000, unallocatedNokMinor: 125000 });
    expect(released.allocations).toEqual([
      expect.objectContaining({
        invoiceId: invoice.id,
        amountMinor: 125000,
        releasedMinor: 125000,
        netMinor: 0,
        releases: [expect.objectContaining({ creditNoteId: note.id, creditNoteNumber: note.documentNumber, amountMinor: 125000, amountNokMinor: 125000 })],
      }),
    ]);
    // The invoice's payment list shows the payment with the release.
    const listed = json(await call('GET', `/api/v1/invoices/${invoice.id}/payments`)).items;
    expect(listed).toEqual([expect.objectContaining({ id: payment.id, unallocatedMinor: 125000 })]);
    // Listing the customer's payments shows the credit too.
    expect(json(await call('GET', `/api/v1/payments?customerId=${customerId}`)).items).toEqual([expect.objectContaining({ id: payment.id, unallocatedMinor: 125000 })]);
    expect(await expectLedgerAgrees(customerId)).toMatchObject({
      openReceivablesNokMinor: 0,
      unappliedCreditNokMinor: 125000,
      netBalanceNokMinor: -125000,
      creditPayments: [expect.objectContaining({ id: payment.id, voucher: payment.voucher, unallocatedMinor: 125000, releasedMinor: 125000 })],
      currencies: [{ currency: 'NOK', openReceivablesMinor: 0, unappliedCreditMinor: 125000, openReceivablesNokMinor: 0, unappliedCreditNokMinor: 125000 }],
    });

    // A second invoice: 200,00 + 15 % = 230,00, paid out of the credit.
    const second = await issued(customerId, { lines: [{ description: 'Kaffe', quantity: '2', unitPrice: '100.00', vatCode: '31' }] });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({
      openReceivablesNokMinor: 23000,
      unappliedCreditNokMinor: 125000,
      netBalanceNokMinor: -102000,
      openInvoices: [expect.objectContaining({ id: second.id, openMinor: 23000, openNokMinor: 23000 })],
    });
    const applied = await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: second.id, amount: '230.00' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(json(applied).unallocatedMinor).toBe(102000);
    expect(await invoiceOf(second.id)).toMatchObject({ status: 'paid', paidMinor: 23000 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 102000, openInvoices: [] });

    // More than the credit left is refused; the rest is paid back.
    const tooMuch = await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '1020.01' });
    expect(json(tooMuch).errors).toEqual([expect.objectContaining({ path: 'amount', code: 'payment.exceeds_credit' })]);
    const refunded = await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '1020.00' });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(json(refunded).unallocatedMinor).toBe(0);
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 0, netBalanceNokMinor: 0, creditPayments: [] });
  });

  it('releases only what a partial credit note puts beyond the open amount; a credit within the open amount releases nothing', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId);
    const payment = await pay({ amount: '1000.00', allocations: [{ invoiceId: invoice.id, amount: '1000.00' }] });
    // 100,00 + 25 % = 125,00 credited: within the 250,00 open.
    await credit(invoice, '100.00');
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'partially_paid', paidMinor: 100000, creditedMinor: 12500, openMinor: 12500 });
    expect((await paymentOf(payment.id)).unallocatedMinor).toBe(0);
    await expectLedgerAgrees(customerId);
    // 200,00 + 25 % = 250,00 more: 125,00 of it is beyond what was open.
    await credit(invoice, '200.00');
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'paid', paidMinor: 87500, creditedMinor: 37500, openMinor: 0 });
    const after = await paymentOf(payment.id);
    expect(after).toMatchObject({ unallocatedMinor: 12500 });
    expect(after.allocations[0]).toMatchObject({ amountMinor: 100000, releasedMinor: 12500, netMinor: 87500 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 12500, netBalanceNokMinor: -12500 });
    // An invoice with no payment credited: nothing to release.
    const unpaid = await issued(customerId);
    await credit(unpaid, '100.00');
    expect(await invoiceOf(unpaid.id)).toMatchObject({ paidMinor: 0, openMinor: 112500 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 112500, unappliedCreditNokMinor: 12500 });
  });

  it('releases the newest payment first when two payments paid the invoice', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId);
    const older = await pay({ amount: '500.00', allocations: [{ invoiceId: invoice.id, amount: '500.00' }] });
    const newer = await pay({ amount: '750.00', allocations: [{ invoiceId: invoice.id, amount: '750.00' }] });
    await credit(invoice, '400.00'); // 500,00 credited: all of it from the newer payment
    expect((await paymentOf(newer.id)).unallocatedMinor).toBe(50000);
    expect((await paymentOf(older.id)).unallocatedMinor).toBe(0);
    await expectLedgerAgrees(customerId);
    await credit(invoice, '400.00'); // 500,00 more: the 250,00 left of the newer, then 250,00 of the older
    expect((await paymentOf(newer.id))).toMatchObject({ unallocatedMinor: 75000, allocations: [expect.objectContaining({ netMinor: 0, releasedMinor: 75000 })] });
    expect((await paymentOf(older.id))).toMatchObject({ unallocatedMinor: 25000, allocations: [expect.objectContaining({ netMinor: 25000, releasedMinor: 25000 })] });
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'paid', paidMinor: 25000, creditedMinor: 100000, openMinor: 0 });
    const balance = await expectLedgerAgrees(customerId);
    expect(balance).toMatchObject({ unappliedCreditNokMinor: 100000 });
    expect(balance.creditPayments.map((payment: { id: string }) => payment.id)).toEqual([older.id, newer.id]);
  });

  it('releases a EUR payment with its NOK; applying the credit to an invoice at another rate posts the difference; the books stay right', async () => {
    const customerId = await newCustomer();
    // 100,00 EUR + 25 % = 125,00 EUR at 11,50 → 1 437,50 NOK; paid with 1 450,00 NOK (agio 12,50).
    const invoice = await issued(customerId, { currency: 'EUR', exchangeRate: '11.50', lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', vatCode: '3' }] });
    const payment = await pay({ currency: 'EUR', amount: '125.00', amountNok: '1450.00', allocations: [{ invoiceId: invoice.id, amount: '125.00' }] });
    await credit(invoice);
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'credited', paidMinor: 0, openMinor: 0 });
    expect(await paymentOf(payment.id)).toMatchObject({
      unallocatedMinor: 12500,
      unallocatedNokMinor: 143750,
      allocations: [expect.objectContaining({ releasedMinor: 12500, releasedNokMinor: 143750, netMinor: 0 })],
    });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({
      openReceivablesNokMinor: 0,
      unappliedCreditNokMinor: 143750,
      currencies: [expect.objectContaining({ currency: 'EUR', unappliedCreditMinor: 12500 })],
    });

    // 50,00 EUR + 25 % = 62,50 EUR at 12,00 → 750,00 NOK; half the credit carries 718,75 NOK: disagio 31,25.
    const second = await issued(customerId, { currency: 'EUR', exchangeRate: '12.00', lines: [{ description: 'Service', quantity: '1', unitPrice: '50.00', vatCode: '3' }] });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 75000, unappliedCreditNokMinor: 143750 });
    const applied = await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: second.id, amount: '62.50' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(json(applied)).toMatchObject({ unallocatedMinor: 6250, unallocatedNokMinor: 71875 });
    const allocation = json(applied).allocations.find((candidate: { invoiceId: string }) => candidate.invoiceId === second.id);
    expect(allocation).toMatchObject({ amountMinor: 6250, amountNokMinor: 75000 });
    const fx = (await allEntries()).find((entry) => entry.sourceType === 'payment_credit_applied' && entry.sourceId === allocation.id)!;
    expect(fx.lines).toEqual([
      expect.objectContaining({ account: '8160', debitMinor: 3125, creditMinor: 0 }),
      expect.objectContaining({ account: '1500', debitMinor: 0, creditMinor: 3125, customerId }),
    ]);
    expect(await invoiceOf(second.id)).toMatchObject({ status: 'paid', openMinor: 0 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 71875 });

    // The rest paid back at the NOK it carries.
    const refunded = await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '62.50' });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(json(refunded)).toMatchObject({ unallocatedMinor: 0, unallocatedNokMinor: 0, refunds: [expect.objectContaining({ amountMinor: 6250, amountNokMinor: 71875 })] });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 0, netBalanceNokMinor: 0 });
    // This payment's entries: 1920 1 450,00 in and 718,75 out; 8060 12,50 agio; 8160 31,25 disagio.
    const own = new Set([payment.journalEntryId, fx.id, json(refunded).refunds[0].journalEntryId]);
    const lines = (await allEntries()).filter((entry) => own.has(entry.id)).flatMap((entry) => entry.lines);
    const sumOf = (account: string) => lines.filter((line) => line.account === account).reduce((total, line) => total + line.debitMinor - line.creditMinor, 0);
    expect({ bank: sumOf('1920'), agio: sumOf('8060'), disagio: sumOf('8160') }).toEqual({ bank: 145000 - 71875, agio: -1250, disagio: 3125 });
  });

  it('reverses a EUR payment whose released credit was applied at another rate: the exchange difference is mirrored too', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId, { currency: 'EUR', exchangeRate: '11.50', lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', vatCode: '3' }] });
    const payment = await pay({ currency: 'EUR', amount: '125.00', amountNok: '1450.00', allocations: [{ invoiceId: invoice.id, amount: '125.00' }] });
    await credit(invoice);
    const second = await issued(customerId, { currency: 'EUR', exchangeRate: '12.00', lines: [{ description: 'Service', quantity: '1', unitPrice: '50.00', vatCode: '3' }] });
    expect((await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: second.id, amount: '62.50' })).statusCode).toBe(200);
    const reversed = await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: 'Feil' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    const mirror = (await allEntries()).find((entry) => entry.id === json(reversed).reversalJournalEntryId)!;
    // The payment's entry and the disagio of the application, debit ↔ credit.
    expect(mirror.lines).toEqual([
      expect.objectContaining({ account: '1920', creditMinor: 145000 }),
      expect.objectContaining({ account: '1500', debitMinor: 143750, customerId }),
      expect.objectContaining({ account: '8060', debitMinor: 1250 }),
      expect.objectContaining({ account: '8160', creditMinor: 3125 }),
      expect.objectContaining({ account: '1500', debitMinor: 3125, customerId }),
    ]);
    expect(await invoiceOf(second.id)).toMatchObject({ status: 'issued', paidMinor: 0, openMinor: 6250 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 75000, unappliedCreditNokMinor: 0, netBalanceNokMinor: 75000 });
  });

  it('reverses a payment whose allocation was partly released: only the net is taken back from the invoice', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId);
    const payment = await pay({ amount: '1250.00', allocations: [{ invoiceId: invoice.id, amount: '1250.00' }] });
    await credit(invoice, '400.00'); // 500,00 released
    expect(await invoiceOf(invoice.id)).toMatchObject({ paidMinor: 75000, creditedMinor: 50000, openMinor: 0 });
    const reversed = await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: 'Feil konto' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(json(reversed)).toMatchObject({ status: 'reversed', unallocatedMinor: 0 });
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'issued', paidMinor: 0, creditedMinor: 50000, openMinor: 75000 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 75000, unappliedCreditNokMinor: 0 });

    // Released credit applied to another invoice, then the payment reversed: that invoice is open again.
    const a = await issued(customerId);
    const b = await issued(customerId, { lines: [{ description: 'Kaffe', quantity: '2', unitPrice: '100.00', vatCode: '31' }] });
    const second = await pay({ amount: '1250.00', allocations: [{ invoiceId: a.id, amount: '1250.00' }] });
    await credit(a);
    expect((await call('POST', `/api/v1/payments/${second.id}/allocations`, { invoiceId: b.id, amount: '230.00' })).statusCode).toBe(200);
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 75000, unappliedCreditNokMinor: 102000 });
    expect((await call('POST', `/api/v1/payments/${second.id}/reverse`, { reason: 'Feil' })).statusCode).toBe(200);
    expect(await invoiceOf(a.id)).toMatchObject({ status: 'credited', paidMinor: 0, openMinor: 0 });
    expect(await invoiceOf(b.id)).toMatchObject({ status: 'issued', paidMinor: 0, openMinor: 23000 });
    expect(await expectLedgerAgrees(customerId)).toMatchObject({ openReceivablesNokMinor: 98000, unappliedCreditNokMinor: 0 });
  });

  it('keeps releases immutable, answers 404 for an unknown customer, and lets a read-only key read the balance', async () => {
    const customerId = await newCustomer();
    const invoice = await issued(customerId);
    const payment = await pay({ amount: '1250.00', allocations: [{ invoiceId: invoice.id, amount: '1250.00' }] });
    await credit(invoice);
    const db = harness.runtime.db.kysely;
    await expect(sql`delete from payment_allocation_releases where payment_id = ${payment.id}`.execute(db)).rejects.toThrow(/never deleted/);
    await expect(sql`update payment_allocation_releases set amount_minor = 1 where payment_id = ${payment.id}`.execute(db)).rejects.toThrow(/immutable/);
    expect((await call('GET', '/api/v1/customers/nope/balance')).statusCode).toBe(404);
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    const read = await call('GET', `/api/v1/customers/${customerId}/balance`, undefined, readOnly);
    expect(read.statusCode, read.body).toBe(200);
    expect(json(read).unappliedCreditNokMinor).toBe(125000);
    // Writing with the credit needs payments.write.
    expect((await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '1.00' }, readOnly)).statusCode).toBe(403);
  });
});
