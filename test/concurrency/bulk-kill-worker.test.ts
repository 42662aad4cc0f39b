// Bulk issue-and-send under a crash: 30 drafts, one bulk operation, a real `fakturaflyt worker`
// process and a real SMTP server on loopback. The operation runs in chunks of 5, one after the
// other, each chunk's e-mails going out while the next waits. The server accepts the first
// messages and then stops answering DATA, so the worker's two job slots fill with stalled
// sends and the operation cannot go on; the worker is SIGKILLed there, in the middle of the
// bulk send. A new worker finishes it. Every invoice must be issued exactly once (one number,
// one journal entry, numbers contiguous in the order given) and mailed exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyContext } from '../../src/app/context.js';
import { emailSettingsUpdateSchema } from '../../src/app/email-settings.schemas.js';
import { invoiceCreateSchema } from '../../src/app/invoice.schemas.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { createTestDatabase, DIALECTS, TEST_ENCRYPTION_KEY, type TestDatabase } from '../helpers/dialects.js';
import { makeCompanyInput, makeCustomerInput } from '../helpers/factories.js';
import { testPasswords } from '../helpers/harness.js';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startWorker, waitFor, type WorkerProcess, workerEnv, workerLogs } from '../helpers/worker-process.js';

const COUNT = 30;
const CHUNK = 5;
/** Messages answered with 250 before the server starts to stall. */
const ACCEPT_BEFORE_STALL = 3;

describe.each(DIALECTS)('killing the worker in the middle of a bulk issue-and-send (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  let runtime: Runtime | undefined;
  let smtp: TestSmtpServer | undefined;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await runtime?.close();
    await smtp?.close();
    await database?.drop();
  }, 30_000);

  it(`issues and mails each of ${COUNT} drafts exactly once across a SIGKILL`, async () => {
    const env = workerEnv(database!, TEST_ENCRYPTION_KEY, 2);
    runtime = await createRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { passwords: testPasswords, bulkChunkSize: CHUNK });
    const { services, db } = runtime;
    const company = await services.companies.createCompany(makeCompanyInput(), { type: 'system', id: null, label: 'test' });
    const ctx: CompanyContext = { companyId: company.id, role: 'owner', actor: { type: 'user', id: null, label: 'kari@bulk.example' }, ipAddress: null };
    await services.emailSettings.updateSettings(
      ctx,
      emailSettingsUpdateSchema.parse({ host: '127.0.0.1', port: smtp!.port, security: 'none', fromAddress: 'faktura@bulk.example' }),
    );
    const customer = await services.customers.createCustomer(ctx, makeCustomerInput({ email: 'mottak@kunde.example' }));
    const drafts = [];
    for (let index = 0; index < COUNT; index++) {
      drafts.push(
        await services.invoices.createDraft(
          ctx,
          invoiceCreateSchema.parse({
            customerId: customer.id,
            deliveryDate: '2026-11-20',
            lines: [{ description: `Levering ${index + 1}`, quantity: '1', unitPrice: `${100 + index}.00`, vatCode: '3' }],
          }),
        ),
      );
    }
    const draftIds = drafts.map((draft) => draft.id);
    const operation = await services.bulk.startIssueAndSend(ctx, { invoiceIds: draftIds });
    const progress = () => services.bulk.getOperation(ctx, operation.id);

    smtp!.decide = () => (smtp!.accepted.length < ACCEPT_BEFORE_STALL ? 'accept' : 'hold');
    const first = startWorker(env);
    workers.push(first);
    const logs = () => workerLogs(workers);
    // Both job slots hold a stalled send: the worker can do nothing more.
    await waitFor('both job slots to stall', () => smtp!.held.length >= 2, 60_000, logs);
    const atKill = await progress();
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(-1);
    // Killed in the middle of the bulk send: some invoices issued, others still drafts.
    expect(atKill.status).toBe('running');
    expect(atKill.done).toBeGreaterThanOrEqual(CHUNK);
    expect(atKill.done).toBeLessThan(COUNT);
    const heldAtKill = smtp!.held.map((mail) => mail.parsed.messageId);
    const acceptedAtKill = smtp!.accepted.length;
    expect(acceptedAtKill).toBeGreaterThanOrEqual(ACCEPT_BEFORE_STALL);

    // A new worker: the server answers again; the dead worker's jobs come back when their leases expire.
    smtp!.decide = () => 'accept';
    const second = startWorker(env);
    workers.push(second);
    await waitFor('the operation to complete', async () => (await progress()).status !== 'running', 90_000, logs);
    await waitFor(`${COUNT} mails`, () => smtp!.accepted.length >= COUNT, 60_000, logs);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const done = await progress();
    expect(done).toMatchObject({ status: 'completed', total: COUNT, done: COUNT, succeeded: COUNT, failed: 0 });
    const items = done.items!;
    expect(items.map((item) => item.invoiceId)).toEqual(draftIds);
    expect(items.every((item) => item.status === 'succeeded' && item.deliveryStatus === 'sent')).toBe(true);

    // Issued exactly once each: one number per invoice, contiguous in the order given, one journal entry each.
    const invoices = await db.kysely
      .selectFrom('invoices')
      .select(['id', 'number', 'document_number', 'state', 'journal_entry_id', 'sent_at'])
      .where('company_id', '=', company.id)
      .execute();
    const byId = new Map(invoices.map((row) => [row.id, row]));
    const numbers = draftIds.map((id) => Number(byId.get(id)!.number));
    expect(numbers).toEqual(numbers.map((_, index) => numbers[0]! + index));
    expect(items.map((item) => item.documentNumber)).toEqual(draftIds.map((id) => byId.get(id)!.document_number));
    expect(invoices.every((row) => row.state === 'issued' && row.sent_at !== null)).toBe(true);
    const journal = await db.kysely.selectFrom('journal_entries').select('id').where('company_id', '=', company.id).execute();
    expect(journal).toHaveLength(COUNT);
    const issuedEvents = await db.kysely
      .selectFrom('audit_events')
      .select(['entity_id', 'actor_label'])
      .where('company_id', '=', company.id)
      .where('action', '=', 'invoice.issued')
      .execute();
    expect(issuedEvents.map((event) => event.entity_id).sort()).toEqual([...draftIds].sort());
    expect(new Set(issuedEvents.map((event) => event.actor_label))).toEqual(new Set(['kari@bulk.example']));

    // Mailed exactly once each: by invoice number (subject) and by Message-ID.
    const received = smtp!.accepted;
    expect(received).toHaveLength(COUNT);
    const subjects = received.map((mail) => /^Faktura (\S+) fra /.exec(mail.parsed.subject ?? '')?.[1]);
    expect([...subjects].sort()).toEqual(items.map((item) => item.documentNumber).sort());
    const messageIds = received.map((mail) => mail.parsed.messageId);
    expect([...messageIds].sort()).toEqual(items.map((item) => `<${item.deliveryId}@bulk.example>`).sort());
    // The messages stalled at the kill went out again, once, with the same Message-ID.
    for (const messageId of heldAtKill) expect(messageIds.filter((id) => id === messageId)).toHaveLength(1);

    const deliveries = await db.kysely.selectFrom('deliveries').select(['invoice_id', 'status']).where('company_id', '=', company.id).execute();
    expect(deliveries.map((row) => row.invoice_id).sort()).toEqual([...draftIds].sort());
    expect(deliveries.every((row) => row.status === 'sent')).toBe(true);
    const jobs = await db.kysely.selectFrom('jobs').select(['type', 'status']).where('company_id', '=', company.id).execute();
    expect(jobs.filter((job) => job.type === 'bulk.chunk')).toHaveLength(COUNT / CHUNK);
    expect(jobs.every((job) => job.status === 'succeeded')).toBe(true);
  }, 180_000);
});
