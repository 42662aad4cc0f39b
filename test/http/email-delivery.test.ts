import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { createLogger } from '../../src/adapters/logger.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

const SMTP_USER = 'faktura-mailer';
const SMTP_PASSWORD = 'Sv4rt-hemmelig-SMTP-passord!';
const START = '2026-11-27T09:00:00.000Z';

describe.each(DIALECTS)('e-mail delivery over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let smtp: TestSmtpServer;
  const clock = fixedClock(START);
  const logs: string[] = [];
  const bodies: string[] = [];

  beforeAll(async () => {
    smtp = await startTestSmtpServer({ credentials: { username: SMTP_USER, password: SMTP_PASSWORD } });
    harness = await createHarness(dialect, {
      clock,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
      deliveryMaxAttempts: 3,
      smtpTimeoutMs: 5_000,
      jobs: { random: () => 0.5 },
    });
  });
  afterAll(async () => {
    await harness?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.accepted.length = 0;
    smtp.authAttempts.length = 0;
    smtp.decide = () => 'accept';
    smtp.credentials = { username: SMTP_USER, password: SMTP_PASSWORD };
  });

  async function call(caller: Caller | Record<string, string>, method: Method, url: string, payload?: object): Promise<LightMyRequestResponse> {
    const headers = 'headers' in caller ? (caller.headers as Record<string, string>) : caller;
    const response = await harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    bodies.push(response.body);
    return response;
  }

  function settingsBody(overrides: object = {}) {
    return {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: SMTP_USER,
      password: SMTP_PASSWORD,
      fromAddress: 'faktura@testfirma.example',
      fromName: 'Testfirma Faktura',
      replyTo: 'regnskap@testfirma.example',
      ...overrides,
    };
  }

  /** A tenant with a customer (e-mail, language) and SMTP set up unless `configure` is false. */
  async function tenant(options: { configure?: boolean; customer?: object; company?: Record<string, unknown> } = {}) {
    const owner = await createTenant(harness, options.company ? { company: options.company } : {});
    if (options.configure !== false) {
      const saved = await call(owner, 'PUT', '/api/v1/email-settings', settingsBody());
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const customer = json(await call(owner, 'POST', '/api/v1/customers', customerBody({ name: 'Kjøper Ærlig AS', email: 'faktura@kjoper.example', ...options.customer })));
    const issue = async (lines = [{ description: 'Rådgivning', quantity: '2', unitPrice: '1250.00', vatCode: '3' }]) => {
      const draft = await call(owner, 'POST', '/api/v1/invoices', { customerId: customer.id, deliveryDate: '2026-11-20', lines });
      expect(draft.statusCode, draft.body).toBe(201);
      const issued = await call(owner, 'POST', `/api/v1/invoices/${json(draft).id}/issue`);
      expect(issued.statusCode, issued.body).toBe(200);
      return json<Doc>(issued);
    };
    return { owner, customer, issue };
  }

  const runJobs = () => harness.runtime.jobs.runUntilIdle();

  it('without SMTP settings: 422 email.not_configured saying what to set up, and nothing is queued', async () => {
    const { owner, issue } = await tenant({ configure: false });
    const settings = json(await call(owner, 'GET', '/api/v1/email-settings'));
    expect(settings).toMatchObject({ isConfigured: false, host: null, hasPassword: false });
    expect(settings.templates.nb.subject).toContain('{documentNumber}');
    const invoice = await issue();
    const response = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(response.statusCode).toBe(422);
    expect(json(response)).toMatchObject({ code: 'email.not_configured' });
    expect(json(response).detail).toMatch(/SMTP server/);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`)).items).toEqual([]);
    const jobs = await harness.runtime.db.kysely.selectFrom('jobs').select('id').where('company_id', '=', owner.companyId).execute();
    expect(jobs).toEqual([]);
  });

  it('stores settings with the password sealed: never returned, kept when a PUT leaves it out, refused values explained', async () => {
    const { owner } = await tenant({ configure: false });
    const saved = json(await call(owner, 'PUT', '/api/v1/email-settings', settingsBody()));
    expect(saved).toMatchObject({ isConfigured: true, host: '127.0.0.1', port: smtp.port, security: 'none', username: SMTP_USER, hasPassword: true });
    expect(saved).not.toHaveProperty('password');
    const row = await harness.runtime.db.kysely.selectFrom('email_settings').selectAll().where('company_id', '=', owner.companyId).executeTakeFirstOrThrow();
    expect(row.password_sealed).toMatch(/^v1\./);
    expect(row.password_sealed).not.toContain(SMTP_PASSWORD);

    const kept = json(await call(owner, 'PUT', '/api/v1/email-settings', { ...settingsBody({ fromName: 'Nytt navn' }), password: undefined }));
    expect(kept).toMatchObject({ hasPassword: true, fromName: 'Nytt navn' });
    const after = await harness.runtime.db.kysely.selectFrom('email_settings').select('password_sealed').where('company_id', '=', owner.companyId).executeTakeFirstOrThrow();
    expect(after.password_sealed).toBe(row.password_sealed);
    // The kept password still works.
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@testfirma.example' });
    expect(test.statusCode, test.body).toBe(200);

    const insecure = await call(owner, 'PUT', '/api/v1/email-settings', settingsBody({ host: 'smtp.example.no' }));
    expect(insecure.statusCode).toBe(400);
    expect(json(insecure).errors).toEqual([expect.objectContaining({ path: 'security', code: 'security.none_not_allowed' })]);
    const typo = await call(owner, 'PUT', '/api/v1/email-settings', {
      ...settingsBody(),
      templates: { nb: { subject: 'Faktura {fakturanummer}', body: 'Hei' }, en: { subject: 'Invoice {documentNumber}', body: 'Hi' } },
    });
    expect(typo.statusCode).toBe(400);
    expect(json(typo).errors).toEqual([expect.objectContaining({ path: 'templates.nb.subject', code: 'template.unknown_placeholder' })]);

    const audit = json(await call(owner, 'GET', '/api/v1/audit-events?limit=50'));
    const updates = (audit.items as Doc[]).filter((event) => event.action === 'email_settings.updated');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.map((event) => event.details.passwordChanged)).toContain(true);
  });

  it('sends an issued invoice once: recipient, filled-in subject and body, the PDF, a deterministic Message-ID; the invoice is marked sent', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    const requested = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(requested.statusCode, requested.body).toBe(202);
    const delivery = json(requested);
    expect(delivery).toMatchObject({
      invoiceId: invoice.id,
      channel: 'email',
      sequence: 1,
      deliveryKey: `${invoice.id}:email:1`,
      recipient: 'faktura@kjoper.example',
      status: 'queued',
      attempts: 0,
    });
    expect(smtp.accepted).toHaveLength(0);

    expect((await runJobs()).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(smtp.accepted).toHaveLength(1);
    const mail = smtp.accepted[0]!;
    expect(mail.envelopeTo).toEqual(['faktura@kjoper.example']);
    expect(mail.parsed.to).toMatchObject({ value: [{ address: 'faktura@kjoper.example' }] });
    expect(mail.parsed.from).toMatchObject({ value: [{ address: 'faktura@testfirma.example', name: 'Testfirma Faktura' }] });
    expect(mail.parsed.replyTo).toMatchObject({ value: [{ address: 'regnskap@testfirma.example' }] });
    const seller = invoice.seller.legalName as string;
    expect(mail.parsed.subject).toBe(`Faktura ${invoice.documentNumber} fra ${seller}`);
    expect(mail.parsed.text).toContain(`Faktura ${invoice.documentNumber} fra ${seller} ligger vedlagt som PDF.`);
    expect(mail.parsed.text).toContain('Beløp: 3\u00a0125,00 NOK');
    expect(mail.parsed.text).toContain(`KID: ${invoice.kid}`);
    expect(mail.parsed.text).toContain('Kontonummer: 8601 11 17947');
    expect(mail.parsed.text).not.toMatch(/\{\w+\}/);
    expect(mail.parsed.messageId).toBe(`<${delivery.id}@testfirma.example>`);
    expect(mail.parsed.attachments).toHaveLength(1);
    const attachment = mail.parsed.attachments[0]!;
    expect(attachment.contentType).toBe('application/pdf');
    // Byte for byte what the API serves as the document's PDF.
    const served = await harness.app.inject({ method: 'GET', url: `/api/v1/invoices/${invoice.id}/pdf`, headers: owner.headers });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toMatch(/application\/pdf/);
    expect(attachment.filename).toBe(`Faktura-${invoice.documentNumber}.pdf`);
    expect(attachment.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(attachment.content.length).toBeGreaterThan(1000);
    expect(Buffer.compare(attachment.content, served.rawPayload)).toBe(0);
    expect(smtp.authAttempts).toEqual([{ username: SMTP_USER, password: SMTP_PASSWORD, ok: true }]);

    const listed = json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`)).items as Doc[];
    expect(listed).toEqual([
      expect.objectContaining({ id: delivery.id, status: 'sent', attempts: 1, messageId: `<${delivery.id}@testfirma.example>`, sentAt: START, lastError: null }),
    ]);
    const after = json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}`));
    expect(after).toMatchObject({ status: 'sent', sentAt: START });

    // Sending again answers with the same delivery and sends nothing.
    const again = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {});
    expect(again.statusCode).toBe(200);
    expect(json(again)).toMatchObject({ id: delivery.id, status: 'sent', sequence: 1 });
    expect(await runJobs()).toEqual([]);
    expect(smtp.accepted).toHaveLength(1);
    const sentEvents = (json(await call(owner, 'GET', '/api/v1/audit-events?limit=50')).items as Doc[]).filter((event) => event.action === 'delivery.sent');
    expect(sentEvents).toHaveLength(1);
    expect(sentEvents[0]).toMatchObject({ actorLabel: 'fakturaflyt worker', entityId: invoice.id });
  });

  it('two send requests at once make one delivery and one mail', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' })),
    );
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    expect(new Set(replies.map((reply) => json(reply).id)).size).toBe(1);
    await runJobs();
    expect(smtp.accepted).toHaveLength(1);
  });

  it('resend makes delivery 2 with a new key and Message-ID, to an overridden recipient; refused while one is still open', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    const first = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' }));
    const early = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/resend`, { channel: 'email' });
    expect(early.statusCode).toBe(409);
    expect(json(early)).toMatchObject({ code: 'delivery.in_progress', deliveryId: first.id });
    await runJobs();

    const resent = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/resend`, { channel: 'email', recipient: 'Annen@Kjoper.example' });
    expect(resent.statusCode, resent.body).toBe(202);
    const second = json(resent);
    expect(second).toMatchObject({ sequence: 2, deliveryKey: `${invoice.id}:email:2`, recipient: 'annen@kjoper.example', status: 'queued' });
    await runJobs();
    expect(smtp.accepted.map((mail) => mail.envelopeTo)).toEqual([['faktura@kjoper.example'], ['annen@kjoper.example']]);
    expect(smtp.accepted.map((mail) => mail.parsed.messageId)).toEqual([
      `<${first.id}@testfirma.example>`,
      `<${second.id}@testfirma.example>`,
    ]);
    const listed = json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`)).items as Doc[];
    expect(listed.map((entry) => [entry.sequence, entry.status])).toEqual([[1, 'sent'], [2, 'sent']]);
    // A third resend defaults to the last recipient.
    const third = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/resend`, {}));
    expect(third).toMatchObject({ sequence: 3, recipient: 'annen@kjoper.example' });
    await runJobs();
    expect(smtp.accepted).toHaveLength(3);
  });

  it('sends a credit note by its own number and language; drafts and foreign ids are refused', async () => {
    const { owner, issue } = await tenant({ customer: { language: 'en' } });
    const invoice = await issue();
    const note = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/credit-note`, { reason: 'Feil pris' }));
    const requested = await call(owner, 'POST', `/api/v1/invoices/${note.id}/send`, { channel: 'email' });
    expect(requested.statusCode, requested.body).toBe(202);
    await runJobs();
    expect(smtp.accepted).toHaveLength(1);
    const mail = smtp.accepted[0]!;
    expect(mail.parsed.subject).toBe(`Credit note ${note.documentNumber} from ${invoice.seller.legalName}`);
    expect(mail.parsed.text).toContain(`Refers to invoice ${invoice.documentNumber}`);
    const served = await harness.app.inject({ method: 'GET', url: `/api/v1/credit-notes/${note.id}/pdf`, headers: owner.headers });
    expect(served.statusCode).toBe(200);
    expect(mail.parsed.attachments.map((attachment) => attachment.filename)).toEqual([`Credit-note-${note.documentNumber}.pdf`]);
    expect(Buffer.compare(mail.parsed.attachments[0]!.content, served.rawPayload)).toBe(0);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${note.id}`)).sentAt).toBe(START);

    const draft = json(await call(owner, 'POST', '/api/v1/invoices', { customerId: invoice.customerId, lines: [] }));
    const refused = await call(owner, 'POST', `/api/v1/invoices/${draft.id}/send`, {});
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('invoice.not_issued');
    const other = await tenant();
    const foreign = await call(other.owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {});
    expect(foreign.statusCode).toBe(404);
  });

  it('a customer without e-mail needs a recipient: 422 delivery.no_recipient', async () => {
    const { owner, issue } = await tenant({ customer: { email: null } });
    const invoice = await issue();
    const response = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(response.statusCode).toBe(422);
    expect(json(response).code).toBe('delivery.no_recipient');
    const overridden = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email', recipient: 'post@kjoper.example' });
    expect(overridden.statusCode).toBe(202);
    await runJobs();
    expect(smtp.accepted.map((mail) => mail.envelopeTo)).toEqual([['post@kjoper.example']]);
  });

  it('a test document goes only to the company\'s own address', async () => {
    const { owner, issue } = await tenant();
    expect((await call(owner, 'POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    const invoice = await issue();
    expect(invoice.isTest).toBe(true);
    const external = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { recipient: 'faktura@kjoper.example' });
    expect(external.statusCode).toBe(422);
    expect(json(external).code).toBe('delivery.test_recipient_not_allowed');
    const sent = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {});
    expect(sent.statusCode).toBe(202);
    expect(json(sent).recipient).toBe('regnskap@testfirma.example');
    await runJobs();
    expect(smtp.accepted.map((mail) => mail.envelopeTo)).toEqual([['regnskap@testfirma.example']]);
    expect(smtp.accepted[0]!.parsed.subject).toContain(invoice.documentNumber);
    expect(invoice.documentNumber).toMatch(/^TEST-/);
  });

  it('an SMTP log-in failure is retried with back-off, then the delivery is dead with the error; the test endpoint names the problem', async () => {
    const { owner, issue } = await tenant();
    smtp.credentials = { username: SMTP_USER, password: 'the server now wants another password' };
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@testfirma.example' });
    expect(test.statusCode).toBe(422);
    expect(json(test)).toMatchObject({ code: 'email.auth_failed', smtpCode: 535 });

    const invoice = await issue();
    const delivery = json(await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, {}));
    const start = clock.now().getTime();
    const states: Doc[] = [];
    for (const delay of [30_000, 60_000]) {
      expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
      const [state] = json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`)).items as Doc[];
      states.push(state!);
      expect(state).toMatchObject({ id: delivery.id, status: 'failed', maxAttempts: 3 });
      expect(state!.lastError).toMatch(/535|Invalid login|auth/i);
      expect(Date.parse(state!.nextAttemptAt)).toBe(clock.now().getTime() + delay);
      expect(await harness.runtime.jobs.runOnce()).toEqual([]);
      clock.advance(delay);
    }
    expect(states.map((state) => state.attempts)).toEqual([1, 2]);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    const [dead] = json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`)).items as Doc[];
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, nextAttemptAt: null, sentAt: null });
    expect(dead!.lastError).toMatch(/535|Invalid login|auth/i);
    expect(smtp.accepted).toHaveLength(0);
    expect(smtp.authAttempts.filter((attempt) => !attempt.ok).length).toBeGreaterThanOrEqual(3);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}`)).sentAt).toBeNull();
    expect(clock.now().getTime() - start).toBe(90_000);

    // Fixed settings, then the user's resend goes through as delivery 2.
    smtp.credentials = { username: SMTP_USER, password: SMTP_PASSWORD };
    const resent = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/resend`, {});
    expect(resent.statusCode, resent.body).toBe(202);
    await runJobs();
    expect(smtp.accepted).toHaveLength(1);
  });

  it('the test endpoint: a message through the saved settings, and 502 email.connection_failed when nobody listens', async () => {
    const { owner } = await tenant();
    const ok = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@testfirma.example' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ recipient: 'meg@testfirma.example' });
    expect(smtp.accepted.map((mail) => mail.envelopeTo)).toEqual([['meg@testfirma.example']]);
    expect(smtp.accepted[0]!.parsed.subject).toMatch(/^Testmelding fra Fakturaflyt/);

    const closed = await startTestSmtpServer();
    const port = closed.port;
    await closed.close();
    expect((await call(owner, 'PUT', '/api/v1/email-settings', settingsBody({ port }))).statusCode).toBe(200);
    const refused = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@testfirma.example' });
    expect(refused.statusCode).toBe(502);
    expect(json(refused).code).toBe('email.connection_failed');
  });

  it('roles: billers send but cannot change settings; read-only users cannot send; everyone reading sees deliveries', async () => {
    const { owner, issue } = await tenant();
    const invoice = await issue();
    const biller = await apiKeyHeaders(harness, owner, 'biller');
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    const accountant = await apiKeyHeaders(harness, owner, 'accountant');
    expect((await call(biller, 'PUT', '/api/v1/email-settings', settingsBody())).statusCode).toBe(403);
    expect((await call(biller, 'POST', '/api/v1/email-settings/test', { to: 'x@testfirma.example' })).statusCode).toBe(403);
    expect((await call(readOnly, 'POST', `/api/v1/invoices/${invoice.id}/send`, {})).statusCode).toBe(403);
    expect((await call(accountant, 'POST', `/api/v1/invoices/${invoice.id}/resend`, {})).statusCode).toBe(403);
    expect((await call(biller, 'POST', `/api/v1/invoices/${invoice.id}/send`, {})).statusCode).toBe(202);
    const seen = await call(readOnly, 'GET', `/api/v1/invoices/${invoice.id}/deliveries`);
    expect(seen.statusCode).toBe(200);
    expect(json(seen).items).toHaveLength(1);
    expect(json(await call(readOnly, 'GET', '/api/v1/email-settings')).hasPassword).toBe(true);
    await runJobs();
  });

  it('the SMTP password appears in no response and no log line', () => {
    expect(bodies.length).toBeGreaterThan(50);
    expect(bodies.filter((body) => body.includes(SMTP_PASSWORD))).toEqual([]);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((line) => line.includes(SMTP_PASSWORD))).toEqual([]);
  });
});
