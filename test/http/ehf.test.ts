import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/** The EHF routes: media type, kinds, drafts, refusals, permissions. Conformance itself: test/ehf/. */
describe.each(DIALECTS)('EHF over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let invoice: { id: string; documentNumber: string };
  let creditNote: { id: string; documentNumber: string };

  const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = owner.headers) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  async function issued(customerId: string, extra: object = {}) {
    const draft = json(
      await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        orderReference: 'PO-1',
        lines: [{ description: 'Kaffe & kake', quantity: '2', unitPrice: '100.00', vatCode: '31' }],
        ...extra,
      }),
    );
    const response = await call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(response.statusCode, response.body).toBe(200);
    return json(response);
  }

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    const customer = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Kjøper AS' })));
    invoice = await issued(customer.id);
    const credited = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { reason: 'Retur' });
    expect(credited.statusCode, credited.body).toBe(201);
    creditNote = json(credited);
  });
  afterAll(async () => harness?.close());

  it('serves an issued invoice as UBL Invoice XML, as a download named after its number', async () => {
    const response = await call('GET', `/api/v1/invoices/${invoice.id}/ehf`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="faktura-${invoice.documentNumber}.xml"`);
    expect(XMLValidator.validate(response.body)).toBe(true);
    expect(response.body).toContain('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"');
    expect(response.body).toContain(`<cbc:ID>${invoice.documentNumber}</cbc:ID>`);
    expect(response.body).toContain('<cbc:Name>Kaffe &amp; kake</cbc:Name>');
    // The archived PDF rides along (BG-24).
    expect(response.body).toMatch(/<cbc:EmbeddedDocumentBinaryObject mimeCode="application\/pdf" filename="Faktura-\d+\.pdf">JVBER/);
  });

  it('serves a credit note as UBL CreditNote under both paths', async () => {
    for (const url of [`/api/v1/credit-notes/${creditNote.id}/ehf`, `/api/v1/invoices/${creditNote.id}/ehf`]) {
      const response = await call('GET', url);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      expect(response.body).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
      expect(response.body).toContain(`<cbc:ID>${invoice.documentNumber}</cbc:ID>`);
      expect(response.headers['content-disposition']).toContain(`kreditnota-${creditNote.documentNumber}.xml`);
    }
  });

  it('answers 404 for an invoice under /credit-notes and for an unknown id', async () => {
    for (const url of [`/api/v1/credit-notes/${invoice.id}/ehf`, '/api/v1/invoices/019a0000-0000-7000-8000-000000000000/ehf']) {
      const response = await call('GET', url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(json(response).code).toBe('invoice.not_found');
    }
  });

  it('answers 409 invoice.not_issued for a draft', async () => {
    const customer = json(await call('POST', '/api/v1/customers', customerBody()));
    const draft = json(await call('POST', '/api/v1/invoices', { customerId: customer.id, lines: [] }));
    const response = await call('GET', `/api/v1/invoices/${draft.id}/ehf`);
    expect(response.statusCode).toBe(409);
    expect(json(response).code).toBe('invoice.not_issued');
  });

  it('answers 422 ehf.not_representable, with each reason, for what EHF cannot express', async () => {
    const person = json(
      await call('POST', '/api/v1/customers', customerBody({ kind: 'person', name: 'Kari Privat', orgNumber: null })),
    );
    const document = await issued(person.id, { orderReference: null });
    const response = await call('GET', `/api/v1/invoices/${document.id}/ehf`);
    expect(response.statusCode).toBe(422);
    const problem = json(response);
    expect(problem.code).toBe('ehf.not_representable');
    expect(problem.errors.map((issue: { code: string }) => issue.code)).toEqual(['ehf.buyer_address_missing', 'ehf.reference_missing']);
    expect(problem.errors[0].message).toContain('PEPPOL-EN16931-R010');
  });

  it('needs invoices.read: a read-only key may fetch it, no credentials may not', async () => {
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    expect((await call('GET', `/api/v1/invoices/${invoice.id}/ehf`, undefined, readOnly)).statusCode).toBe(200);
    const anonymous = await harness.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/ehf` });
    expect(anonymous.statusCode).toBe(401);
  });

  it("does not serve another company's document", async () => {
    const other = await createTenant(harness);
    for (const url of [`/api/v1/invoices/${invoice.id}/ehf`, `/api/v1/credit-notes/${creditNote.id}/ehf`]) {
      const response = await call('GET', url, undefined, other.headers);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('Kjøper AS');
    }
  });
});
