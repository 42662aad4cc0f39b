import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logger.js';
import { startTestAccessPoint, type TestAccessPoint } from '../helpers/access-point-server.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, randomOrgNumber } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

const TOKEN = 'ap-token-Hemmelig-9f3c1e77b2';
const START = '2026-11-27T09:00:00.000Z';
/** The HTTP access point's time limit in this file; the "lost answer" provider answers later than this. */
const AP_TIMEOUT_MS = 1_500;

describe.each(DIALECTS)('EHF delivery through an access point (%s)', (dialect) => {
  let harness: Harness;
  let ap: TestAccessPoint;
  let scratch: string;
  const clock = fixedClock(START);
  const logs: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    ap = await startTestAccessPoint();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-ehf-ap-'));
    harness = await createHarness(dialect, {
      clock,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
      deliveryMaxAttempts: 3,
      accessPointTimeoutMs: AP_TIMEOUT_MS,
      jobs: { random: () => 0.5 },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await ap?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    ap.requests.length = 0;
    ap.accepted.length = 0;
    ap.decide = () => ({ kind: 'accept' });
  });

  async function call(caller: Caller | Record<string, string>, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> {
    const headers = 'headers' in caller ? (caller.headers as Record<string, string>) : caller;
    const response = await harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    bodies.push(response.body, JSON.stringify(response.headers));
    return response;
  }

  const httpSettings = (overrides: object = {}) => ({ attachPdf: true, accessPointKind: 'http', accessPointUrl: ap.url, token: TOKEN, ...overrides });

  /** A tenant with a business customer (a Peppol address by its org number) and, unless `settings` is null, an access point. */
  async function tenant(options: { settings?: object | null; customer?: object } = {}) {
    const owner = await createTenant(harness);
    if (options.settings !== null) {
      const saved = await call(owner, 'PUT', '/api/v1/ehf-settings', options.settings ?? httpSettings());
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const customer = json(await call(owner, 'POST', '/api/v1/customers', customerBody({ name: 'Kjøper & Sønn AS', ...options.customer })));
    const issue = async (extra: object = {}) => {
      const draft = await call(owner, 'POST', '/api/v1/invoices', {
        customerId: customer.id,
        deliveryDate: '2026-11-20',
        orderReference: 'PO-77',
        lines: [{ description: 'Rådgivning', quantity: '2', unitPrice: '1250.00', vatCode: '3' }],
        ...extra,
      });
      expect(draft.statusCode, draft.body).toBe(201);
      const issued = await call(owner, 'POST', `/api/v1/invoices/${json(draft).id}/issue`);
      expect(issued.statusCode, issued.body).toBe(200);
      return json<Doc>(issued);
    };
    return { owner, customer, issue };
  }

  const runJobs = () => harness.runtime.jobs.runUntilIdle();
  const deliveriesOf = async (owner: Caller, id: string) => json(await call(owner, 'GET', `/api/v1/invoices/${id}/deliveries`)).items as Doc[];
  const ehfOf = async (owner: Caller, id: string) => {
    const response = await harness.app.inject({ method: 'GET', url: `/api/v1/invoices/${id}/ehf`, headers: owner.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.rawPayload;
  };

  it('settings: defaults, the token sealed and never returned, kept when a PUT leaves it out, refused values explained; owner/admin only', async () => {
    const { owner } = await tenant({ settings: null });
    expect(json(await call(owner, 'GET', '/api/v1/ehf-settings'))).toEqual({
      isConfigured: false,
      attachPdf: true,
      accessPointKind: 'none',
      accessPointUrl: null,
      hasToken: false,
      folderPath: null,
      updatedAt: null,
    });
    const saved = json(await call(owner, 'PUT', '/api/v1/ehf-settings', httpSettings()));
    expect(saved).toMatchObject({ isConfigured: true, accessPointKind: 'http', accessPointUrl: ap.url, hasToken: true, attachPdf: true });
    expect(saved).not.toHaveProperty('token');
    const row = await harness.runtime.db.kysely.selectFrom('ehf_settings').selectAll().where('company_id', '=', owner.companyId).executeTakeFirstOrThrow();
    expect(row.access_point_token_sealed).toMatch(/^v1\./);
    expect(row.access_point_token_sealed).not.toContain(TOKEN);

    const kept = json(await call(owner, 'PUT', '/api/v1/ehf-settings', { attachPdf: false, accessPointKind: 'http', accessPointUrl: ap.url }));
    expect(kept).toMatchObject({ hasToken: true, attachPdf: false });
    const after = await harness.runtime.db.kysely.selectFrom('ehf_settings').select('access_point_token_sealed').where('company_id', '=', owner.companyId).executeTakeFirstOrThrow();
    expect(after.access_point_token_sealed).toBe(row.access_point_token_sealed);

    const refusals: Array<[object, string, string]> = [
      [{ attachPdf: true, accessPointKind: 'http', accessPointUrl: 'http://ap.example.no/outbound', token: 'x' }, 'accessPointUrl', 'access_point_url.insecure'],
      [{ attachPdf: true, accessPointKind: 'http', accessPointUrl: 'https://user:pw@ap.example.no/', token: 'x' }, 'accessPointUrl', 'access_point_url.credentials'],
      [{ attachPdf: true, accessPointKind: 'http', token: 'x' }, 'accessPointUrl', 'access_point_url.required'],
      [{ attachPdf: true, accessPointKind: 'http', accessPointUrl: 'https://ap.example.no/', token: null }, 'token', 'token.required'],
      [{ attachPdf: true, accessPointKind: 'http', accessPointUrl: 'https://ap.example.no/', token: 'two words' }, 'token', 'token.invalid'],
      [{ attachPdf: true, accessPointKind: 'folder' }, 'folderPath', 'folder_path.required'],
      [{ attachPdf: true, accessPointKind: 'folder', folderPath: 'relative/ehf' }, 'folderPath', 'folder_path.not_absolute'],
    ];
    // A path below a regular file can never be a folder, whoever runs the tests (root writes anywhere else).
    const file = path.join(scratch, `a-file-${dialect}`);
    fs.writeFileSync(file, 'x');
    refusals.push([{ attachPdf: true, accessPointKind: 'folder', folderPath: path.join(file, 'ehf') }, 'folderPath', 'folder_path.not_writable']);
    for (const [body, field, code] of refusals) {
      const response = await call(owner, 'PUT', '/api/v1/ehf-settings', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(response).errors, JSON.stringify(body)).toEqual([expect.objectContaining({ path: field, code })]);
    }
    // Refused saves changed nothing.
    expect(json(await call(owner, 'GET', '/api/v1/ehf-settings'))).toMatchObject({ accessPointKind: 'http', hasToken: true, attachPdf: false });

    const folder = path.join(scratch, `created-${dialect}`, 'ut');
    const asFolder = json(await call(owner, 'PUT', '/api/v1/ehf-settings', { attachPdf: true, accessPointKind: 'folder', folderPath: folder }));
    expect(asFolder).toMatchObject({ isConfigured: true, accessPointKind: 'folder', folderPath: folder });
    expect(fs.statSync(folder).isDirectory()).toBe(true);
    expect(fs.readdirSync(folder)).toEqual([]);

    const biller = await apiKeyHeaders(harness, owner, 'biller');
    expect((await call(biller, 'PUT', '/api/v1/ehf-settings', httpSettings())).statusCode).toBe(403);
    expect((await call(biller, 'GET', '/api/v1/ehf-settings')).statusCode).toBe(200);
    const audit = (json(await call(owner, 'GET', '/api/v1/audit-events?limit=50')).items as Doc[]).filter((event) => event.action === 'ehf_settings.updated');
    expect(audit.length).toBe(3);
    expect(audit.map((event) => event.details.tokenChanged)).toContain(true);
  });

  it('without an access point: 422 ehf.access_point_not_configured saying what to set up, and nothing is queued', async () => {
    const { owner, issue } = await tenant({ settings: null });
    const invoice = await issue();
    const response = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ code: 'ehf.access_point_not_configured', settingsPath: '/api/v1/ehf-settings' });
    expect(json(response).detail).toMatch(/access point/);
    expect(await deliveriesOf(owner, invoice.id)).toEqual([]);
    const jobs = await harness.runtime.db.kysely.selectFrom('jobs').select('id').where('company_id', '=', owner.companyId).execute();
    expect(jobs).toEqual([]);
  });

  it('a document EHF cannot express: 422 ehf.not_representable with the writer\'s problem codes, and nothing is queued', async () => {
    const { owner, issue } = await tenant({ customer: { kind: 'person', name: 'Kari Privat', orgNumber: null } });
    const invoice = await issue({ orderReference: null });
    const response = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' });
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('ehf.not_representable');
    expect(json(response).errors.map((issue: Doc) => issue.code)).toEqual(['ehf.buyer_address_missing', 'ehf.reference_missing']);
    expect(await deliveriesOf(owner, invoice.id)).toEqual([]);
    // A recipient is an e-mail matter.
    const business = await tenant();
    const other = await business.issue();
    const withRecipient = await call(business.owner, 'POST', `/api/v1/invoices/${other.id}/send`, { channel: 'ehf', recipient: 'x@kjoper.example' });
    expect(withRecipient.statusCode).toBe(400);
    expect(json(withRecipient).errors).toEqual([expect.objectContaining({ path: 'recipient', code: 'recipient.not_for_ehf' })]);
  });

  it('HTTP: the first attempt gets 503 and is retried; the document is accepted once, byte-identical to GET …/ehf, with token and delivery key', async () => {
    const { owner, issue, customer } = await tenant();
    const invoice = await issue();
    ap.decide = (_request, index) => (index === 0 ? { kind: 'status', status: 503, body: 'Service Unavailable: maintenance' } : { kind: 'accept' });

    const requested = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' });
    expect(requested.statusCode, requested.body).toBe(202);
    const delivery = json(requested);
    expect(delivery).toMatchObject({
      invoiceId: invoice.id,
      channel: 'ehf',
      sequence: 1,
      deliveryKey: `${invoice.id}:ehf:1`,
      recipient: `0192:${customer.orgNumber}`,
      status: 'queued',
    });
    expect(ap.requests).toHaveLength(0);

    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
    const [failed] = await deliveriesOf(owner, invoice.id);
    expect(failed).toMatchObject({ id: delivery.id, status: 'failed', attempts: 1, maxAttempts: 3, sentAt: null });
    expect(failed!.lastError).toContain('HTTP 503');
    expect(failed!.lastError).toContain('maintenance');
    expect(Date.parse(failed!.nextAttemptAt)).toBe(clock.now().getTime() + 30_000);
    expect(await harness.runtime.jobs.runOnce()).toEqual([]);
    clock.advance(30_000);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['succeeded']);

    expect(ap.requests.map((request) => request.status)).toEqual([503, 202]);
    expect(ap.accepted).toHaveLength(1);
    const served = await ehfOf(owner, invoice.id);
    for (const request of ap.requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/outbound/ehf');
      expect(request.headers['content-type']).toBe('application/xml');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers['idempotency-key']).toBe(delivery.deliveryKey);
      expect(request.headers['x-delivery-key']).toBe(delivery.deliveryKey);
      expect(Buffer.compare(request.body, served)).toBe(0);
    }
    expect(served.toString('utf8')).toContain('<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf"');

    const [sent] = await deliveriesOf(owner, invoice.id);
    expect(sent).toMatchObject({ id: delivery.id, status: 'sent', attempts: 2, messageId: ap.messageIds.get(delivery.deliveryKey), lastError: null, nextAttemptAt: null });
    expect(sent!.messageId).toMatch(/^ap-msg-\d+$/);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}`))).toMatchObject({ status: 'sent', sentAt: clock.now().toISOString() });

    // A second send answers with that delivery and hands nothing over.
    const again = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' });
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ id: delivery.id, status: 'sent' });
    expect(await runJobs()).toEqual([]);
    expect(ap.requests).toHaveLength(2);
    const events = (json(await call(owner, 'GET', '/api/v1/audit-events?limit=50')).items as Doc[]).filter((event) => event.action === 'delivery.sent');
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ channel: 'ehf', accessPoint: 'http', messageId: sent!.messageId, attempt: 2 });
  });

  it('HTTP: when the acceptance is lost on the way back (timeout), the retry carries the same key and the provider counts the document once', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    ap.decide = (_request, index) => (index === 0 ? { kind: 'accept', delayMs: AP_TIMEOUT_MS * 2 } : { kind: 'accept' });
    const delivery = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' }));
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
    const [failed] = await deliveriesOf(owner, invoice.id);
    expect(failed!.lastError).toMatch(/timeout/);
    clock.advance(30_000);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(ap.requests).toHaveLength(2);
    expect(new Set(ap.requests.map((request) => request.headers['idempotency-key']))).toEqual(new Set([delivery.deliveryKey]));
    expect(ap.accepted).toHaveLength(1);
    const [sent] = await deliveriesOf(owner, invoice.id);
    expect(sent).toMatchObject({ status: 'sent', messageId: ap.messageIds.get(delivery.deliveryKey) });
  });

  it('HTTP: a 4xx is permanent — the delivery is dead at once with the provider\'s answer shown; resend makes delivery 2', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    ap.decide = () => ({ kind: 'status', status: 400, body: 'Invalid document: unknown receiver' });
    const delivery = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' }));
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    const [dead] = await deliveriesOf(owner, invoice.id);
    expect(dead).toMatchObject({ id: delivery.id, status: 'dead', attempts: 1, nextAttemptAt: null, sentAt: null });
    expect(dead!.lastError).toContain('HTTP 400');
    expect(dead!.lastError).toContain('Invalid document: unknown receiver');
    expect(ap.requests).toHaveLength(1);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}`)).sentAt).toBeNull();
    const failedEvents = (json(await call(owner, 'GET', '/api/v1/audit-events?limit=50')).items as Doc[]).filter((event) => event.action === 'delivery.failed');
    expect(failedEvents).toHaveLength(1);

    ap.decide = () => ({ kind: 'accept' });
    const resent = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/resend`, { channel: 'ehf' });
    expect(resent.statusCode, resent.body).toBe(202);
    expect(json(resent)).toMatchObject({ sequence: 2, deliveryKey: `${invoice.id}:ehf:2` });
    await runJobs();
    expect(ap.accepted.map((request) => request.headers['idempotency-key'])).toEqual([`${invoice.id}:ehf:2`]);
    expect((await deliveriesOf(owner, invoice.id)).map((entry) => [entry.sequence, entry.status])).toEqual([[1, 'dead'], [2, 'sent']]);
  });

  it('folder: one file per delivery, written atomically and byte-identical; a failed write is retried into the same name', async () => {
    const folder = path.join(scratch, `out-${dialect}`);
    const { owner, issue } = await tenant({ settings: { attachPdf: true, accessPointKind: 'folder', folderPath: folder } });
    const invoice = await issue();
    // The folder disappears (an unmounted share): the attempt fails and is retried.
    fs.rmSync(folder, { recursive: true });
    const ehf = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' }));
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
    const [failed] = await deliveriesOf(owner, invoice.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.lastError).toMatch(/ENOENT/);

    fs.mkdirSync(folder, { recursive: true });
    clock.advance(30_000);
    await harness.runtime.jobs.runOnce();
    const [sent] = await deliveriesOf(owner, invoice.id);
    const name = `${invoice.documentNumber}-${ehf.id}.xml`;
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, messageId: name });
    expect(fs.readdirSync(folder)).toEqual([name]);
    expect(Buffer.compare(fs.readFileSync(path.join(folder, name)), await ehfOf(owner, invoice.id))).toBe(0);

    // A second document: a second file, and nothing else.
    const second = await issue();
    const secondDelivery = json(await call(owner, 'POST', `/api/v1/invoices/${second.id}/send`, { channel: 'ehf' }));
    await runJobs();
    expect(fs.readdirSync(folder).sort()).toEqual([name, `${second.documentNumber}-${secondDelivery.id}.xml`].sort());
  });

  it('the channel follows the customer: its own choice, else EHF with a PEPPOL id, else e-mail; credit notes go as UBL CreditNote', async () => {
    const org = randomOrgNumber();
    const { owner, issue, customer } = await tenant({ customer: { orgNumber: org, peppolId: `0192:${org}` } });
    expect(customer).toMatchObject({ peppolId: `0192:${org}`, deliveryChannel: null });
    const invoice = await issue();
    const automatic = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {});
    expect(automatic.statusCode, automatic.body).toBe(202);
    expect(json(automatic)).toMatchObject({ channel: 'ehf', recipient: `0192:${org}` });

    const note = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/credit-note`, { reason: 'Retur' }));
    const noteDelivery = json(await call(owner, 'POST', `/api/v1/invoices/${note.id}/send`, {}));
    expect(noteDelivery).toMatchObject({ channel: 'ehf', deliveryKey: `${note.id}:ehf:1` });
    await runJobs();
    expect(ap.accepted).toHaveLength(2);
    const creditNoteXml = ap.accepted.find((request) => request.headers['idempotency-key'] === noteDelivery.deliveryKey)!.body;
    expect(creditNoteXml.toString('utf8')).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    const servedNote = await harness.app.inject({ method: 'GET', url: `/api/v1/credit-notes/${note.id}/ehf`, headers: owner.headers });
    expect(Buffer.compare(creditNoteXml, servedNote.rawPayload)).toBe(0);

    // The customer chooses e-mail: a send without channel now means e-mail (not set up here).
    const changed = await call(owner, 'PATCH', `/api/v1/customers/${customer.id}`, { deliveryChannel: 'email' });
    expect(json(changed).deliveryChannel).toBe('email');
    const second = await issue();
    const asEmail = await call(owner, 'POST', `/api/v1/invoices/${second.id}/send`, {});
    expect(asEmail.statusCode).toBe(422);
    expect(json(asEmail).code).toBe('email.not_configured');

    // No PEPPOL id, automatic: e-mail; chosen EHF: EHF to the organisation number.
    const plain = json(await call(owner, 'POST', '/api/v1/customers', customerBody({ deliveryChannel: 'ehf' })));
    expect(plain.deliveryChannel).toBe('ehf');
    const draft = json(await call(owner, 'POST', '/api/v1/invoices', { customerId: plain.id, deliveryDate: '2026-11-20', buyerReference: 'Ola', lines: [{ description: 'Kaffe', quantity: '1', unitPrice: '100', vatCode: '31' }] }));
    const plainInvoice = json(await call(owner, 'POST', `/api/v1/invoices/${draft.id}/issue`));
    expect(json(await call(owner, 'POST', `/api/v1/invoices/${plainInvoice.id}/send`, {}))).toMatchObject({ channel: 'ehf', recipient: `0192:${plain.orgNumber}` });
    await runJobs();

    // A private person without a PEPPOL id cannot choose EHF (Peppol has no address for them) …
    const person = await call(owner, 'POST', '/api/v1/customers', customerBody({ kind: 'person', orgNumber: null, deliveryChannel: 'ehf' }));
    expect(person.statusCode).toBe(400);
    expect(json(person).errors).toEqual([expect.objectContaining({ path: 'deliveryChannel', code: 'delivery_channel.ehf_not_for_person' })]);
    // … one with a registered PEPPOL id (here a sole trader's) can, and the invoice goes as EHF to that id,
    // with no organisation number or VAT id for the buyer.
    const personId = `0192:${randomOrgNumber()}`;
    const withId = await call(owner, 'POST', '/api/v1/customers', customerBody({ kind: 'person', name: 'Kari Privat', orgNumber: null, peppolId: personId, deliveryChannel: 'ehf' }));
    expect(withId.statusCode, withId.body).toBe(201);
    expect(json(withId)).toMatchObject({ kind: 'person', orgNumber: null, peppolId: personId, deliveryChannel: 'ehf' });
    const personDraft = json(await call(owner, 'POST', '/api/v1/invoices', { customerId: json(withId).id, deliveryDate: '2026-11-20', buyerReference: 'Kari', lines: [{ description: 'Kaffekurs', quantity: '1', unitPrice: '990', vatCode: '3' }] }));
    const personInvoice = json(await call(owner, 'POST', `/api/v1/invoices/${personDraft.id}/issue`));
    expect(personInvoice.status, JSON.stringify(personInvoice)).toBe('issued');
    const personDelivery = json(await call(owner, 'POST', `/api/v1/invoices/${personInvoice.id}/send`, {}));
    expect(personDelivery).toMatchObject({ channel: 'ehf', recipient: personId, deliveryKey: `${personInvoice.id}:ehf:1` });
    await runJobs();
    const [personSent] = await deliveriesOf(owner, personInvoice.id);
    expect(personSent).toMatchObject({ channel: 'ehf', status: 'sent' });
    const personXml = ap.accepted.find((request) => request.headers['idempotency-key'] === personDelivery.deliveryKey)!.body.toString('utf8');
    const buyerParty = personXml.slice(personXml.indexOf('<cac:AccountingCustomerParty>'), personXml.indexOf('</cac:AccountingCustomerParty>'));
    expect(buyerParty).toContain(`<cbc:EndpointID schemeID="0192">${personId.slice(5)}</cbc:EndpointID>`);
    expect(buyerParty).toContain('<cbc:RegistrationName>Kari Privat</cbc:RegistrationName>');
    expect(buyerParty).not.toContain('CompanyID');
    expect(buyerParty).not.toContain('PartyTaxScheme');
    // Taking the id away again while EHF is chosen is refused the same way.
    const withoutId = await call(owner, 'PATCH', `/api/v1/customers/${json(withId).id}`, { peppolId: null });
    expect(withoutId.statusCode).toBe(400);
    expect(json(withoutId).errors).toEqual([expect.objectContaining({ path: 'deliveryChannel', code: 'delivery_channel.ehf_not_for_person' })]);
    const reset = await call(owner, 'PATCH', `/api/v1/customers/${customer.id}`, { deliveryChannel: null });
    expect(json(reset).deliveryChannel).toBeNull();
    const badValue = await call(owner, 'PATCH', `/api/v1/customers/${customer.id}`, { deliveryChannel: 'fax' });
    expect(badValue.statusCode).toBe(400);
  });

  it('the PDF switch: off, a new document\'s EHF carries no PDF; an EHF already made stays byte-identical', async () => {
    const { owner, issue } = await tenant();
    const before = await issue();
    const first = await ehfOf(owner, before.id);
    expect(first.toString('utf8')).toContain('EmbeddedDocumentBinaryObject');
    expect((await call(owner, 'PUT', '/api/v1/ehf-settings', httpSettings({ attachPdf: false, token: undefined }))).statusCode).toBe(200);
    const later = await issue();
    const withoutPdf = await ehfOf(owner, later.id);
    expect(withoutPdf.toString('utf8')).not.toContain('EmbeddedDocumentBinaryObject');
    expect(withoutPdf.toString('utf8')).toContain(`<cbc:ID>${later.documentNumber}</cbc:ID>`);
    expect(Buffer.compare(await ehfOf(owner, before.id), first)).toBe(0);
    // What is sent is what was archived.
    const delivery = json(await call(owner, 'POST', `/api/v1/invoices/${later.id}/send`, { channel: 'ehf' }));
    await runJobs();
    expect(Buffer.compare(ap.accepted.find((request) => request.headers['idempotency-key'] === delivery.deliveryKey)!.body, withoutPdf)).toBe(0);
  });

  it('test documents are never handed to the access point: the delivery completes as sent without a request', async () => {
    const { owner, issue } = await tenant();
    expect((await call(owner, 'POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    const invoice = await issue();
    expect(invoice.isTest).toBe(true);
    const delivery = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' }));
    expect(delivery.status).toBe('queued');
    expect((await runJobs()).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(ap.requests).toHaveLength(0);
    const [done] = await deliveriesOf(owner, invoice.id);
    expect(done).toMatchObject({ status: 'sent', messageId: null, attempts: 1 });
    const row = await harness.runtime.db.kysely.selectFrom('deliveries').select('server_response').where('id', '=', delivery.id).executeTakeFirstOrThrow();
    expect(row.server_response).toMatch(/not handed to the access point/);
    const event = (json(await call(owner, 'GET', '/api/v1/audit-events?limit=50')).items as Doc[]).find((entry) => entry.action === 'delivery.sent');
    expect(event!.details).toMatchObject({ channel: 'ehf', testMode: true });
  });

  it('roles: billers send EHF, read-only users cannot; another company\'s document is not found', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    const biller = await apiKeyHeaders(harness, owner, 'biller');
    expect((await call(readOnly, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' })).statusCode).toBe(403);
    const other = await tenant();
    expect((await call(other.owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' })).statusCode).toBe(404);
    expect((await call(other.owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {})).statusCode).toBe(404);
    expect((await call(biller, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'ehf' })).statusCode).toBe(202);
    await runJobs();
    expect(ap.accepted).toHaveLength(1);
  });

  it('the access-point token appears in no response and no log line', () => {
    expect(bodies.length).toBeGreaterThan(50);
    expect(bodies.filter((body) => body.includes(TOKEN))).toEqual([]);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.some((line) => line.includes('EHF handed to the access point'))).toBe(true);
    expect(logs.filter((line) => line.includes(TOKEN))).toEqual([]);
  });
});
