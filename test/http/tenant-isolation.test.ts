import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

describe.each(DIALECTS)('tenant isolation (%s)', (dialect) => {
  let harness: Harness;
  let first: Caller & { userId: string; email: string };
  let second: Caller;
  const secrets: string[] = [];
  const firstIds: Record<string, string> = {};

  beforeAll(async () => {
    harness = await createHarness(dialect);
    first = await createTenant(harness);
    second = await createTenant(harness);
    const post = async (url: string, payload: object) => {
      const response = await harness.app.inject({ method: 'POST', url, headers: first.headers, payload });
      expect(response.statusCode, response.body).toBe(201);
      return json(response);
    };
    const customer = await post('/api/v1/customers', customerBody({ name: 'Hemmelig Kunde AS', notes: 'secret-note-A' }));
    const product = await post('/api/v1/products', productBody({ name: 'Hemmelig Produkt', productNumber: 'SECRET-A' }));
    const key = await post('/api/v1/api-keys', { name: 'secret-key-A', role: 'biller' });
    const member = await post('/api/v1/users', {
      email: 'secret-member-a@example.no',
      name: 'Secret Member A',
      password: 'long enough password',
      role: 'biller',
    });
    const draft = await post('/api/v1/invoices', {
      customerId: customer.id,
      deliveryDate: '2026-11-20',
      freeText: 'secret-invoice-text-A',
      lines: [{ description: 'Hemmelig arbeid', quantity: '1', unitPrice: '100' }],
    });
    const issued = await harness.app.inject({ method: 'POST', url: `/api/v1/invoices/${draft.id}/issue`, headers: first.headers });
    expect(issued.statusCode, issued.body).toBe(200);
    const creditNote = await post(`/api/v1/invoices/${draft.id}/credit-note`, { reason: 'secret-credit-reason-A' });
    const secondDraft = await post('/api/v1/invoices', { customerId: customer.id, lines: [] });
    firstIds.invoice = secondDraft.id;
    firstIds.issuedInvoice = draft.id;
    firstIds.creditNote = creditNote.id;
    const bulk = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/bulk/pdf-zip',
      headers: first.headers,
      payload: { invoiceIds: [draft.id, creditNote.id] },
    });
    expect(bulk.statusCode, bulk.body).toBe(202);
    firstIds.bulk = json(bulk).id;
    await harness.runtime.jobs.runUntilIdle();
    secrets.push(firstIds.bulk!);
    secrets.push(draft.id, secondDraft.id, creditNote.id, 'secret-invoice-text-A', 'secret-credit-reason-A', 'Hemmelig arbeid');
    const payment = await post('/api/v1/payments', { paymentDate: '2026-11-20', amount: '100.00', customerId: customer.id, note: 'secret-payment-note-A' });
    firstIds.payment = payment.id;
    // A bank file whose one payment waits for review (nothing matches it).
    const camt = `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>SECRET-MSG</MsgId><CreDtTm>2026-11-20T10:00:00</CreDtTm></GrpHdr><Ntfctn><Id>N1</Id><CreDtTm>2026-11-20T10:00:00</CreDtTm><Acct><Id><Othr><Id>86011117947</Id></Othr></Id><Ccy>NOK</Ccy></Acct><Ntry><Amt Ccy="NOK">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>SECRET-BANKREF</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>SECRET-BANKREF</AcctSvcrRef></Refs><RmtInf><Ustrd>secret-payment-text-A</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const imported = await harness.app.inject({ method: 'POST', url: '/api/v1/bank-imports?fileName=secret-file-A.xml', headers: { ...first.headers, 'content-type': 'application/octet-stream' }, payload: Buffer.from(camt) });
    expect(imported.statusCode, imported.body).toBe(201);
    firstIds.bankImport = json(imported).id;
    const waiting = json(await harness.app.inject({ method: 'GET', url: '/api/v1/bank-transactions?status=review', headers: first.headers })).items;
    firstIds.bankTransaction = waiting[0].id;
    secrets.push(firstIds.bankImport!, firstIds.bankTransaction!, 'SECRET-BANKREF', 'secret-payment-text-A', 'secret-file-A.xml');
    secrets.push(payment.id, 'secret-payment-note-A');
    firstIds.customer = customer.id;
    firstIds.product = product.id;
    firstIds.apiKey = key.apiKey.id;
    firstIds.user = member.userId;
    secrets.push(customer.id, product.id, key.apiKey.id, member.userId, first.companyId);
    secrets.push('Hemmelig Kunde AS', 'secret-note-A', 'Hemmelig Produkt', 'SECRET-A', 'secret-key-A');
    secrets.push('secret-member-a@example.no', first.email);
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** Which of the first company's ids to put into each path parameter. */
  function fillPath(path: string): string {
    return path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === 'userId') return firstIds.user!;
      if (name === 'id') {
        // PDFs: an issued document, so the archived-file path is walked too.
        if (path === '/api/v1/invoices/{id}/pdf') return firstIds.issuedInvoice!;
        if (path === '/api/v1/invoices/{id}/archive-pdf' || path === '/api/v1/invoices/{id}/ehf') return firstIds.issuedInvoice!;
        if (path.startsWith('/api/v1/customers')) return firstIds.customer!;
        if (path.startsWith('/api/v1/products')) return firstIds.product!;
        if (path.startsWith('/api/v1/api-keys')) return firstIds.apiKey!;
        if (path.startsWith('/api/v1/invoices')) return firstIds.invoice!;
        if (path.startsWith('/api/v1/credit-notes')) return firstIds.creditNote!;
        if (path.startsWith('/api/v1/bulk')) return firstIds.bulk!;
        if (path.startsWith('/api/v1/payments')) return firstIds.payment!;
        if (path.startsWith('/api/v1/bank-imports')) return firstIds.bankImport!;
        if (path.startsWith('/api/v1/bank-transactions')) return firstIds.bankTransaction!;
      }
      throw new Error(`tenant-isolation test does not know how to fill {${name}} in ${path}; extend fillPath`);
    });
  }

  /** A body that passes validation for each write, so the request reaches the tenant check. */
  function bodyFor(method: string, path: string): object | undefined {
    if (method === 'get' || method === 'delete') return undefined;
    if (path === '/api/v1/customers/{id}') return { name: 'Overwritten' };
    if (path === '/api/v1/products/{id}') return { name: 'Overwritten' };
    if (path === '/api/v1/users/{userId}') return { role: 'read_only' };
    if (path === '/api/v1/auth/session') return { companyId: first.companyId };
    if (path === '/api/v1/company') return { legalName: 'Hijacked AS' };
    if (path === '/api/v1/invoices/{id}') return { freeText: 'Hijacked' };
    if (path === '/api/v1/invoices/{id}/credit-note') return {};
    if (path === '/api/v1/payments/{id}/reverse') return { reason: 'Hijacked' };
    if (path === '/api/v1/payments/{id}/allocations') return { invoiceId: firstIds.issuedInvoice, amount: '1.00' };
    if (path === '/api/v1/payments/{id}/refunds') return { refundDate: '2026-11-20', amount: '1.00' };
    if (path === '/api/v1/bank-transactions/{id}/match') return { allocations: [] };
    if (path === '/api/v1/bank-transactions/{id}/reverse') return { paymentId: firstIds.payment };
    if (path === '/api/v1/bank-transactions/{id}/dismiss') return { reason: 'Hijacked' };
    // Bulk requests name the first company's documents: refused as not found, without echoing them.
    if (path === '/api/v1/bulk/issue-and-send') return { invoiceIds: [firstIds.invoice] };
    if (path === '/api/v1/bulk/pdf-zip') return { invoiceIds: [firstIds.issuedInvoice] };
    return {};
  }

  it.each(['owner session', 'owner API key'])('walks every route as the second company (%s)', async (how) => {
    const headers = how === 'owner session' ? second.headers : await apiKeyHeaders(harness, second, 'owner');
    const document = json<OpenApiDocument>(await harness.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ path, method })),
    );
    expect(operations.length).toBeGreaterThan(20);
    let withIds = 0;
    for (const { path, method } of operations) {
      if (['/api/v1/onboarding', '/api/v1/auth/login', '/api/v1/auth/logout'].includes(path)) continue;
      const url = fillPath(path);
      const payload = bodyFor(method, path);
      const response = await harness.app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers,
        ...(payload ? { payload } : {}),
      });
      const label = `${method.toUpperCase()} ${url} → ${response.statusCode}`;
      // The caller's own URL may be echoed back (problem `instance`); nothing else of the first company may.
      for (const secret of secrets.filter((value) => !url.includes(value))) {
        expect(response.body, label).not.toContain(secret);
      }
      if (url !== path) {
        withIds += 1;
        expect(response.statusCode, label).toBe(404);
      } else if (path === '/api/v1/auth/session' && method === 'put') {
        expect([403, 404], label).toContain(response.statusCode);
      } else {
        expect(response.statusCode, label).toBeLessThan(500);
      }
    }
    expect(withIds).toBeGreaterThanOrEqual(9);
    for (const path of ['/api/v1/bulk/issue-and-send', '/api/v1/bulk/pdf-zip']) {
      const response = await harness.app.inject({ method: 'POST', url: path, headers, payload: bodyFor('post', path)! });
      expect(response.statusCode, path).toBe(404);
    }

    // Nothing of the first company changed.
    const check = async (url: string) =>
      json(await harness.app.inject({ method: 'GET', url, headers: first.headers }));
    expect((await check(`/api/v1/customers/${firstIds.customer}`)).name).toBe('Hemmelig Kunde AS');
    expect((await check(`/api/v1/customers/${firstIds.customer}`)).archivedAt).toBeNull();
    expect((await check(`/api/v1/products/${firstIds.product}`)).name).toBe('Hemmelig Produkt');
    expect((await check('/api/v1/company')).legalName).not.toBe('Hijacked AS');
    const keys = (await check('/api/v1/api-keys')).items as Array<{ id: string; revokedAt: string | null }>;
    expect(keys.find((key) => key.id === firstIds.apiKey)?.revokedAt).toBeNull();
    const invoice = await check(`/api/v1/invoices/${firstIds.invoice}`);
    expect(invoice.status).toBe('draft');
    expect(invoice.freeText).toBeNull();
    expect((await check(`/api/v1/payments/${firstIds.payment}`))).toMatchObject({ status: 'booked', unallocatedMinor: 10000, refunds: [] });
    const stillWaiting = (await check('/api/v1/bank-transactions?status=review')).items as Array<{ id: string }>;
    expect(stillWaiting.map((transaction) => transaction.id)).toContain(firstIds.bankTransaction);
    const users = (await check('/api/v1/users')).items as Array<{ userId: string; role: string }>;
    expect(users.find((user) => user.userId === firstIds.user)?.role).toBe('biller');
  });

  it('lists only the caller company in list endpoints', async () => {
    for (const url of [
      '/api/v1/customers', '/api/v1/products', '/api/v1/api-keys', '/api/v1/users', '/api/v1/audit-events',
      '/api/v1/invoices', '/api/v1/credit-notes', '/api/v1/journal-entries', '/api/v1/trial-balance',
      '/api/v1/journal-entries/export.csv', '/api/v1/bulk',
    ]) {
      const response = await harness.app.inject({ method: 'GET', url, headers: second.headers });
      expect(response.statusCode, url).toBe(200);
      for (const secret of secrets) expect(response.body, url).not.toContain(secret);
    }
  });
});
