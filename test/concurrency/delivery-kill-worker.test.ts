// Exactly-once e-mail under a crash: a real `fakturaflyt worker` process sends 30 invoices
// through a real SMTP server on loopback. The server stops answering the DATA of later
// messages (a stall after the message body, before the 250), and the worker is SIGKILLed
// while it waits. A message never answered with 250 was not accepted (RFC 5321 §4.1.1.4),
// so it does not count as received. A new worker then finishes the batch. Every invoice must
// be received exactly once — counted by invoice number and by Message-ID — every delivery
// must be `sent` and every invoice marked sent.
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
import { startWorker, waitFor, type WorkerProcess as Worker, workerEnv, workerLogs } from '../helpers/worker-process.js';

const COUNT = 30;
/** Messages answered with 250 before the server starts to stall. */
const ACCEPT_BEFORE_STALL = 8;

describe.each(DIALECTS)('killing the worker in the middle of a bulk send (%s)', (dialect) => {
  let database: TestDatabase | undefined;
  let runtime: Runtime | undefined;
  let smtp: TestSmtpServer | undefined;
  const workers: Worker[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    smtp = await startTestSmtpServer({ credentials: { username: 'bulk', password: 'bulk-passord' } });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await runtime?.close();
    await smtp?.close();
    await database?.drop();
  }, 30_000);

  it(`sends each of ${COUNT} invoices exactly once across a SIGKILL`, async () => {
    const env = workerEnv(database!, TEST_ENCRYPTION_KEY, 4);
    runtime = await createRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { passwords: testPasswords });
    const { services, db } = runtime;
    const company = await services.companies.createCompany(makeCompanyInput(), { type: 'system', id: null, label: 'test' });
    const ctx: CompanyContext = { companyId: company.id, role: 'owner', actor: { type: 'cli', id: null, label: 'test' }, ipAddress: null };
    await services.emailSettings.updateSettings(
      ctx,
      emailSettingsUpdateSchema.parse({
        host: '127.0.0.1',
        port: smtp!.port,
        security: 'none',
        username: 'bulk',
        password: 'bulk-passord',
        fromAddress: 'faktura@bulk.example',
      }),
    );
    const customer = await services.customers.createCustomer(ctx, makeCustomerInput({ email: 'mottak@kunde.example' }));
    const invoices = [];
    for (let index = 0; index < COUNT; index++) {
      const draft = await services.invoices.createDraft(
        ctx,
        invoiceCreateSchema.parse({
          customerId: customer.id,
          deliveryDate: '2026-11-20',
          lines: [{ description: `Levering ${index + 1}`, quantity: '1', unitPrice: `${100 + index}.00`, vatCode: '3' }],
        }),
      );
      invoices.push(await services.invoices.issueInvoice(ctx, draft.id));
    }
    const deliveries = [];
    for (const invoice of invoices) deliveries.push((await services.deliveries.send(ctx, invoice.id, { channel: 'email' })).delivery);
    const numberOf = new Map(invoices.map((invoice) => [invoice.id, invoice.documentNumber!]));
    const countSent = async () =>
      Number(
        (
          await db.kysely
            .selectFrom('deliveries')
            .select((eb) => eb.fn.countAll<string | number>().as('n'))
            .where('company_id', '=', company.id)
            .where('status', '=', 'sent')
            .executeTakeFirstOrThrow()
        ).n,
      );

    // The server accepts the first messages, then holds every DATA answer back.
    smtp!.decide = () => (smtp!.accepted.length < ACCEPT_BEFORE_STALL ? 'accept' : 'hold');
    const first = startWorker(env);
    workers.push(first);
    const logs = () => workerLogs(workers);
    await waitFor('a stalled message', () => smtp!.held.length > 0, 60_000, logs);
    // Every message the server did accept is recorded as sent: no send sits between 250 and commit.
    await waitFor('the accepted messages to be committed', async () => (await countSent()) === smtp!.accepted.length, 10_000, logs);
    const acceptedBeforeKill = smtp!.accepted.length;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(-1);
    const heldAtKill = smtp!.held.map((mail) => mail.parsed.messageId);
    expect(acceptedBeforeKill).toBe(ACCEPT_BEFORE_STALL);
    expect(heldAtKill.length).toBeGreaterThan(0);
    const stranded = await db.kysely
      .selectFrom('deliveries')
      .select(['id', 'status'])
      .where('company_id', '=', company.id)
      .where('status', '=', 'sending')
      .execute();
    expect(stranded.length).toBeGreaterThanOrEqual(heldAtKill.length);

    // A new worker: the server answers again; the dead worker's jobs come back when their leases expire.
    smtp!.decide = () => 'accept';
    const second = startWorker(env);
    workers.push(second);
    await waitFor(`${COUNT} deliveries sent`, async () => (await countSent()) === COUNT, 90_000, logs);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Received exactly once: by invoice number (subject) and by Message-ID.
    const received = smtp!.accepted;
    expect(received).toHaveLength(COUNT);
    const numbers = received.map((mail) => /^Faktura (\S+) fra /.exec(mail.parsed.subject ?? '')?.[1]);
    expect([...numbers].sort()).toEqual([...numberOf.values()].sort());
    const messageIds = received.map((mail) => mail.parsed.messageId);
    expect(new Set(messageIds).size).toBe(COUNT);
    expect([...messageIds].sort()).toEqual(deliveries.map((delivery) => `<${delivery.id}@bulk.example>`).sort());
    // The messages that were stalled at the kill went out again, once, with the same Message-ID.
    for (const messageId of heldAtKill) expect(messageIds.filter((id) => id === messageId)).toHaveLength(1);

    const rows = await db.kysely.selectFrom('deliveries').selectAll().where('company_id', '=', company.id).execute();
    expect(rows.map((row) => row.status)).toEqual(Array(COUNT).fill('sent'));
    const retried = rows.filter((row) => heldAtKill.includes(row.message_id ?? ''));
    expect(retried.map((row) => row.attempts)).toEqual(Array(heldAtKill.length).fill(2));
    const unsent = await db.kysely
      .selectFrom('invoices')
      .select('id')
      .where('company_id', '=', company.id)
      .where('kind', '=', 'invoice')
      .where('sent_at', 'is', null)
      .execute();
    expect(unsent).toEqual([]);
    const jobs = await db.kysely.selectFrom('jobs').select(['status']).where('company_id', '=', company.id).execute();
    expect(jobs.map((job) => job.status)).toEqual(Array(COUNT).fill('succeeded'));
  }, 180_000);
});
