import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Test mode: its own series (TEST-1, TEST-2 …), isTest on every document, kept
 * out of the books unless asked for; go-live starts the live series at 1 or at a
 * chosen number, and both switches close once the first live document exists.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('test mode and go-live over HTTP (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
  });
  afterAll(async () => harness?.close());

  async function tenant() {
    const owner = await createTenant(harness);
    const call = (method: Method, url: string, payload?: object) =>
      harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    const customerId = json((await call('POST', '/api/v1/customers', customerBody()))).id as string;
    const draft = async () => {
      const response = await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Abonnement', quantity: '1', unitPrice: '800.00', vatCode: '3' }],
      });
      expect(response.statusCode, response.body).toBe(201);
      return json<Doc>(response);
    };
    const issue = async (id: string) => {
      const response = await call('POST', `/api/v1/invoices/${id}/issue`);
      expect(response.statusCode, response.body).toBe(200);
      return json<Doc>(response);
    };
    const issueNew = async () => issue((await draft()).id);
    return { call, customerId, draft, issue, issueNew };
  }

  it('numbers test documents TEST-n, keeps them out of the books by default, then starts live at 1001', async () => {
    const t = await tenant();
    const on = await t.call('POST', '/api/v1/company/test-mode', {});
    expect(on.statusCode, on.body).toBe(200);
    expect(json(on)).toMatchObject({ isTestMode: true, hasLiveDocuments: false });

    const test1 = await t.issueNew();
    const test2 = await t.issueNew();
    expect([test1, test2].map((doc) => [doc.number, doc.documentNumber, doc.isTest])).toEqual([
      [1, 'TEST-1', true],
      [2, 'TEST-2', true],
    ]);
    const testNote = json(await t.call('POST', `/api/v1/invoices/${test2.id}/credit-note`, {}));
    expect(testNote).toMatchObject({ documentNumber: 'TEST-3', isTest: true });

    // Excluded from the journal and trial balance unless includeTest=true.
    expect(json(await t.call('GET', '/api/v1/journal-entries')).items).toEqual([]);
    const hiddenBalance = json(await t.call('GET', '/api/v1/trial-balance'));
    expect(hiddenBalance).toMatchObject({ accounts: [], totalDebitMinor: 0, totalCreditMinor: 0 });
    const withTest = json(await t.call('GET', '/api/v1/journal-entries?includeTest=true'));
    expect(withTest.items.map((entry: Doc) => [entry.voucher, entry.isTest])).toEqual([
      ['TEST-1', true],
      ['TEST-2', true],
      ['TEST-3', true],
    ]);
    const testBalance = json(await t.call('GET', '/api/v1/trial-balance?includeTest=true'));
    expect(testBalance.totalDebitMinor).toBe(testBalance.totalCreditMinor);
    expect(testBalance.accounts.find((row: Doc) => row.account === '1500').balanceMinor).toBe(test1.totals.grossNokMinor);
    const csv = (await t.call('GET', '/api/v1/journal-entries/export.csv')).body;
    expect(csv.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    expect((await t.call('GET', '/api/v1/journal-entries/export.csv?includeTest=true')).body).toContain('TEST-1;');

    const live = await t.call('POST', '/api/v1/company/go-live', { startNumber: 1001 });
    expect(live.statusCode, live.body).toBe(200);
    expect(json(live)).toMatchObject({ isTestMode: false, hasLiveDocuments: false, nextLiveInvoiceNumber: 1001 });

    const first = await t.issueNew();
    const second = await t.issueNew();
    expect([first, second].map((doc) => [doc.number, doc.documentNumber, doc.isTest])).toEqual([
      [1001, '1001', false],
      [1002, '1002', false],
    ]);
    expect(json(await t.call('GET', '/api/v1/journal-entries')).items.map((entry: Doc) => entry.voucher)).toEqual(['1001', '1002']);
    const liveBalance = json(await t.call('GET', '/api/v1/trial-balance'));
    expect(liveBalance.accounts.find((row: Doc) => row.account === '1500').balanceMinor).toBe(first.totals.grossNokMinor * 2);

    // The live series has started: neither switch is available any more.
    for (const [path, body] of [
      ['/api/v1/company/go-live', { startNumber: 5000 }],
      ['/api/v1/company/go-live', {}],
      ['/api/v1/company/test-mode', {}],
    ] as const) {
      const refused = await t.call('POST', path, body);
      expect(refused.statusCode, path).toBe(409);
      expect(json(refused).code).toBe('company.live_series_started');
    }
    const settings = json(await t.call('GET', '/api/v1/company/invoice-settings'));
    expect(settings).toMatchObject({ isTestMode: false, hasLiveDocuments: true, nextLiveInvoiceNumber: 1003 });
    expect((await t.issueNew()).documentNumber).toBe('1003');

    // A test invoice credited after go-live stays in the test series and out of the books.
    const lateNote = json(await t.call('POST', `/api/v1/invoices/${test1.id}/credit-note`, {}));
    expect(lateNote).toMatchObject({ documentNumber: 'TEST-4', isTest: true });
    expect(json(await t.call('GET', '/api/v1/journal-entries')).items.map((entry: Doc) => entry.voucher)).toEqual(['1001', '1002', '1003']);

    // The list filter separates them.
    const testOnly = json(await t.call('GET', '/api/v1/invoices?test=true'));
    expect(testOnly.items.map((doc: Doc) => doc.documentNumber).sort()).toEqual(['TEST-1', 'TEST-2']);
    const liveOnly = json(await t.call('GET', '/api/v1/invoices?test=false'));
    expect(liveOnly.items.map((doc: Doc) => doc.documentNumber).sort()).toEqual(['1001', '1002', '1003']);
    const testNotes = json(await t.call('GET', '/api/v1/credit-notes?test=true'));
    expect(testNotes.items.map((doc: Doc) => doc.documentNumber).sort()).toEqual(['TEST-3', 'TEST-4']);
  });

  it('starts the live series at 1 when go-live has no startNumber', async () => {
    const t = await tenant();
    expect((await t.call('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    expect((await t.issueNew()).documentNumber).toBe('TEST-1');
    const live = await t.call('POST', '/api/v1/company/go-live', {});
    expect(live.statusCode, live.body).toBe(200);
    expect(json(live).nextLiveInvoiceNumber).toBe(1);
    const first = await t.issueNew();
    expect([first.number, first.documentNumber, first.isTest]).toEqual([1, '1', false]);
    expect((await t.issueNew()).documentNumber).toBe('2');
  });

  it('lets the start be changed until the first live document, and a test draft issued after go-live is live', async () => {
    const t = await tenant();
    expect((await t.call('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    const draftInTest = await t.draft();
    expect(draftInTest.isTest).toBe(true);
    expect((await t.call('POST', '/api/v1/company/go-live', { startNumber: 1001 })).statusCode).toBe(200);
    // Back to test mode and live again with another start: allowed, nothing live yet.
    expect((await t.call('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    expect((await t.issueNew()).documentNumber).toBe('TEST-1');
    const again = await t.call('POST', '/api/v1/company/go-live', { startNumber: 500 });
    expect(json(again).nextLiveInvoiceNumber).toBe(500);
    const issued = await t.issue(draftInTest.id);
    expect([issued.documentNumber, issued.isTest]).toEqual(['500', false]);
  });

  it('refuses an invalid start number', async () => {
    const t = await tenant();
    for (const startNumber of [0, -5, 1.5, '1001']) {
      const response = await t.call('POST', '/api/v1/company/go-live', { startNumber });
      expect(response.statusCode, String(startNumber)).toBe(400);
      expect(json(response).code).toBe('validation.failed');
    }
  });
});
