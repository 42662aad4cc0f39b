import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { jpegHeader, makePng } from '../pdf/fixtures.js';
import { extractPdf } from '../pdf/pdf-text.js';

/**
 * Invoice and credit-note PDFs over HTTP (archived at first request, served
 * byte-identical with an ETag), the document template with its logo and preview,
 * roles and tenancy. Both database engines.
 */
describe.each(DIALECTS)('document PDFs and templates over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let other: Caller;
  let customerId: string;
  let productId: string;

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = owner.headers) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness, { company: { legalName: 'Fjordkaffe Dokument AS' } });
    other = await createTenant(harness);
    customerId = json(
      await call('POST', '/api/v1/customers', customerBody({ name: 'Nordlys Rør AS', customerNumber: 42, language: 'nb' })),
    ).id;
    productId = json(await call('POST', '/api/v1/products', productBody({ name: 'Rådgivning', productNumber: 'RAD-1', unitPrice: '1250.00' }))).id;
  });
  afterAll(async () => harness?.close());

  async function issuedInvoice(extra: object = {}) {
    const created = await call('POST', '/api/v1/invoices', {
      customerId,
      deliveryDate: '2026-11-20',
      ourReference: 'Kari Nordmann',
      lines: [
        { productId, quantity: '2' },
        { description: 'Kaffebønner', quantity: '3', unitPrice: '189.90', vatCode: '31', discountPercent: '10' },
      ],
      ...extra,
    });
    expect(created.statusCode, created.body).toBe(201);
    const issued = await call('POST', `/api/v1/invoices/${json(created).id}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    return json(issued);
  }

  it('serves an issued invoice as an A4 PDF with its mandatory content, archived and byte-identical afterwards', async () => {
    const invoice = await issuedInvoice();
    const first = await call('GET', `/api/v1/invoices/${invoice.id}/pdf`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['content-disposition']).toBe(`inline; filename="Faktura-${invoice.documentNumber}.pdf"`);
    const bytes = first.rawPayload;
    expect(first.headers.etag).toBe(`"${sha256(bytes)}"`);
    const pdf = await extractPdf(bytes);
    expect(pdf.pages).toHaveLength(1);
    expect(pdf.pages[0]!.width).toBeCloseTo(595.28, 2);
    expect(pdf.pages[0]!.height).toBeCloseTo(841.89, 2);
    expect(pdf.text).toContain('Fjordkaffe Dokument AS');
    expect(pdf.text).toContain('Nordlys Rør AS');
    expect(pdf.text).toContain(`Fakturanr. ${invoice.documentNumber}`);
    expect(pdf.text).toContain(invoice.kid);
    expect(pdf.text).toContain('Vår referanse Kari Nordmann');
    expect(pdf.text).toContain('Kaffebønner');

    // The template changes; the archived document does not.
    expect((await call('PUT', '/api/v1/document-template', { design: 'modern', accentColor: '#aa0000' })).statusCode).toBe(200);
    const second = await call('GET', `/api/v1/invoices/${invoice.id}/pdf`);
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(bytes)).toBe(true);
    expect(second.headers.etag).toBe(first.headers.etag);
    const notModified = await harness.app.inject({
      method: 'GET',
      url: `/api/v1/invoices/${invoice.id}/pdf`,
      headers: { ...owner.headers, 'if-none-match': first.headers.etag as string },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);

    const rows = await harness.runtime.db.kysely.selectFrom('document_files').selectAll().where('invoice_id', '=', invoice.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'pdf', sha256: sha256(bytes), byte_size: bytes.length });
    expect(Buffer.from(rows[0]!.bytes).equals(bytes)).toBe(true);
    const audit = json(await call('GET', `/api/v1/audit-events?entityId=${invoice.id}&limit=50`));
    expect((audit.items as Array<{ action: string }>).filter((event) => event.action === 'document.pdf_archived')).toHaveLength(1);
    await call('PUT', '/api/v1/document-template', {});
  });

  it('archives one file when two first requests race, and both answer with it', async () => {
    const invoice = await issuedInvoice();
    const [a, b] = await Promise.all([
      call('GET', `/api/v1/invoices/${invoice.id}/pdf`),
      call('GET', `/api/v1/invoices/${invoice.id}/pdf`),
    ]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(a.rawPayload.equals(b.rawPayload)).toBe(true);
    const count = await harness.runtime.db.kysely
      .selectFrom('document_files')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(1);
  });

  it('the archive is append-only in the database', async () => {
    const invoice = await issuedInvoice();
    expect((await call('GET', `/api/v1/invoices/${invoice.id}/pdf`)).statusCode).toBe(200);
    const db = harness.runtime.db.kysely;
    await expect(db.updateTable('document_files').set({ sha256: 'x' }).where('invoice_id', '=', invoice.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('document_files').where('invoice_id', '=', invoice.id).execute()).rejects.toThrow(/append-only/);
  });

  it('serves a credit note at /credit-notes/{id}/pdf ("Kreditnota", the credited invoice) and refuses an invoice id there', async () => {
    const invoice = await issuedInvoice();
    const credit = await call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { reason: 'Feil antall' });
    expect(credit.statusCode, credit.body).toBe(201);
    const note = json(credit);
    const response = await call('GET', `/api/v1/credit-notes/${note.id}/pdf`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toBe(`inline; filename="Kreditnota-${note.documentNumber}.pdf"`);
    const pdf = await extractPdf(response.rawPayload);
    expect(pdf.text).toContain('Kreditnota');
    expect(pdf.text).toContain(`Kreditnota for faktura ${invoice.documentNumber} datert`);
    expect(pdf.text).toContain('Feil antall');
    // The same archived file through /invoices/{id}/pdf.
    const viaInvoices = await call('GET', `/api/v1/invoices/${note.id}/pdf`);
    expect(viaInvoices.rawPayload.equals(response.rawPayload)).toBe(true);
    expect((await call('GET', `/api/v1/credit-notes/${invoice.id}/pdf`)).statusCode).toBe(404);
  });

  it('renders a draft live with UTKAST and no number, and does not store it', async () => {
    const created = json(
      await call('POST', '/api/v1/invoices', { customerId, lines: [{ description: 'Utkastlinje', quantity: '1', unitPrice: '10' }] }),
    );
    const response = await call('GET', `/api/v1/invoices/${created.id}/pdf`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['content-disposition']).toBe('inline; filename="Faktura-utkast.pdf"');
    const pdf = await extractPdf(response.rawPayload);
    expect(pdf.text).toContain('UTKAST');
    expect(pdf.text).toContain('Utkastlinje');
    expect(pdf.text).not.toContain('Fakturanr.');
    const rows = await harness.runtime.db.kysely.selectFrom('document_files').select('id').where('invoice_id', '=', created.id).execute();
    expect(rows).toHaveLength(0);
  });

  it('prints English for an English customer, and TEST in test mode', async () => {
    const company = await createTenant(harness);
    const as = (method: 'GET' | 'POST', url: string, payload?: object) => call(method, url, payload, company.headers);
    expect((await as('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    const customer = json(await as('POST', '/api/v1/customers', customerBody({ name: 'Fjord Imports Ltd', language: 'en', kind: 'business' })));
    const created = json(
      await as('POST', '/api/v1/invoices', {
        customerId: customer.id,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Consulting', quantity: '1', unitPrice: '100' }],
      }),
    );
    const issued = await as('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(issued.statusCode, issued.body).toBe(200);
    const response = await as('GET', `/api/v1/invoices/${created.id}/pdf`);
    expect(response.headers['content-disposition']).toBe(`inline; filename="Invoice-${json(issued).documentNumber}.pdf"`);
    const pdf = await extractPdf(response.rawPayload);
    expect(pdf.text).toContain('Invoice');
    expect(pdf.text).toContain('Amount due');
    expect(pdf.text).toContain('TEST Test document – not valid');
  });

  it('answers 404 for another company\'s document and 401 without credentials', async () => {
    const invoice = await issuedInvoice();
    // Archived first by its owner, so the stored copy is what a foreign caller would reach.
    expect((await call('GET', `/api/v1/invoices/${invoice.id}/pdf`)).statusCode).toBe(200);
    const foreign = await call('GET', `/api/v1/invoices/${invoice.id}/pdf`, undefined, other.headers);
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign).code).toBe('invoice.not_found');
    expect((await call('GET', `/api/v1/credit-notes/${invoice.id}/pdf`, undefined, other.headers)).statusCode).toBe(404);
    const anonymous = await harness.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf` });
    expect(anonymous.statusCode).toBe(401);
    expect((await harness.app.inject({ method: 'GET', url: '/api/v1/document-template' })).statusCode).toBe(401);
  });

  it('template: defaults, validated replace, audit, and the settings printed on the preview', async () => {
    const tenant = await createTenant(harness, { company: { legalName: 'Malverket AS' } });
    const as = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => call(method, url, payload, tenant.headers);
    const defaults = json(await as('GET', '/api/v1/document-template'));
    expect(defaults).toMatchObject({ design: 'classic', font: 'sans', logo: null, version: 0, headerText: null });
    expect(defaults.showFields).toMatchObject({ ourReference: true, productNumbers: false });

    const bad = await as('PUT', '/api/v1/document-template', { accentColor: 'red', design: 'fancy' });
    expect(bad.statusCode).toBe(400);
    const paths = (json(bad).errors as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['accentColor', 'design']));

    const saved = await as('PUT', '/api/v1/document-template', {
      design: 'compact',
      accentColor: '#12AB34',
      font: 'serif',
      headerText: 'Takk for at du handler hos oss',
      footerText: 'Malverket AS – vi lager maler',
      paymentText: 'Bruk KID ved betaling.',
      showFields: { customerNumber: false },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json(saved)).toMatchObject({ design: 'compact', accentColor: '#12ab34', font: 'serif', version: 1 });
    expect(json(saved).showFields).toMatchObject({ customerNumber: false, ourReference: true });
    const audit = json(await as('GET', '/api/v1/audit-events?limit=50'));
    const event = (audit.items as Array<{ action: string; details: { fields: string[] } }>).find(
      (item) => item.action === 'document_template.updated',
    );
    expect(event?.details.fields).toEqual(expect.arrayContaining(['design', 'accentColor', 'font', 'showFields']));

    const preview = await as('POST', '/api/v1/document-template/preview', { language: 'en' });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.headers['content-type']).toBe('application/pdf');
    const pdf = await extractPdf(preview.rawPayload);
    expect(pdf.text).toContain('Malverket AS');
    expect(pdf.text).toContain('Example Customer Ltd');
    expect(pdf.text).toContain('Takk for at du handler hos oss');
    expect(pdf.text).toContain('Malverket AS – vi lager maler');
    expect(pdf.text).toContain('Bruk KID ved betaling.');
    expect(pdf.text).not.toContain('Customer no.');

    // Unsaved settings are previewed without being stored.
    const unsaved = await as('POST', '/api/v1/document-template/preview', {
      settings: { design: 'modern', accentColor: '#0000ff', headerText: 'Ulagret overskrift' },
      language: 'nb',
    });
    const unsavedText = (await extractPdf(unsaved.rawPayload)).text;
    expect(unsavedText).toContain('Ulagret overskrift');
    expect(unsavedText).toContain('Eksempelkunde AS');
    expect(json(await as('GET', '/api/v1/document-template')).headerText).toBe('Takk for at du handler hos oss');
  });

  it('logo: raw PNG or JPEG bytes, recognised by content; other formats and oversize refused; removable', async () => {
    const tenant = await createTenant(harness);
    const upload = (body: Buffer, type: string) =>
      harness.app.inject({ method: 'PUT', url: '/api/v1/document-template/logo', headers: { ...tenant.headers, 'content-type': type }, payload: body });
    const png = makePng(64, 32, [10, 120, 200]);
    const stored = await upload(png, 'image/png');
    expect(stored.statusCode, stored.body).toBe(200);
    expect(json(stored).logo).toMatchObject({ contentType: 'image/png', width: 64, height: 32, byteSize: png.length, sha256: sha256(png) });

    const jpeg = await upload(jpegHeader(300, 100), 'application/octet-stream');
    expect(jpeg.statusCode, jpeg.body).toBe(200);
    expect(json(jpeg).logo).toMatchObject({ contentType: 'image/jpeg', width: 300, height: 100 });

    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'image/svg+xml');
    expect(svg.statusCode).toBe(400);
    expect(json(svg).errors[0]).toMatchObject({ path: 'logo', code: 'logo.unsupported_format' });
    const gif = await upload(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'image/png');
    expect(json(gif).errors[0].code).toBe('logo.unsupported_format');
    const huge = await upload(Buffer.concat([png, Buffer.alloc(600 * 1024)]), 'image/png');
    expect(huge.statusCode).toBe(413);
    const asJson = await harness.app.inject({ method: 'PUT', url: '/api/v1/document-template/logo', headers: tenant.headers, payload: {} });
    expect(asJson.statusCode).toBe(415);

    // The logo is drawn on documents: the preview has an image.
    const pngAgain = await upload(png, 'image/png');
    expect(json(pngAgain).logo.contentType).toBe('image/png');
    const preview = await harness.app.inject({ method: 'POST', url: '/api/v1/document-template/preview', headers: tenant.headers, payload: {} });
    expect(preview.rawPayload.toString('latin1')).toContain('/Subtype /Image');

    const removed = await harness.app.inject({ method: 'DELETE', url: '/api/v1/document-template/logo', headers: tenant.headers });
    expect(removed.statusCode).toBe(200);
    expect(json(removed).logo).toBeNull();
    const without = await harness.app.inject({ method: 'POST', url: '/api/v1/document-template/preview', headers: tenant.headers, payload: {} });
    expect(without.rawPayload.toString('latin1')).not.toContain('/Subtype /Image');
    const audit = json(await harness.app.inject({ method: 'GET', url: '/api/v1/audit-events?limit=50', headers: tenant.headers }));
    const actions = (audit.items as Array<{ action: string }>).map((item) => item.action);
    expect(actions).toEqual(expect.arrayContaining(['document_template.logo_uploaded', 'document_template.logo_removed']));
  });

  it('roles: anyone who reads invoices reads PDFs, the template and the preview; only owner and admin change the template', async () => {
    const invoice = await issuedInvoice();
    for (const role of ['read_only', 'accountant', 'biller', 'admin'] as const) {
      const headers = await apiKeyHeaders(harness, owner, role);
      const pdf = await call('GET', `/api/v1/invoices/${invoice.id}/pdf`, undefined, headers);
      expect(pdf.statusCode, role).toBe(200);
      expect((await call('GET', '/api/v1/document-template', undefined, headers)).statusCode, role).toBe(200);
      expect((await call('POST', '/api/v1/document-template/preview', {}, headers)).statusCode, role).toBe(200);
      const put = await call('PUT', '/api/v1/document-template', { accentColor: '#123456' }, headers);
      const logo = await harness.app.inject({
        method: 'PUT',
        url: '/api/v1/document-template/logo',
        headers: { ...headers, 'content-type': 'image/png' },
        payload: makePng(8, 8, [0, 0, 0]),
      });
      const remove = await call('DELETE', '/api/v1/document-template/logo', undefined, headers);
      const expected = role === 'admin' ? 200 : 403;
      expect(put.statusCode, role).toBe(expected);
      expect(logo.statusCode, role).toBe(expected);
      expect(remove.statusCode, role).toBe(expected);
      if (expected === 403) expect(json(put).code).toBe('auth.forbidden');
    }
  });

  it('prints item numbers when the template asks for them', async () => {
    const tenant = await createTenant(harness);
    const as = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => call(method, url, payload, tenant.headers);
    const customer = json(await as('POST', '/api/v1/customers', customerBody()));
    const product = json(await as('POST', '/api/v1/products', productBody({ productNumber: 'VARE-777' })));
    expect((await as('PUT', '/api/v1/document-template', { showFields: { productNumbers: true } })).statusCode).toBe(200);
    const created = json(
      await as('POST', '/api/v1/invoices', { customerId: customer.id, deliveryDate: '2026-11-20', lines: [{ productId: product.id, quantity: '1' }] }),
    );
    await as('POST', `/api/v1/invoices/${created.id}/issue`);
    const pdf = await extractPdf((await as('GET', `/api/v1/invoices/${created.id}/pdf`)).rawPayload);
    expect(pdf.text).toContain('Varenr.');
    expect(pdf.text).toContain('VARE-777');
    // Raw SQL check that the archived copy is scoped to its company.
    const { rows } = await sql<{ company_id: string }>`select company_id from document_files where invoice_id = ${created.id}`.execute(
      harness.runtime.db.kysely,
    );
    expect(rows.map((row) => row.company_id)).toEqual([tenant.companyId]);
  });
});
