import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkChunkJob } from '../../src/app/jobs/definitions/bulk-chunk.job.js';
import { enqueueJob } from '../../src/app/jobs/job-queue.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { readZip } from '../helpers/zip.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

const LINES = [{ description: 'Rådgivning', quantity: '2', unitPrice: '1250.00', vatCode: '3' }];

describe.each(DIALECTS)('bulk operations over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    // Chunks of 2: an operation of 5 runs as a chain of three jobs.
    harness = await createHarness(dialect, { bulkChunkSize: 2, smtpTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    await harness?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.accepted.length = 0;
    smtp.decide = () => 'accept';
  });

  async function call(caller: Caller | Record<string, string>, method: Method, url: string, payload?: object, extra: Record<string, string> = {}) {
    const headers = { ...('headers' in caller ? (caller.headers as Record<string, string>) : caller), ...extra };
    return harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  }
  const ok = (response: LightMyRequestResponse, status = 200) => {
    expect(response.statusCode, response.body).toBe(status);
    return json<Doc>(response);
  };
  const runJobs = () => harness.runtime.jobs.runUntilIdle();
  const db = () => harness.runtime.db.kysely;

  /** A tenant with SMTP set up, a customer with e-mail and one without. */
  async function tenant(options: { configure?: boolean } = {}) {
    const owner = await createTenant(harness);
    if (options.configure !== false) {
      ok(await call(owner, 'PUT', '/api/v1/email-settings', { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'faktura@bulk.example' }));
    }
    const customer = ok(await call(owner, 'POST', '/api/v1/customers', customerBody({ email: 'mottak@kunde.example' })), 201);
    const noEmail = ok(await call(owner, 'POST', '/api/v1/customers', customerBody({ email: undefined })), 201);
    const draft = async (body: object = {}) =>
      ok(await call(owner, 'POST', '/api/v1/invoices', { customerId: customer.id, deliveryDate: '2026-11-20', lines: LINES, ...body }), 201);
    const issued = async (body: object = {}) => draft({ issue: true, ...body });
    return { owner, customer, noEmail, draft, issued };
  }

  async function countRows(table: 'deliveries' | 'bulk_operations', companyId: string): Promise<number> {
    const row = await db()
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('issues and sends drafts: per-item outcomes, numbers contiguous in the order given, one mail each', async () => {
    const { owner, noEmail, draft } = await tenant();
    const first = await draft();
    const second = await draft();
    const incomplete = await draft({ deliveryDate: undefined, lines: [] });
    const withoutEmail = await draft({ customerId: noEmail.id });
    const last = await draft();
    const ids = [first.id, second.id, incomplete.id, withoutEmail.id, last.id];

    const started = ok(await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: ids }), 202);
    expect(started).toMatchObject({ kind: 'issue_and_send', status: 'queued', total: 5, done: 0, failed: 0, createdBy: owner.email });
    expect(started.items.map((item: Doc) => [item.invoiceId, item.status])).toEqual(ids.map((id) => [id, 'pending']));
    expect(smtp.accepted).toHaveLength(0);

    const results = await runJobs();
    expect(results.filter((result) => result.type === 'bulk.chunk').map((result) => result.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const operation = ok(await call(owner, 'GET', `/api/v1/bulk/${started.id}`));
    expect(operation).toMatchObject({ status: 'completed_with_errors', total: 5, done: 5, succeeded: 3, failed: 2 });
    expect(operation.startedAt).not.toBeNull();
    expect(operation.finishedAt).not.toBeNull();
    const [a, b, c, d, e] = operation.items as Doc[];

    // Issued in the order given, numbers without a gap: the draft failing the legal check took none.
    const numbers = [a, b, d, e].map((item) => Number(item!.documentNumber));
    expect(numbers.every(Number.isInteger)).toBe(true);
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2, numbers[0]! + 3]);

    for (const item of [a, b, e]) {
      expect(item).toMatchObject({ status: 'succeeded', isIssued: true, errorCode: null, deliveryStatus: 'sent' });
      expect(item!.deliveryId).toEqual(expect.any(String));
    }
    expect(c).toMatchObject({ status: 'failed', isIssued: false, documentNumber: null, errorCode: 'invoice.incomplete', deliveryId: null });
    expect(c!.missing.length).toBeGreaterThan(0);
    expect(c!.missing).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.any(String), code: expect.any(String) })]));
    expect(ok(await call(owner, 'GET', `/api/v1/invoices/${incomplete.id}`)).status).toBe('draft');

    expect(d).toMatchObject({ status: 'failed', isIssued: true, errorCode: 'delivery.no_recipient', deliveryId: null });
    expect(d!.errorMessage).toContain('missing e-mail');
    expect(d!.errorMessage).toContain(d!.documentNumber);
    expect(ok(await call(owner, 'GET', `/api/v1/invoices/${withoutEmail.id}`)).status).toBe('issued');

    // One mail per sent invoice, to the customer, with its number.
    const subjects = smtp.accepted.map((mail) => /^Faktura (\S+) fra /.exec(mail.parsed.subject ?? '')?.[1]);
    expect(subjects.sort()).toEqual([a, b, e].map((item) => item!.documentNumber).sort());
    expect(smtp.accepted.every((mail) => mail.envelopeTo.join() === 'mottak@kunde.example')).toBe(true);
    for (const id of [first.id, second.id, last.id]) expect(ok(await call(owner, 'GET', `/api/v1/invoices/${id}`)).status).toBe('sent');

    // The audit log names the requester for the issues, and the operation's start and end.
    const audit = ok(await call(owner, 'GET', '/api/v1/audit-events?limit=100')).items as Doc[];
    const issues = audit.filter((event) => event.action === 'invoice.issued');
    expect(issues).toHaveLength(4);
    expect(issues.every((event) => event.actorLabel === owner.email)).toBe(true);
    expect(audit.filter((event) => event.action === 'bulk_operation.started' && event.entityId === started.id)).toHaveLength(1);
    expect(audit.filter((event) => event.action === 'bulk_operation.completed' && event.entityId === started.id)).toHaveLength(1);

    // Running it again — nothing due, then a duplicate of every chunk job — changes nothing and sends nothing.
    expect(await runJobs()).toEqual([]);
    const deliveriesBefore = await countRows('deliveries', owner.companyId);
    for (const chunk of [0, 1, 2]) {
      await enqueueJob(db(), { clock: harness.runtime.clock, ids: { newId: () => crypto.randomUUID() } }, bulkChunkJob, {
        companyId: owner.companyId,
        operationId: started.id,
        chunk,
      }, { companyId: owner.companyId, uniqueKey: `duplicate:${started.id}:${chunk}` });
    }
    expect((await runJobs()).map((result) => result.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(smtp.accepted).toHaveLength(3);
    expect(await countRows('deliveries', owner.companyId)).toBe(deliveriesBefore);
    expect(ok(await call(owner, 'GET', `/api/v1/bulk/${started.id}`))).toMatchObject({ status: 'completed_with_errors', done: 5, failed: 2 });
    const issuedAgain = (ok(await call(owner, 'GET', '/api/v1/audit-events?limit=100')).items as Doc[]).filter((event) => event.action === 'invoice.issued');
    expect(issuedAgain).toHaveLength(4);
  });

  it('after a crash between issuing and recording, the rerun sends the issued invoice once and goes on', async () => {
    const { owner, draft } = await tenant();
    const crashed = await draft();
    const next = await draft();
    const started = ok(await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [crashed.id, next.id] }), 202);
    // What a worker killed mid-item had done: issued the first draft and queued its e-mail, recorded nothing.
    const ctx = { companyId: owner.companyId, role: 'owner' as const, actor: { type: 'user' as const, id: owner.userId, label: owner.email }, ipAddress: null };
    const issued = await harness.runtime.services.invoices.issueInvoice(ctx, crashed.id);
    const { delivery } = await harness.runtime.services.deliveries.send(ctx, crashed.id, { channel: 'email' });

    await runJobs();
    const operation = ok(await call(owner, 'GET', `/api/v1/bulk/${started.id}`));
    expect(operation).toMatchObject({ status: 'completed', done: 2, failed: 0 });
    expect(operation.items[0]).toMatchObject({ status: 'succeeded', documentNumber: issued.documentNumber, deliveryId: delivery.id, deliveryStatus: 'sent' });
    expect(Number(operation.items[1].documentNumber)).toBe(Number(issued.documentNumber) + 1);
    expect(smtp.accepted.map((mail) => mail.parsed.messageId).sort()).toEqual(
      [`<${delivery.id}@bulk.example>`, `<${operation.items[1].deliveryId}@bulk.example>`].sort(),
    );
    expect(await countRows('deliveries', owner.companyId)).toBe(2);
  });

  it('without SMTP settings every invoice is issued and its item says e-mail is not configured', async () => {
    const { owner, draft } = await tenant({ configure: false });
    const drafts = [await draft(), await draft()];
    const started = ok(await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: drafts.map((doc) => doc.id) }), 202);
    await runJobs();
    const operation = ok(await call(owner, 'GET', `/api/v1/bulk/${started.id}`));
    expect(operation).toMatchObject({ status: 'completed_with_errors', done: 2, failed: 2 });
    for (const item of operation.items as Doc[]) {
      expect(item).toMatchObject({ status: 'failed', isIssued: true, errorCode: 'email.not_configured' });
      expect(item.errorMessage).toMatch(/^Issued as \S+, but not sent/);
    }
    expect(smtp.accepted).toHaveLength(0);
  });

  it('refuses foreign, unknown and non-draft ids per position, honours Idempotency-Key and checks permissions', async () => {
    const { owner, draft, issued } = await tenant();
    const other = await tenant();
    const foreign = await other.draft();
    const mine = await draft();
    const alreadyIssued = await issued();

    const crossTenant = await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [mine.id, foreign.id] });
    expect(crossTenant.statusCode).toBe(404);
    expect(json(crossTenant)).toMatchObject({ code: 'invoice.not_found', errors: [{ path: 'invoiceIds.1', code: 'invoice.not_found' }] });
    expect(crossTenant.body).not.toContain(foreign.id);
    const notDraft = await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [alreadyIssued.id, mine.id] });
    expect(notDraft.statusCode).toBe(409);
    expect(json(notDraft)).toMatchObject({ code: 'invoice.not_draft', errors: [{ path: 'invoiceIds.0', code: 'invoice.not_draft' }] });
    const draftZip = await call(owner, 'POST', '/api/v1/bulk/pdf-zip', { invoiceIds: [mine.id] });
    expect(draftZip.statusCode).toBe(409);
    expect(json(draftZip)).toMatchObject({ code: 'invoice.not_issued', errors: [{ path: 'invoiceIds.0' }] });
    expect((await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [] })).statusCode).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, index) => `id-${index}`);
    expect((await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: tooMany })).statusCode).toBe(400);
    expect(await countRows('bulk_operations', owner.companyId)).toBe(0);
    // The other company sees nothing of this one's operations.
    const foreignOperation = ok(await call(other.owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [foreign.id] }), 202);
    expect((await call(owner, 'GET', `/api/v1/bulk/${foreignOperation.id}`)).statusCode).toBe(404);
    expect(ok(await call(owner, 'GET', '/api/v1/bulk')).items).toEqual([]);

    // The same Idempotency-Key answers with the first operation and starts nothing new; repeated ids count once.
    const key = { 'idempotency-key': `bulk-${mine.id}` };
    const once = ok(await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [mine.id, mine.id] }, key), 202);
    expect(once.total).toBe(1);
    const twice = await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [mine.id, mine.id] }, key);
    expect(twice.statusCode).toBe(202);
    expect(twice.headers['idempotent-replayed']).toBe('true');
    expect(json(twice).id).toBe(once.id);
    expect((ok(await call(owner, 'GET', '/api/v1/bulk')).items as Doc[]).map((operation) => operation.id)).toEqual([once.id]);

    // Issuing needs invoices.issue; a ZIP needs only read access.
    const accountant = await apiKeyHeaders(harness, owner, 'accountant');
    const denied = await call(accountant, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [mine.id] });
    expect(denied.statusCode).toBe(403);
    const readOnly = await apiKeyHeaders(harness, owner, 'read_only');
    ok(await call(readOnly, 'POST', '/api/v1/bulk/pdf-zip', { invoiceIds: [alreadyIssued.id] }), 202);
    ok(await call(readOnly, 'GET', `/api/v1/bulk/${once.id}`));
  });

  it('archives the PDFs and streams a ZIP whose entries are byte-identical to the served PDFs', async () => {
    const { owner, issued } = await tenant();
    const invoices = [await issued(), await issued(), await issued()];
    const creditNote = ok(await call(owner, 'POST', `/api/v1/invoices/${invoices[0]!.id}/credit-note`, { reason: 'Feil pris' }), 201);
    const documents = [...invoices, creditNote];
    // One PDF archived before: served from the archive like the rest.
    const early = await call(owner, 'GET', `/api/v1/invoices/${invoices[1]!.id}/pdf`);
    expect(early.statusCode).toBe(200);

    const started = ok(await call(owner, 'POST', '/api/v1/bulk/pdf-zip', { invoiceIds: documents.map((doc) => doc.id) }), 202);
    const notReady = await call(owner, 'GET', `/api/v1/bulk/${started.id}/download`);
    expect(notReady.statusCode).toBe(409);
    expect(json(notReady)).toMatchObject({ code: 'bulk.not_ready', status: 409 });
    const archivedBefore = await db().selectFrom('document_files').select('invoice_id').where('company_id', '=', owner.companyId).execute();
    expect(archivedBefore.map((row) => row.invoice_id)).toEqual([invoices[1]!.id]);

    await runJobs();
    const operation = ok(await call(owner, 'GET', `/api/v1/bulk/${started.id}`));
    expect(operation).toMatchObject({ kind: 'pdf_zip', status: 'completed', total: 4, done: 4, succeeded: 4, failed: 0 });
    const expectedNames = [...invoices.map((doc) => `Faktura-${doc.documentNumber}.pdf`), `Kreditnota-${creditNote.documentNumber}.pdf`];
    expect((operation.items as Doc[]).map((item) => item.fileName)).toEqual(expectedNames);
    const archived = await db().selectFrom('document_files').select('invoice_id').where('company_id', '=', owner.companyId).execute();
    expect(archived.map((row) => row.invoice_id).sort()).toEqual(documents.map((doc) => doc.id).sort());

    const download = await call(owner, 'GET', `/api/v1/bulk/${started.id}/download`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="Fakturaer-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(Number(download.headers['content-length'])).toBe(download.rawPayload.length);
    const entries = readZip(download.rawPayload);
    expect(entries.map((entry) => entry.name)).toEqual(expectedNames);
    for (const [index, doc] of documents.entries()) {
      const served = await call(owner, 'GET', `/api/v1/invoices/${doc.id}/pdf`);
      expect(served.statusCode).toBe(200);
      expect(Buffer.compare(entries[index]!.data, served.rawPayload), expectedNames[index]).toBe(0);
      expect(entries[index]!.method).toBe('stored');
      expect((operation.items as Doc[])[index]!.byteSize).toBe(served.rawPayload.length);
    }

    // An issue-and-send operation has no download; another company's operation does not exist.
    const draft = ok(await call(owner, 'POST', '/api/v1/invoices', { customerId: invoices[0]!.customerId, deliveryDate: '2026-11-20', lines: LINES }), 201);
    const sendOperation = ok(await call(owner, 'POST', '/api/v1/bulk/issue-and-send', { invoiceIds: [draft.id] }), 202);
    expect(json(await call(owner, 'GET', `/api/v1/bulk/${sendOperation.id}/download`))).toMatchObject({ code: 'bulk.not_downloadable' });
    const stranger = await createTenant(harness);
    expect((await call(stranger, 'GET', `/api/v1/bulk/${started.id}/download`)).statusCode).toBe(404);
    const listed = ok(await call(owner, 'GET', '/api/v1/bulk?limit=1')).items as Doc[];
    expect(listed.map((item) => [item.id, item.items])).toEqual([[sendOperation.id, undefined]]);
  });
});
