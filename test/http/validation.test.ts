import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ path: string; code: string }>;
}

describe.each(DIALECTS)('bad request bodies (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
    bearer = await apiKeyHeaders(harness, owner, 'admin');
  });
  afterAll(async () => harness?.close());

  async function counts() {
    const db = harness.runtime.db.kysely;
    const count = async (table: 'customers' | 'products' | 'audit_events' | 'companies' | 'users') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      customers: await count('customers'),
      products: await count('products'),
      audit: await count('audit_events'),
      companies: await count('companies'),
      users: await count('users'),
    };
  }

  const cases: Array<{ name: string; url: string; method?: 'POST' | 'PATCH'; payload: unknown; fields: string[]; codes?: string[] }> = [
    { name: 'wrong types', url: '/api/v1/customers', payload: customerBody({ name: 42, paymentTermsDays: 'ten' }), fields: ['name', 'paymentTermsDays'] },
    { name: 'missing required field', url: '/api/v1/customers', payload: { kind: 'business' }, fields: ['name'] },
    { name: 'invalid organisation number', url: '/api/v1/customers', payload: customerBody({ orgNumber: '974760672' }), fields: ['orgNumber'], codes: ['org_number.invalid'] },
    { name: 'unknown fields, nested too', url: '/api/v1/customers', payload: customerBody({ isVip: true, address: { line1: 'x', countryCode: 'NO', floor: 3 } }), fields: ['isVip', 'address.floor'], codes: ['unrecognized_key'] },
    { name: 'oversized field', url: '/api/v1/customers', payload: customerBody({ name: 'x'.repeat(5000) }), fields: ['name'], codes: ['too_big'] },
    { name: 'invalid PEPPOL id and e-mail', url: '/api/v1/customers', payload: customerBody({ peppolId: '0192:974760672', email: 'not-an-email' }), fields: ['peppolId', 'email'] },
    { name: 'bad enum and bad country', url: '/api/v1/customers', payload: customerBody({ kind: 'alien', language: 'sv', address: { countryCode: 'norway' } }), fields: ['kind', 'language', 'address.countryCode'] },
    { name: 'price with 7 decimals and unknown VAT code', url: '/api/v1/products', payload: productBody({ unitPrice: '1.1234567', vatCode: '99' }), fields: ['unitPrice', 'vatCode'], codes: ['decimal.invalid'] },
    { name: 'price as a float number', url: '/api/v1/products', payload: productBody({ unitPrice: 10.5 }), fields: ['unitPrice'] },
    { name: 'invalid bank account and IBAN on the company', url: '/api/v1/company', method: 'PATCH', payload: { bankAccount: '12345678901', iban: 'NO9486011117947' }, fields: ['bankAccount', 'iban'], codes: ['bank_account.invalid', 'iban.invalid'] },
    { name: 'company with an invalid org number', url: '/api/v1/onboarding', payload: { company: { legalName: 'X AS', orgNumber: '123456789' }, owner: { name: 'A', email: 'a@b.no', password: 'short' } }, fields: ['company.orgNumber', 'owner.password'] },
  ];

  it.each(cases)('$name → 400 naming the fields, nothing written', async ({ url, method, payload, fields, codes }) => {
    const before = await counts();
    const response = await harness.app.inject({ method: method ?? 'POST', url, headers: bearer, payload: payload as object });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = json<Problem>(response);
    expect(problem.code).toBe('validation.failed');
    const paths = problem.errors?.map((issue) => issue.path) ?? [];
    for (const field of fields) expect(paths, JSON.stringify(problem.errors)).toContain(field);
    for (const code of codes ?? []) expect(problem.errors?.map((issue) => issue.code)).toContain(code);
    expect(await counts()).toEqual(before);
  });

  it('an oversized payload is refused with 413 problem JSON and nothing written', async () => {
    const before = await counts();
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: bearer,
      payload: customerBody({ notes: 'x'.repeat(200 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(json<Problem>(response).code).toBe('request.too_large');
    expect(await counts()).toEqual(before);
  });

  it('malformed JSON and a non-JSON content type get problem JSON', async () => {
    const malformed = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...bearer, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(json<Problem>(malformed).code).toBe('validation.failed');
    const form = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    expect(form.statusCode).toBe(415);
    expect(json<Problem>(form).code).toBe('request.unsupported_media_type');
  });

  it('bad query parameters and path ids are named too', async () => {
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/v1/customers?limit=0&sort=shoe&bogus=1',
      headers: bearer,
    });
    expect(response.statusCode).toBe(400);
    const paths = json<Problem>(response).errors?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['limit', 'sort', 'bogus']));
    const badId = await harness.app.inject({ method: 'GET', url: '/api/v1/customers/%27%20or%201=1', headers: bearer });
    expect(badId.statusCode).toBe(400);
    expect(json<Problem>(badId).errors?.[0]?.path).toBe('id');
  });

  it('a failure in the middle of an operation leaves nothing half-written', async () => {
    const first = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload: customerBody({ customerNumber: 500 }) });
    expect(first.statusCode).toBe(201);
    const before = await counts();
    // Passes validation, fails on the unique number inside the transaction.
    const clash = await harness.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload: customerBody({ customerNumber: 500 }) });
    expect(clash.statusCode).toBe(409);
    expect(json<Problem>(clash).code).toBe('customer.number_taken');
    expect(await counts()).toEqual(before);
  });

  it('unknown API routes answer 404 problem JSON', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: bearer });
    expect(response.statusCode).toBe(404);
    expect(json<Problem>(response).code).toBe('resource.not_found');
  });
});
