import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createScryptHasher } from './adapters/password.js';
import { systemClock } from './adapters/clock.js';
import { createUuidV7Generator } from './adapters/ids.js';
import { createApiKeyService } from './app/api-key.service.js';
import { createAuditService } from './app/audit.service.js';
import { createAuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from './app/auth.service.js';
import { createCompanyService } from './app/company.service.js';
import { createCustomerService } from './app/customer.service.js';
import { createMemberService } from './app/member.service.js';
import type { Clock, PasswordHasher } from './app/ports.js';
import { createInvoiceService } from './app/invoice.service.js';
import { createInvoiceSettingsService } from './app/invoice-settings.service.js';
import { createJournalService } from './app/journal.service.js';
import { createProductService } from './app/product.service.js';
import type { Config } from './config.js';
import { createDb, type Db, ensurePostgresSchema } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
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
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  clock?: Clock;
  passwords?: PasswordHasher;
  authPolicy?: Partial<AuthPolicy>;
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
  const passwords = overrides.passwords ?? createScryptHasher({ logN: config.PASSWORD_HASH_COST, r: 8, p: 1 });
  const policy: AuthPolicy = {
    ...DEFAULT_AUTH_POLICY,
    sessionTtlSeconds: config.SESSION_TTL_HOURS * 3600,
    ...overrides.authPolicy,
  };
  const services: Services = {
    auth: createAuthService({ db, clock, ids, passwords, policy }),
    companies: createCompanyService({ db, clock, ids, passwords }),
    members: createMemberService({ db, clock, ids, passwords }),
    apiKeys: createApiKeyService({ db, clock, ids }),
    customers: createCustomerService({ db, clock, ids }),
    products: createProductService({ db, clock, ids }),
    audit: createAuditService({ db }),
    invoices: createInvoiceService({ db, clock, ids }),
    invoiceSettings: createInvoiceSettingsService({ db, clock, ids }),
    journal: createJournalService({ db }),
  };
  return { db, clock, services, close: () => db.destroy() };
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
  const shutdown = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  return { app, runtime, url: address };
}
