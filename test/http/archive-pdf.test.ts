import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { A4, readPdfA } from '../pdf/pdfa.js';
import { extractPdf } from '../pdf/pdf-text.js';

type Doc = Record<string, any>;

/**
 * GET …/archive-pdf: the archive copy (PDF/A-3b) with the EHF embedded. The XML taken out
 * of the PDF must be byte-identical to what GET …/ehf serves. veraPDF is not available on
 * this machine, so PDF/A conformance is checked structurally (test/pdf/pdfa.ts), not by a
 * validator.
 */
describe.each(DIALECTS)('archive PDF/A-3 over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let customerId: string;

  const get = (url: string, headers: Record<string, string> = owner.headers) => harness.app.inject({ method: 'GET', url, headers });

  async function issued(extra: object = {}, customer = customerId): Promise<Doc> {
    const draft = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/invoices',
      headers: owner.headers,
      payload: {
        customerId: customer,
        deliveryDate: '2026-11-20',
        orderReference: 'PO-ARK-1',
        lines: [
          { description: 'Kaffe & kake', quantity: '2', unitPrice: '100.00', vatCode: '31' },
          { description: 'Rådgivning', quantity: '1.5', unitPrice: '1250.00', vatCode: '3' },
        ],
        ...extra,
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const response = await harness.app.inject({ method: 'POST', url: `/api/v1/invoices/${json(draft).id}/issue`, headers: owner.headers });
    expect(response.statusCode, response.body).toBe(200);
    return json(response);
  }

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness, { company: { legalName: 'Fjord & Fjell Arkiv AS' } });
    const customer = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: owner.headers, payload: customerBody({ name: 'Kjøper & Sønn AS' }) });
    customerId = json(customer).id;
  });
  afterAll(async () => harness?.close());

  it('is a PDF/A-3 file with the EHF embedded, byte-identical to GET …/ehf; A4, text readable, archived and served identically', async () => {
    const invoice = await issued();
    const response = await get(`/api/v1/invoices/${invoice.id}/archive-pdf`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`inline; filename="Faktura-${invoice.documentNumber}-arkiv.pdf"`);
    const pdf = response.rawPayload;

    const ehf = await get(`/api/v1/invoices/${invoice.id}/ehf`);
    expect(ehf.statusCode).toBe(200);
    const report = await readPdfA(pdf);
    expect(report.attachments.map((file) => file.name)).toEqual([`ehf-${invoice.documentNumber}.xml`]);
    expect(Buffer.compare(report.attachments[0]!.bytes, ehf.rawPayload)).toBe(0);
    // The EHF inside carries the normal PDF (as GET …/pdf serves it), never the archive copy.
    const normalPdf = await get(`/api/v1/invoices/${invoice.id}/pdf`);
    const embedded = /<cbc:EmbeddedDocumentBinaryObject mimeCode="application\/pdf" filename="[^"]+">([^<]+)</.exec(ehf.body)![1]!;
    expect(Buffer.compare(Buffer.from(embedded, 'base64'), normalPdf.rawPayload)).toBe(0);

    expect(report.pdfaPart).toBe('3');
    expect(report.pdfaConformance).toBe('B');
    expect(report.raw).toMatchObject({ header: '%PDF-1.7', hasOutputIntent: true, catalogAf: true, fileSpecRelationships: ['Alternative'], embeddedFileSubtypes: ['application#2Fxml'], isEncrypted: false });
    expect(report.raw.embeddedFontPrograms).toBe(report.raw.fontDescriptors);
    expect(report.pageSizes).toEqual([A4]);
    expect(report.info.Author).toBe('Fjord & Fjell Arkiv AS');
    const text = await extractPdf(pdf);
    expect(text.text).toContain(`Fakturanr. ${invoice.documentNumber}`);
    expect(text.text).toContain('Kaffe & kake');

    // Archived: the same bytes again, with the sha256 as ETag, and 304 on If-None-Match.
    const again = await get(`/api/v1/invoices/${invoice.id}/archive-pdf`);
    expect(Buffer.compare(again.rawPayload, pdf)).toBe(0);
    const etag = again.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await get(`/api/v1/invoices/${invoice.id}/archive-pdf`, { ...owner.headers, 'if-none-match': etag })).statusCode).toBe(304);
    const files = await harness.runtime.db.kysely
      .selectFrom('document_files')
      .select(['kind'])
      .where('invoice_id', '=', invoice.id)
      .orderBy('kind')
      .execute();
    expect(files.map((file) => file.kind)).toEqual(['archive_pdf', 'ehf', 'pdf']);
    const audit = (json(await get('/api/v1/audit-events?limit=50')).items as Doc[]).filter((event) => event.entityId === invoice.id);
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(['document.archive_pdf_archived', 'document.ehf_archived', 'document.pdf_archived']));
  });

  it('credit notes: under both paths, with the UBL CreditNote embedded', async () => {
    const invoice = await issued();
    const credited = await harness.app.inject({ method: 'POST', url: `/api/v1/invoices/${invoice.id}/credit-note`, headers: owner.headers, payload: { reason: 'Retur' } });
    expect(credited.statusCode, credited.body).toBe(201);
    const note = json(credited);
    const first = await get(`/api/v1/credit-notes/${note.id}/archive-pdf`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-disposition']).toContain(`Kreditnota-${note.documentNumber}-arkiv.pdf`);
    const second = await get(`/api/v1/invoices/${note.id}/archive-pdf`);
    expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
    const report = await readPdfA(first.rawPayload);
    const ehf = await get(`/api/v1/credit-notes/${note.id}/ehf`);
    expect(report.attachments.map((file) => file.name)).toEqual([`ehf-${note.documentNumber}.xml`]);
    expect(Buffer.compare(report.attachments[0]!.bytes, ehf.rawPayload)).toBe(0);
    expect(ehf.body).toContain('<CreditNote ');
    expect((await get(`/api/v1/credit-notes/${invoice.id}/archive-pdf`)).statusCode).toBe(404);
  });

  it('the first request may be the archive copy: the EHF it embeds is the one GET …/ehf serves afterwards', async () => {
    const invoice = await issued();
    const archive = await get(`/api/v1/invoices/${invoice.id}/archive-pdf`);
    expect(archive.statusCode).toBe(200);
    const ehf = await get(`/api/v1/invoices/${invoice.id}/ehf`);
    const [embedded] = (await readPdfA(archive.rawPayload)).attachments;
    expect(Buffer.compare(embedded!.bytes, ehf.rawPayload)).toBe(0);
  });

  it('refuses drafts (409), documents without an EHF (422) and callers without invoices.read; another company gets 404', async () => {
    const draft = await harness.app.inject({ method: 'POST', url: '/api/v1/invoices', headers: owner.headers, payload: { customerId, lines: [] } });
    const refused = await get(`/api/v1/invoices/${json(draft).id}/archive-pdf`);
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('invoice.not_issued');

    const person = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ kind: 'person', name: 'Kari Privat', orgNumber: null }),
    });
    const privateInvoice = await issued({}, json(person).id);
    const noEhf = await get(`/api/v1/invoices/${privateInvoice.id}/archive-pdf`);
    expect(noEhf.statusCode).toBe(422);
    expect(json(noEhf).code).toBe('ehf.not_representable');

    const invoice = await issued();
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    expect((await get(`/api/v1/invoices/${invoice.id}/archive-pdf`, readOnly)).statusCode).toBe(200);
    expect((await harness.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/archive-pdf` })).statusCode).toBe(401);
    const other = await createTenant(harness);
    const foreign = await get(`/api/v1/invoices/${invoice.id}/archive-pdf`, other.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Kjøper');
  });
});
