// Two real `fakturaflyt serve` processes on one PostgreSQL schema; 200 drafts are issued
// by 200 concurrent HTTP requests split over both. Every request must succeed (no conflict
// may be swallowed or surface as a 409/500), the numbers must be exactly 1..200, each
// acknowledged number must read back from the other process, and the books must balance.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { createTestDatabase, DIALECTS, POSTGRES_URL, TEST_ENCRYPTION_KEY, type TestDatabase } from '../helpers/dialects.js';
import { makeCompanyInput, makeCustomerInput } from '../helpers/factories.js';
import { testPasswords } from '../helpers/harness.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const COUNT = 200;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  name: string;
  base: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<void>;
  exitCode: number | null | undefined;
}

/** Starts `tsx src/cli-main.ts serve` in its own process group (tsx runs node as a child). */
async function startServer(name: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = spawn(tsx, ['src/cli-main.ts', 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const server: Server = { name, base: `http://127.0.0.1:${port}`, child, output: [], exited: Promise.resolve(), exitCode: undefined };
  const keep = (chunk: Buffer) => {
    server.output.push(chunk.toString('utf8'));
    if (server.output.length > 400) server.output.splice(0, server.output.length - 400);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  server.exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      server.exitCode = code ?? (signal ? -1 : null);
      resolve();
    }),
  );
  return server;
}

async function waitForHealth(server: Server, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (server.exitCode !== undefined) {
      throw new Error(`${server.name} exited with ${server.exitCode} before it was healthy:\n${server.output.join('')}`);
    }
    try {
      const response = await fetch(`${server.base}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) {
        const body = (await response.json()) as { database: string };
        if (body.database !== 'postgres') throw new Error(`${server.name} is not on PostgreSQL: ${JSON.stringify(body)}`);
        return;
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes('not on PostgreSQL')) throw error;
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${server.name} did not answer /api/v1/health within ${deadlineMs} ms:\n${server.output.join('')}`);
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.exitCode !== undefined || server.child.pid === undefined) return;
  const group = -server.child.pid;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timedOut = await Promise.race([server.exited.then(() => false), sleep(5000).then(() => true)]);
  if (timedOut) {
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await Promise.race([server.exited, sleep(2000)]);
  }
}

interface Reply {
  status: number;
  body: any;
  text: string;
}

async function call(base: string, method: string, url: string, headers: Record<string, string>, payload?: unknown): Promise<Reply> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    signal: AbortSignal.timeout(45_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

describe.runIf(DIALECTS.includes('postgres'))('issuing from two app processes on one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let runtime: Runtime | undefined;
  let servers: Server[] = [];
  let bearer: Record<string, string>;
  let ctx: CompanyContext;
  let customerId: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: database.schema!,
      PASSWORD_HASH_COST: '10',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '10',
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    };
    // Migrate once here, before the servers start, so they do not race each other's migrations.
    const config = loadConfig({ DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: database.schema!, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'silent', ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
    runtime = await createRuntime(config, { passwords: testPasswords });
    const { services } = runtime;
    const company = await services.companies.createCompany(makeCompanyInput(), { type: 'system', id: null, label: 'test' });
    expect(company.bankAccount).toBeTruthy();
    ctx = { companyId: company.id, role: 'owner', actor: { type: 'cli', id: null, label: 'test' }, ipAddress: null };
    customerId = (await services.customers.createCustomer(ctx, makeCustomerInput({ name: 'Parallell Kjøper AS' }))).id;
    const { key } = await services.apiKeys.createApiKey(ctx, { name: 'two-process test', role: 'biller' });
    bearer = { authorization: `Bearer ${key}` };

    servers = [await startServer('server A', env), await startServer('server B', env)];
    await Promise.all(servers.map((server) => waitForHealth(server, 60_000)));
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled(servers.map((server) => stopServer(server)));
    await runtime?.close();
    await database?.drop();
  }, 30_000);

  /** Counts by status, the first 20 failures in full, and the tail of each server's log. */
  function failureReport(replies: Array<{ server: string; id: string; reply: Reply }>): string {
    const byStatus = new Map<number, number>();
    for (const { reply } of replies) byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
    const counts = [...byStatus].map(([status, count]) => `${count}× ${status}`).join(', ');
    const first = replies
      .slice(0, 20)
      .map(({ server, id, reply }) => `  ${server} ${id}: ${reply.status} ${reply.text.slice(0, 400)}`)
      .join('\n');
    const logs = servers.map((server) => `--- ${server.name} log (tail):\n${server.output.join('').slice(-4000)}`).join('\n');
    return `${counts}\n${first}\n${logs}`;
  }

  it(
    `${COUNT} concurrent issue requests over both processes: all 200, numbers exactly 1..${COUNT}, visible from the other process, books balance`,
    async () => {
      const [a, b] = servers as [Server, Server];
      const draftBody = (index: number) => ({
        customerId,
        deliveryDate: '2026-11-20',
        ourReference: `draft ${index}`,
        lines: [
          { description: 'Rådgivning', quantity: '2', unitCode: 'HUR', unitPrice: '1250.00', vatCode: '3' },
          { description: 'Kaffe', quantity: '3', unitPrice: '100.00', vatCode: '31', discountPercent: '10' },
          { description: 'Bok', quantity: '1', unitPrice: '399.00', vatCode: '33' },
        ],
      });

      // 200 drafts, created over HTTP on both processes, a few at a time.
      const draftIds: string[] = [];
      for (let start = 0; start < COUNT; start += 10) {
        const batch = await Promise.all(
          range(start, Math.min(start + 10, COUNT) - 1).map(async (index) => {
            const server = index % 2 === 0 ? a : b;
            const reply = await call(server.base, 'POST', '/api/v1/invoices', bearer, draftBody(index));
            if (reply.status !== 201) throw new Error(`draft ${index} on ${server.name}: ${reply.status} ${reply.text}`);
            return reply.body.id as string;
          }),
        );
        draftIds.push(...batch);
      }
      expect(new Set(draftIds).size).toBe(COUNT);
      const grossPerInvoice = (await call(a.base, 'GET', `/api/v1/invoices/${draftIds[0]}`, bearer)).body.totals.grossMinor as number;
      expect(grossPerInvoice).toBeGreaterThan(0);

      // Open the connections first, so the burst below is not throttled by TCP set-up.
      await Promise.all([a, b].flatMap((server) => range(1, 20).map(() => call(server.base, 'GET', '/api/v1/health', {}))));

      // All 200 issue requests in flight together, alternating between the processes.
      const assignments = draftIds.map((id, index) => ({ id, server: index % 2 === 0 ? a : b }));
      const settled = await Promise.allSettled(
        assignments.map(async ({ id, server }) => ({
          id,
          server: server.name,
          reply: await call(server.base, 'POST', `/api/v1/invoices/${id}/issue`, bearer),
        })),
      );
      const transportErrors = settled
        .map((result, index) => (result.status === 'rejected' ? `${assignments[index]!.server.name} ${assignments[index]!.id}: ${String(result.reason)}` : null))
        .filter((line): line is string => line !== null);
      expect(transportErrors, `requests failed in transport:\n${transportErrors.join('\n')}`).toEqual([]);
      const replies = settled.map((result) => (result as PromiseFulfilledResult<{ id: string; server: string; reply: Reply }>).value);
      const notOk = replies.filter(({ reply }) => reply.status !== 200);
      expect(
        notOk.length,
        `${notOk.length} of ${COUNT} issue requests did not answer 200: ${failureReport(notOk)}`,
      ).toBe(0);

      // Every acknowledged document is issued, with a number; together exactly 1..200.
      for (const { id, reply } of replies) {
        expect(reply.body, reply.text).toMatchObject({ id, status: 'issued', kind: 'invoice', isTest: false });
        expect(reply.body.documentNumber).toBe(String(reply.body.number));
        expect(reply.body.kid).toMatch(/^\d+$/);
        expect(reply.body.journalEntryId).toEqual(expect.any(String));
      }
      const numbers = replies.map(({ reply }) => reply.body.number as number);
      const duplicates = numbers.filter((number, index) => numbers.indexOf(number) !== index);
      expect(duplicates, 'duplicate invoice numbers').toEqual([]);
      expect([...numbers].sort((x, y) => x - y)).toEqual(range(1, COUNT));
      const kids = replies.map(({ reply }) => reply.body.kid as string);
      expect(new Set(kids).size).toBe(COUNT);

      // Read each one back from the process that did NOT issue it.
      const mismatches: string[] = [];
      for (let start = 0; start < COUNT; start += 20) {
        await Promise.all(
          replies.slice(start, start + 20).map(async ({ id, server, reply }) => {
            const other = server === a.name ? b : a;
            const read = await call(other.base, 'GET', `/api/v1/invoices/${id}`, bearer);
            if (
              read.status !== 200 ||
              read.body.status !== 'issued' ||
              read.body.number !== reply.body.number ||
              read.body.documentNumber !== reply.body.documentNumber ||
              read.body.kid !== reply.body.kid ||
              read.body.journalEntryId !== reply.body.journalEntryId ||
              read.body.totals.grossMinor !== reply.body.totals.grossMinor
            ) {
              mismatches.push(`${id} issued by ${server} as ${reply.body.number}; ${other.name} reads ${read.status} ${read.text.slice(0, 300)}`);
            }
          }),
        );
      }
      expect(mismatches, mismatches.join('\n')).toEqual([]);

      // Issuing again is refused, not renumbered.
      const again = await call(b.base, 'POST', `/api/v1/invoices/${draftIds[0]}/issue`, bearer);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('invoice.not_draft');

      // The books: the trial balance nets to zero and the receivable holds every invoice.
      for (const server of [a, b]) {
        const balance = await call(server.base, 'GET', '/api/v1/trial-balance?includeTest=true', bearer);
        expect(balance.status, balance.text).toBe(200);
        expect(balance.body.totalDebitMinor).toBe(balance.body.totalCreditMinor);
        const net = (balance.body.accounts as Array<{ balanceMinor: number }>).reduce((total, row) => total + row.balanceMinor, 0);
        expect(net).toBe(0);
        const receivable = (balance.body.accounts as Array<{ account: string; debitMinor: number }>).find((row) => row.account === '1500');
        expect(receivable?.debitMinor).toBe(COUNT * grossPerInvoice);
      }

      // And straight from the database: one journal entry and one audit event per invoice, the series at 201.
      const db = runtime!.db.kysely;
      const entries = await sql<{ n: string | number; vouchers: string | number }>`
        select count(*) as n, count(distinct voucher) as vouchers from journal_entries
        where company_id = ${ctx.companyId} and source_type = 'invoice'`.execute(db);
      expect(Number(entries.rows[0]!.n)).toBe(COUNT);
      expect(Number(entries.rows[0]!.vouchers)).toBe(COUNT);
      const unbalanced = await sql<{ entry_id: string }>`
        select entry_id from journal_lines where company_id = ${ctx.companyId}
        group by entry_id having sum(debit_minor) <> sum(credit_minor)`.execute(db);
      expect(unbalanced.rows).toEqual([]);
      const series = await db
        .selectFrom('number_series')
        .select('next_value')
        .where('company_id', '=', ctx.companyId)
        .where('series', '=', 'invoice')
        .executeTakeFirstOrThrow();
      expect(Number(series.next_value)).toBe(COUNT + 1);
      const audited = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('company_id', '=', ctx.companyId)
        .where('action', '=', 'invoice.issued')
        .executeTakeFirstOrThrow();
      expect(Number(audited.n)).toBe(COUNT);

      for (const server of servers) expect(server.exitCode, `${server.name} died:\n${server.output.join('')}`).toBeUndefined();
    },
    120_000,
  );
});
