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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PASSWORD_HASH_COST: z.coerce
    .number()
    .int()
    .min(10)
    .max(20)
    .default(15)
    .describe('scrypt cost as log2(N); 15 by default'),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze(result.data);
}

/** Every setting with its description, for `fakturaflyt --help` and the README. */
export function describeConfig(): Array<{ name: string; description: string | undefined }> {
  return Object.entries(envSchema.shape).map(([name, schema]) => ({ name, description: schema.description }));
}
