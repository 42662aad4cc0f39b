import { expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Shared test data. The onboarding spec creates this company and owner through
 * the UI; the other specs (which run after it, see playwright.config.ts) log in
 * with the same credentials. `ensureOnboarded` makes a spec run alone
 * (`--no-deps`) work as well.
 */
export const OWNER = {
  name: 'Kari Nordmann',
  email: 'kari@fjordtest.no',
  password: 'fjord-og-fjell-2024',
} as const;

export const COMPANY = {
  legalName: 'Fjordtest AS',
  orgNumber: '923609016',
  bankAccount: '86011117947',
} as const;

/** A short suffix so data made by one test never collides with another's, even on a re-run. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36).slice(-5)}${Math.random().toString(36).slice(2, 5)}`;
}

export async function ensureOnboarded(request: APIRequestContext): Promise<void> {
  const status = await request.get('/api/v1/onboarding');
  expect(status.ok()).toBe(true);
  const { needed } = (await status.json()) as { needed: boolean };
  if (!needed) return;
  const response = await request.post('/api/v1/onboarding', {
    data: {
      company: { legalName: COMPANY.legalName, orgNumber: COMPANY.orgNumber, bankAccount: COMPANY.bankAccount },
      owner: { name: OWNER.name, email: OWNER.email, password: OWNER.password },
    },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** Logs the page's browser context in through the API (cookie), without the UI. */
export async function loginViaApi(page: Page, email: string = OWNER.email, password: string = OWNER.password): Promise<void> {
  await ensureOnboarded(page.request);
  const response = await page.request.post('/api/v1/auth/login', { data: { email, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** Calls the API as the page's logged-in user (cookie + CSRF token), for setting up data fast. */
export async function apiCall<T = unknown>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<T> {
  const session = await page.request.get('/api/v1/auth/session');
  expect(session.status()).toBe(200);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': csrfToken },
    ...(data === undefined ? {} : { data }),
  });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (response.status() === 204 ? undefined : await response.json()) as T;
}

export type Role = 'owner' | 'admin' | 'biller' | 'accountant' | 'read_only';

/** As the logged-in owner, adds a new user with `role`; returns the credentials. */
export async function createMember(page: Page, role: Role): Promise<{ name: string; email: string; password: string }> {
  const tag = unique(role).split(' ')[1]!;
  const member = { name: `Test ${role} ${tag}`, email: `${role.replace('_', '-')}-${tag}@fjordtest.no`, password: `passord-${tag}-lang` };
  await apiCall(page, 'POST', '/users', { ...member, role });
  return member;
}

/** Drops the current session cookie and logs in as someone else. */
export async function switchUser(page: Page, email: string, password: string): Promise<void> {
  await page.context().clearCookies();
  await loginViaApi(page, email, password);
}
