import { expect } from 'vitest';
import { companyCreateSchema } from '../../src/app/company.schemas.js';
import type { CompanyContext } from '../../src/app/context.js';
import { AppError, type ErrorCode } from '../../src/domain/errors.js';
import type { Role } from '../../src/domain/roles.js';
import { companyBody } from './factories.js';
import type { Harness } from './harness.js';

/**
 * A fresh company created through the services, and a CompanyContext for it
 * (as src/http/auth.ts builds one for a logged-in user).
 */
export async function newCompanyContext(
  harness: Harness,
  options: { role?: Role; company?: Record<string, unknown> } = {},
): Promise<CompanyContext> {
  const company = await harness.runtime.services.companies.createCompany(
    companyCreateSchema.parse(companyBody(options.company)),
    { type: 'system', id: null, label: 'test' },
  );
  return {
    companyId: company.id,
    role: options.role ?? 'owner',
    actor: { type: 'user', id: null, label: 'service-test@example.no' },
    ipAddress: '127.0.0.1',
  };
}

/** Awaits a promise that must reject with an AppError of `code`; returns the error for further checks. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected AppError ${code}, but nothing was thrown`).toBeDefined();
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  return caught as AppError;
}

/** Counts rows through the harness's own database connection. */
export async function countRows(
  harness: Harness,
  table: 'customers' | 'products' | 'audit_events' | 'users' | 'memberships' | 'companies' | 'api_keys' | 'sessions',
  where: Record<string, string> = {},
): Promise<number> {
  let query = harness.runtime.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n'));
  for (const [column, value] of Object.entries(where)) {
    query = query.where(column as never, '=', value as never);
  }
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
