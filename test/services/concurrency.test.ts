import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerListQuerySchema } from '../../src/app/customer.schemas.js';
import type { CompanyContext } from '../../src/app/context.js';
import { AppError } from '../../src/domain/errors.js';
import { DIALECTS } from '../helpers/dialects.js';
import { makeCustomerInput, makeProductInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { countRows, newCompanyContext } from '../helpers/service-context.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe.each(DIALECTS)('concurrent writes (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('30 parallel createCustomer calls on one company get exactly the numbers 1..30', async () => {
    const { customers } = harness.runtime.services;
    const ctx = await newCompanyContext(harness);
    const results = await Promise.allSettled(
      range(1, 30).map((index) => customers.createCustomer(ctx, makeCustomerInput({ name: `Parallell ${index} AS` }))),
    );
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures.map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
    const numbers = results.map((result) => (result as PromiseFulfilledResult<{ customerNumber: number }>).value.customerNumber);
    expect([...numbers].sort((a, b) => a - b)).toEqual(range(1, 30));

    const stored = await customers.listCustomers(ctx, customerListQuerySchema.parse({ limit: 200 }));
    expect(stored.items.map((customer) => customer.customerNumber)).toEqual(range(1, 30));
    expect(await countRows(harness, 'audit_events', { company_id: ctx.companyId, action: 'customer.created' })).toBe(30);
    // The series continues after the burst.
    expect((await customers.createCustomer(ctx, makeCustomerInput())).customerNumber).toBe(31);
  });

  it('parallel creates in two companies keep both series gap-free and independent', async () => {
    const { customers } = harness.runtime.services;
    const a = await newCompanyContext(harness);
    const b = await newCompanyContext(harness);
    const created = await Promise.all(
      range(1, 24).map((index) => customers.createCustomer(index % 2 ? a : b, makeCustomerInput())),
    );
    const numbersOf = (companyIndex: number) =>
      created
        .filter((_, index) => (index + 1) % 2 === companyIndex)
        .map((customer) => customer.customerNumber)
        .sort((x, y) => x - y);
    expect(numbersOf(1)).toEqual(range(1, 12));
    expect(numbersOf(0)).toEqual(range(1, 12));
  });

  it.each([
    ['demote A while B is demoted', 'changeRole', 'changeRole'],
    ['demote A while B is removed', 'changeRole', 'removeMember'],
    ['remove A while B is removed', 'removeMember', 'removeMember'],
  ] as const)('two owners, in parallel: %s → exactly one succeeds, one owner is left', async (_, first, second) => {
    const { members } = harness.runtime.services;
    for (let round = 0; round < 5; round++) {
      const ctx = await newCompanyContext(harness);
      const cli: CompanyContext = { ...ctx, actor: { type: 'cli', id: null, label: 'test' } };
      const addOwner = (label: string) =>
        members.addMember(cli, {
          email: `${label}-${round}-${ctx.companyId}@example.no`,
          name: label,
          password: 'long enough password',
          role: 'owner',
          language: 'nb',
        });
      const a = await addOwner('a');
      const b = await addOwner('b');
      const act = (operation: 'changeRole' | 'removeMember', userId: string) =>
        operation === 'changeRole' ? members.changeRole(ctx, userId, 'admin') : members.removeMember(ctx, userId);
      const results = await Promise.allSettled([act(first, a.userId), act(second, b.userId)]);
      const outcome = results.map((result) =>
        result.status === 'fulfilled' ? 'ok' : result.reason instanceof AppError ? result.reason.code : String(result.reason),
      );
      expect(outcome.sort(), `round ${round}`).toEqual(['membership.last_owner', 'ok']);
      const owners = (await members.listMembers(ctx)).filter((member) => member.role === 'owner');
      expect(owners, `round ${round}`).toHaveLength(1);
    }
  });

  it('parallel creates of one product number: exactly one wins, the rest get product.number_taken', async () => {
    const { products } = harness.runtime.services;
    const ctx = await newCompanyContext(harness);
    const results = await Promise.allSettled(
      range(1, 10).map((index) => products.createProduct(ctx, makeProductInput({ productNumber: 'SAME-1', name: `Kopi ${index}` }))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const codes = results
      .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
      .map((result) => (result.reason instanceof AppError ? result.reason.code : String(result.reason)));
    expect(codes).toEqual(Array(9).fill('product.number_taken'));
    expect(await countRows(harness, 'products', { company_id: ctx.companyId })).toBe(1);
    expect(await countRows(harness, 'audit_events', { company_id: ctx.companyId, action: 'product.created' })).toBe(1);
  });
});
