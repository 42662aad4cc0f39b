import { z } from 'zod';

/**
 * The only place that reads process.env. Parsed once at start-up into a frozen
 * object; every problem is listed at once.
 */
const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/fakturaflyt.db')
    .describe('postgres://… for PostgreSQL; sqlite:<file> (default ./data/fakturaflyt.db) for the embedded database'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .optional()
    .describe('PostgreSQL schema to use (default: the search_path of the connection)'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional().describe('External URL, e.g. https://faktura.example.no; https makes cookies Secure'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('true behind a load balancer that sets X-Forwarded-For / X-Forwarded-Proto'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  BANK_IMPORT_WORKER_MIN_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(4 * 1024 * 1024)
    .describe('bank files at least this large are parsed in a worker thread while their batches are booked (0: always)'),
  BANK_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(5000).describe('bank transactions matched and booked per batch'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PASSWORD_HASH_COST: z.coerce
    .number()
    .int()
    .min(10)
    .max(20)
    .default(15)
    .describe('scrypt cost as log2(N); 15 by default'),
  ENCRYPTION_KEY: z
    .string()
    .optional()
    .refine((value) => value === undefined || decodeEncryptionKey(value) !== undefined, {
      message: 'must be 32 bytes: 64 hex characters or base64 (e.g. `openssl rand -base64 32`)',
    })
    .describe('32-byte key (hex or base64) that encrypts stored secrets (SMTP passwords); on SQLite generated into encryption.key beside the database when unset; required on PostgreSQL'),
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe('true: `serve` also runs the background job worker in-process (e-mail delivery, retries)'),
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4).describe('jobs one worker runs at the same time'),
  JOBS_POLL_INTERVAL_MS: z.coerce.number().int().min(20).max(60_000).default(1000).describe('how often an idle worker looks for due jobs'),
  JOBS_LEASE_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe('a claimed job is held this long (renewed by heartbeat); after a crash it runs again once the lease expires'),
  SMTP_ALLOW_INSECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('true allows SMTP without TLS (security "none") to hosts other than loopback; for development mail catchers only'),
  SMTP_EXTRA_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM file of CA certificates trusted for SMTP in addition to the built-in roots (an internal mail relay with a private CA); read at start-up'),
});

/** A 32-byte key from 64 hex characters or base64/base64url; undefined when it is neither. */
export function decodeEncryptionKey(value: string): Buffer | undefined {
  const text = value.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
      ? Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined;
  return bytes?.length === 32 ? bytes : undefined;
}

export type Config = Readonly<z.infer<typeof envSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  // Several instances on one PostgreSQL database must decrypt each other's secrets: the key cannot be
  // generated per instance, so it is required there (SQLite generates one beside its database file).
  if (/^postgres(ql)?:\/\//.test(result.data.DATABASE_URL) && result.data.ENCRYPTION_KEY === undefined) {
    throw new Error(
      'Invalid configuration:\n  ENCRYPTION_KEY: required on PostgreSQL (every instance must share it); create one with `openssl rand -base64 32`',
    );
  }
  return Object.freeze(result.data);
}

/** Every setting with its description, for `fakturaflyt --help` and the README. */
export function describeConfig(): Array<{ name: string; description: string | undefined }> {
  return Object.entries(envSchema.shape).map(([name, schema]) => ({ name, description: schema.description }));
}
