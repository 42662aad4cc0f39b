import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * The legal check on issue, over HTTP (bff §§ 5-1-1 to 5-1-3, mval § 11-1,
 * § 15-10; shared/docs/norway-invoicing-rules.md §1): 422 invoice.incomplete
 * with every missing item as a field issue (path + code), and no number used.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;
type Issue = { path: string; code: string };

describe.each(DIALECTS)('legal check on issue over HTTP (%s)', (dialect) => {
  let harness: Harness;
  const clock = fixedClock('2026-11-26T10:00:00Z');

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock });
  });
  afterAll(async () => harness?.close());

  async function tenant(company: Record<string, unknown> = {}) {
    // An API key, not a session: the clock moves weeks in some tests.
    const headers = await apiKeyHeaders(harness, await createTenant(harness, { company }), 'admin');
    const call = (method: Method, url: string, payload?: object) =>
      harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const customer = async (overrides: Record<string, unknown> = {}) => {
      const response = await call('POST', '/api/v1/customers', customerBody(overrides));
      expect(response.statusCode, response.body).toBe(201);
      return json(response).id as string;
    };
    const draft = async (customerId: string, extra: object = {}) => {
      const response = await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        lines: [{ description: 'Service', quantity: '1', unitPrice: '1000.00', vatCode: '3' }],
        ...extra,
      });
      expect(response.statusCode, response.body).toBe(201);
      return json<Doc>(response);
    };
    const issue = (id: string) => call('POST', `/api/v1/invoices/${id}/issue`);
    /** Issues and expects 422 invoice.incomplete; returns the issues. */
    const refused = async (id: string): Promise<Issue[]> => {
      const response = await issue(id);
      expect(response.statusCode, response.body).toBe(422);
      const problem = json(response);
      expect(problem.code).toBe('invoice.incomplete');
      const stored = json(await call('GET', `/api/v1/invoices/${id}`));
      expect(stored).toMatchObject({ status: 'draft', number: null });
      return (problem.errors as Issue[]).map(({ path, code }) => ({ path, code }));
    };
    const accepted = async (id: string) => {
      const response = await issue(id);
      expect(response.statusCode, response.body).toBe(200);
      return json<Doc>(response);
    };
    return { call, customer, draft, issue, refused, accepted };
  }

  it('refuses when the company has no bank account, and issues once it has one', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant({ bankAccount: null });
    const draft = await t.draft(await t.customer());
    expect(await t.refused(draft.id)).toEqual([{ path: 'seller.bankAccount', code: 'seller.bank_account_missing' }]);
    const patched = await t.call('PATCH', '/api/v1/company', { bankAccount: '86011117947' });
    expect(patched.statusCode, patched.body).toBe(200);
    const invoice = await t.accepted(draft.id);
    expect(invoice.number).toBe(1);
    expect(invoice.seller.bankAccount).toBe('86011117947');
  });

  it('accepts an IBAN instead of a domestic account', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant({ bankAccount: null, iban: 'NO9386011117947' });
    expect((await t.accepted((await t.draft(await t.customer())).id)).number).toBe(1);
  });

  it('identifies the buyer by org number or address: a business without address issues, a person without address does not', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant();
    const business = await t.customer({ kind: 'business', address: { countryCode: 'NO' } });
    expect((await t.accepted((await t.draft(business)).id)).buyer.address.line1).toBeNull();

    const person = await t.customer({ kind: 'person', name: 'Kari Nordmann', orgNumber: null, address: { countryCode: 'NO' } });
    const personDraft = await t.draft(person);
    expect(await t.refused(personDraft.id)).toEqual([{ path: 'buyer.address', code: 'buyer.address_missing' }]);
    // A street without postal code and city is still no address.
    await t.call('PATCH', `/api/v1/customers/${person}`, { address: { line1: 'Storgata 1', countryCode: 'NO' } });
    expect(await t.refused(personDraft.id)).toEqual([{ path: 'buyer.address', code: 'buyer.address_missing' }]);
    await t.call('PATCH', `/api/v1/customers/${person}`, { address: { line1: 'Storgata 1', postalCode: '0155', city: 'Oslo', countryCode: 'NO' } });
    const issued = await t.accepted(personDraft.id);
    expect(issued.buyer).toMatchObject({ name: 'Kari Nordmann', kind: 'person', address: { line1: 'Storgata 1', city: 'Oslo' } });
  });

  it('refuses an issue date in the future', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant();
    const draft = await t.draft(await t.customer(), { issueDate: '2026-11-27' });
    expect(await t.refused(draft.id)).toEqual([{ path: 'issueDate', code: 'issue_date.in_future' }]);
    // "Today" is the company's date in Oslo: at 23:30 UTC on the 26th it is the 27th there.
    clock.set('2026-11-26T23:30:00Z');
    const invoice = await t.accepted(draft.id);
    expect(invoice.issueDate).toBe('2026-11-27');
  });

  it('allows the last day of the previous month during the first 15 days, and nothing earlier', async () => {
    clock.set('2026-12-10T10:00:00Z');
    const t = await tenant();
    const customerId = await t.customer();
    const endOfMonth = await t.draft(customerId, { issueDate: '2026-11-30', deliveryDate: '2026-11-20' });
    const invoice = await t.accepted(endOfMonth.id);
    expect(invoice).toMatchObject({ issueDate: '2026-11-30', dueDate: '2026-12-14' });
    const entry = json(await t.call('GET', `/api/v1/journal-entries?sourceId=${invoice.id}`)).items[0];
    expect(entry.entryDate).toBe('2026-11-30');

    const dayBefore = await t.draft(customerId, { issueDate: '2026-11-29', deliveryDate: '2026-11-20' });
    expect(await t.refused(dayBefore.id)).toEqual([{ path: 'issueDate', code: 'issue_date.too_early' }]);
    const lastWeek = await t.draft(customerId, { issueDate: '2026-12-03', deliveryDate: '2026-11-20' });
    expect(await t.refused(lastWeek.id)).toEqual([{ path: 'issueDate', code: 'issue_date.too_early' }]);
    // Backdating needs the delivery to have happened by then.
    const deliveredLater = await t.draft(customerId, { issueDate: '2026-11-30', deliveryDate: '2026-12-02' });
    expect((await t.refused(deliveredLater.id)).map((issue) => issue.code)).toContain('issue_date.before_delivery');

    // After the 15th the previous month is closed.
    clock.set('2026-12-16T10:00:00Z');
    const late = await t.draft(customerId, { issueDate: '2026-11-30', deliveryDate: '2026-11-20' });
    expect(await t.refused(late.id)).toEqual([{ path: 'issueDate', code: 'issue_date.too_early' }]);
    expect((await t.accepted((await t.draft(customerId)).id)).number).toBe(2);
  });

  it('needs the buyer org number for reverse charge (code 51)', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant();
    const withoutOrg = await t.customer({ orgNumber: null });
    const lines = [
      { description: 'Bygningsarbeid', quantity: '10', unitPrice: '800.00', vatCode: '51' },
      { description: 'Bygningsarbeid, helg', quantity: '2', unitPrice: '1200.00', vatCode: '51' },
    ];
    const draft = await t.draft(withoutOrg, { lines });
    expect(await t.refused(draft.id)).toEqual([{ path: 'buyer.orgNumber', code: 'buyer.org_number_required' }]);

    const withOrg = await t.customer();
    const invoice = await t.accepted((await t.draft(withOrg, { lines })).id);
    expect(invoice.totals).toMatchObject({ netMinor: 1_040_000, vatMinor: 0, grossMinor: 1_040_000 });
    expect(invoice.vatBreakdown).toEqual([expect.objectContaining({ vatCode: '51', category: 'AE', taxableMinor: 1_040_000, vatMinor: 0 })]);
    const entry = json(await t.call('GET', `/api/v1/journal-entries?sourceId=${invoice.id}`)).items[0];
    expect(entry.lines.some((line: Doc) => line.account.startsWith('27'))).toBe(false);
    expect(entry.lines).toEqual(expect.arrayContaining([expect.objectContaining({ account: '3005', creditMinor: 1_040_000, vatCode: '51' })]));
  });

  it('refuses a negative total (a credit note is the way), but allows deduction lines', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant();
    const customerId = await t.customer();
    const negative = await t.draft(customerId, {
      lines: [
        { description: 'Varer', quantity: '1', unitPrice: '100.00', vatCode: '3' },
        { description: 'Rabatt', quantity: '-1', unitPrice: '150.00', vatCode: '3' },
      ],
    });
    expect(negative.totals.grossMinor).toBe(-6250);
    expect(await t.refused(negative.id)).toEqual([{ path: 'lines', code: 'total.negative' }]);
    const deduction = await t.draft(customerId, {
      lines: [
        { description: 'Varer', quantity: '1', unitPrice: '150.00', vatCode: '3' },
        { description: 'Rabatt', quantity: '1', unitPrice: '-100.00', vatCode: '3' },
      ],
    });
    expect((await t.accepted(deduction.id)).totals.grossMinor).toBe(6250);
  });

  it('needs the exchange rate on a foreign-currency invoice', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant();
    const draft = await t.draft(await t.customer(), { currency: 'EUR' });
    expect(draft.exchangeRate).toBeNull();
    expect(await t.refused(draft.id)).toEqual([{ path: 'exchangeRate', code: 'exchange_rate.missing' }]);
    expect((await t.call('PATCH', `/api/v1/invoices/${draft.id}`, { exchangeRate: '11.5' })).statusCode).toBe(200);
    const invoice = await t.accepted(draft.id);
    expect(invoice).toMatchObject({ currency: 'EUR', exchangeRate: '11.50' });
    expect(invoice.totals).toMatchObject({ grossMinor: 125_000, vatNokMinor: 287_500, grossNokMinor: 1_437_500 });
  });

  it('lists every missing item at once, and the number stays unused', async () => {
    clock.set('2026-11-26T10:00:00Z');
    const t = await tenant({ bankAccount: null });
    const person = await t.customer({ kind: 'person', name: 'Ola Nordmann', orgNumber: null, address: { countryCode: 'NO' } });
    const draft = await t.draft(person, {
      issueDate: '2026-12-01',
      deliveryDate: null,
      currency: 'USD',
      lines: [{ quantity: '0' }, { description: 'Reverse', quantity: '1', unitPrice: '10', vatCode: '51' }],
    });
    const issues = await t.refused(draft.id);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'seller.bankAccount', code: 'seller.bank_account_missing' },
        { path: 'buyer.address', code: 'buyer.address_missing' },
        { path: 'issueDate', code: 'issue_date.in_future' },
        { path: 'deliveryDate', code: 'delivery_date.missing' },
        { path: 'exchangeRate', code: 'exchange_rate.missing' },
        { path: 'lines.0.description', code: 'line.description_missing' },
        { path: 'lines.0.quantity', code: 'line.quantity_missing' },
        { path: 'lines.0.unitPrice', code: 'line.price_missing' },
        { path: 'buyer.orgNumber', code: 'buyer.org_number_required' },
      ]),
    );
    expect(issues).toHaveLength(9);

    const empty = await t.draft(person, { lines: [] });
    expect((await t.refused(empty.id)).map((issue) => issue.code)).toContain('lines.missing');

    // Put everything right: the first invoice gets number 1.
    await t.call('PATCH', '/api/v1/company', { bankAccount: '86011117947' });
    await t.call('PATCH', `/api/v1/customers/${person}`, { address: { line1: 'Storgata 2', postalCode: '0155', city: 'Oslo', countryCode: 'NO' } });
    const fixed = await t.call('PATCH', `/api/v1/invoices/${draft.id}`, {
      issueDate: null,
      deliveryDate: '2026-11-25',
      exchangeRate: '10.25',
      lines: [{ description: 'Konsulentbistand', quantity: '2', unitPrice: '100', vatCode: '3' }],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await t.accepted(draft.id)).number).toBe(1);
  });
});
