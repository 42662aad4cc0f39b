import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';
import { countRows } from '../helpers/service-context.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Tenant = Caller & { email: string; password: string; userId: string };

interface Operation {
  name: string;
  method: Method;
  url: () => string;
  body?: () => object;
}

describe.each(DIALECTS)('roles and permissions over HTTP (%s)', (dialect) => {
  let harness: Harness;
  let owner: Tenant;
  const keys: Record<string, Record<string, string>> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    for (const role of ['owner', 'admin', 'biller', 'accountant', 'read_only']) {
      keys[role] = await apiKeyHeaders(harness, owner, role);
    }
    const post = async (url: string, payload: object) => {
      const response = await harness.app.inject({ method: 'POST', url, headers: owner.headers, payload });
      expect(response.statusCode, response.body).toBe(201);
      return json(response);
    };
    ids.customer = (await post('/api/v1/customers', customerBody({ name: 'Matrise AS' }))).id;
    ids.product = (await post('/api/v1/products', productBody({ productNumber: 'MATRIX-1' }))).id;
    ids.member = (
      await post('/api/v1/users', { email: 'matrix-member@example.no', name: 'Matrix', password: 'matrix password', role: 'read_only' })
    ).userId;
    ids.apiKey = (await post('/api/v1/api-keys', { name: 'matrix target', role: 'read_only' })).apiKey.id;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const call = (headers: Record<string, string>, op: Operation) =>
    harness.app.inject({
      method: op.method,
      url: op.url(),
      headers,
      ...(op.body ? { payload: op.body() } : {}),
    });

  // Every body is valid, so a refusal can only come from the permission check.
  const WRITES: Record<string, Operation> = {
    createCustomer: { name: 'POST /customers', method: 'POST', url: () => '/api/v1/customers', body: () => customerBody() },
    updateCustomer: {
      name: 'PATCH /customers/:id',
      method: 'PATCH',
      url: () => `/api/v1/customers/${ids.customer}`,
      body: () => ({ notes: 'changed by role test' }),
    },
    createProduct: { name: 'POST /products', method: 'POST', url: () => '/api/v1/products', body: () => productBody() },
    addUser: {
      name: 'POST /users',
      method: 'POST',
      url: () => '/api/v1/users',
      body: () => ({ email: `x-${Math.random().toString(36).slice(2)}@example.no`, name: 'X', password: 'long password x', role: 'read_only' }),
    },
    changeUser: { name: 'PATCH /users/:id', method: 'PATCH', url: () => `/api/v1/users/${ids.member}`, body: () => ({ role: 'biller' }) },
    removeUser: { name: 'DELETE /users/:id', method: 'DELETE', url: () => `/api/v1/users/${ids.member}` },
    listKeys: { name: 'GET /api-keys', method: 'GET', url: () => '/api/v1/api-keys' },
    createKey: { name: 'POST /api-keys', method: 'POST', url: () => '/api/v1/api-keys', body: () => ({ name: 'k', role: 'read_only' }) },
    revokeKey: { name: 'DELETE /api-keys/:id', method: 'DELETE', url: () => `/api/v1/api-keys/${ids.apiKey}` },
    updateCompany: { name: 'PATCH /company', method: 'PATCH', url: () => '/api/v1/company', body: () => ({ website: 'https://x.example' }) },
    auditLog: { name: 'GET /audit-events', method: 'GET', url: () => '/api/v1/audit-events' },
  };
  const READS: Operation[] = [
    { name: 'GET /customers', method: 'GET', url: () => '/api/v1/customers' },
    { name: 'GET /customers/:id', method: 'GET', url: () => `/api/v1/customers/${ids.customer}` },
    { name: 'GET /products', method: 'GET', url: () => '/api/v1/products' },
    { name: 'GET /company', method: 'GET', url: () => '/api/v1/company' },
    { name: 'GET /users', method: 'GET', url: () => '/api/v1/users' },
  ];

  async function snapshot() {
    const customer = json(await call(owner.headers, { name: '', method: 'GET', url: () => `/api/v1/customers/${ids.customer}` }));
    const company = json(await call(owner.headers, { name: '', method: 'GET', url: () => '/api/v1/company' }));
    return {
      customers: await countRows(harness, 'customers', { company_id: owner.companyId }),
      products: await countRows(harness, 'products', { company_id: owner.companyId }),
      memberships: await countRows(harness, 'memberships', { company_id: owner.companyId }),
      apiKeys: await countRows(harness, 'api_keys', { company_id: owner.companyId }),
      notes: customer.notes,
      website: company.website,
      members: json(await call(owner.headers, { name: '', method: 'GET', url: () => '/api/v1/users' })).items,
      revoked: (
        json(await call(owner.headers, { name: '', method: 'GET', url: () => '/api/v1/api-keys' })).items as Array<{
          id: string;
          revokedAt: string | null;
        }>
      ).find((key) => key.id === ids.apiKey)?.revokedAt,
    };
  }

  const FORBIDDEN_FOR: Record<string, string[]> = {
    read_only: Object.keys(WRITES),
    accountant: Object.keys(WRITES).filter((name) => name !== 'auditLog'),
    biller: ['addUser', 'changeUser', 'removeUser', 'listKeys', 'createKey', 'revokeKey', 'updateCompany', 'auditLog'],
  };

  it.each(Object.keys(FORBIDDEN_FOR))('%s gets 403 auth.forbidden on what it may not do, and nothing changes', async (role) => {
    const before = await snapshot();
    for (const name of FORBIDDEN_FOR[role]!) {
      const op = WRITES[name]!;
      const response = await call(keys[role]!, op);
      expect(response.statusCode, `${role} ${op.name}: ${response.body}`).toBe(403);
      expect(json(response).code, `${role} ${op.name}`).toBe('auth.forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each(['read_only', 'accountant', 'biller', 'admin', 'owner'])('%s may read customers, products, company and users', async (role) => {
    for (const op of READS) {
      const response = await call(keys[role]!, op);
      expect(response.statusCode, `${role} ${op.name}`).toBe(200);
    }
  });

  it('biller may create and change customers and products', async () => {
    for (const op of [WRITES.createCustomer!, WRITES.createProduct!]) {
      const response = await call(keys.biller!, op);
      expect(response.statusCode, `${op.name}: ${response.body}`).toBe(201);
    }
    const patched = await call(keys.biller!, WRITES.updateCustomer!);
    expect(patched.statusCode, patched.body).toBe(200);
    expect(json(patched).notes).toBe('changed by role test');
  });

  it('accountant may read the audit log, read_only may not', async () => {
    const accountant = await call(keys.accountant!, WRITES.auditLog!);
    expect(accountant.statusCode).toBe(200);
    expect(json(accountant).items.length).toBeGreaterThan(0);
    const readOnly = await call(keys.read_only!, WRITES.auditLog!);
    expect(readOnly.statusCode).toBe(403);
    expect(json(readOnly).code).toBe('auth.forbidden');
  });

  it('admin manages users and keys but cannot create an owner or an owner key', async () => {
    const admin = keys.admin!;
    const before = await snapshot();
    const ownerMember = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'would-be-owner@example.no', name: 'Owner?', password: 'long password o', role: 'owner' },
    });
    expect(ownerMember.statusCode, ownerMember.body).toBe(403);
    expect(json(ownerMember).code).toBe('membership.role_not_allowed');

    const ownerKey = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: admin,
      payload: { name: 'owner key', role: 'owner' },
    });
    expect(ownerKey.statusCode, ownerKey.body).toBe(403);
    expect(json(ownerKey).code).toBe('membership.role_not_allowed');

    // Nor may an admin demote or remove an owner.
    const demote = await harness.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${owner.userId}`,
      headers: admin,
      payload: { role: 'read_only' },
    });
    expect(demote.statusCode).toBe(403);
    expect(json(demote).code).toBe('membership.role_not_allowed');
    const remove = await harness.app.inject({ method: 'DELETE', url: `/api/v1/users/${owner.userId}`, headers: admin });
    expect(remove.statusCode).toBe(403);
    expect(json(remove).code).toBe('membership.role_not_allowed');
    // Nor promote someone to owner.
    const promote = await harness.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${ids.member}`,
      headers: admin,
      payload: { role: 'owner' },
    });
    expect(promote.statusCode).toBe(403);
    expect(json(promote).code).toBe('membership.role_not_allowed');
    expect(await snapshot()).toEqual(before);
    expect(await countRows(harness, 'users', { email: 'would-be-owner@example.no' })).toBe(0);

    // Controls: the same calls with other roles work.
    const adminMember = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { email: 'new-admin@example.no', name: 'Admin 2', password: 'long password a', role: 'admin' },
    });
    expect(adminMember.statusCode, adminMember.body).toBe(201);
    const billerKey = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: admin,
      payload: { name: 'biller key', role: 'biller' },
    });
    expect(billerKey.statusCode, billerKey.body).toBe(201);
    const company = await harness.app.inject({
      method: 'PATCH',
      url: '/api/v1/company',
      headers: admin,
      payload: { website: 'https://admin.example' },
    });
    expect(company.statusCode, company.body).toBe(200);
  });

  it('the last owner can be neither demoted nor removed (409 membership.last_owner)', async () => {
    const tenant = await createTenant(harness);
    const ownerKey = await apiKeyHeaders(harness, tenant, 'owner');
    const demote = (headers: Record<string, string>, userId: string, role = 'admin') =>
      harness.app.inject({ method: 'PATCH', url: `/api/v1/users/${userId}`, headers, payload: { role } });
    const remove = (headers: Record<string, string>, userId: string) =>
      harness.app.inject({ method: 'DELETE', url: `/api/v1/users/${userId}`, headers });

    for (const headers of [tenant.headers, ownerKey]) {
      for (const response of [await demote(headers, tenant.userId), await remove(headers, tenant.userId)]) {
        expect(response.statusCode, response.body).toBe(409);
        expect(json(response).code).toBe('membership.last_owner');
      }
    }
    const members = json(await harness.app.inject({ method: 'GET', url: '/api/v1/users', headers: tenant.headers })).items;
    expect(members).toEqual([expect.objectContaining({ userId: tenant.userId, role: 'owner' })]);

    // With a second owner the first may step down; then the second is the last one.
    const second = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: tenant.headers,
      payload: { email: `second-owner-${Math.random().toString(36).slice(2)}@example.no`, name: 'Owner 2', password: 'long password 2', role: 'owner' },
    });
    expect(second.statusCode, second.body).toBe(201);
    const secondId = json(second).userId as string;
    const stepDown = await demote(ownerKey, tenant.userId);
    expect(stepDown.statusCode, stepDown.body).toBe(200);
    expect(json(stepDown).role).toBe('admin');
    for (const response of [await demote(ownerKey, secondId, 'read_only'), await remove(ownerKey, secondId)]) {
      expect(response.statusCode, response.body).toBe(409);
      expect(json(response).code).toBe('membership.last_owner');
    }
    // Re-assigning owner to an owner is not a demotion.
    expect((await demote(ownerKey, secondId, 'owner')).statusCode).toBe(200);
  });
});
