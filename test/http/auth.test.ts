import { createHash } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { companyBody, customerBody } from '../helpers/factories.js';
import {
  apiKeyHeaders,
  type Caller,
  createHarness,
  createTenant,
  type Harness,
  json,
  loginHeaders,
  testPasswords,
} from '../helpers/harness.js';
import { countRows } from '../helpers/service-context.js';

type Tenant = Caller & { email: string; password: string; userId: string };

function setCookieHeader(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header.join('\n') : (header ?? '');
}

function uniqueEmail(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}@example.no`;
}

describe.each(DIALECTS)('authentication over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Tenant;

  beforeAll(async () => {
    // The e-mail lockout under test; the per-IP limit stays far above the ~20 failures this file makes.
    harness = await createHarness(dialect, { authPolicy: { maxFailedLogins: 5, maxFailedLoginsPerIp: 1000 } });
    owner = await createTenant(harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const inject = (options: InjectOptions) => harness.app.inject(options);
  const login = (email: string, password: string) =>
    inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  /** A new user (member of the owner's company) for tests that need their own throttle or session. */
  async function newMember(role = 'biller', password = 'a long enough password'): Promise<{ email: string; password: string }> {
    const email = uniqueEmail(role);
    const response = await inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: owner.headers,
      payload: { email, name: `Member ${role}`, password, role },
    });
    expect(response.statusCode, response.body).toBe(201);
    return { email, password };
  }

  describe('log-in', () => {
    it('sets an HttpOnly, SameSite=Lax ff_session cookie and returns the CSRF token', async () => {
      const response = await login(owner.email, owner.password);
      expect(response.statusCode, response.body).toBe(200);
      const cookieHeader = setCookieHeader(response);
      expect(cookieHeader).toMatch(/^ff_session=[^;]+/);
      expect(cookieHeader).toMatch(/;\s*HttpOnly/i);
      expect(cookieHeader).toMatch(/;\s*SameSite=Lax/i);
      expect(cookieHeader).toMatch(/;\s*Path=\//i);
      const cookie = response.cookies.find((entry) => entry.name === 'ff_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.value.length).toBeGreaterThanOrEqual(32);

      const body = json(response);
      expect(typeof body.csrfToken).toBe('string');
      expect(body.csrfToken.length).toBeGreaterThanOrEqual(32);
      expect(body.csrfToken).not.toBe(cookie.value);
      expect(body.currentCompanyId).toBe(owner.companyId);
      expect(body.role).toBe('owner');
      expect(body.user.email).toBe(owner.email);

      // The cookie is a working session with that CSRF token.
      const session = await inject({
        method: 'GET',
        url: '/api/v1/auth/session',
        headers: { cookie: `ff_session=${cookie.value}` },
      });
      expect(session.statusCode).toBe(200);
      expect(json(session).csrfToken).toBe(body.csrfToken);
      // The session token itself is stored only as a hash.
      const stored = await harness.runtime.db.kysely
        .selectFrom('sessions')
        .select('token_hash')
        .where('token_hash', '=', createHash('sha256').update(cookie.value).digest('hex'))
        .execute();
      expect(stored).toHaveLength(1);
    });

    it('accepts the e-mail in any letter case', async () => {
      const response = await login(owner.email.toUpperCase(), owner.password);
      expect(response.statusCode, response.body).toBe(200);
    });

    it('answers a wrong password with 401 auth.invalid_credentials and no cookie', async () => {
      const response = await login(owner.email, 'wrong password here');
      expect(response.statusCode).toBe(401);
      expect(json(response).code).toBe('auth.invalid_credentials');
      expect(setCookieHeader(response)).not.toContain('ff_session=');
    });

    it('answers an unknown e-mail with the same status and code', async () => {
      const response = await login(uniqueEmail('nobody'), owner.password);
      expect(response.statusCode).toBe(401);
      expect(json(response).code).toBe('auth.invalid_credentials');
      expect(setCookieHeader(response)).not.toContain('ff_session=');
    });

    it('locks an address after 5 failures: the 6th attempt gets 429 even with the right password', async () => {
      const member = await newMember();
      for (let attempt = 1; attempt <= 5; attempt++) {
        const response = await login(member.email, `wrong password ${attempt}`);
        expect(response.statusCode, `attempt ${attempt}`).toBe(401);
        expect(json(response).code).toBe('auth.invalid_credentials');
      }
      for (const email of [member.email, member.email.toUpperCase()]) {
        const locked = await login(email, member.password);
        expect(locked.statusCode).toBe(429);
        expect(json(locked).code).toBe('auth.too_many_attempts');
        const retryAfter = Number(locked.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(setCookieHeader(locked)).not.toContain('ff_session=');
      }
      // The lock is per address: others still log in.
      expect((await login(owner.email, owner.password)).statusCode).toBe(200);
    });

    it('locks unknown addresses the same way', async () => {
      const email = uniqueEmail('ghost');
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect((await login(email, 'whatever password')).statusCode).toBe(401);
      }
      const locked = await login(email, 'whatever password');
      expect(locked.statusCode).toBe(429);
      expect(json(locked).code).toBe('auth.too_many_attempts');
    });

    it('forgets earlier failures after a successful log-in', async () => {
      const member = await newMember();
      for (let round = 0; round < 2; round++) {
        for (let attempt = 1; attempt <= 4; attempt++) {
          expect((await login(member.email, 'not the password')).statusCode).toBe(401);
        }
        const ok = await login(member.email, member.password);
        expect(ok.statusCode, `round ${round}: ${ok.body}`).toBe(200);
      }
    });
  });

  describe('sessions and CSRF', () => {
    let customerId: string;

    beforeAll(async () => {
      const response = await inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: owner.headers,
        payload: customerBody({ name: 'Csrf Mål AS' }),
      });
      expect(response.statusCode, response.body).toBe(201);
      customerId = json(response).id;
    });

    it('refuses cookie-authenticated writes without or with a wrong X-CSRF-Token (403), writing nothing', async () => {
      const cookieOnly = { cookie: owner.headers.cookie! };
      const wrongToken = { ...cookieOnly, 'x-csrf-token': 'not-the-token' };
      // A valid token, but of another session of the same user.
      const otherSession = await loginHeaders(harness, owner.email, owner.password, owner.companyId);
      const foreignToken = { ...cookieOnly, 'x-csrf-token': otherSession['x-csrf-token']! };
      expect(foreignToken['x-csrf-token']).not.toBe(owner.headers['x-csrf-token']);

      const customersBefore = await countRows(harness, 'customers', { company_id: owner.companyId });
      const auditBefore = await countRows(harness, 'audit_events', { company_id: owner.companyId });
      for (const headers of [cookieOnly, wrongToken, foreignToken]) {
        const requests = [
          inject({ method: 'POST', url: '/api/v1/customers', headers, payload: customerBody({ name: 'Forfalsket AS' }) }),
          inject({ method: 'PATCH', url: `/api/v1/customers/${customerId}`, headers, payload: { name: 'Forfalsket AS' } }),
          inject({ method: 'PATCH', url: '/api/v1/company', headers, payload: { legalName: 'Forfalsket AS' } }),
          inject({ method: 'POST', url: `/api/v1/customers/${customerId}/archive`, headers }),
          inject({ method: 'POST', url: '/api/v1/api-keys', headers, payload: { name: 'forged', role: 'owner' } }),
        ];
        for (const response of await Promise.all(requests)) {
          expect(response.statusCode, response.body).toBe(403);
          expect(json(response).code).toBe('auth.csrf_failed');
        }
      }
      expect(await countRows(harness, 'customers', { company_id: owner.companyId })).toBe(customersBefore);
      expect(await countRows(harness, 'audit_events', { company_id: owner.companyId })).toBe(auditBefore);
      const customer = json(await inject({ method: 'GET', url: `/api/v1/customers/${customerId}`, headers: cookieOnly }));
      expect(customer.name).toBe('Csrf Mål AS');
      expect(customer.archivedAt).toBeNull();
      const company = json(await inject({ method: 'GET', url: '/api/v1/company', headers: cookieOnly }));
      expect(company.legalName).not.toBe('Forfalsket AS');

      // Control: the same write with the right token goes through.
      const ok = await inject({
        method: 'PATCH',
        url: `/api/v1/customers/${customerId}`,
        headers: owner.headers,
        payload: { notes: 'csrf ok' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
    });

    it('lets API-key requests write without a CSRF token', async () => {
      const headers = await apiKeyHeaders(harness, owner, 'biller');
      const created = await inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers,
        payload: customerBody({ name: 'Via API AS' }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const patched = await inject({
        method: 'PATCH',
        url: `/api/v1/customers/${json(created).id}`,
        headers,
        payload: { name: 'Via API 2 AS' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(json(patched).name).toBe('Via API 2 AS');
    });

    it('logout ends the session (needs the CSRF token)', async () => {
      const headers = await loginHeaders(harness, owner.email, owner.password);
      const cookieOnly = { cookie: headers.cookie! };
      const refused = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: cookieOnly });
      expect(refused.statusCode).toBe(403);
      expect(json(refused).code).toBe('auth.csrf_failed');
      expect((await inject({ method: 'GET', url: '/api/v1/auth/session', headers: cookieOnly })).statusCode).toBe(200);

      const out = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
      expect(out.statusCode, out.body).toBe(204);
      expect(setCookieHeader(out)).toMatch(/ff_session=;/);

      for (const url of ['/api/v1/auth/session', '/api/v1/customers', '/api/v1/company']) {
        const after = await inject({ method: 'GET', url, headers });
        expect(after.statusCode, url).toBe(401);
        expect(json(after).code).toBe('auth.unauthenticated');
      }
      const write = await inject({ method: 'POST', url: '/api/v1/customers', headers, payload: customerBody() });
      expect(write.statusCode).toBe(401);
    });

    it('GET /auth/session without a cookie, or with an unknown one, is 401 auth.unauthenticated', async () => {
      for (const headers of [{}, { cookie: 'ff_session=garbage-token' }, { cookie: 'other=1' }]) {
        const response = await inject({ method: 'GET', url: '/api/v1/auth/session', headers });
        expect(response.statusCode).toBe(401);
        expect(json(response).code).toBe('auth.unauthenticated');
      }
    });

    it('an invalid, unknown, malformed or revoked Bearer key is 401 auth.api_key_invalid', async () => {
      const created = await inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: owner.headers,
        payload: { name: 'to revoke', role: 'read_only' },
      });
      const { key, apiKey } = json(created);
      const works = await inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Bearer ${key}` } });
      expect(works.statusCode).toBe(200);
      const revoked = await inject({ method: 'DELETE', url: `/api/v1/api-keys/${apiKey.id}`, headers: owner.headers });
      expect(revoked.statusCode, revoked.body).toBe(200);

      const wellFormedUnknown = `ffk_${key.slice(4, 12)}_${'A'.repeat(43)}`;
      for (const authorization of [
        'Bearer garbage',
        `Bearer ${wellFormedUnknown}`,
        `Bearer ${key}`,
        'Bearer',
        `Basic ${Buffer.from('user:pass').toString('base64')}`,
      ]) {
        const response = await inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization } });
        expect(response.statusCode, authorization).toBe(401);
        expect(json(response).code).toBe('auth.api_key_invalid');
      }
      // A bad bearer never falls back to a valid session cookie.
      const mixed = await inject({
        method: 'GET',
        url: '/api/v1/customers',
        headers: { ...owner.headers, authorization: 'Bearer garbage' },
      });
      expect(mixed.statusCode).toBe(401);
      expect(json(mixed).code).toBe('auth.api_key_invalid');
    });
  });

  describe('companies per user', () => {
    let first: Tenant;
    let second: Tenant;

    beforeAll(async () => {
      first = await createTenant(harness, { company: { legalName: 'AAA Første AS' } });
      second = await createTenant(harness, { company: { legalName: 'BBB Andre AS' } });
      for (const [tenant, name] of [
        [first, 'Kunde i første AS'],
        [second, 'Kunde i andre AS'],
      ] as const) {
        const response = await inject({
          method: 'POST',
          url: '/api/v1/customers',
          headers: tenant.headers,
          payload: customerBody({ name }),
        });
        expect(response.statusCode, response.body).toBe(201);
      }
    });

    it('switching to a company the user is not a member of is 404', async () => {
      for (const companyId of [second.companyId, '0190f0f0-0000-7000-8000-000000000000']) {
        const response = await inject({
          method: 'PUT',
          url: '/api/v1/auth/session',
          headers: first.headers,
          payload: { companyId },
        });
        expect(response.statusCode).toBe(404);
        expect(json(response).code).toBe('company.not_found');
      }
      const session = json(await inject({ method: 'GET', url: '/api/v1/auth/session', headers: first.headers }));
      expect(session.currentCompanyId).toBe(first.companyId);
    });

    it('a user in two companies can switch and sees only the current company’s customers', async () => {
      const added = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: second.headers,
        payload: { email: first.email.toUpperCase(), role: 'biller' },
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(json(added)).toMatchObject({ userId: first.userId, email: first.email, role: 'biller' });

      // The existing password still works (adding the membership did not touch it).
      const headers = await loginHeaders(harness, first.email, first.password);
      const companies = json(await inject({ method: 'GET', url: '/api/v1/companies', headers })).items as Array<{
        id: string;
        role: string;
      }>;
      expect(companies.map((company) => [company.id, company.role]).sort()).toEqual(
        [
          [first.companyId, 'owner'],
          [second.companyId, 'biller'],
        ].sort(),
      );

      const customerNames = async () =>
        (json(await inject({ method: 'GET', url: '/api/v1/customers', headers })).items as Array<{ name: string }>).map(
          (customer) => customer.name,
        );
      const switchTo = async (companyId: string) => {
        const response = await inject({ method: 'PUT', url: '/api/v1/auth/session', headers, payload: { companyId } });
        expect(response.statusCode, response.body).toBe(200);
        expect(json(response).currentCompanyId).toBe(companyId);
        return json(response);
      };

      expect((await switchTo(second.companyId)).role).toBe('biller');
      expect(await customerNames()).toEqual(['Kunde i andre AS']);
      expect(json(await inject({ method: 'GET', url: '/api/v1/company', headers })).id).toBe(second.companyId);
      // The role is per company: a biller in the second company may not change it.
      const patch = await inject({ method: 'PATCH', url: '/api/v1/company', headers, payload: { legalName: 'X AS' } });
      expect(patch.statusCode).toBe(403);
      expect(json(patch).code).toBe('auth.forbidden');

      expect((await switchTo(first.companyId)).role).toBe('owner');
      expect(await customerNames()).toEqual(['Kunde i første AS']);
    });

    it('adding an unknown e-mail without a password is refused', async () => {
      const response = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: second.headers,
        payload: { email: uniqueEmail('new'), name: 'Ny Bruker', role: 'biller' },
      });
      expect(response.statusCode).toBe(400);
      expect(json(response).code).toBe('validation.failed');
      expect(json(response).errors.map((issue: { path: string }) => issue.path)).toEqual(['password']);
    });
  });

  describe('secrets at rest', () => {
    it('stores passwords only as scrypt hashes', async () => {
      const one = await newMember('read_only', 'same password for both');
      const two = await newMember('read_only', 'same password for both');
      const rows = await harness.runtime.db.kysely
        .selectFrom('users')
        .select(['email', 'password_hash'])
        .where('email', 'in', [owner.email, one.email, two.email])
        .execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.password_hash.startsWith('scrypt$')).toBe(true);
        expect(row.password_hash.split('$')).toHaveLength(6);
        expect(row.password_hash).not.toContain(owner.password);
        expect(row.password_hash).not.toContain('same password for both');
      }
      const hashOf = (email: string) => rows.find((row) => row.email === email)!.password_hash;
      // Salted: the same password gives different hashes.
      expect(hashOf(one.email)).not.toBe(hashOf(two.email));
      expect(await testPasswords.verify(owner.password, hashOf(owner.email))).toBe(true);
      expect(await testPasswords.verify('same password for both', hashOf(owner.email))).toBe(false);
    });

    it('stores API keys only as SHA-256', async () => {
      const response = await inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: owner.headers,
        payload: { name: 'storage check', role: 'biller' },
      });
      expect(response.statusCode, response.body).toBe(201);
      const { key, apiKey } = json(response);
      expect(key).toMatch(/^ffk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
      const secret = key.slice(`ffk_${apiKey.prefix}_`.length);
      expect(key.startsWith(`ffk_${apiKey.prefix}_`)).toBe(true);

      const row = await harness.runtime.db.kysely
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', apiKey.id)
        .executeTakeFirstOrThrow();
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
      for (const value of Object.values(row)) {
        expect(String(value)).not.toContain(key);
        expect(String(value)).not.toContain(secret);
      }
      const listed = await inject({ method: 'GET', url: '/api/v1/api-keys', headers: owner.headers });
      expect(listed.statusCode).toBe(200);
      expect(listed.body).not.toContain(secret);
      const audit = await inject({ method: 'GET', url: '/api/v1/audit-events', headers: owner.headers });
      expect(audit.body).not.toContain(secret);
    });
  });
});

describe.each(DIALECTS)('first-run onboarding (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const onboardingBody = (email: string) => ({
    company: companyBody({ legalName: 'Førstemann AS' }),
    owner: { name: 'Første Eier', email, password: 'first owner password' },
  });

  it('is needed on an empty database, creates company and owner once, and logs the owner in', async () => {
    const needed = await harness.app.inject({ method: 'GET', url: '/api/v1/onboarding' });
    expect(needed.statusCode).toBe(200);
    expect(json(needed)).toEqual({ needed: true });

    const created = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/onboarding',
      payload: onboardingBody('first-owner@example.no'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const cookieHeader = setCookieHeader(created);
    expect(cookieHeader).toMatch(/^ff_session=[^;]+/);
    expect(cookieHeader).toMatch(/HttpOnly/i);
    const body = json(created);
    expect(body.role).toBe('owner');
    expect(body.user.email).toBe('first-owner@example.no');
    expect(body.companies).toHaveLength(1);
    expect(body.currentCompanyId).toBe(body.companies[0].id);

    const cookie = created.cookies.find((entry) => entry.name === 'ff_session')!;
    const headers = { cookie: `ff_session=${cookie.value}`, 'x-csrf-token': body.csrfToken as string };
    const company = await harness.app.inject({ method: 'GET', url: '/api/v1/company', headers });
    expect(company.statusCode).toBe(200);
    expect(json(company).legalName).toBe('Førstemann AS');
    // The owner can work right away.
    const customer = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: customerBody() });
    expect(customer.statusCode, customer.body).toBe(201);

    expect(json(await harness.app.inject({ method: 'GET', url: '/api/v1/onboarding' }))).toEqual({ needed: false });

    const again = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/onboarding',
      payload: onboardingBody('intruder@example.no'),
    });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('onboarding.already_done');
    expect(setCookieHeader(again)).not.toContain('ff_session=');
    expect(await countRows(harness, 'companies')).toBe(1);
    expect(await countRows(harness, 'users', { email: 'intruder@example.no' })).toBe(0);

    const hash = await harness.runtime.db.kysely
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'first-owner@example.no')
      .executeTakeFirstOrThrow();
    expect(hash.password_hash.startsWith('scrypt$')).toBe(true);
    expect(hash.password_hash).not.toContain('first owner password');
  });

  it('lets exactly one of several simultaneous first-run requests through', async () => {
    const fresh = await createHarness(dialect);
    try {
      const responses = await Promise.all(
        [1, 2, 3, 4, 5].map((index) =>
          fresh.app.inject({ method: 'POST', url: '/api/v1/onboarding', payload: onboardingBody(`racer-${index}@example.no`) }),
        ),
      );
      const outcomes = responses.map((response) => `${response.statusCode} ${json(response).code ?? ''}`.trim()).sort();
      expect(outcomes).toEqual(['201', ...Array(4).fill('409 onboarding.already_done')]);
      expect(await countRows(fresh, 'companies')).toBe(1);
      expect(await countRows(fresh, 'users')).toBe(1);
      expect(await countRows(fresh, 'memberships')).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
