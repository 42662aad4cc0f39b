import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Numbering (bff § 5-1-3; shared/docs/norway-invoicing-rules.md §1.2): one
 * gap-free series per kind, numbers assigned only when the document is final,
 * a failed issue consumes none; credit notes in the invoice series or their own.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('invoice numbering over HTTP (%s)', (dialect) => {
  let harness: Harness;
  const clock = fixedClock('2026-11-26T10:00:00Z');

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock });
  });
  afterAll(async () => harness?.close());

  /** A new company with an owner session and one customer. */
  async function tenant(customer: Record<string, unknown> = {}) {
    const owner = await createTenant(harness);
    const call = (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
      harness.app.inject({ method, url, headers: { ...owner.headers, ...headers }, ...(payload ? { payload } : {}) });
    const created = await call('POST', '/api/v1/customers', customerBody(customer));
    expect(created.statusCode, created.body).toBe(201);
    const customerId = json(created).id as string;
    const draft = async (extra: object = {}) => {
      const response = await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        lines: [
          { description: 'Konsulenttime', quantity: '3', unitPrice: '1000.00', vatCode: '3' },
          { description: 'Kaffe', quantity: '2', unitPrice: '99.90', vatCode: '31' },
        ],
        ...extra,
      });
      expect(response.statusCode, response.body).toBe(201);
      return json<Doc>(response);
    };
    const issue = async (id: string) => {
      const response = await call('POST', `/api/v1/invoices/${id}/issue`);
      expect(response.statusCode, response.body).toBe(200);
      return json<Doc>(response);
    };
    const issueNew = async (extra: object = {}) => issue((await draft(extra)).id);
    const credit = async (invoice: Doc, body: object = {}) => {
      const response = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, body);
      expect(response.statusCode, response.body).toBe(201);
      return json<Doc>(response);
    };
    const all = async (path: '/api/v1/invoices' | '/api/v1/credit-notes') => {
      const items: Doc[] = [];
      let cursor: string | null = null;
      do {
        const page: Doc = json(await call('GET', `${path}?limit=200${cursor ? `&cursor=${cursor}` : ''}`));
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    };
    return { owner, call, customerId, draft, issue, issueNew, credit, all };
  }

  const oneToN = (n: number) => Array.from({ length: n }, (_, index) => index + 1);
  const sorted = (numbers: number[]) => [...numbers].sort((a, b) => a - b);

  it('puts credit notes in the invoice series by default: numbers interleave, gap-free, and refer to the invoice', async () => {
    const t = await tenant();
    const first = await t.issueNew();
    const second = await t.issueNew();
    expect([first.number, first.documentNumber, second.number, second.documentNumber]).toEqual([1, '1', 2, '2']);

    const note = await t.credit(first, { reason: 'Feil pris' });
    expect(note).toMatchObject({ kind: 'credit_note', number: 3, documentNumber: '3', issueDate: '2026-11-26', creditReason: 'Feil pris' });
    expect(note.creditedInvoice).toEqual({ id: first.id, documentNumber: '1', issueDate: first.issueDate });
    expect(note.documentNumber).not.toBe(`KN-${first.number}`);

    const third = await t.issueNew();
    expect(third.documentNumber).toBe('4');
    const partial = await t.credit(second, { lines: [{ invoiceLineId: second.lines[0].id, quantity: '1' }] });
    expect(partial.documentNumber).toBe('5');
    expect(partial.creditedInvoice).toEqual({ id: second.id, documentNumber: '2', issueDate: '2026-11-26' });
    expect((await t.issueNew()).documentNumber).toBe('6');

    // The invoice lists its credit notes by number and date.
    const reread = json(await t.call('GET', `/api/v1/invoices/${second.id}`));
    expect(reread.creditNotes).toEqual([{ id: partial.id, documentNumber: '5', issueDate: '2026-11-26', grossMinor: partial.totals.grossMinor }]);

    const invoices = (await t.all('/api/v1/invoices')).filter((item) => item.number !== null);
    const notes = await t.all('/api/v1/credit-notes');
    expect(sorted([...invoices, ...notes].map((item) => item.number))).toEqual(oneToN(6));
    expect(sorted(notes.map((item) => item.number))).toEqual([3, 5]);
    // The journal voucher is the document number.
    const journal = json(await t.call('GET', '/api/v1/journal-entries?limit=200'));
    expect(journal.items.map((entry: Doc) => entry.voucher).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('puts credit notes in their own KN- series with creditNoteSeries "separate"', async () => {
    const t = await tenant();
    const settings = await t.call('PATCH', '/api/v1/company/invoice-settings', { creditNoteSeries: 'separate' });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(json(settings).creditNoteSeries).toBe('separate');

    const a = await t.issueNew();
    const b = await t.issueNew();
    const noteA = await t.credit(a);
    const c = await t.issueNew();
    const noteB = await t.credit(b, { lines: [{ invoiceLineId: b.lines[1].id, amount: '50.00' }] });
    const noteB2 = await t.credit(b);
    const d = await t.issueNew();
    expect([a, b, c, d].map((doc) => doc.documentNumber)).toEqual(['1', '2', '3', '4']);
    expect([noteA, noteB, noteB2].map((doc) => [doc.number, doc.documentNumber])).toEqual([
      [1, 'KN-1'],
      [2, 'KN-2'],
      [3, 'KN-3'],
    ]);
    expect(noteA.creditedInvoice).toEqual({ id: a.id, documentNumber: '1', issueDate: a.issueDate });
    expect(noteB2.creditedInvoice).toEqual({ id: b.id, documentNumber: '2', issueDate: b.issueDate });

    const invoices = (await t.all('/api/v1/invoices')).filter((item) => item.number !== null);
    const notes = await t.all('/api/v1/credit-notes');
    expect(sorted(invoices.map((item) => item.number))).toEqual(oneToN(4));
    expect(sorted(notes.map((item) => item.number))).toEqual(oneToN(3));

    // Once live documents exist, the choice of series is fixed.
    const back = await t.call('PATCH', '/api/v1/company/invoice-settings', { creditNoteSeries: 'invoice' });
    expect(back.statusCode).toBe(409);
    expect(json(back).code).toBe('company.live_series_started');
    expect((await t.credit(c)).documentNumber).toBe('KN-4');
  });

  it('consumes no number when an issue fails as incomplete (422)', async () => {
    const t = await tenant();
    expect((await t.issueNew()).number).toBe(1);
    const bare = await t.draft({ deliveryDate: null, lines: [{ quantity: '1' }] });
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await t.call('POST', `/api/v1/invoices/${bare.id}/issue`);
      expect(refused.statusCode).toBe(422);
      expect(json(refused).code).toBe('invoice.incomplete');
    }
    const stillDraft = json(await t.call('GET', `/api/v1/invoices/${bare.id}`));
    expect(stillDraft).toMatchObject({ status: 'draft', number: null, documentNumber: null, kid: null, journalEntryId: null });
    expect((await t.issueNew()).number).toBe(2);
    const fixed = await t.call('PATCH', `/api/v1/invoices/${bare.id}`, {
      deliveryDate: '2026-11-25',
      lines: [{ description: 'Arbeid', quantity: '1', unitPrice: '500' }],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await t.issue(bare.id)).number).toBe(3);
    expect(json(await t.call('GET', `/api/v1/journal-entries?sourceId=${bare.id}`)).items).toHaveLength(1);
  });

  it('consumes no number when the KID would be too long, and continues once the KID is widened', async () => {
    const t = await tenant();
    const narrow = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidComposition: 'invoice_number', kidInvoiceDigits: 3 });
    expect(narrow.statusCode, narrow.body).toBe(200);
    const live = await t.call('POST', '/api/v1/company/go-live', { startNumber: 998 });
    expect(live.statusCode, live.body).toBe(200);
    expect(json(live).nextLiveInvoiceNumber).toBe(998);

    const n998 = await t.issueNew();
    const n999 = await t.issueNew();
    expect([n998.number, n999.number]).toEqual([998, 999]);
    expect(n999.kid).toMatch(/^999\d$/);

    const blocked = await t.draft();
    const refused = await t.call('POST', `/api/v1/invoices/${blocked.id}/issue`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('invoice.kid_too_long');
    expect(json(await t.call('GET', `/api/v1/invoices/${blocked.id}`))).toMatchObject({ status: 'draft', number: null });
    expect(json(await t.call('GET', '/api/v1/company/invoice-settings')).nextLiveInvoiceNumber).toBe(1000);
    expect(json(await t.call('GET', `/api/v1/journal-entries?sourceId=${blocked.id}`)).items).toHaveLength(0);

    // A credit note in the same series does not need a KID: it takes 1000.
    const note = await t.credit(n998);
    expect([note.documentNumber, note.kid]).toEqual(['1000', null]);

    const wide = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidInvoiceDigits: 6 });
    expect(wide.statusCode, wide.body).toBe(200);
    const issued = await t.issue(blocked.id);
    expect(issued.number).toBe(1001);
    expect(issued.kid).toMatch(/^001001\d$/);
  });

  it('refuses a KID whose customer part does not fit, without using a number', async () => {
    const t = await tenant({ customerNumber: 1234567 });
    const settings = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidComposition: 'customer_and_invoice', kidCustomerDigits: 6 });
    expect(settings.statusCode, settings.body).toBe(200);
    const draft = await t.draft();
    const refused = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('invoice.kid_too_long');
    await t.call('PATCH', '/api/v1/company/invoice-settings', { kidCustomerDigits: 7 });
    const issued = await t.issue(draft.id);
    expect(issued.number).toBe(1);
    expect(issued.kid).toMatch(/^123456700000001\d$/);
  });

  it('never lets the number be chosen: number fields are unknown on create and edit', async () => {
    const t = await tenant();
    const create = await t.call('POST', '/api/v1/invoices', { customerId: t.customerId, number: 77, lines: [] });
    expect(create.statusCode).toBe(400);
    expect(json(create).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'number', code: 'unrecognized_key' })]));
    const draft = await t.draft();
    const edit = await t.call('PATCH', `/api/v1/invoices/${draft.id}`, { documentNumber: '77' });
    expect(edit.statusCode).toBe(400);
    expect(json(edit).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'documentNumber', code: 'unrecognized_key' })]));
    expect((await t.issue(draft.id)).number).toBe(1);
  });

  it('stays gap-free when invoices are issued and credited in parallel', async () => {
    const t = await tenant();
    const drafts = await Promise.all(Array.from({ length: 12 }, () => t.draft()));
    const issued = await Promise.all(
      drafts.map(async (draft) => {
        const response = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
        expect(response.statusCode, response.body).toBe(200);
        return json<Doc>(response);
      }),
    );
    const moreDrafts = await Promise.all(Array.from({ length: 6 }, () => t.draft()));
    const mixed = await Promise.all([
      ...issued.slice(0, 6).map(async (invoice) => {
        const response = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {});
        expect(response.statusCode, response.body).toBe(201);
        return json<Doc>(response);
      }),
      ...moreDrafts.map(async (draft) => {
        const response = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
        expect(response.statusCode, response.body).toBe(200);
        return json<Doc>(response);
      }),
    ]);
    const numbers = [...issued, ...mixed].map((doc) => doc.number as number);
    expect(sorted(numbers)).toEqual(oneToN(24));
    const stored = [...(await t.all('/api/v1/invoices')), ...(await t.all('/api/v1/credit-notes'))];
    expect(sorted(stored.map((doc) => doc.number))).toEqual(oneToN(24));
    const journal = json(await t.call('GET', '/api/v1/journal-entries?limit=200'));
    expect(journal.items.map((entry: Doc) => Number(entry.voucher)).sort((a: number, b: number) => a - b)).toEqual(oneToN(24));
  });
});
