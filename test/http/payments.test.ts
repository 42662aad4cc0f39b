import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

type JournalLine = { account: string; debitMinor: number; creditMinor: number; customerId: string | null };

/**
 * Manual payments: partial and full, several invoices in one payment, overpayment as the
 * customer's credit, foreign currency with agio, reversal (never deletion), the journal, field
 * errors and roles.
 */
describe.each(DIALECTS)('payments over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = owner.headers) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Betaler AS' }))).id;
  });
  afterAll(async () => harness?.close());

  /** An issued invoice of 1 000,00 + 25 % = 1 250,00 (or as given). */
  async function issued(extra: object = {}, customer = customerId) {
    const draft = json(
      await call('POST', '/api/v1/invoices', {
        customerId: customer,
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

  async function journalOf(entryId: string): Promise<JournalLine[]> {
    const entries = json(await call('GET', '/api/v1/journal-entries?includeTest=true&limit=200')).items as Array<{ id: string; lines: JournalLine[] }>;
    const entry = entries.find((candidate) => candidate.id === entryId);
    expect(entry, entryId).toBeDefined();
    const debit = entry!.lines.reduce((total, line) => total + line.debitMinor, 0);
    expect(entry!.lines.reduce((total, line) => total + line.creditMinor, 0)).toBe(debit);
    return entry!.lines;
  }

  it('pays an invoice in two parts: partially paid, then paid; each payment posts debit 1920, credit 1500', async () => {
    const invoice = await issued();
    const first = await pay({ amount: '500.00', reference: invoice.kid, allocations: [{ invoiceId: invoice.id, amount: '500' }] });
    expect(first).toMatchObject({ status: 'booked', customerId, amountMinor: 50000, amountNokMinor: 50000, unallocatedMinor: 0, ledgerAccount: '1920', source: 'manual' });
    expect(first.voucher).toMatch(/^INN-\d+$/);
    expect(first.allocations).toEqual([expect.objectContaining({ invoiceId: invoice.id, documentNumber: invoice.documentNumber, amountMinor: 50000 })]);
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'partially_paid', paidMinor: 50000, openMinor: 75000 });
    expect(await journalOf(first.journalEntryId)).toEqual([
      expect.objectContaining({ account: '1920', debitMinor: 50000, creditMinor: 0 }),
      expect.objectContaining({ account: '1500', debitMinor: 0, creditMinor: 50000, customerId }),
    ]);

    const second = await pay({ amount: '750.00', allocations: [{ invoiceId: invoice.id, amount: '750.00' }] });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'paid', paidMinor: 125000, openMinor: 0 });
    const listed = json(await call('GET', `/api/v1/invoices/${invoice.id}/payments`)).items as Array<{ id: string }>;
    expect(listed.map((payment) => payment.id).sort()).toEqual([first.id, second.id].sort());
    // Nothing more is open.
    const more = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', amount: '1.00', allocations: [{ invoiceId: invoice.id, amount: '1.00' }] });
    expect(more.statusCode).toBe(400);
    expect(json(more).errors).toEqual([expect.objectContaining({ path: 'allocations.0.amount', code: 'allocation.exceeds_open' })]);
  });

  it('settles two invoices with one payment and keeps an overpayment as the customer\'s credit', async () => {
    const a = await issued();
    const b = await issued({ lines: [{ description: 'Kaffe', quantity: '2', unitPrice: '100.00', vatCode: '31' }] }); // 230,00
    const payment = await pay({ amount: '1500.00', payerName: 'Betaler AS', allocations: [{ invoiceId: a.id, amount: '1250.00' }, { invoiceId: b.id, amount: '230.00' }] });
    expect(payment.unallocatedMinor).toBe(2000);
    expect(payment.customerId).toBe(customerId);
    for (const id of [a.id, b.id]) expect(json(await call('GET', `/api/v1/invoices/${id}`)).status).toBe('paid');
    const lines = await journalOf(payment.journalEntryId);
    expect(lines).toEqual([
      expect.objectContaining({ account: '1920', debitMinor: 150000 }),
      expect.objectContaining({ account: '1500', creditMinor: 125000, customerId }),
      expect.objectContaining({ account: '1500', creditMinor: 23000, customerId }),
      expect.objectContaining({ account: '1500', creditMinor: 2000, customerId }),
    ]);
    // A prepayment with no invoice at all needs to know whose credit it is.
    const anonymous = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', amount: '100.00' });
    expect(anonymous.statusCode).toBe(400);
    expect(json(anonymous).errors).toEqual([expect.objectContaining({ path: 'customerId', code: 'payment.customer_required' })]);
    const prepayment = await pay({ amount: '100.00', customerId });
    expect(prepayment).toMatchObject({ unallocatedMinor: 10000, allocations: [] });
  });

  it("applies an overpayment's credit to another invoice, pays the rest back, and then refuses a reversal", async () => {
    const first = await issued();
    const second = await issued();
    const payment = await pay({ amount: '1300.00', allocations: [{ invoiceId: first.id, amount: '1250.00' }] });
    expect(payment.unallocatedMinor).toBe(5000);
    const applied = await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: second.id, amount: '30.00' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(json(applied)).toMatchObject({ unallocatedMinor: 2000, allocations: [expect.objectContaining({ invoiceId: first.id }), expect.objectContaining({ invoiceId: second.id, amountMinor: 3000 })] });
    expect(json(await call('GET', `/api/v1/invoices/${second.id}`))).toMatchObject({ status: 'partially_paid', paidMinor: 3000, openMinor: 122000 });
    const tooMuch = await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: second.id, amount: '30.00' });
    expect(json(tooMuch).errors).toEqual([expect.objectContaining({ path: 'amount', code: 'payment.exceeds_credit' })]);
    const other = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Fremmed AS' }))).id;
    const foreign = await issued({}, other);
    expect(json(await call('POST', `/api/v1/payments/${payment.id}/allocations`, { invoiceId: foreign.id, amount: '1.00' })).errors).toEqual([
      expect.objectContaining({ path: 'invoiceId', code: 'allocation.several_customers' }),
    ]);

    const refundTooMuch = await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '20.01' });
    expect(json(refundTooMuch).errors).toEqual([expect.objectContaining({ path: 'amount', code: 'payment.exceeds_credit' })]);
    const refunded = await call('POST', `/api/v1/payments/${payment.id}/refunds`, { refundDate: '2026-11-25', amount: '20.00', note: 'Tilbake til kunden' });
    expect(refunded.statusCode, refunded.body).toBe(200);
    const after = json(refunded);
    expect(after).toMatchObject({ unallocatedMinor: 0, refunds: [expect.objectContaining({ amountMinor: 2000, voucher: expect.stringMatching(/^UTB-\d+$/) })] });
    expect(await journalOf(after.refunds[0].journalEntryId)).toEqual([
      expect.objectContaining({ account: '1500', debitMinor: 2000, creditMinor: 0, customerId }),
      expect.objectContaining({ account: '1920', debitMinor: 0, creditMinor: 2000 }),
    ]);
    const reverse = await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: 'Feil' });
    expect(reverse.statusCode).toBe(409);
    expect(json(reverse).code).toBe('payment.has_refunds');
  });

  it('reverses a payment with the mirror entry: the invoice is open again, the payment stays, a second reversal is refused', async () => {
    const invoice = await issued();
    const payment = await pay({ amount: '1250.00', allocations: [{ invoiceId: invoice.id, amount: '1250.00' }] });
    expect((await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: ' ' })).statusCode).toBe(400);
    const reversed = await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: 'Feil kunde' });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(json(reversed)).toMatchObject({ status: 'reversed', reversalReason: 'Feil kunde', unallocatedMinor: 0 });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'issued', paidMinor: 0, openMinor: 125000 });
    const mirror = await journalOf(json(reversed).reversalJournalEntryId);
    expect(mirror).toEqual([
      expect.objectContaining({ account: '1920', debitMinor: 0, creditMinor: 125000 }),
      expect.objectContaining({ account: '1500', debitMinor: 125000, creditMinor: 0, customerId }),
    ]);
    const again = await call('POST', `/api/v1/payments/${payment.id}/reverse`, { reason: 'Igjen' });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('payment.already_reversed');
    expect(json(await call('GET', `/api/v1/payments/${payment.id}`)).status).toBe('reversed');
    // The database refuses deletion and changes of allocations too.
    const db = harness.runtime.db.kysely;
    await expect(sql`delete from payments where id = ${payment.id}`.execute(db)).rejects.toThrow(/never deleted/);
    await expect(sql`update payment_allocations set amount_minor = 1 where payment_id = ${payment.id}`.execute(db)).rejects.toThrow(/immutable/);
    // The open amount can be paid again.
    await pay({ amount: '1250.00', allocations: [{ invoiceId: invoice.id, amount: '1250.00' }] });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('paid');
  });

  it('books a EUR payment at the NOK received: the receivable at the invoice rate, the difference as agio (8060)', async () => {
    // 100,00 EUR + 25 % = 125,00 EUR at 11,50 → 1 437,50 NOK on 1500.
    const invoice = await issued({ currency: 'EUR', exchangeRate: '11.50', lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', vatCode: '3' }] });
    expect(invoice.totals.grossNokMinor).toBe(143750);
    const missing = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', currency: 'EUR', amount: '125.00', allocations: [{ invoiceId: invoice.id, amount: '125.00' }] });
    expect(json(missing).errors).toEqual([expect.objectContaining({ path: 'amountNok', code: 'payment.amount_nok_missing' })]);
    const nokForEur = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', amount: '1437.50', allocations: [{ invoiceId: invoice.id, amount: '1437.50' }] });
    expect(json(nokForEur).errors).toEqual([expect.objectContaining({ path: 'allocations.0.invoiceId', code: 'allocation.currency_mismatch' })]);
    const payment = await pay({ currency: 'EUR', amount: '125.00', amountNok: '1450.00', allocations: [{ invoiceId: invoice.id, amount: '125.00' }] });
    expect(payment).toMatchObject({ amountMinor: 12500, amountNokMinor: 145000, exchangeRate: '11.60' });
    expect(payment.allocations[0].amountNokMinor).toBe(143750);
    expect(await journalOf(payment.journalEntryId)).toEqual([
      expect.objectContaining({ account: '1920', debitMinor: 145000 }),
      expect.objectContaining({ account: '1500', creditMinor: 143750 }),
      expect.objectContaining({ account: '8060', creditMinor: 1250 }),
    ]);
    // Paid at a lower rate: disagio on 8160.
    const second = await issued({ currency: 'EUR', exchangeRate: '11.50', lines: [{ description: 'Service', quantity: '1', unitPrice: '100.00', vatCode: '3' }] });
    const loss = await pay({ currency: 'EUR', amount: '125.00', amountNok: '1400.00', allocations: [{ invoiceId: second.id, amount: '125.00' }] });
    expect(await journalOf(loss.journalEntryId)).toEqual([
      expect.objectContaining({ account: '1920', debitMinor: 140000 }),
      expect.objectContaining({ account: '1500', creditMinor: 143750 }),
      expect.objectContaining({ account: '8160', debitMinor: 3750 }),
    ]);
    const overpaid = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', currency: 'EUR', amount: '10.00', amountNok: '116.00', customerId });
    expect(json(overpaid).errors).toEqual([expect.objectContaining({ code: 'payment.foreign_credit' })]);
  });

  it('answers field errors for what cannot be paid, and writes nothing', async () => {
    const invoice = await issued();
    const other = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Annen AS' }))).id;
    const otherInvoice = await issued({}, other);
    const draft = json(await call('POST', '/api/v1/invoices', { customerId, lines: [] }));
    const cases: Array<[object, string, string]> = [
      [{ amount: '100', allocations: [{ invoiceId: invoice.id, amount: '200' }] }, 'allocations', 'allocation.exceeds_payment'],
      [{ amount: '100', allocations: [{ invoiceId: draft.id, amount: '100' }] }, 'allocations.0.invoiceId', 'allocation.not_payable'],
      [{ amount: '100', allocations: [{ invoiceId: 'nope', amount: '100' }] }, 'allocations.0.invoiceId', 'invoice.not_found'],
      [{ amount: '200', allocations: [{ invoiceId: invoice.id, amount: '100' }, { invoiceId: invoice.id, amount: '100' }] }, 'allocations.1.invoiceId', 'allocation.duplicate'],
      [{ amount: '200', allocations: [{ invoiceId: invoice.id, amount: '100' }, { invoiceId: otherInvoice.id, amount: '100' }] }, 'allocations', 'allocation.several_customers'],
      [{ amount: '100', paymentDate: '2026-12-24', allocations: [{ invoiceId: invoice.id, amount: '100' }] }, 'paymentDate', 'payment.date_in_future'],
      [{ amount: '0', allocations: [] }, 'amount', 'amount.invalid'],
      [{ amount: '10.001', customerId }, 'amount', 'amount.invalid'],
      [{ amount: '10', customerId, ledgerAccount: '19200' }, 'ledgerAccount', ''],
      [{ amount: '10', customerId: 'nope' }, 'customerId', 'customer.not_found'],
    ];
    const before = json(await call('GET', '/api/v1/payments?limit=200')).items.length;
    for (const [body, path, code] of cases) {
      const response = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-25', ...body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const issue = (json(response).errors as Array<{ path: string; code: string }>).find((candidate) => candidate.path === path);
      expect(issue, `${JSON.stringify(body)} → ${response.body}`).toBeDefined();
      if (code) expect(issue!.code).toBe(code);
    }
    expect(json(await call('GET', '/api/v1/payments?limit=200')).items.length).toBe(before);
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).paidMinor).toBe(0);
    expect((await call('GET', '/api/v1/payments/nope')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/invoices/nope/payments')).statusCode).toBe(404);
  });

  it('lets the accountant register and reverse payments; a read-only key only reads', async () => {
    const invoice = await issued();
    const accountant = await apiKeyHeaders(harness, owner, 'accountant');
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    const body = { paymentDate: '2026-11-25', amount: '100.00', allocations: [{ invoiceId: invoice.id, amount: '100.00' }] };
    expect((await call('POST', '/api/v1/payments', body, readOnly)).statusCode).toBe(403);
    const registered = await call('POST', '/api/v1/payments', body, accountant);
    expect(registered.statusCode, registered.body).toBe(201);
    expect((await call('POST', `/api/v1/payments/${json(registered).id}/reverse`, { reason: 'Test' }, readOnly)).statusCode).toBe(403);
    expect((await call('GET', `/api/v1/payments/${json(registered).id}`, undefined, readOnly)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/payments/${json(registered).id}/reverse`, { reason: 'Test' }, accountant)).statusCode).toBe(200);
  });
});
