import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

describe.each(DIALECTS)('Idempotency-Key (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    bearer = await apiKeyHeaders(harness, owner, 'biller');
  });
  afterAll(async () => harness?.close());

  async function customerCount(): Promise<number> {
    const row = await harness.runtime.db.kysely
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('company_id', '=', owner.companyId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('a repeated POST returns the first response and creates one record', async () => {
    const before = await customerCount();
    const payload = customerBody({ name: 'Idempotent AS' });
    const headers = { ...bearer, 'idempotency-key': 'create-customer-1' };
    const first = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload });
    const second = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(json(second)).toEqual(json(first));
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await customerCount()).toBe(before + 1);
  });

  it('works for cookie sessions and for concurrent repeats', async () => {
    const before = await customerCount();
    const payload = customerBody({ name: 'Samtidig AS' });
    const headers = { ...owner.headers, 'idempotency-key': 'parallel-1' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload })),
    );
    const statuses = responses.map((response) => response.statusCode);
    // Each repeat either replays the stored 201 or is told the first is still running.
    for (const status of statuses) expect([201, 409]).toContain(status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(await customerCount()).toBe(before + 1);
    const later = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload });
    expect(later.statusCode).toBe(201);
    expect(await customerCount()).toBe(before + 1);
  });

  it('the same key with a different body is refused', async () => {
    const headers = { ...bearer, 'idempotency-key': 'reused-key' };
    const first = await harness.app.inject({ method: 'POST', url: '/api/v1/products', headers, payload: productBody() });
    expect(first.statusCode).toBe(201);
    const other = await harness.app.inject({ method: 'POST', url: '/api/v1/products', headers, payload: productBody() });
    expect(other.statusCode).toBe(422);
    expect(json(other).code).toBe('idempotency.key_reused');
  });

  it('keys are per caller: another caller with the same key gets its own record', async () => {
    const other = await createTenant(harness);
    const payload = customerBody();
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...bearer, ...headers }, payload });
    const theirs = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...other.headers, ...headers }, payload });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(json(theirs).id).not.toBe(json(mine).id);
  });

  it('a stored error is replayed too, and without a key every POST creates', async () => {
    const headers = { ...bearer, 'idempotency-key': 'bad-one' };
    const bad = customerBody({ kind: 'person', orgNumber: '974760673' });
    const first = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: bad });
    const second = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: bad });
    expect(first.statusCode).toBe(400);
    expect(second.statusCode).toBe(400);
    expect(second.body).toBe(first.body);
    const before = await customerCount();
    const payload = customerBody();
    await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload });
    await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload });
    expect(await customerCount()).toBe(before + 2);
  });
});
