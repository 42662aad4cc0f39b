import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { type Caller, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ path: string; code: string; message: string; in?: string }>;
}

describe.each(DIALECTS)('customers API: PEPPOL id (%s)', (dialect) => {
  let harness: Harness;
  let owner: Caller;

  beforeAll(async () => {
    harness = await createHarness(dialect);
    owner = await createTenant(harness);
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

  it('refuses a scheme that is not a Peppol address scheme (EAS), naming it, and writes nothing', async () => {
    const before = await customerCount();
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ peppolId: '9999:974760673' }),
    });
    expect(response.statusCode, response.body).toBe(400);
    const problem = json<Problem>(response);
    expect(problem.code).toBe('validation.failed');
    expect(problem.errors).toEqual([
      {
        path: 'peppolId',
        code: 'peppol_id.unknown_scheme',
        message: '9999 is not a Peppol address scheme (EAS); a Norwegian organisation number is 0192:<org number>',
        in: 'body',
      },
    ]);
    expect(await customerCount()).toBe(before);
  });

  it('refuses the retired Norwegian scheme 9908', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ peppolId: '9908:974760673' }),
    });
    expect(response.statusCode).toBe(400);
    expect(json<Problem>(response).errors?.map((issue) => [issue.path, issue.code])).toEqual([['peppolId', 'peppol_id.unknown_scheme']]);
  });

  it('refuses a wrong check digit on create and on update, keeping the stored id', async () => {
    const created = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ peppolId: '0192:974760672' }),
    });
    expect(created.statusCode).toBe(400);
    expect(json<Problem>(created).errors).toEqual([
      {
        path: 'peppolId',
        code: 'peppol_id.check_digit',
        message: '974760672 is not a valid Norwegian organisation number (0192): the check digit is wrong',
        in: 'body',
      },
    ]);

    const valid = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ peppolId: ' 0007:5560360793 ' }),
    });
    expect(valid.statusCode, valid.body).toBe(201);
    const customer = json<{ id: string; peppolId: string }>(valid);
    expect(customer.peppolId).toBe('0007:5560360793');

    const patched = await harness.app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${customer.id}`,
      headers: owner.headers,
      payload: { peppolId: '0007:5560360794' },
    });
    expect(patched.statusCode).toBe(400);
    expect(json<Problem>(patched).errors?.map((issue) => [issue.path, issue.code, issue.message])).toEqual([
      ['peppolId', 'peppol_id.check_digit', '5560360794 is not a valid Swedish organisation number (0007): the check digit is wrong'],
    ]);
    const stored = await harness.app.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}`, headers: owner.headers });
    expect(json<{ peppolId: string }>(stored).peppolId).toBe('0007:5560360793');
  });

  it("names a value that does not have the scheme's format", async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: owner.headers,
      payload: customerBody({ peppolId: '0192:NO974760673MVA' }),
    });
    expect(response.statusCode).toBe(400);
    expect(json<Problem>(response).errors?.map((issue) => [issue.path, issue.code, issue.message])).toEqual([
      ['peppolId', 'peppol_id.value_format', '0192 (Norwegian organisation number) needs 9 digits, e.g. 0192:974760673'],
    ]);
  });
});
