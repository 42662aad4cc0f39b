import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

describe.each(DIALECTS)('invoices over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;
  let productId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Kjøper AS', customerNumber: 42 }))).id;
    productId = json(await call('POST', '/api/v1/products', productBody({ unitPrice: '1000.00', vatCode: '3' }))).id;
  });
  afterAll(async () => harness?.close());

  async function draft(extra: object = {}) {
    const response = await call('POST', '/api/v1/invoices', {
      customerId,
      deliveryDate: '2026-11-20',
      lines: [
        { productId, quantity: '2' },
        { description: 'Kaffe', quantity: '3', unitPrice: '100.00', vatCode: '31', discountPercent: '10' },
      ],
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return json(response);
  }

  it('creates a draft with exact totals per VAT rate, issues it with number, KID and a balanced journal entry', async () => {
    const created = await draft();
    expect(created.status).toBe('draft');
    expect(created.number).toBeNull();
    expect(created.totals).toMatchObject({ netMinor: 227000, vatMinor: 50000 + 4050, grossMinor: 281050 });
    const issued = await call('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    const invoice = json(issued);
    expect(invoice).toMatchObject({ status: 'issued', number: 1, documentNumber: '1', openMinor: 281050 });
    expect(invoice.kid).toMatch(/^00004200000001\d$/);
    expect(invoice.seller.orgNumber).toMatch(/^\d{9}$/);
    expect(invoice.dueDate).not.toBeNull();
    const journal = json(await call('GET', `/api/v1/journal-entries?sourceId=${invoice.id}`));
    expect(journal.items).toHaveLength(1);
    const lines = journal.items[0].lines as Array<{ account: string; debitMinor: number; creditMinor: number; vatCode: string | null }>;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: '1500', debitMinor: 281050 }),
        expect.objectContaining({ account: '3000', creditMinor: 200000, vatCode: '3' }),
        expect.objectContaining({ account: '2700', creditMinor: 50000, vatCode: '3' }),
        expect.objectContaining({ account: '3030', creditMinor: 27000, vatCode: '31' }),
        expect.objectContaining({ account: '2701', creditMinor: 4050, vatCode: '31' }),
      ]),
    );
  });

  it('refuses to change or delete an issued invoice, in the API and in the database', async () => {
    const created = await draft();
    const invoice = json(await call('POST', `/api/v1/invoices/${created.id}/issue`));
    const patch = await call('PATCH', `/api/v1/invoices/${invoice.id}`, { freeText: 'changed' });
    expect(patch.statusCode).toBe(409);
    expect(json(patch).code).toBe('invoice.not_draft');
    const remove = await call('DELETE', `/api/v1/invoices/${invoice.id}`);
    expect(remove.statusCode).toBe(409);
    const db = harness.runtime.db.kysely;
    await expect(sql`update invoices set gross_total_minor = 1 where id = ${invoice.id}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`update invoices set number = 999 where id = ${invoice.id}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from invoices where id = ${invoice.id}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`update invoice_lines set net_minor = 1 where invoice_id = ${invoice.id}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from invoice_lines where invoice_id = ${invoice.id}`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`update journal_lines set debit_minor = 0`.execute(db)).rejects.toThrow(/immutable/);
    await expect(sql`delete from journal_entries`.execute(db)).rejects.toThrow(/immutable/);
    const after = json(await call('GET', `/api/v1/invoices/${invoice.id}`));
    expect(after.totals).toEqual(invoice.totals);
    // Payment state may still change.
    await sql`update invoices set paid_minor = 100 where id = ${invoice.id}`.execute(db);
  });

  it('refuses a draft missing mandatory content, listing every missing item, and consumes no number', async () => {
    const bare = json(await call('POST', '/api/v1/invoices', { customerId, lines: [{ quantity: '1' }] }));
    const before = (json(await call('GET', '/api/v1/invoices?limit=200')).items as Array<{ number: number | null }>).filter((item) => item.number !== null).length;
    const response = await call('POST', `/api/v1/invoices/${bare.id}/issue`);
    expect(response.statusCode).toBe(422);
    const problem = json(response);
    expect(problem.code).toBe('invoice.incomplete');
    const codes = (problem.errors as Array<{ code: string }>).map((issue) => issue.code);
    expect(codes).toEqual(expect.arrayContaining(['delivery_date.missing', 'line.description_missing', 'line.price_missing']));
    const fixed = await call('PATCH', `/api/v1/invoices/${bare.id}`, {
      deliveryDate: '2026-11-20',
      lines: [{ description: 'Arbeid', quantity: '1', unitPrice: '500' }],
    });
    expect(fixed.statusCode).toBe(200);
    const issued = json(await call('POST', `/api/v1/invoices/${bare.id}/issue`));
    const numbers = (json(await call('GET', '/api/v1/invoices?limit=200')).items as Array<{ number: number | null }>)
      .map((item) => item.number)
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, index) => index + 1));
    expect(issued.number).toBe(before + 1);
  });

  it('credits partly then fully; the open amount falls to zero and the journal nets out', async () => {
    const invoice = json(await call('POST', `/api/v1/invoices/${(await draft()).id}/issue`));
    const firstLine = invoice.lines[0];
    const partial = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {
      lines: [{ invoiceLineId: firstLine.id, quantity: '1' }],
      reason: 'Returnert',
    });
    expect(partial.statusCode, partial.body).toBe(201);
    const note = json(partial);
    expect(note).toMatchObject({ kind: 'credit_note', creditedInvoice: { id: invoice.id, documentNumber: invoice.documentNumber } });
    expect(note.totals.grossMinor).toBe(125000);
    const afterPartial = json(await call('GET', `/api/v1/invoices/${invoice.id}`));
    expect(afterPartial.openMinor).toBe(invoice.totals.grossMinor - 125000);
    const tooMuch = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {
      lines: [{ invoiceLineId: firstLine.id, quantity: '2' }],
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(json(tooMuch).errors[0].code).toBe('credit_note.exceeds_line');
    const rest = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {});
    expect(rest.statusCode, rest.body).toBe(201);
    const final = json(await call('GET', `/api/v1/invoices/${invoice.id}`));
    expect(final).toMatchObject({ status: 'credited', openMinor: 0, creditedMinor: invoice.totals.grossMinor });
    expect(final.creditNotes).toHaveLength(2);
    const again = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {});
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('credit_note.nothing_to_credit');
    const balance = json(await call('GET', '/api/v1/trial-balance'));
    expect(balance.totalDebitMinor).toBe(balance.totalCreditMinor);
    const readable = await call('GET', `/api/v1/credit-notes/${note.id}`);
    expect(readable.statusCode).toBe(200);
    const notAnInvoice = await call('GET', `/api/v1/credit-notes/${invoice.id}`);
    expect(notAnInvoice.statusCode).toBe(404);
  });

  it('states VAT in NOK on a foreign-currency invoice and books NOK', async () => {
    const created = await draft({ currency: 'EUR', exchangeRate: '11.4567' });
    const invoice = json(await call('POST', `/api/v1/invoices/${created.id}/issue`));
    expect(invoice.currency).toBe('EUR');
    expect(invoice.exchangeRate).toBe('11.4567');
    expect(invoice.totals.vatNokMinor).toBe(
      invoice.vatBreakdown.reduce((total: number, entry: { vatNokMinor: number }) => total + entry.vatNokMinor, 0),
    );
    expect(invoice.vatBreakdown[0].vatNokMinor).toBe(Math.round((50000 * 114567) / 10000));
    const entry = json(await call('GET', `/api/v1/journal-entries?sourceId=${invoice.id}`)).items[0];
    const receivable = entry.lines.find((line: { account: string }) => line.account === '1500');
    expect(receivable.debitMinor).toBe(invoice.totals.grossNokMinor);
  });

  it('marks an issued invoice as sent (drafts cannot be)', async () => {
    const created = await draft();
    const refused = await call('POST', `/api/v1/invoices/${created.id}/mark-sent`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('invoice.not_issued');
    await call('POST', `/api/v1/invoices/${created.id}/issue`);
    const sent = json(await call('POST', `/api/v1/invoices/${created.id}/mark-sent`));
    expect(sent.status).toBe('sent');
    expect(sent.sentAt).not.toBeNull();
    const listed = json(await call('GET', '/api/v1/invoices?status=sent'));
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(created.id);
  });

  it('refuses a credit note that would raise what is owed (crediting only a deduction line)', async () => {
    const created = await draft({
      lines: [
        { description: 'Arbeid', quantity: '1', unitPrice: '1000' },
        { description: 'Rabatt', quantity: '-1', unitPrice: '500' },
      ],
    });
    const invoice = json(await call('POST', `/api/v1/invoices/${created.id}/issue`));
    const deduction = invoice.lines.find((line: { description: string }) => line.description === 'Rabatt');
    const response = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: deduction.id }] });
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('credit_note.not_positive');
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).creditedMinor).toBe(0);
  });

  it('accepts test-mode and go-live without a body', async () => {
    const other = await createTenant(harness);
    const post = (url: string) => harness.app.inject({ method: 'POST', url, headers: other.headers });
    expect((await post('/api/v1/company/test-mode')).statusCode).toBe(200);
    const live = await post('/api/v1/company/go-live');
    expect(live.statusCode).toBe(200);
    expect(json(live)).toMatchObject({ isTestMode: false, nextLiveInvoiceNumber: 1 });
  });

  it('exports the journal as CSV', async () => {
    const response = await call('GET', '/api/v1/journal-entries/export.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const rows = response.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('Bilag;Dato;Konto;Debet;Kredit;MVA-kode;Beskrivelse;Kilde');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((row) => /;1500;\d+,\d{2};0,00;/.test(row))).toBe(true);
  });
});
