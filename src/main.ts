import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createScryptHasher } from './adapters/password.js';
import { systemClock } from './adapters/clock.js';
import { createUuidV7Generator } from './adapters/ids.js';
import { createLogger } from './adapters/logger.js';
import { createPdfkitRenderer } from './adapters/pdf/pdfkit-renderer.js';
import { createYazlZipWriter } from './adapters/zip/yazl-zip-writer.js';
import { createApiKeyService } from './app/api-key.service.js';
import { createArchivePdfService } from './app/archive-pdf.service.js';
import { createAuditService } from './app/audit.service.js';
import { createAuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './app/auth.service.js';
import { createBulkChunkHandler } from './app/bulk-chunk.handler.js';
import { createBulkService } from './app/bulk.service.js';
import { createCompanyService } from './app/company.service.js';
import { createCustomerService } from './app/customer.service.js';
import { createDocumentPdfService } from './app/document-pdf.service.js';
import { createDocumentTemplateService } from './app/document-template.service.js';
import { createEhfService } from './app/ehf.service.js';
import { createMemberService } from './app/member.service.js';
import type { JobRunner } from './app/jobs/job-runner.js';
import type { Clock, Logger, Mailer, PasswordHasher } from './app/ports.js';
import { createInvoiceService } from './app/invoice.service.js';
import { createPaymentService } from './app/payment.service.js';
import { createBankImportService } from './app/bank-import.service.js';
import { createBankFileStreamParser } from './adapters/bank/parse-stream.js';
import { createInvoiceSettingsService } from './app/invoice-settings.service.js';
import { createJournalService } from './app/journal.service.js';
import { createProductService } from './app/product.service.js';
import type { Config } from './config.js';
import { createDb, type Db, ensurePostgresSchema } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { type DeliveryOverrides, wireDelivery } from './delivery-wiring.js';
import { buildApp } from './http/app.js';
import type { Services } from './http/context.js';
import { createIdempotencyStore } from './http/idempotency.js';

/** The folder with package.json, found from here whether running from src/ (tsx) or dist/server/. */
function findProjectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found');
    dir = parent;
  }
  return dir;
}

const projectRoot = findProjectRoot();

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where the built web UI lives (`npm run build:web` writes it). */
export const DEFAULT_WEB_ROOT = path.join(projectRoot, 'dist', 'web');

export interface Runtime {
  db: Db;
  clock: Clock;
  services: Services;
  /** The background job runner; started by `serve` (JOBS_ENABLED) and `fakturaflyt worker`. */
  jobs: JobRunner;
  mailer: Mailer;
  logger: Logger;
  close(): Promise<void>;
}

export interface RuntimeOverrides extends DeliveryOverrides {
  clock?: Clock;
  passwords?: PasswordHasher;
  authPolicy?: Partial<AuthPolicy>;
  /** Items per bulk-operation job (tests make it small). */
  bulkChunkSize?: number;
}

/** Opens the database, runs migrations and wires every service to real adapters. */
export async function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  if (config.DATABASE_SCHEMA && config.DATABASE_URL.startsWith('postgres')) {
    await ensurePostgresSchema(config.DATABASE_URL, config.DATABASE_SCHEMA);
  }
  const db = createDb({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  await migrateToLatest(db);
  const clock = overrides.clock ?? systemClock;
  const ids = createUuidV7Generator(clock);
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL });
  const passwords = overrides.passwords ?? createScryptHasher({ logN: config.PASSWORD_HASH_COST, r: 8, p: 1 });
  const policy: AuthPolicy = {
    ...DEFAULT_AUTH_POLICY,
    sessionTtlSeconds: config.SESSION_TTL_HOURS * 3600,
    ...overrides.authPolicy,
  };
  const invoices = createInvoiceService({ db, clock, ids });
  const payments = createPaymentService({ db, clock, ids });
  // The archived PDFs: what GET …/pdf serves and what e-mail delivery attaches.
  const documentPdfs = createDocumentPdfService({ db, clock, ids, renderer: createPdfkitRenderer() });
  // Bulk work runs on the same job runner and sends through the delivery service wired with it.
  const bulkChunks = createBulkChunkHandler({
    db,
    clock,
    ids,
    logger,
    invoices,
    pdfs: documentPdfs,
    deliveries: { send: (...args) => delivery.deliveries.send(...args) },
  });
  // EHF: archived at first use; embeds the archived PDF unless the company switched that off.
  const ehf = createEhfService({ db, clock, ids, invoices, pdfs: documentPdfs });
  const delivery = wireDelivery({ config, db, clock, ids, logger, pdfs: documentPdfs, ehf, overrides, extraHandlers: [bulkChunks] });
  const services: Services = {
    auth: createAuthService({ db, clock, ids, passwords, policy }),
    companies: createCompanyService({ db, clock, ids, passwords }),
    members: createMemberService({ db, clock, ids, passwords }),
    apiKeys: createApiKeyService({ db, clock, ids }),
    customers: createCustomerService({ db, clock, ids }),
    products: createProductService({ db, clock, ids }),
    audit: createAuditService({ db }),
    invoices,
    invoiceSettings: createInvoiceSettingsService({ db, clock, ids }),
    journal: createJournalService({ db }),
    payments,
    bankImports: createBankImportService({ db, clock, ids, parse: createBankFileStreamParser({ workerMinBytes: config.BANK_IMPORT_WORKER_MIN_BYTES, batchSize: config.BANK_IMPORT_BATCH_SIZE }), payments }),
    ehf,
    ehfSettings: delivery.ehfSettings,
    archivePdfs: createArchivePdfService({ ehf, pdfs: documentPdfs }),
    emailSettings: delivery.emailSettings,
    deliveries: delivery.deliveries,
    documentPdfs,
    documentTemplates: createDocumentTemplateService({ db, clock, ids }),
    bulk: createBulkService({
      db,
      clock,
      ids,
      pdfs: documentPdfs,
      zip: createYazlZipWriter(),
      onEnqueued: () => delivery.jobs.wake(),
      ...(overrides.bulkChunkSize ? { chunkSize: overrides.bulkChunkSize } : {}),
    }),
  };
  return {
    db,
    clock,
    services,
    jobs: delivery.jobs,
    mailer: delivery.mailer,
    logger,
    close: async () => {
      await delivery.mailer.close();
      await db.destroy();
    },
  };
}

export async function createHttpApp(
  runtime: Runtime,
  config: Config,
  options: { webRoot?: string | undefined; logger?: boolean | object } = {},
): Promise<FastifyInstance> {
  return buildApp({
    services: runtime.services,
    idempotency: createIdempotencyStore({ db: runtime.db, clock: runtime.clock }),
    cookie: {
      secure: config.COOKIE_SECURE === 'auto' ? (config.PUBLIC_URL?.startsWith('https:') ? true : 'auto') : config.COOKIE_SECURE === 'true',
      maxAgeSeconds: config.SESSION_TTL_HOURS * 3600,
    },
    dialect: runtime.db.dialect,
    version: packageVersion(),
    logger: options.logger ?? false,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    webRoot: options.webRoot,
  });
}

/** `fakturaflyt serve`: migrate, build, listen; closes cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<{ app: FastifyInstance; runtime: Runtime; url: string }> {
  const runtime = await createRuntime(config);
  const app = await createHttpApp(runtime, config, {
    webRoot: DEFAULT_WEB_ROOT,
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
  });
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  if (config.JOBS_ENABLED) runtime.jobs.start();
  const shutdown = async () => {
    await app.close();
    // Running jobs finish (or go back to the queue) before the database closes.
    await runtime.jobs.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  return { app, runtime, url: address };
}

/**
 * `fakturaflyt worker`: only the job runner, no HTTP. Any number of workers and `serve`
 * instances share the queue on one PostgreSQL database. SIGTERM/SIGINT stop it gracefully:
 * running jobs finish, or go back to the queue after the grace period.
 */
export async function runWorker(config: Config): Promise<Runtime> {
  const runtime = await createRuntime(config);
  runtime.jobs.start();
  const shutdown = async () => {
    await runtime.jobs.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  return runtime;
}
