// npx tsx bench/invoices.ts — create-and-issue throughput through the real HTTP API,
// beside a bare-SQL baseline that writes the same rows with plain Kysely.
//
// The server is a CHILD PROCESS (`node --import tsx src/cli-main.ts serve`, the production
// entry point), not app.listen() in this process: the load generator (HTTP client, JSON
// parsing of the answers) would otherwise share the server's single event loop and its
// CPU time would be billed to the server. Each invoice is POST /invoices (a 3-line draft)
// then POST /invoices/{id}/issue; the issue answer is the full document, checked here.
//
// Environment (all optional):
//   BENCH_INVOICES=1000     measured invoices per (engine, clients) cell
//   BENCH_WARMUP=200        invoices created and issued before measuring (not counted)
//   BENCH_ENGINES=sqlite,postgres
//   BENCH_CLIENTS=1,8
//   BENCH_POSTGRES_URL      default postgres://postgres@127.0.0.1:5432/test (a fresh schema is used)
//   BENCH_LOG_LEVEL=warn    the server's LOG_LEVEL (production default is info: one log line per request)
//   BENCH_CPU_PROF=<dir>    run the server with --cpu-prof, profiles written to <dir> on exit
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
import { createRuntime, type Runtime } from '../src/main.js';

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

/** User + system CPU seconds of a process so far (Linux /proc), or NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client: node:http with a keep-alive agent, one socket per concurrent client

interface HttpReply {
  status: number;
  body: string;
}

function makeClient(port: number, sockets: number, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
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

// ---------------------------------------------------------------------------------------------
// database, fixtures and the server process

interface Fixture {
  engine: DialectName;
  url: string;
  schema: string | undefined;
  runtime: Runtime;
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
  const config = loadConfig({ DATABASE_URL: url, ...(schema ? { DATABASE_SCHEMA: schema } : {}), DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'silent' });
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
  return {
    engine,
    url,
    schema,
    runtime,
    ctx,
    customerId: customer.id,
    productId: product.id,
    apiKey: key,
    async drop() {
      await runtime.close();
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

async function runHttp(fixture: Fixture, port: number, clients: number, count: number): Promise<HttpResult> {
  const client = makeClient(port, clients, { authorization: `Bearer ${fixture.apiKey}` });
  const draft = (index: number) => ({
    customerId: fixture.customerId,
    deliveryDate: '2026-11-20',
    ourReference: `Bench ${index}`,
    lines: [
      { productId: fixture.productId, quantity: '7.5' },
      { description: 'Reisekostnader', quantity: '1', unitPrice: '1840.00', vatCode: '3' },
      { description: 'Fagbok', quantity: '2', unitPrice: '399.00', vatCode: '33', discountPercent: '10' },
    ],
  });
  const invoiceMs: number[] = [];
  const createMs: number[] = [];
  const issueMs: number[] = [];
  const numbers: number[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const t0 = performance.now();
      const created = await client.request('POST', '/api/v1/invoices', draft(index));
      const t1 = performance.now();
      if (created.status !== 201) throw new Error(`create answered ${created.status}: ${created.body}`);
      const { id } = JSON.parse(created.body) as { id: string };
      const t2 = performance.now();
      const issued = await client.request('POST', `/api/v1/invoices/${id}/issue`, undefined);
      const t3 = performance.now();
      if (issued.status !== 200) throw new Error(`issue answered ${issued.status}: ${issued.body}`);
      const document = JSON.parse(issued.body) as { status: string; number: number; lines: unknown[]; journalEntryId: string };
      if (document.status !== 'issued' || !document.number || document.lines.length !== 3 || !document.journalEntryId) {
        throw new Error(`unexpected issue answer: ${issued.body.slice(0, 300)}`);
      }
      numbers.push(document.number);
      createMs.push(t1 - t0);
      issueMs.push(t3 - t2);
      invoiceMs.push(t1 - t0 + (t3 - t2));
    }
  }
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, () => worker()));
  const seconds = (performance.now() - start) / 1000;
  client.close();
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

// ---------------------------------------------------------------------------------------------

interface Row {
  engine: DialectName;
  clients: number;
  http: HttpResult;
  bare: number;
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

async function benchEngine(engine: DialectName): Promise<Row[]> {
  const fixture = await createFixture(engine);
  const rows: Row[] = [];
  let server: ServerProcess | undefined;
  const bareDb = openPlainKysely(fixture);
  try {
    server = await startServer(fixture);
    let issuedSoFar = 0;
    let bareSoFar = 0;
    for (const clients of CLIENTS) {
      const warm = await runHttp(fixture, server.port, clients, WARMUP);
      checkGapFree(warm.numbers, issuedSoFar + 1, `${engine} warm-up`);
      issuedSoFar += WARMUP;
      const cpuBefore = cpuSecondsOf(server.child.pid);
      const measured = await runHttp(fixture, server.port, clients, INVOICES);
      const serverCpuMs = ((cpuSecondsOf(server.child.pid) - cpuBefore) * 1000) / INVOICES;
      checkGapFree(measured.numbers, issuedSoFar + 1, `${engine} ×${clients}`);
      issuedSoFar += INVOICES;

      const template = await loadTemplate(fixture.runtime.db.kysely, fixture.ctx.companyId, issuedSoFar);
      await runBaseline(bareDb, template, clients, WARMUP, bareSoFar + 1);
      bareSoFar += WARMUP;
      const bare = await runBaseline(bareDb, template, clients, INVOICES, bareSoFar + 1);
      bareSoFar += INVOICES;
      rows.push({ engine, clients, http: measured, bare, serverCpuMs });
      process.stderr.write(`  ${engine} ×${clients}: ${measured.issuedPerSecond.toFixed(0)} issued/s over HTTP, ${bare.toFixed(0)}/s bare SQL\n`);
    }
  } finally {
    await server?.stop();
    await bareDb.destroy();
    await fixture.drop();
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const header = [
    'engine',
    'clients',
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
  ];
  const body = rows.map((row) => [
    row.engine,
    String(row.clients),
    row.http.issuedPerSecond.toFixed(0),
    ms(percentile(row.http.invoiceMs, 50)),
    ms(percentile(row.http.invoiceMs, 95)),
    ms(percentile(row.http.createMs, 50)),
    ms(percentile(row.http.createMs, 95)),
    ms(percentile(row.http.issueMs, 50)),
    ms(percentile(row.http.issueMs, 95)),
    ms(row.serverCpuMs),
    row.bare.toFixed(0),
    `${((row.http.issuedPerSecond / row.bare) * 100).toFixed(1)} %`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column < 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const cells of body) process.stdout.write(`${line(cells)}\n`);
  process.stdout.write(
    `\nlatencies in ms, measured by the client; invoice = create + issue; ${INVOICES} invoices per row after ${WARMUP} warm-up.\n` +
      'server CPU/inv = user+system CPU ms of the server process per issued invoice (PostgreSQL\'s own CPU not included).\n' +
      'bare SQL/s = the same rows (invoice, 3 lines, VAT totals, journal entry + lines) inserted with plain Kysely,\n' +
      'one transaction per invoice, same engine and database, same number of concurrent workers, no HTTP.\n',
  );
}

const loadAverage = os.loadavg().map((value) => value.toFixed(2)).join(' ');
process.stdout.write(
  `fakturaflyt invoice bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${loadAverage}\n` +
    `server: child process (node --import tsx src/cli-main.ts serve), LOG_LEVEL=${LOG_LEVEL}; client: node:http keep-alive agent\n`,
);
const rows: Row[] = [];
for (const engine of ENGINES) rows.push(...(await benchEngine(engine)));
printTable(rows);
process.stdout.write(`load average at the end: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}\n`);
