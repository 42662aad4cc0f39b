import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createScryptHasher } from '../../src/adapters/password.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DialectName } from '../../src/db/database.js';
import { createHttpApp, createRuntime, type Runtime, type RuntimeOverrides } from '../../src/main.js';
import { companyBody } from './factories.js';
import { createTestDatabase, TEST_ENCRYPTION_KEY, type TestDatabase } from './dialects.js';

/** Cheap scrypt for tests (the production cost is 2^15). */
export const testPasswords = createScryptHasher({ logN: 10, r: 8, p: 1 });

export interface Harness {
  dialect: DialectName;
  database: TestDatabase;
  config: Config;
  runtime: Runtime;
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * A migrated database of the given dialect, the services and the in-process HTTP app.
 * `env` adds settings to the configuration (as environment variables would, e.g. SMTP_EXTRA_CA_FILE).
 */
export async function createHarness(
  dialect: DialectName,
  { env, ...overrides }: RuntimeOverrides & { env?: Record<string, string> } = {},
): Promise<Harness> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    DATABASE_URL: database.url,
    ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
    DATABASE_POOL_SIZE: '10',
    BODY_LIMIT_BYTES: String(64 * 1024),
    LOG_LEVEL: 'silent',
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    ...env,
  });
  const runtime = await createRuntime(config, { passwords: testPasswords, ...overrides });
  const app = await createHttpApp(runtime, config);
  await app.ready();
  return {
    dialect,
    database,
    config,
    runtime,
    app,
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
    },
  };
}

export interface Caller {
  headers: Record<string, string>;
  companyId: string;
}

export function json<T = any>(response: LightMyRequestResponse): T {
  return response.json() as T;
}

/** Creates a company with an owner through the services and returns an owner session's headers. */
export async function createTenant(
  harness: Harness,
  options: { email?: string; password?: string; company?: Record<string, unknown> } = {},
): Promise<Caller & { email: string; password: string; userId: string }> {
  const email = options.email ?? `owner-${Math.random().toString(36).slice(2, 10)}@example.no`;
  const password = options.password ?? 'correct horse battery';
  const { services } = harness.runtime;
  const { companyCreateSchema } = await import('../../src/app/company.schemas.js');
  const company = await services.companies.createCompany(
    companyCreateSchema.parse(companyBody(options.company)),
    { type: 'system', id: null, label: 'test' },
  );
  const member = await services.members.addMember(
    { companyId: company.id, role: 'owner', actor: { type: 'cli', id: null, label: 'test' }, ipAddress: null },
    { email, name: 'Owner', password, role: 'owner', language: 'nb' },
  );
  const headers = await loginHeaders(harness, email, password, company.id);
  return { headers, companyId: company.id, email, password, userId: member.userId };
}

/** Logs in over HTTP and returns cookie + CSRF headers for that session, switched to `companyId`. */
export async function loginHeaders(
  harness: Harness,
  email: string,
  password: string,
  companyId?: string,
): Promise<Record<string, string>> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  }
  const cookie = response.cookies.find((entry) => entry.name === 'ff_session');
  const headers = { cookie: `ff_session=${cookie!.value}`, 'x-csrf-token': json(response).csrfToken as string };
  if (companyId && json(response).currentCompanyId !== companyId) {
    const switched = await harness.app.inject({
      method: 'PUT',
      url: '/api/v1/auth/session',
      headers,
      payload: { companyId },
    });
    if (switched.statusCode !== 200) throw new Error(`switch failed: ${switched.body}`);
  }
  return headers;
}

/** Creates an API key with a role for the caller's company and returns bearer headers. */
export async function apiKeyHeaders(harness: Harness, owner: Caller, role: string): Promise<Record<string, string>> {
  const response = await harness.app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: owner.headers,
    payload: { name: `key-${role}`, role },
  });
  if (response.statusCode !== 201) throw new Error(`api key failed: ${response.body}`);
  return { authorization: `Bearer ${json(response).key as string}` };
}
