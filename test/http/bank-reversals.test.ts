import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camt054File, ocrGiroFile } from '../helpers/bank-files.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Bank reversals of incoming payments over HTTP: an OCR type-18 reversal of a KID payment booked
 * from an earlier file reverses that payment (invoice open again, 1920 and 1500 back where they
 * were) and a file imported again reverses nothing twice; a camt.054 DBIT entry with
 * RvslInd=true likewise, also for a payment of the same file, while a reversed debit stays
 * ignored; a reversal without a confident match waits for review and is reversed by hand with a
 * chosen payment (same amount, else 422) or dismissed; a payment with refunds is not reversed.
 */

type JournalLine = { account: string; debitMinor: number; creditMinor: number; customerId: string | null };
type Transaction = { id: string; kind: string; status: string; amountMinor: number; matchReason: string | null; paymentId: string | null; suggestions: string[]; explanation: string | null; resolutionNote: string | null; bankReference: string | null };

describe.each(DIALECTS)('bank reversals (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect);
  });
  afterAll(async () => harness?.close());

  /** A fresh company with one customer: its own journal, so balances start at zero. */
  async function company() {
    const owner: Caller = await createTenant(harness);
    const call = (method: 'GET' | 'POST', url: string, payload?: object) => harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    const customerId = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Fjord Fisk AS' }))).id as string;
    const upload = (bytes: Buffer, fileName: string) =>
      harness.app.inject({
        method: 'POST',
        url: `/api/v1/bank-imports?fileName=${encodeURIComponent(fileName)}`,
        headers: { ...owner.headers, 'content-type': 'application/octet-stream' },
        payload: bytes,
      });
    const issued = async (unitPrice: string) => {
      const draft = json(await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines: [{ description: 'Fisk', quantity: '1', unitPrice, vatCode: '3' }] }));
      const response = await call('POST', `/api/v1/invoices/${draft.id}/issue`);
      expect(response.statusCode, response.body).toBe(200);
      return json(response) as { id: string; kid: string; documentNumber: string };
    };
    const transactions = async (importId: string) => json(await call('GET', `/api/v1/bank-transactions?importId=${importId}`)).items as Transaction[];
    const balance = async (account: string) => {
      const accounts = json(await call('GET', '/api/v1/trial-balance?includeTest=true')).accounts as Array<{ account: string; balanceMinor: number }>;
      return accounts.find((entry) => entry.account === account)?.balanceMinor ?? 0;
    };
    const journalOf = async (entryId: string): Promise<JournalLine[]> => {
      const entries = json(await call('GET', '/api/v1/journal-entries?includeTest=true&limit=200')).items as Array<{ id: string; lines: JournalLine[] }>;
      const entry = entries.find((candidate) => candidate.id === entryId);
      expect(entry, entryId).toBeDefined();
      return entry!.lines;
    };
    const journalCount = async () => (json(await call('GET', '/api/v1/journal-entries?includeTest=true&limit=200')).items as unknown[]).length;
    return { owner, call, customerId, upload, issued, transactions, balance, journalOf, journalCount };
  }

  it('reverses a KID payment of an earlier OCR file with a type-18 reversal; importing it again reverses nothing twice', async () => {
    const { call, upload, issued, transactions, balance, journalOf, journalCount } = await company();
    const invoice = await issued('1000.00'); // 1 250,00
    const first = await upload(ocrGiroFile([{ type: '10', amount: 125000, kid: invoice.kid, netsDate: '201126' }]), 'ocr-payments.txt');
    expect(first.statusCode, first.body).toBe(201);
    expect(json(first).summary).toMatchObject({ paymentCount: 1, bookedCount: 1, reversalCount: 0, ignoredCount: 0 });
    const [paid] = await transactions(json(first).id);
    expect(paid).toMatchObject({ kind: 'payment', status: 'booked' });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('paid');
    expect(await balance('1920')).toBe(125000);
    expect(await balance('1500')).toBe(0);

    const reversalFile = ocrGiroFile([{ type: '18', amount: 125000, kid: invoice.kid, netsDate: '251126' }], { transmissionNumber: '0170032' });
    const second = await upload(reversalFile, 'ocr-reversal.txt');
    expect(second.statusCode, second.body).toBe(201);
    expect(json(second).summary).toMatchObject({
      transactionCount: 1,
      paymentCount: 0,
      bookedCount: 0,
      reviewCount: 0,
      ignoredCount: 0,
      reversalCount: 1,
      reversedCount: 1,
      reversalReviewCount: 0,
      reversalDuplicateCount: 0,
      reversalSums: [{ currency: 'NOK', reversalMinor: 125000, reversedMinor: 125000, reviewMinor: 0, duplicateMinor: 0 }],
      reconciles: true,
    });
    const [reversal] = await transactions(json(second).id);
    expect(reversal).toMatchObject({ kind: 'reversal', status: 'booked', amountMinor: -125000, matchReason: 'kid', paymentId: paid!.paymentId });

    const payment = json(await call('GET', `/api/v1/payments/${paid!.paymentId}`));
    expect(payment).toMatchObject({ status: 'reversed', reversalReason: `Tilbakeført av banken (${reversal!.bankReference})` });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'issued', openMinor: 125000 });
    // The mirror entry: the bank account and the receivable are back where they were.
    const original = await journalOf(payment.journalEntryId);
    const mirror = await journalOf(payment.reversalJournalEntryId);
    expect(mirror.map((line) => [line.account, line.debitMinor, line.creditMinor])).toEqual(original.map((line) => [line.account, line.creditMinor, line.debitMinor]));
    expect(mirror).toEqual([expect.objectContaining({ account: '1920', debitMinor: 0, creditMinor: 125000 }), expect.objectContaining({ account: '1500', debitMinor: 125000, creditMinor: 0 })]);
    expect(await balance('1920')).toBe(0);
    expect(await balance('1500')).toBe(125000);

    // The same file again: a duplicate file. The same reversal in another file: a duplicate transaction.
    const entries = await journalCount();
    const again = await upload(reversalFile, 'ocr-reversal.txt');
    expect(json(again)).toMatchObject({ status: 'duplicate_file', summary: { reversedCount: 0 } });
    const overlapping = await upload(ocrGiroFile([{ type: '18', amount: 125000, kid: invoice.kid, netsDate: '251126' }], { transmissionNumber: '0170099' }), 'ocr-reversal-again.txt');
    expect(overlapping.statusCode, overlapping.body).toBe(201);
    expect(json(overlapping).summary).toMatchObject({ reversalCount: 1, reversedCount: 0, reversalDuplicateCount: 1, reversalReviewCount: 0, reversalSums: [{ currency: 'NOK', reversalMinor: 125000, reversedMinor: 0, reviewMinor: 0, duplicateMinor: 125000 }] });
    expect((await transactions(json(overlapping).id)).map((row) => [row.kind, row.status])).toEqual([['reversal', 'duplicate']]);
    expect(await journalCount()).toBe(entries);
    expect(await balance('1920')).toBe(0);
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).openMinor).toBe(125000);
  });

  it('reverses from a camt.054 DBIT entry with RvslInd, also a payment of the same file; a reversed debit stays ignored', async () => {
    const { call, upload, issued, transactions, balance } = await company();
    const a = await issued('1000.00'); // 1 250,00
    const b = await issued('400.00'); // 500,00
    const first = json(await upload(camt054File('MSG-R1', [{ amount: '1250.00', ref: 'CR-A', kid: a.kid }]), 'camt-1.xml'));
    expect(first.summary).toMatchObject({ bookedCount: 1 });
    const paymentA = (await transactions(first.id))[0]!.paymentId!;

    const file = camt054File('MSG-R2', [
      { amount: '1250.00', ref: 'RV-A', kid: a.kid, direction: 'DBIT', reversal: true, date: '2026-11-26' },
      { amount: '500.00', ref: 'CR-B', kid: b.kid },
      // The bank's reversal of a payment of this file, under the payment's own reference.
      { amount: '500.00', ref: 'CR-B', kid: b.kid, direction: 'DBIT', reversal: true },
      // RvslInd on a credit: a reversed debit (outgoing money), nothing to do with receivables.
      { amount: '99.00', ref: 'RV-DEBIT', direction: 'CRDT', reversal: true },
    ]);
    const response = await upload(file, 'camt-2.xml');
    expect(response.statusCode, response.body).toBe(201);
    const second = json(response);
    expect(second.summary).toMatchObject({
      transactionCount: 4,
      paymentCount: 1,
      bookedCount: 1,
      ignoredCount: 1,
      reversalCount: 2,
      reversedCount: 2,
      reversalSums: [{ currency: 'NOK', reversalMinor: 175000, reversedMinor: 175000, reviewMinor: 0, duplicateMinor: 0 }],
      reconciles: true,
    });
    const rows = await transactions(second.id);
    expect(rows.map((row) => [row.bankReference, row.kind, row.status, row.amountMinor])).toEqual([
      ['CR-B', 'payment', 'booked', 50000],
      ['RV-A', 'reversal', 'booked', -125000],
      ['CR-B', 'reversal', 'booked', -50000],
    ]);
    expect(rows.map((row) => row.matchReason)).toEqual(['kid', 'kid', 'bank_reference']);
    expect(rows[1]!.paymentId).toBe(paymentA);
    expect(rows[2]!.paymentId).toBe(rows[0]!.paymentId);
    for (const invoice of [a, b]) expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('issued');
    expect(json(await call('GET', `/api/v1/payments/${paymentA}`)).status).toBe('reversed');
    expect(await balance('1920')).toBe(0);
    expect(await balance('1500')).toBe(175000);

    // The same entries in another file: every one a duplicate of its own kind; nothing booked or reversed again.
    const again = json(await upload(camt054File('MSG-R3', [
      { amount: '500.00', ref: 'CR-B', kid: b.kid },
      { amount: '500.00', ref: 'CR-B', kid: b.kid, direction: 'DBIT', reversal: true },
    ]), 'camt-3.xml'));
    expect(again.summary).toMatchObject({ paymentCount: 1, bookedCount: 0, duplicateCount: 1, reversalCount: 1, reversedCount: 0, reversalDuplicateCount: 1 });
    expect(await balance('1920')).toBe(0);
    expect(json(await call('GET', `/api/v1/invoices/${b.id}`)).status).toBe('issued');
  });

  it('keeps duplicate detection per kind: the bank reference of a reversal does not make a later payment a duplicate', async () => {
    const { upload, issued, transactions } = await company();
    const d = await issued('800.00'); // 1 000,00
    const first = json(await upload(camt054File('MSG-K1', [{ amount: '1000.00', ref: 'SHARED-1', kid: d.kid, direction: 'DBIT', reversal: true }]), 'camt-k1.xml'));
    expect(first.summary).toMatchObject({ reversalCount: 1, reversalReviewCount: 1 });
    const second = json(await upload(camt054File('MSG-K2', [{ amount: '1000.00', ref: 'SHARED-1', kid: d.kid }]), 'camt-k2.xml'));
    expect(second.summary).toMatchObject({ paymentCount: 1, bookedCount: 1, duplicateCount: 0 });
    expect((await transactions(second.id)).map((row) => [row.kind, row.status])).toEqual([['payment', 'booked']]);
  });

  it('leaves a reversal of a payment with refunds for review', async () => {
    const { call, upload, issued, transactions } = await company();
    const c = await issued('400.00'); // 500,00
    const first = json(await upload(camt054File('MSG-F1', [{ amount: '600.00', ref: 'CR-C', kid: c.kid }]), 'camt-f1.xml'));
    const paymentId = (await transactions(first.id))[0]!.paymentId!;
    const refund = await call('POST', `/api/v1/payments/${paymentId}/refunds`, { refundDate: '2026-11-26', amount: '100.00' });
    expect(refund.statusCode, refund.body).toBe(200);
    const second = json(await upload(camt054File('MSG-F2', [{ amount: '600.00', ref: 'RV-C', kid: c.kid, direction: 'DBIT', reversal: true }]), 'camt-f2.xml'));
    expect(second.summary).toMatchObject({ reversalCount: 1, reversedCount: 0, reversalReviewCount: 1 });
    const [row] = await transactions(second.id);
    expect(row).toMatchObject({ kind: 'reversal', status: 'review', suggestions: [paymentId], paymentId: null });
    expect(row!.explanation).toMatch(/paid back/);
    expect(json(await call('GET', `/api/v1/payments/${paymentId}`)).status).toBe('booked');
  });

  it('a reversal without a confident match waits; it is reversed by hand with a payment of the same amount, or dismissed', async () => {
    const { call, customerId, upload, issued, transactions } = await company();
    const invoice = await issued('400.00'); // 500,00
    const pay = async (body: object) => {
      const response = await call('POST', '/api/v1/payments', { paymentDate: '2026-11-20', customerId, ...body });
      expect(response.statusCode, response.body).toBe(201);
      return json(response) as { id: string };
    };
    const p500 = await pay({ amount: '500.00', allocations: [{ invoiceId: invoice.id, amount: '500.00' }] });
    const p300 = await pay({ amount: '300.00' });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('paid');

    // Type 20: reversal with free text, no KID. Nothing identifies the payment: review.
    const response = await upload(
      ocrGiroFile([
        { type: '20', amount: 50000, text: 'Tilbakeført betaling', netsDate: '251126' },
        { type: '20', amount: 77700, text: 'Ukjent retur', netsDate: '251126' },
      ]),
      'ocr-free-text-reversals.txt',
    );
    expect(response.statusCode, response.body).toBe(201);
    expect(json(response).summary).toMatchObject({
      reversalCount: 2,
      reversedCount: 0,
      reversalReviewCount: 2,
      ignoredCount: 0,
      reversalSums: [{ currency: 'NOK', reversalMinor: 127700, reversedMinor: 0, reviewMinor: 127700, duplicateMinor: 0 }],
    });
    const [first, second] = await transactions(json(response).id);
    expect(first).toMatchObject({ kind: 'reversal', status: 'review', matchReason: 'no_match', suggestions: [p500.id] });
    expect(second).toMatchObject({ kind: 'reversal', status: 'review', suggestions: [] });
    const queue = json(await call('GET', '/api/v1/bank-transactions?status=review')).items as Transaction[];
    expect(queue.map((row) => row.id)).toEqual(expect.arrayContaining([first!.id, second!.id]));

    // A reversal row is not booked as a payment.
    const match = await call('POST', `/api/v1/bank-transactions/${first!.id}/match`, { allocations: [] });
    expect(match.statusCode).toBe(409);
    expect(json(match).code).toBe('bank_transaction.is_reversal');
    // The amount must be the payment's.
    const wrong = await call('POST', `/api/v1/bank-transactions/${first!.id}/reverse`, { paymentId: p300.id });
    expect(wrong.statusCode).toBe(422);
    expect(json(wrong)).toMatchObject({ code: 'bank_transaction.amount_mismatch', transactionAmountMinor: 50000, paymentAmountMinor: 30000 });
    expect(json(await call('GET', `/api/v1/payments/${p300.id}`)).status).toBe('booked');
    const missing = await call('POST', `/api/v1/bank-transactions/${first!.id}/reverse`, { paymentId: 'no-such-payment' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('payment.not_found');

    const reversed = await call('POST', `/api/v1/bank-transactions/${first!.id}/reverse`, { paymentId: p500.id });
    expect(reversed.statusCode, reversed.body).toBe(200);
    expect(json(reversed)).toMatchObject({ kind: 'reversal', status: 'booked', paymentId: p500.id, matchReason: 'manual' });
    expect(json(await call('GET', `/api/v1/payments/${p500.id}`))).toMatchObject({ status: 'reversed', reversalReason: expect.stringContaining('Tilbakeført av banken') });
    expect(json(await call('GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'issued', openMinor: 50000 });
    const twice = await call('POST', `/api/v1/bank-transactions/${first!.id}/reverse`, { paymentId: p500.id });
    expect(twice.statusCode).toBe(409);
    expect(json(twice).code).toBe('bank_transaction.not_waiting');

    // Dismissed with a reason; once.
    expect((await call('POST', `/api/v1/bank-transactions/${second!.id}/dismiss`, { reason: ' ' })).statusCode).toBe(400);
    const dismissed = await call('POST', `/api/v1/bank-transactions/${second!.id}/dismiss`, { reason: 'Gjelder ikke oss' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(json(dismissed)).toMatchObject({ status: 'dismissed', resolutionNote: 'Gjelder ikke oss', paymentId: null });
    expect((await call('POST', `/api/v1/bank-transactions/${second!.id}/dismiss`, { reason: 'Igjen' })).statusCode).toBe(409);
    expect(json(await call('GET', `/api/v1/payments/${p300.id}`)).status).toBe('booked');

    // A waiting payment row can be dismissed too, but not reversed with.
    const camt = json(await upload(camt054File('MSG-U1', [{ amount: '12.34', ref: 'CR-UNKNOWN', text: 'Ukjent' }]), 'camt-unknown.xml'));
    const [waiting] = await transactions(camt.id);
    expect(waiting).toMatchObject({ kind: 'payment', status: 'review' });
    const notReversal = await call('POST', `/api/v1/bank-transactions/${waiting!.id}/reverse`, { paymentId: p300.id });
    expect(notReversal.statusCode).toBe(409);
    expect(json(notReversal).code).toBe('bank_transaction.not_reversal');
    const dismissPayment = await call('POST', `/api/v1/bank-transactions/${waiting!.id}/dismiss`, { reason: 'Feilført av banken' });
    expect(json(dismissPayment)).toMatchObject({ kind: 'payment', status: 'dismissed', resolutionNote: 'Feilført av banken' });
  });

  it('lets only payments.write reverse or dismiss', async () => {
    const { owner, upload, transactions } = await company();
    const imported = json(await upload(ocrGiroFile([{ type: '20', amount: 1000, text: 'Retur', netsDate: '251126' }]), 'ocr-role.txt'));
    const [row] = await transactions(imported.id);
    const reader = await apiKeyHeaders(harness, owner, 'read_only');
    for (const [path, payload] of [['reverse', { paymentId: 'x' }], ['dismiss', { reason: 'Nei' }]] as const) {
      const response = await harness.app.inject({ method: 'POST', url: `/api/v1/bank-transactions/${row!.id}/${path}`, headers: reader, payload });
      expect(response.statusCode, `${path}: ${response.body}`).toBe(403);
    }
  });
});
