import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { readExtraCaFile } from '../../src/adapters/mail/extra-ca.js';
import { smtpTlsOptions } from '../../src/adapters/mail/smtp-mailer.js';
import { createLogger } from '../../src/adapters/logger.js';
import { loadConfig } from '../../src/config.js';
import { customerBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { requireOpenssl, shouldSkipTlsTests, type TestCertificates, testCertificates } from '../helpers/tls-certificates.js';

/*
 * SMTP over TLS against real smtp-server instances on loopback, with self-signed certificates
 * made by openssl at test time and trusted through SMTP_EXTRA_CA_FILE. SQLite only: this is
 * mail transport (nodemailer ↔ server), and nothing in it depends on the database dialect;
 * the delivery bookkeeping around it runs on both dialects in email-delivery.test.ts.
 */

type Doc = Record<string, any>;

const SMTP_USER = 'faktura-mailer';
const SMTP_PASSWORD = 'TLS-hemmelig-SMTP-passord!';
const CREDENTIALS = { username: SMTP_USER, password: SMTP_PASSWORD };
const START = '2026-11-27T09:00:00.000Z';

describe.skipIf(shouldSkipTlsTests('e-mail over TLS'))('e-mail over TLS (sqlite)', () => {
  let certificates: TestCertificates;
  let caFile: string;
  let harness: Harness;
  /** Same database layout, but SMTP_ALLOW_INSECURE=true and no SMTP_EXTRA_CA_FILE. */
  let insecureHarness: Harness;
  const servers: Record<'implicit' | 'starttls' | 'implicitUntrusted' | 'starttlsUntrusted' | 'wrongName' | 'plain', TestSmtpServer> = {} as never;
  const clock = fixedClock(START);
  const logs: string[] = [];

  beforeAll(async () => {
    requireOpenssl();
    certificates = testCertificates();
    const [trusted, untrusted, wrongName] = await Promise.all([
      certificates.create('trusted'),
      // The same names, but a certificate nobody trusts.
      certificates.create('untrusted'),
      // Trusted (in the CA file), but issued for another host than the one connected to.
      certificates.create('wrong-name', { commonName: 'mail.other.example', subjectAltName: 'DNS:mail.other.example' }),
    ]);
    caFile = path.join(certificates.dir, 'internal-ca.pem');
    fs.writeFileSync(caFile, `${trusted.cert}\n${wrongName.cert}`);

    const started = await Promise.all([
      startTestSmtpServer({ credentials: CREDENTIALS, tls: { mode: 'implicit', ...trusted } }),
      startTestSmtpServer({ credentials: CREDENTIALS, tls: { mode: 'starttls', ...trusted } }),
      startTestSmtpServer({ credentials: CREDENTIALS, tls: { mode: 'implicit', ...untrusted } }),
      startTestSmtpServer({ credentials: CREDENTIALS, tls: { mode: 'starttls', ...untrusted } }),
      startTestSmtpServer({ credentials: CREDENTIALS, tls: { mode: 'implicit', ...wrongName } }),
      // Plain SMTP that does not offer STARTTLS.
      startTestSmtpServer({ credentials: CREDENTIALS }),
    ]);
    [servers.implicit, servers.starttls, servers.implicitUntrusted, servers.starttlsUntrusted, servers.wrongName, servers.plain] = started;

    const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
    harness = await createHarness('sqlite', {
      env: { SMTP_EXTRA_CA_FILE: caFile },
      clock,
      logger,
      deliveryMaxAttempts: 2,
      smtpTimeoutMs: 5_000,
      jobs: { random: () => 0.5 },
    });
    insecureHarness = await createHarness('sqlite', { env: { SMTP_ALLOW_INSECURE: 'true' }, clock, logger, smtpTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    await harness?.close();
    await insecureHarness?.close();
    await Promise.all(Object.values(servers).map((server) => server.close()));
    certificates?.remove();
  });
  beforeEach(() => {
    for (const server of Object.values(servers)) {
      server.accepted.length = 0;
      server.authAttempts.length = 0;
    }
  });

  async function call(caller: Caller, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, on = harness): Promise<LightMyRequestResponse> {
    return on.app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  }

  function settingsBody(server: TestSmtpServer, security: 'tls' | 'starttls' | 'none', overrides: object = {}) {
    return {
      host: '127.0.0.1',
      port: server.port,
      security,
      username: SMTP_USER,
      password: SMTP_PASSWORD,
      fromAddress: 'faktura@tlsfirma.example',
      fromName: 'TLS-firma Faktura',
      ...overrides,
    };
  }

  /** A tenant whose SMTP settings point at `server` with `security`, and a way to issue an invoice to a customer with e-mail. */
  async function tenant(server: TestSmtpServer, security: 'tls' | 'starttls' | 'none', on = harness) {
    const owner = await createTenant(on);
    const saved = await call(owner, 'PUT', '/api/v1/email-settings', settingsBody(server, security), on);
    expect(saved.statusCode, saved.body).toBe(200);
    const customer = json(await call(owner, 'POST', '/api/v1/customers', customerBody({ email: 'faktura@kjoper.example' }), on));
    const issue = async () => {
      const draft = await call(owner, 'POST', '/api/v1/invoices', {
        customerId: customer.id,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Rådgivning', quantity: '1', unitPrice: '1000.00', vatCode: '3' }],
      }, on);
      expect(draft.statusCode, draft.body).toBe(201);
      const issued = await call(owner, 'POST', `/api/v1/invoices/${json(draft).id}/issue`, undefined, on);
      expect(issued.statusCode, issued.body).toBe(200);
      return json<Doc>(issued);
    };
    return { owner, issue };
  }

  async function deliveriesOf(owner: Caller, invoiceId: string): Promise<Doc[]> {
    return json(await call(owner, 'GET', `/api/v1/invoices/${invoiceId}/deliveries`)).items as Doc[];
  }

  /** Sends the invoice by e-mail, runs the job once: the mail arrived over TLS with the PDF, the delivery is sent. */
  async function expectDeliveredOverTls(server: TestSmtpServer, security: 'tls' | 'starttls') {
    const { owner, issue } = await tenant(server, security);
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@tlsfirma.example' });
    expect(test.statusCode, test.body).toBe(200);
    expect(server.accepted.map((mail) => [mail.envelopeTo, mail.secure])).toEqual([[['meg@tlsfirma.example'], true]]);

    const invoice = await issue();
    const requested = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(requested.statusCode, requested.body).toBe(202);
    expect((await harness.runtime.jobs.runUntilIdle()).map((result) => result.outcome)).toEqual(['succeeded']);
    expect(server.accepted).toHaveLength(2);
    const mail = server.accepted[1]!;
    // smtp-server's session.secure when DATA arrived: the message itself went over TLS.
    expect(mail.secure).toBe(true);
    expect(mail.envelopeTo).toEqual(['faktura@kjoper.example']);
    expect(mail.parsed.subject).toContain(invoice.documentNumber);
    expect(mail.parsed.messageId).toBe(`<${json(requested).id}@tlsfirma.example>`);
    expect(mail.parsed.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      [`Faktura-${invoice.documentNumber}.pdf`, 'application/pdf'],
    ]);
    expect(server.authAttempts.every((attempt) => attempt.ok)).toBe(true);
    expect(server.authAttempts.length).toBeGreaterThan(0);
    expect(await deliveriesOf(owner, invoice.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, lastError: null })]);
  }

  /**
   * The test endpoint answers 502 email.tls_failed, and a delivery fails with the same code on
   * every attempt until it is dead; the server never received a message or the password.
   */
  async function expectTlsFailure(server: TestSmtpServer, security: 'tls' | 'starttls', reason: RegExp) {
    const { owner, issue } = await tenant(server, security);
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@tlsfirma.example' });
    expect(test.statusCode, test.body).toBe(502);
    expect(test.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(json(test)).toMatchObject({ code: 'email.tls_failed' });
    expect(json(test).detail).toMatch(reason);

    const invoice = await issue();
    const requested = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(requested.statusCode, requested.body).toBe(202);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
    const [failed] = await deliveriesOf(owner, invoice.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(failed!.lastError).toMatch(/^email\.tls_failed: /);
    expect(failed!.lastError).toMatch(reason);
    clock.advance(30_000);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['dead']);
    const [dead] = await deliveriesOf(owner, invoice.id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 2, sentAt: null });
    expect(dead!.lastError).toMatch(/^email\.tls_failed: /);

    // Never fell back to clear text: nothing arrived, and the password was never sent.
    expect(server.accepted).toEqual([]);
    expect(server.authAttempts).toEqual([]);
    expect(json(await call(owner, 'GET', `/api/v1/invoices/${invoice.id}`)).sentAt).toBeNull();
  }

  it('(a) implicit TLS: the test message and an invoice arrive over TLS, trusted through SMTP_EXTRA_CA_FILE', async () => {
    await expectDeliveredOverTls(servers.implicit, 'tls');
  });

  it('(b) STARTTLS: the connection is upgraded before log-in, and the test message and an invoice arrive over TLS', async () => {
    await expectDeliveredOverTls(servers.starttls, 'starttls');
  });

  it('(c) an untrusted certificate fails with email.tls_failed — implicit TLS and STARTTLS alike — and nothing is sent in clear', async () => {
    await expectTlsFailure(servers.implicitUntrusted, 'tls', /certificate is not trusted.*self-signed/i);
    await expectTlsFailure(servers.starttlsUntrusted, 'starttls', /certificate is not trusted.*self-signed/i);
  });

  it('(c) a trusted certificate issued for another host fails with email.tls_failed: the host name is checked', async () => {
    await expectTlsFailure(servers.wrongName, 'tls', /issued for another host name.*127\.0\.0\.1/);
  });

  it('(c) without SMTP_EXTRA_CA_FILE the same self-signed certificate is not trusted', async () => {
    const { owner } = await tenant(servers.implicit, 'tls', insecureHarness);
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@tlsfirma.example' }, insecureHarness);
    expect(test.statusCode, test.body).toBe(502);
    expect(json(test).code).toBe('email.tls_failed');
    expect(servers.implicit.accepted).toEqual([]);
  });

  it('(d) starttls against a server that does not offer STARTTLS fails instead of sending in clear; tls against a plain server too', async () => {
    await expectTlsFailure(servers.plain, 'starttls', /does not offer STARTTLS/);
    const { owner } = await tenant(servers.plain, 'tls');
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@tlsfirma.example' });
    expect(test.statusCode, test.body).toBe(502);
    expect(json(test).code).toBe('email.tls_failed');
    expect(json(test).detail).toMatch(/did not answer with TLS/);
    expect(servers.plain.accepted).toEqual([]);
    expect(servers.plain.authAttempts).toEqual([]);
  });

  it('security none: only to a loopback host, unless SMTP_ALLOW_INSECURE=true; tls and starttls go anywhere', async () => {
    const owner = await createTenant(harness);
    const put = (host: string, security: 'tls' | 'starttls' | 'none', on = harness, who = owner) =>
      call(who, 'PUT', '/api/v1/email-settings', settingsBody(servers.plain, security, { host }), on);
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'mail.localhost', '::1', '[::1]']) {
      const saved = await put(host, 'none');
      expect(saved.statusCode, `${host}: ${saved.body}`).toBe(200);
    }
    for (const host of ['smtp.example.no', '10.0.0.5', '192.168.1.10', 'localhost.example.no', '127.0.0.1.example.no', '::ffff:127.0.0.1', '::2']) {
      const refused = await put(host, 'none');
      expect(refused.statusCode, host).toBe(400);
      expect(json(refused).errors).toEqual([expect.objectContaining({ path: 'security', code: 'security.none_not_allowed' })]);
    }
    for (const security of ['tls', 'starttls'] as const) {
      expect((await put('smtp.example.no', security)).statusCode).toBe(200);
    }
    const other = await createTenant(insecureHarness);
    const allowed = await put('smtp.example.no', 'none', insecureHarness, other);
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(json(allowed)).toMatchObject({ host: 'smtp.example.no', security: 'none' });
  });

  it('plain SMTP saved while SMTP_ALLOW_INSECURE was on is refused at send time once it is off', async () => {
    const { owner, issue } = await tenant(servers.plain, 'none');
    const acceptedBefore = servers.plain.accepted.length;
    // As if saved under SMTP_ALLOW_INSECURE=true: a plain-text host outside this machine.
    await harness.runtime.db.kysely
      .updateTable('email_settings')
      .set({ host: 'smtp.example.no' })
      .where('company_id', '=', owner.companyId)
      .execute();
    const test = await call(owner, 'POST', '/api/v1/email-settings/test', { to: 'meg@klartekst.example' });
    expect(test.statusCode, test.body).toBe(422);
    expect(json(test)).toMatchObject({ code: 'email.insecure_not_allowed' });

    const invoice = await issue();
    const requested = await call(owner, 'POST', `/api/v1/invoices/${invoice.id}/send`, { channel: 'email' });
    expect(requested.statusCode, requested.body).toBe(202);
    expect((await harness.runtime.jobs.runOnce()).map((result) => result.outcome)).toEqual(['failed']);
    const [failed] = await deliveriesOf(owner, invoice.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 0, sentAt: null });
    expect(failed!.lastError).toMatch(/^email\.insecure_not_allowed: /);
    expect(servers.plain.accepted).toHaveLength(acceptedBefore);
  });

  it('the SMTP password appears in no log line, TLS failures included', () => {
    expect(logs.some((line) => /TLS failed/.test(line))).toBe(true);
    expect(logs.filter((line) => line.includes(SMTP_PASSWORD))).toEqual([]);
  });

  it('SMTP_EXTRA_CA_FILE: read with every certificate; an unreadable or empty file stops start-up with the reason', () => {
    expect(loadConfig({ SMTP_EXTRA_CA_FILE: caFile }).SMTP_EXTRA_CA_FILE).toBe(caFile);
    expect(loadConfig({}).SMTP_EXTRA_CA_FILE).toBeUndefined();
    const read = readExtraCaFile(caFile);
    expect(read).toHaveLength(2);
    expect(read.every((pem) => pem.startsWith('-----BEGIN CERTIFICATE-----'))).toBe(true);

    expect(() => readExtraCaFile(path.join(certificates.dir, 'missing.pem'))).toThrow(/^SMTP_EXTRA_CA_FILE: cannot read .*missing\.pem/);
    const notPem = path.join(certificates.dir, 'not-pem.txt');
    fs.writeFileSync(notPem, 'just text\n');
    expect(() => readExtraCaFile(notPem)).toThrow(/^SMTP_EXTRA_CA_FILE: .* holds no PEM certificate/);
    const broken = path.join(certificates.dir, 'broken.pem');
    fs.writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(() => readExtraCaFile(broken)).toThrow(/^SMTP_EXTRA_CA_FILE: certificate 1 .* is not valid/);
  });

  it('extra CAs are trusted in addition to the built-in roots, and certificates are always verified', () => {
    const extra = readExtraCaFile(caFile);
    const withExtra = smtpTlsOptions('smtp.example.no', extra);
    expect(withExtra).toMatchObject({ rejectUnauthorized: true, servername: 'smtp.example.no', minVersion: 'TLSv1.2' });
    expect(withExtra.ca).toEqual([...tls.rootCertificates, ...extra]);
    expect(tls.rootCertificates.length).toBeGreaterThan(100);
    // Without extra CAs Node's default store is used untouched (no `ca` replaces it).
    const plain = smtpTlsOptions('127.0.0.1', []);
    expect(plain).toEqual({ minVersion: 'TLSv1.2', rejectUnauthorized: true });
  });
});
