import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import type { Role } from '../../src/domain/roles.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json, loginHeaders } from '../helpers/harness.js';

/**
 * Roles on invoicing: biller creates, issues and credits; accountant and
 * read_only read invoices and the journal but write nothing; the CSV export is
 * for exports.run (owner, admin, accountant), not for billers or read_only.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('roles on invoices and the journal (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  const as: Partial<Record<Role | 'billerSession', Record<string, string>>> = {};
  let customerId: string;
  let issued: Doc;
  let draft: Doc;

  const call = (headers: Record<string, string>, method: Method, url: string, payload?: object) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const invoiceBody = () => ({
    customerId,
    deliveryDate: '2026-11-20',
    lines: [{ description: 'Service', quantity: '2', unitPrice: '500.00', vatCode: '3' }],
  });

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
    owner = await createTenant(harness);
    for (const role of ['owner', 'admin', 'biller', 'accountant', 'read_only'] as const) {
      as[role] = await apiKeyHeaders(harness, owner, role);
    }
    // A biller who logs in (session + CSRF), not only a biller API key.
    const email = `biller-${Math.random().toString(36).slice(2, 8)}@example.no`;
    await harness.runtime.services.members.addMember(
      { companyId: owner.companyId, role: 'owner', actor: { type: 'cli', id: null, label: 'test' }, ipAddress: null },
      { email, name: 'Biller', password: 'biller password 1', role: 'biller', language: 'nb' },
    );
    as.billerSession = await loginHeaders(harness, email, 'biller password 1', owner.companyId);
    customerId = json(await call(owner.headers, 'POST', '/api/v1/customers', customerBody())).id;
    draft = json(await call(owner.headers, 'POST', '/api/v1/invoices', invoiceBody()));
    const created = json(await call(owner.headers, 'POST', '/api/v1/invoices', invoiceBody()));
    issued = json(await call(owner.headers, 'POST', `/api/v1/invoices/${created.id}/issue`));
    expect(issued.status).toBe('issued');
  });
  afterAll(async () => harness?.close());

  it.each(['biller', 'billerSession'] as const)('lets a %s create, edit, issue, credit and delete drafts', async (who) => {
    const headers = as[who]!;
    const created = await call(headers, 'POST', '/api/v1/invoices', invoiceBody());
    expect(created.statusCode, created.body).toBe(201);
    const id = json(created).id;
    expect((await call(headers, 'PATCH', `/api/v1/invoices/${id}`, { freeText: 'Takk for handelen' })).statusCode).toBe(200);
    const issue = await call(headers, 'POST', `/api/v1/invoices/${id}/issue`);
    expect(issue.statusCode, issue.body).toBe(200);
    const credit = await call(headers, 'POST', `/api/v1/invoices/${id}/credit-note`, { lines: [{ invoiceLineId: json(issue).lines[0].id, quantity: '1' }] });
    expect(credit.statusCode, credit.body).toBe(201);
    expect((await call(headers, 'POST', `/api/v1/invoices/${id}/mark-sent`)).statusCode).toBe(200);
    const scrap = json(await call(headers, 'POST', '/api/v1/invoices', invoiceBody()));
    expect((await call(headers, 'DELETE', `/api/v1/invoices/${scrap.id}`)).statusCode).toBe(204);
    // Reading is allowed, including the journal; the export and settings are not.
    expect((await call(headers, 'GET', '/api/v1/journal-entries')).statusCode).toBe(200);
    expect((await call(headers, 'GET', '/api/v1/trial-balance')).statusCode).toBe(200);
    const csv = await call(headers, 'GET', '/api/v1/journal-entries/export.csv');
    expect(csv.statusCode).toBe(403);
    expect(json(csv).code).toBe('auth.forbidden');
    for (const [method, url, body] of [
      ['PATCH', '/api/v1/company/invoice-settings', { kidMethod: 'mod11' }],
      ['POST', '/api/v1/company/test-mode', {}],
      ['POST', '/api/v1/company/go-live', {}],
    ] as const) {
      const refused = await call(headers, method, url, body);
      expect(refused.statusCode, url).toBe(403);
      expect(json(refused).code).toBe('auth.forbidden');
    }
  });

  it.each(['accountant', 'read_only'] as const)('refuses every invoice write for %s (403) and changes nothing', async (role) => {
    const headers = as[role]!;
    const before = json(await call(owner.headers, 'GET', '/api/v1/credit-notes?limit=200')).items.length;
    const writes: Array<[Method, string, object | undefined]> = [
      ['POST', '/api/v1/invoices', invoiceBody()],
      ['PATCH', `/api/v1/invoices/${draft.id}`, { freeText: 'x' }],
      ['DELETE', `/api/v1/invoices/${draft.id}`, undefined],
      ['POST', `/api/v1/invoices/${draft.id}/issue`, undefined],
      ['POST', `/api/v1/invoices/${issued.id}/credit-note`, {}],
      ['POST', `/api/v1/invoices/${issued.id}/mark-sent`, undefined],
      ['PATCH', '/api/v1/company/invoice-settings', { kidMethod: 'mod11' }],
      ['POST', '/api/v1/company/test-mode', {}],
      ['POST', '/api/v1/company/go-live', {}],
    ];
    for (const [method, url, body] of writes) {
      const response = await call(headers, method, url, body);
      expect({ method, url, status: response.statusCode, code: json(response).code }).toEqual({ method, url, status: 403, code: 'auth.forbidden' });
    }
    expect(json(await call(owner.headers, 'GET', `/api/v1/invoices/${draft.id}`))).toMatchObject({ status: 'draft', freeText: null });
    expect(json(await call(owner.headers, 'GET', `/api/v1/invoices/${issued.id}`))).toMatchObject({ status: 'issued', creditedMinor: 0, sentAt: null });
    expect(json(await call(owner.headers, 'GET', '/api/v1/credit-notes?limit=200')).items).toHaveLength(before);
  });

  it.each(['accountant', 'read_only', 'biller', 'admin', 'owner'] as const)('lets %s read invoices, credit notes, settings and the journal', async (role) => {
    const headers = as[role]!;
    for (const url of [
      '/api/v1/invoices',
      `/api/v1/invoices/${issued.id}`,
      `/api/v1/invoices/${draft.id}`,
      '/api/v1/credit-notes',
      '/api/v1/company/invoice-settings',
      '/api/v1/journal-entries',
      `/api/v1/journal-entries?sourceId=${issued.id}`,
      '/api/v1/trial-balance',
    ]) {
      const response = await call(headers, 'GET', url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    }
    const entries = json(await call(headers, 'GET', `/api/v1/journal-entries?sourceId=${issued.id}`)).items;
    expect(entries).toHaveLength(1);
    expect(entries[0].voucher).toBe(issued.documentNumber);
  });

  it.each([
    ['owner', 200],
    ['admin', 200],
    ['accountant', 200],
    ['biller', 403],
    ['read_only', 403],
  ] as const)('gives the CSV export to %s: %i', async (role, status) => {
    const response = await call(as[role]!, 'GET', '/api/v1/journal-entries/export.csv');
    expect(response.statusCode).toBe(status);
    if (status === 200) {
      expect(response.headers['content-type']).toContain('text/csv');
      expect(response.body).toContain(`${issued.documentNumber};2026-11-26;1500;`);
    } else {
      expect(json(response).code).toBe('auth.forbidden');
    }
  });

  it('answers 401 without credentials', async () => {
    for (const url of ['/api/v1/invoices', '/api/v1/journal-entries', '/api/v1/journal-entries/export.csv', '/api/v1/trial-balance']) {
      const response = await harness.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(401);
      expect(json(response).code).toBe('auth.unauthenticated');
    }
  });
});
