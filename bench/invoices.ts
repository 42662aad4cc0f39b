// npx tsx bench/invoices.ts — create-and-issue throughput through the real HTTP API,
// beside a bare-SQL baseline that writes the same rows with plain Kysely.
//
// The server is a CHILD PROCESS (`node --import tsx src/cli-main.ts serve`, the production
// entry point), not app.listen() in this process: the load generator (HTTP client, JSON
// parsing of the answers) would otherwise share the server's single event loop and its
// CPU time would be billed to the server. Two flows per (engine, clients) cell:
//   two requests: POST /invoices (a 3-line draft), then POST /invoices/{id}/issue;
//   one request:  POST /invoices with "issue": true (create and issue in one transaction).
// The answer is the full issued document; its status and number are checked (gap-free).
// The client is a minimal HTTP/1.1 keep-alive client on raw sockets (requests pre-built,
// answers framed by content-length), like wrk or autocannon, so it takes as little of the
// two cores as possible; BENCH_HTTP_CLIENT=node uses node:http instead.
//
// Baselines, same rows, same engine and database, same number of workers, in the same run:
//   bare SQL      plain Kysely (stock dialect, a fresh prepared statement per query), one
//                 transaction per invoice: invoice row, lines, VAT totals, journal entry and
//                 lines, then the update to issued;
//   raw prepared  the same statements as prepared statements on the driver (better-sqlite3 /
//                 pg named statements), no query builder: the floor the database allows.
//
// Environment (all optional):
//   BENCH_INVOICES=1000     measured invoices per (engine, clients) cell
//   BENCH_WARMUP=200        invoices created and issued before measuring (not counted)
//   BENCH_ENGINES=sqlite,postgres
//   BENCH_CLIENTS=1,8
//   BENCH_POSTGRES_URL      default postgres://postgres@127.0.0.1:5432/test (a fresh schema is used)
//   BENCH_LOG_LEVEL=warn    the server's LOG_LEVEL (production default is info: one log line per request)
//   BENCH_CPU_PROF=<dir>    run the server with --cpu-prof, profiles written to <dir> on exit
//                           (summed by `npx tsx bench/cpuprofile-summary.ts <file> [function|file|package]`)
//   BENCH_FLOWS=two,one     which flows to measure
//   BENCH_HTTP_CLIENT=raw   raw (default) or node
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/adapters/clock.js';
import { createUuidV7Generator } from '../src/adapters/ids.js';
import { createScryptHasher } from '../src/adapters/password.js';
import type { CompanyContext } from '../src/app/context.js';
import { companyCreateSchema } from '../src/app/company.schemas.js';
import { customerCreateSchema } from '../src/app/customer.schemas.js';
import { productCreateSchema } from '../src/app/product.schemas.js';
import { loadConfig } from '../src/config.js';
import { type DialectName, dropPostgresSchema } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { orgNumberFromBody } from '../src/demo.js';
import { createRuntime } from '../src/main.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const intEnv = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const listEnv = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);

const INVOICES = intEnv('BENCH_INVOICES', 1000);
const WARMUP = intEnv('BENCH_WARMUP', 200);
const ENGINES = listEnv('BENCH_ENGINES', 'sqlite,postgres') as DialectName[];
const CLIENTS = listEnv('BENCH_CLIENTS', '1,8').map(Number);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
const CPU_PROF = process.env.BENCH_CPU_PROF;
type Flow = 'two' | 'one';
const FLOWS = listEnv('BENCH_FLOWS', 'two,one') as Flow[];
const HTTP_CLIENT = process.env.BENCH_HTTP_CLIENT === 'node' ? 'node' : 'raw';
const FLOW_LABEL: Record<Flow, string> = { two: 'create + issue (2 requests)', one: 'issue: true (1 request)' };
/** Required on PostgreSQL (stored secrets); one random key shared by the fixture and the servers of this run. */
const ENCRYPTION_KEY = process.env.ENCRYPTION_KEY ?? crypto.randomBytes(32).toString('base64');

// ---------------------------------------------------------------------------------------------
// small helpers

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

function validOrgNumber(): string {
  for (;;) {
    try {
      return orgNumberFromBody(`9${crypto.randomInt(0, 10_000_000).toString().padStart(7, '0')}`);
    } catch {
      // no check digit for this body
    }
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

const CLOCK_TICKS_PER_SECOND = 100;

/** User and system CPU seconds of a process so far (Linux /proc), or NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}

/** CPU seconds (user + system) per thread of a process (Linux /proc), by thread id. */
function threadCpuOf(pid: number | undefined): Map<string, number> {
  const byThread = new Map<string, number>();
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byThread.set(task, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND);
    }
  } catch {
    // not Linux, or the process is gone
  }
  return byThread;
}

/** CPU ms per invoice of the main (event-loop) thread and of the busiest other threads (GC helpers, workers). */
function threadCpuReport(pid: number | undefined, before: Map<string, number>, after: Map<string, number>, invoices: number): string {
  const perInvoice = [...after].map(([thread, seconds]) => [thread, ((seconds - (before.get(thread) ?? 0)) * 1000) / invoices] as const);
  const main = perInvoice.find(([thread]) => thread === String(pid))?.[1] ?? Number.NaN;
  const others = perInvoice.filter(([thread, value]) => thread !== String(pid) && value >= 0.01).sort((a, b) => b[1] - a[1]);
  return `main ${ms(main)}, others ${others.map(([, value]) => ms(value)).join(' ') || '–'}`;
}

// ---------------------------------------------------------------------------------------------
// HTTP clients: one keep-alive connection per concurrent client

interface HttpReply {
  status: number;
  body: string;
}

interface HttpClient {
  request(method: string, url: string, payload?: unknown): Promise<HttpReply>;
  close(): void;
}

/**
 * A minimal HTTP/1.1 client on one raw socket: writes a pre-built request, reads the status
 * line and content-length, waits for that many body bytes. Requests on one connection are
 * sequential (one client = one connection, as with the node:http agent).
 */
async function connectRaw(port: number, headers: Record<string, string>): Promise<HttpClient> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const fixedHeaders = Object.entries({ host: `127.0.0.1:${port}`, ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  let buffered: Buffer = Buffer.alloc(0);
  let pending: { resolve: (reply: HttpReply) => void; reject: (error: Error) => void } | null = null;
  const fail = (error: Error) => {
    const waiting = pending;
    pending = null;
    waiting?.reject(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd < 0 || !pending) return;
    const head = buffered.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) return fail(new Error(`no content-length in ${head}`));
    const end = headEnd + 4 + Number(length[1]);
    if (buffered.length < end) return;
    const reply = { status: Number(head.slice(9, 12)), body: buffered.toString('utf8', headEnd + 4, end) };
    buffered = buffered.subarray(end);
    const waiting = pending;
    pending = null;
    waiting.resolve(reply);
  });
  return {
    request(method, url, payload) {
      const body = payload === undefined ? '' : JSON.stringify(payload);
      const request =
        `${method} ${url} HTTP/1.1\r\n${fixedHeaders}` +
        (payload === undefined ? '' : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`) +
        `\r\n${body}`;
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(request);
      });
    },
    close: () => socket.destroy(),
  };
}

function connectNode(port: number, headers: Record<string, string>): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
  function request(method: string, url: string, payload?: unknown): Promise<HttpReply> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: url,
          agent,
          headers: {
            ...headers,
            ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return { request, close: () => agent.destroy() };
}

const connect = (port: number, headers: Record<string, string>): Promise<HttpClient> =>
  HTTP_CLIENT === 'node' ? Promise.resolve(connectNode(port, headers)) : connectRaw(port, headers);

// ---------------------------------------------------------------------------------------------
// database, fixtures and the server process

interface Fixture {
  engine: DialectName;
  url: string;
  schema: string | undefined;
  ctx: CompanyContext;
  customerId: string;
  productId: string;
  apiKey: string;
  drop(): Promise<void>;
}

async function createFixture(engine: DialectName): Promise<Fixture> {
  const suffix = `${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const file = path.join(os.tmpdir(), `fakturaflyt-bench-invoices-${suffix}.db`);
  const url = engine === 'postgres' ? POSTGRES_URL : `sqlite:${file}`;
  const schema = engine === 'postgres' ? `ff_bench_${suffix}` : undefined;
  const config = loadConfig({ DATABASE_URL: url, ...(schema ? { DATABASE_SCHEMA: schema } : {}), DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'silent', ENCRYPTION_KEY });
  const runtime = await createRuntime(config, { passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }) });
  const { services } = runtime;
  const company = await services.companies.createCompany(
    companyCreateSchema.parse({
      legalName: 'Benkmerke AS',
      orgNumber: validOrgNumber(),
      address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
      bankAccount: '86011117947',
      email: 'post@benkmerke.example',
    }),
    { type: 'system', id: null, label: 'bench' },
  );
  const ctx: CompanyContext = { companyId: company.id, role: 'owner', actor: { type: 'cli', id: null, label: 'bench' }, ipAddress: null };
  const customer = await services.customers.createCustomer(
    ctx,
    customerCreateSchema.parse({
      kind: 'business',
      name: 'Kunde Benk AS',
      orgNumber: validOrgNumber(),
      email: 'faktura@kunde.example',
      address: { line1: 'Kundeveien 2', postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
    }),
  );
  const product = await services.products.createProduct(
    ctx,
    productCreateSchema.parse({ productNumber: 'P-1', name: 'Rådgivning', unitCode: 'HUR', unitPrice: '1250.00', vatCode: '3' }),
  );
  const { key } = await services.apiKeys.createApiKey(ctx, { name: 'bench', role: 'biller' });
  // Closed at once: the bench process keeps no app connection (nor its WAL checkpointer) open
  // beside the server's; the baselines and the template use plain connections of their own.
  await runtime.close();
  return {
    engine,
    url,
    schema,
    ctx,
    customerId: customer.id,
    productId: product.id,
    apiKey: key,
    async drop() {
      if (schema) await dropPostgresSchema(POSTGRES_URL, schema);
      else for (const extension of ['', '-wal', '-shm']) fs.rmSync(`${file}${extension}`, { force: true });
    },
  };
}

interface ServerProcess {
  port: number;
  child: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

async function startServer(fixture: Fixture): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = ['--import', 'tsx'];
  // One profile per thread (the main thread and tsx's module-hooks thread): CPU.<date>.<pid>.<tid>.….cpuprofile.
  if (CPU_PROF) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROF)}`);
  const child = spawn(process.execPath, [...nodeArgs, 'src/cli-main.ts', 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: fixture.url,
      ...(fixture.schema ? { DATABASE_SCHEMA: fixture.schema } : {}),
      DATABASE_POOL_SIZE: '10',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL,
      ENCRYPTION_KEY,
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const until = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`server exited during start-up:\n${output.join('')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/health', timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => (req.destroy(), resolve(false)));
    });
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${output.join('')}`);
    }
    await sleep(100);
  }
  return {
    port,
    child,
    output,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exit.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the HTTP measurement

interface HttpResult {
  issuedPerSecond: number;
  invoiceMs: number[];
  createMs: number[];
  issueMs: number[];
  numbers: number[];
}

/** The issued document's number, after checking what the answer must contain. */
function issuedNumber(reply: HttpReply, expected: number, what: string): number {
  if (reply.status !== expected) throw new Error(`${what} answered ${reply.status}: ${reply.body.slice(0, 500)}`);
  const document = JSON.parse(reply.body) as { status: string; number: number; lines: unknown[]; journalEntryId: string; kid: string };
  if (document.status !== 'issued' || !document.number || document.lines.length !== 3 || !document.journalEntryId || !document.kid) {
    throw new Error(`unexpected ${what} answer: ${reply.body.slice(0, 300)}`);
  }
  return document.number;
}

async function runHttp(fixture: Fixture, port: number, clients: number, count: number, flow: Flow): Promise<HttpResult> {
  const headers = { authorization: `Bearer ${fixture.apiKey}` };
  const connections = await Promise.all(Array.from({ length: clients }, () => connect(port, headers)));
  const draft = (index: number) => ({
    customerId: fixture.customerId,
    deliveryDate: '2026-11-20',
    ourReference: `Bench ${index}`,
    lines: [
      { productId: fixture.productId, quantity: '7.5' },
      { description: 'Reisekostnader', quantity: '1', unitPrice: '1840.00', vatCode: '3' },
      { description: 'Fagbok', quantity: '2', unitPrice: '399.00', vatCode: '33', discountPercent: '10' },
    ],
    ...(flow === 'one' ? { issue: true } : {}),
  });
  const invoiceMs: number[] = [];
  const createMs: number[] = [];
  const issueMs: number[] = [];
  const numbers: number[] = [];
  let next = 0;
  async function worker(client: HttpClient): Promise<void> {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const t0 = performance.now();
      const created = await client.request('POST', '/api/v1/invoices', draft(index));
      const t1 = performance.now();
      if (flow === 'one') {
        numbers.push(issuedNumber(created, 201, 'create and issue'));
        invoiceMs.push(t1 - t0);
        continue;
      }
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${created.body}`);
      const { id } = JSON.parse(created.body) as { id: string };
      const t2 = performance.now();
      const issued = await client.request('POST', `/api/v1/invoices/${id}/issue`, undefined);
      const t3 = performance.now();
      numbers.push(issuedNumber(issued, 200, 'issue'));
      createMs.push(t1 - t0);
      issueMs.push(t3 - t2);
      invoiceMs.push(t1 - t0 + (t3 - t2));
    }
  }
  const start = performance.now();
  await Promise.all(connections.map((client) => worker(client)));
  const seconds = (performance.now() - start) / 1000;
  for (const client of connections) client.close();
  const sort = (values: number[]) => values.sort((a, b) => a - b);
  return { issuedPerSecond: count / seconds, invoiceMs: sort(invoiceMs), createMs: sort(createMs), issueMs: sort(issueMs), numbers };
}

// ---------------------------------------------------------------------------------------------
// the bare-SQL baseline: the same rows, plain Kysely, one transaction per invoice

interface Template {
  invoice: Record<string, unknown>;
  lines: Array<Record<string, unknown>>;
  vatTotals: Array<Record<string, unknown>>;
  entry: Record<string, unknown>;
  journalLines: Array<Record<string, unknown>>;
}

/** Copies one invoice the API issued (row, lines, VAT totals, journal entry and lines) as the template. */
async function loadTemplate(db: Kysely<Database>, companyId: string, number: number): Promise<Template> {
  const invoice = await db
    .selectFrom('invoices')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('series', '=', 'invoice')
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  const lines = await db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', invoice.id).orderBy('position').execute();
  const vatTotals = await db.selectFrom('invoice_vat_totals').selectAll().where('invoice_id', '=', invoice.id).execute();
  const entry = await db.selectFrom('journal_entries').selectAll().where('id', '=', invoice.journal_entry_id!).executeTakeFirstOrThrow();
  const journalLines = await db.selectFrom('journal_lines').selectAll().where('entry_id', '=', entry.id).orderBy('line_number').execute();
  return { invoice, lines, vatTotals, entry, journalLines };
}

/**
 * Inserts `count` invoices like the template: the invoice row (as a draft — the immutability
 * triggers refuse lines under an issued invoice), its lines, VAT totals, the journal entry and
 * its lines, then one UPDATE to issued with its number. No HTTP, no validation, no reads.
 */
async function runBaseline(db: Kysely<Database>, template: Template, clients: number, count: number, firstNumber: number) {
  const ids = createUuidV7Generator(systemClock);
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const number = firstNumber + index;
      const invoiceId = ids.newId();
      const entryId = ids.newId();
      const now = new Date().toISOString();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('invoices')
          .values({
            ...(template.invoice as never as Database['invoices']),
            id: invoiceId,
            state: 'draft',
            series: null,
            number: null,
            document_number: null,
            journal_entry_id: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await trx
          .insertInto('invoice_lines')
          .values(template.lines.map((line) => ({ ...(line as never as Database['invoice_lines']), id: ids.newId(), invoice_id: invoiceId })))
          .execute();
        await trx
          .insertInto('invoice_vat_totals')
          .values(template.vatTotals.map((row) => ({ ...(row as never as Database['invoice_vat_totals']), invoice_id: invoiceId })))
          .execute();
        await trx
          .insertInto('journal_entries')
          .values({ ...(template.entry as never as Database['journal_entries']), id: entryId, voucher: `B${number}`, source_id: invoiceId, created_at: now })
          .execute();
        await trx
          .insertInto('journal_lines')
          .values(template.journalLines.map((line) => ({ ...(line as never as Database['journal_lines']), id: ids.newId(), entry_id: entryId })))
          .execute();
        await trx
          .updateTable('invoices')
          .set({ state: 'issued', series: 'bench', number, document_number: `B${number}`, journal_entry_id: entryId, issued_at: now })
          .where('id', '=', invoiceId)
          .execute();
      });
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, () => worker()));
  return count / ((performance.now() - start) / 1000);
}

/** The rows of one invoice like the template, as column lists and value lists per statement. */
function baselineStatements(template: Template, ids: { newId(): string }, number: number) {
  const invoiceId = ids.newId();
  const entryId = ids.newId();
  const now = new Date().toISOString();
  const table = (name: string, rows: Array<Record<string, unknown>>) => {
    const columns = Object.keys(rows[0]!);
    return { name, columns, rows: rows.length, values: rows.flatMap((row) => columns.map((column) => row[column])) };
  };
  return {
    invoiceId,
    inserts: [
      table('invoices', [
        { ...template.invoice, id: invoiceId, state: 'draft', series: null, number: null, document_number: null, journal_entry_id: null, created_at: now, updated_at: now },
      ]),
      table('invoice_lines', template.lines.map((line) => ({ ...line, id: ids.newId(), invoice_id: invoiceId }))),
      table('invoice_vat_totals', template.vatTotals.map((row) => ({ ...row, invoice_id: invoiceId }))),
      table('journal_entries', [{ ...template.entry, id: entryId, voucher: `R${number}`, source_id: invoiceId, created_at: now }]),
      table('journal_lines', template.journalLines.map((line) => ({ ...line, id: ids.newId(), entry_id: entryId }))),
    ],
    update: ['issued', 'bench_raw', number, `R${number}`, entryId, now, invoiceId],
  };
}

/**
 * The bare-SQL statements again, as prepared statements on the driver itself (better-sqlite3,
 * or pg named statements on a pool of 10): no query builder, no compilation per query. What
 * the database and the disk allow for these rows; nothing the app does can be faster.
 */
async function runRawBaseline(fixture: Fixture, template: Template, clients: number, count: number, firstNumber: number): Promise<number> {
  const ids = createUuidV7Generator(systemClock);
  const isPg = fixture.engine === 'postgres';
  const insertSql = (name: string, columns: string[], rows: number) => {
    let position = 0;
    const tuple = () => `(${columns.map(() => (isPg ? `$${++position}` : '?')).join(', ')})`;
    return `insert into ${name} (${columns.join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
  };
  const updateSql = isPg
    ? 'update invoices set state = $1, series = $2, number = $3, document_number = $4, journal_entry_id = $5, issued_at = $6 where id = $7'
    : 'update invoices set state = ?, series = ?, number = ?, document_number = ?, journal_entry_id = ?, issued_at = ? where id = ?';
  let next = 0;
  const start = performance.now();
  if (isPg) {
    const pool = new pg.Pool({ connectionString: fixture.url, max: 10, options: `-c search_path=${fixture.schema}` });
    const worker = async (): Promise<void> => {
      for (;;) {
        const index = next++;
        if (index >= count) return;
        const statements = baselineStatements(template, ids, firstNumber + index);
        const client = await pool.connect();
        try {
          await client.query('begin');
          for (const insert of statements.inserts) {
            await client.query({ name: `raw_${insert.name}_${insert.rows}`, text: insertSql(insert.name, insert.columns, insert.rows), values: insert.values });
          }
          await client.query({ name: 'raw_issue', text: updateSql, values: statements.update });
          await client.query('commit');
        } finally {
          client.release();
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, () => worker()));
    const seconds = (performance.now() - start) / 1000;
    await pool.end();
    return count / seconds;
  }
  // One SQLite connection runs one transaction at a time, synchronously: workers would only take turns.
  const database = new SQLite(fixture.url.replace(/^sqlite:/, ''));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  const prepared = new Map<string, SQLite.Statement>();
  const statement = (sql: string) => {
    let cached = prepared.get(sql);
    if (!cached) prepared.set(sql, (cached = database.prepare(sql)));
    return cached;
  };
  const begin = statement('begin');
  const commit = statement('commit');
  for (let index = 0; index < count; index++) {
    const statements = baselineStatements(template, ids, firstNumber + index);
    begin.run();
    for (const insert of statements.inserts) statement(insertSql(insert.name, insert.columns, insert.rows)).run(insert.values);
    statement(updateSql).run(statements.update);
    commit.run();
  }
  const seconds = (performance.now() - start) / 1000;
  database.close();
  return count / seconds;
}

// ---------------------------------------------------------------------------------------------

interface Row {
  engine: DialectName;
  clients: number;
  flow: Flow;
  http: HttpResult;
  bare: number;
  raw: number;
  serverCpuMs: number;
}

/**
 * The baseline's own connection, made with Kysely's stock dialects and nothing from src/
 * (so a change to the app's database set-up does not move the baseline): the same file with
 * the app's pragmas, or a pool of 10 on the same schema.
 */
function openPlainKysely(fixture: Fixture): Kysely<Database> {
  if (fixture.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: fixture.url, max: 10, options: `-c search_path=${fixture.schema}` });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const database = new SQLite(fixture.url.replace(/^sqlite:/, ''));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}

function checkGapFree(numbers: number[], from: number, label: string): void {
  const sorted = [...numbers].sort((a, b) => a - b);
  for (let index = 0; index < sorted.length; index++) {
    if (sorted[index] !== from + index) throw new Error(`${label}: numbers are not gap-free at ${from + index} (got ${sorted[index]})`);
  }
}

/**
 * Per number of clients: a fresh server process runs both flows, then it is stopped and the
 * baselines run alone on the same database (so no server thread works beside them).
 */
async function benchEngine(engine: DialectName): Promise<Row[]> {
  const fixture = await createFixture(engine);
  const rows: Row[] = [];
  const bareDb = openPlainKysely(fixture);
  try {
    let issuedSoFar = 0;
    let bareSoFar = 0;
    let rawSoFar = 0;
    for (const clients of CLIENTS) {
      const measured: Array<{ flow: Flow; http: HttpResult; serverCpuMs: number }> = [];
      const server = await startServer(fixture);
      try {
        for (const flow of FLOWS) {
          const warm = await runHttp(fixture, server.port, clients, WARMUP, flow);
          checkGapFree(warm.numbers, issuedSoFar + 1, `${engine} ${flow} warm-up`);
          issuedSoFar += WARMUP;
          const cpuBefore = cpuSecondsOf(server.child.pid);
          const threadsBefore = threadCpuOf(server.child.pid);
          const result = await runHttp(fixture, server.port, clients, INVOICES, flow);
          const cpuAfter = cpuSecondsOf(server.child.pid);
          const threads = threadCpuReport(server.child.pid, threadsBefore, threadCpuOf(server.child.pid), INVOICES);
          const serverCpuMs = ((cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) * 1000) / INVOICES;
          const systemCpuMs = ((cpuAfter.system - cpuBefore.system) * 1000) / INVOICES;
          checkGapFree(result.numbers, issuedSoFar + 1, `${engine} ${flow} ×${clients}`);
          issuedSoFar += INVOICES;
          measured.push({ flow, http: result, serverCpuMs });
          process.stderr.write(
            `  ${engine} ×${clients} ${FLOW_LABEL[flow]}: ${result.issuedPerSecond.toFixed(0)} issued/s over HTTP, ` +
              `server CPU ${ms(serverCpuMs)} ms/invoice (system ${ms(systemCpuMs)}; by thread: ${threads})\n`,
          );
        }
      } finally {
        await server.stop();
      }

      const template = await loadTemplate(bareDb, fixture.ctx.companyId, issuedSoFar);
      await runBaseline(bareDb, template, clients, WARMUP, bareSoFar + 1);
      bareSoFar += WARMUP;
      const bare = await runBaseline(bareDb, template, clients, INVOICES, bareSoFar + 1);
      bareSoFar += INVOICES;
      await runRawBaseline(fixture, template, clients, WARMUP, rawSoFar + 1);
      rawSoFar += WARMUP;
      const raw = await runRawBaseline(fixture, template, clients, INVOICES, rawSoFar + 1);
      rawSoFar += INVOICES;
      process.stderr.write(`  ${engine} ×${clients}: ${bare.toFixed(0)}/s bare SQL (Kysely), ${raw.toFixed(0)}/s raw prepared statements\n`);
      for (const entry of measured) rows.push({ engine, clients, ...entry, bare, raw });
    }
  } finally {
    await bareDb.destroy();
    await fixture.drop();
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const header = [
    'engine',
    'clients',
    'flow',
    'issued/s',
    'invoice p50',
    'invoice p95',
    'create p50',
    'create p95',
    'issue p50',
    'issue p95',
    'server CPU/inv',
    'bare SQL/s',
    'HTTP ÷ bare',
    'raw prep./s',
    'HTTP ÷ raw',
  ];
  const body = rows.map((row) => {
    const twoRequests = row.flow === 'two';
    return [
      row.engine,
      String(row.clients),
      row.flow === 'two' ? '2 requests' : '1 request',
      row.http.issuedPerSecond.toFixed(0),
      ms(percentile(row.http.invoiceMs, 50)),
      ms(percentile(row.http.invoiceMs, 95)),
      twoRequests ? ms(percentile(row.http.createMs, 50)) : '–',
      twoRequests ? ms(percentile(row.http.createMs, 95)) : '–',
      twoRequests ? ms(percentile(row.http.issueMs, 50)) : '–',
      twoRequests ? ms(percentile(row.http.issueMs, 95)) : '–',
      ms(row.serverCpuMs),
      row.bare.toFixed(0),
      `${((row.http.issuedPerSecond / row.bare) * 100).toFixed(1)} %`,
      row.raw.toFixed(0),
      `${((row.http.issuedPerSecond / row.raw) * 100).toFixed(1)} %`,
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const cells of body) process.stdout.write(`${line(cells)}\n`);
  process.stdout.write(
    `\nlatencies in ms, measured by the client; ${INVOICES} invoices per row after ${WARMUP} warm-up.\n` +
      'flow "2 requests": POST /invoices then POST /invoices/{id}/issue (invoice = create + issue);\n' +
      'flow "1 request": POST /invoices with "issue": true (create and issue in one transaction).\n' +
      'server CPU/inv = user+system CPU ms of the server process per issued invoice (PostgreSQL\'s own CPU not included).\n' +
      'bare SQL/s = the same rows (invoice, 3 lines, VAT totals, journal entry + lines, update to issued) inserted with\n' +
      'plain Kysely, one transaction per invoice, same engine and database, same number of concurrent workers, no HTTP;\n' +
      'raw prep./s = the same statements as prepared statements on the driver, no query builder (the floor).\n',
  );
}

const loadAverage = os.loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(
  `fakturaflyt invoice bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${loadAverage}\n` +
    `server: child process (node --import tsx src/cli-main.ts serve), LOG_LEVEL=${LOG_LEVEL}; ` +
    `client: ${HTTP_CLIENT === 'raw' ? 'raw HTTP/1.1 keep-alive sockets' : 'node:http keep-alive agent'}, one connection per client\n`,
);
const rows: Row[] = [];
for (const engine of ENGINES) rows.push(...(await benchEngine(engine)));
printTable(rows);
process.stdout.write(`load average at the end: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
