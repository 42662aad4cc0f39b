import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody, productBody } from '../helpers/factories.js';
import { apiKeyHeaders, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * POST /invoices with "issue": true creates and issues in ONE transaction ("save and
 * issue"): the same document, number, KID, journal entry and audit events as creating
 * and then issuing, and — when the legal check fails — the same 422 with nothing left
 * behind: no draft, no number, no journal entry, no audit event.
 *
 * Also checks that the documents answered without reading them back (create, issue,
 * create-and-issue) are exactly what a later GET reads from the database.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('create and issue in one request (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
  });
  afterAll(async () => harness?.close());

  async function tenant(company: Record<string, unknown> = {}) {
    const owner = await createTenant(harness, { company });
    const call = (method: Method, url: string, payload?: object, headers: Record<string, string> = owner.headers) =>
      harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const customerId = json(await call('POST', '/api/v1/customers', customerBody({ customerNumber: 77 }))).id as string;
    const productId = json(await call('POST', '/api/v1/products', productBody({ unitPrice: '1250.00', vatCode: '3' }))).id as string;
    const body = (extra: object = {}) => ({
      customerId,
      deliveryDate: '2026-11-20',
      ourReference: 'Ref 1',
      lines: [
        { productId, quantity: '7.5' },
        { description: 'Reise', quantity: '1', unitPrice: '1840.00', vatCode: '3' },
        { description: 'Bok', quantity: '2', unitPrice: '399.00', vatCode: '33', discountPercent: '10' },
        { description: 'Porto', quantity: '1', unitPrice: '50.00', vatCode: '6' },
        { description: 'Gebyr', quantity: '1', unitPrice: '25.00', vatCode: '5' },
      ],
      ...extra,
    });
    const count = async (table: 'invoices' | 'journal_entries' | 'audit_events' | 'invoice_lines') =>
      Number(
        (
          await sql<{ count: number | string }>`select count(*) as count from ${sql.table(table)} where company_id = ${owner.companyId}`.execute(
            harness.runtime.db.kysely,
          )
        ).rows[0]!.count,
      );
    const audit = async (entityId: string) =>
      (json(await call('GET', `/api/v1/audit-events?entityId=${entityId}`)).items as Doc[]).map((event) => event.action).sort();
    const journal = async (sourceId: string) =>
      json(await call('GET', `/api/v1/journal-entries?sourceId=${sourceId}&includeTest=true`)).items as Doc[];
    return { owner, call, customerId, productId, body, count, audit, journal };
  }

  it('answers 201 with the issued document, as GET reads it, with the journal entry and both audit events', async () => {
    const t = await tenant();
    const response = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }));
    expect(response.statusCode, response.body).toBe(201);
    const invoice = json<Doc>(response);
    expect(invoice).toMatchObject({ status: 'issued', number: 1, documentNumber: '1', customerNumber: 77, ourReference: 'Ref 1' });
    expect(invoice.kid).toMatch(/^\d+$/);
    expect(invoice.seller).not.toBeNull();
    expect(invoice.dueDate).not.toBeNull();
    expect(invoice.lines).toHaveLength(5);
    // Four VAT codes; 5 and 6 share the rate 0 and come in code order, as the database orders them.
    expect(invoice.vatBreakdown.map((entry: Doc) => entry.vatCode)).toEqual(['3', '33', '5', '6']);
    expect(json(await t.call('GET', `/api/v1/invoices/${invoice.id}`))).toEqual(invoice);

    const [entry] = await t.journal(invoice.id);
    expect(entry).toBeDefined();
    const lines = entry!.lines as Doc[];
    const sum = (key: string) => lines.reduce((total, line) => total + line[key], 0);
    expect(sum('debitMinor')).toBe(sum('creditMinor'));
    expect(lines.find((line) => line.account === '1500')!.debitMinor).toBe(invoice.totals.grossNokMinor);
    expect(invoice.journalEntryId).toBe(entry!.id);
    expect(await t.audit(invoice.id)).toEqual(['invoice.draft_created', 'invoice.issued']);
  });

  it('gives the same document, journal entry and audit events as creating and then issuing', async () => {
    const t = await tenant();
    const created = await t.call('POST', '/api/v1/invoices', t.body());
    expect(created.statusCode, created.body).toBe(201);
    const draft = json<Doc>(created);
    expect(json(await t.call('GET', `/api/v1/invoices/${draft.id}`))).toEqual(draft);
    const issuedResponse = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(issuedResponse.statusCode, issuedResponse.body).toBe(200);
    const twoSteps = json<Doc>(issuedResponse);
    expect(json(await t.call('GET', `/api/v1/invoices/${draft.id}`))).toEqual(twoSteps);

    const oneStep = json<Doc>(await t.call('POST', '/api/v1/invoices', t.body({ issue: true })));
    // Everything but identity, number and KID (which carries the number) is the same.
    const comparable = (doc: Doc) => ({
      ...doc,
      id: undefined,
      number: undefined,
      documentNumber: undefined,
      kid: undefined,
      journalEntryId: undefined,
      lines: doc.lines.map((line: Doc) => ({ ...line, id: undefined })),
    });
    expect(comparable(oneStep)).toEqual(comparable(twoSteps));
    expect([twoSteps.number, oneStep.number]).toEqual([1, 2]);
    const strip = (entries: Doc[]) =>
      entries.map((entry) => ({
        entryDate: entry.entryDate,
        lines: (entry.lines as Doc[]).map(({ account, debitMinor, creditMinor, vatCode }) => ({ account, debitMinor, creditMinor, vatCode })),
      }));
    expect(strip(await t.journal(oneStep.id))).toEqual(strip(await t.journal(twoSteps.id)));
    expect(await t.audit(oneStep.id)).toEqual(await t.audit(twoSteps.id));
  });

  it('refuses with 422 and every missing item, exactly as issue does, and leaves nothing behind', async () => {
    const t = await tenant({ bankAccount: null });
    // Four missing items: the seller's bank account, the delivery date, the exchange rate, a line's description.
    const incomplete = {
      customerId: t.customerId,
      currency: 'EUR',
      lines: [{ quantity: '1', unitPrice: '100.00', vatCode: '3' }],
    };
    const draft = json<Doc>(await t.call('POST', '/api/v1/invoices', incomplete));
    const viaIssue = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(viaIssue.statusCode).toBe(422);
    expect(await t.call('DELETE', `/api/v1/invoices/${draft.id}`).then((response) => response.statusCode)).toBe(204);

    const before = {
      invoices: await t.count('invoices'),
      lines: await t.count('invoice_lines'),
      journal: await t.count('journal_entries'),
      audit: await t.count('audit_events'),
    };
    const refused = await t.call('POST', '/api/v1/invoices', { ...incomplete, issue: true });
    expect(refused.statusCode, refused.body).toBe(422);
    const problem = json(refused);
    expect(problem.code).toBe('invoice.incomplete');
    const issues = (body: Doc) => (body.errors as Doc[]).map(({ path, code }) => ({ path, code }));
    expect(issues(problem)).toEqual(issues(json(viaIssue)));
    expect(issues(problem).map((issue) => issue.code).sort()).toEqual([
      'delivery_date.missing',
      'exchange_rate.missing',
      'line.description_missing',
      'seller.bank_account_missing',
    ]);
    expect({
      invoices: await t.count('invoices'),
      lines: await t.count('invoice_lines'),
      journal: await t.count('journal_entries'),
      audit: await t.count('audit_events'),
    }).toEqual(before);

    // No number was consumed: once complete, the first invoice is number 1.
    expect((await t.call('PATCH', '/api/v1/company', { bankAccount: '86011117947' })).statusCode).toBe(200);
    const complete = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }));
    expect(complete.statusCode, complete.body).toBe(201);
    expect(json(complete).number).toBe(1);
  });

  it('refuses an unknown product or an archived customer as a 400 field error, creating nothing', async () => {
    const t = await tenant();
    const before = await t.count('invoices');
    const unknown = await t.call('POST', '/api/v1/invoices', t.body({ issue: true, lines: [{ productId: 'nope', quantity: '1' }] }));
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).errors).toEqual([expect.objectContaining({ path: 'lines.0.productId', code: 'product.not_found' })]);
    expect((await t.call('POST', `/api/v1/customers/${t.customerId}/archive`, {})).statusCode).toBe(200);
    const archived = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }));
    expect(archived.statusCode).toBe(400);
    expect(json(archived).errors).toEqual([expect.objectContaining({ path: 'customerId', code: 'customer.archived' })]);
    expect(await t.count('invoices')).toBe(before);
  });

  it('replays a repeated request with the same Idempotency-Key: one invoice, one number', async () => {
    const t = await tenant();
    const key = { ...t.owner.headers, 'idempotency-key': 'save-and-issue-1' };
    const first = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }), key);
    const again = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }), key);
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again)).toEqual(json(first));
    expect(await t.count('invoices')).toBe(1);
    expect(await t.journal(json(first).id)).toHaveLength(1);
    // The same key for a draft-only body is another request: refused.
    const reused = await t.call('POST', '/api/v1/invoices', t.body(), key);
    expect(reused.statusCode).toBe(422);
    expect(json(reused).code).toBe('idempotency.key_reused');
    const next = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }));
    expect(json(next).number).toBe(2);
  });

  it('replays a refusal too, and the refused request consumed no number', async () => {
    const t = await tenant();
    const key = { ...t.owner.headers, 'idempotency-key': 'save-and-issue-fail' };
    const incomplete = t.body({ issue: true, deliveryDate: undefined });
    const first = await t.call('POST', '/api/v1/invoices', incomplete, key);
    const again = await t.call('POST', '/api/v1/invoices', incomplete, key);
    expect([first.statusCode, again.statusCode]).toEqual([422, 422]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again)).toEqual(json(first));
    expect(await t.count('invoices')).toBe(0);
    expect(json(await t.call('POST', '/api/v1/invoices', t.body({ issue: true }))).number).toBe(1);
  });

  it('numbers parallel requests gap-free', async () => {
    const t = await tenant();
    const responses = await Promise.all(Array.from({ length: 12 }, () => t.call('POST', '/api/v1/invoices', t.body({ issue: true }))));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(12).fill(201));
    expect(responses.map((response) => json(response).number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(responses.map((response) => json(response).kid)).size).toBe(12);
  });

  it('uses the test series in test mode', async () => {
    const t = await tenant();
    expect((await t.call('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    const invoice = json<Doc>(await t.call('POST', '/api/v1/invoices', t.body({ issue: true })));
    expect(invoice).toMatchObject({ documentNumber: 'TEST-1', isTest: true, status: 'issued' });
    expect((await t.journal(invoice.id))[0]).toMatchObject({ isTest: true });
  });

  it('needs a role that may issue, and refuses a non-boolean "issue"', async () => {
    const t = await tenant();
    const biller = await apiKeyHeaders(harness, t.owner, 'biller');
    const asBiller = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }), biller);
    expect(asBiller.statusCode, asBiller.body).toBe(201);
    expect(json(asBiller).status).toBe('issued');
    const accountant = await apiKeyHeaders(harness, t.owner, 'accountant');
    const asAccountant = await t.call('POST', '/api/v1/invoices', t.body({ issue: true }), accountant);
    expect(asAccountant.statusCode).toBe(403);
    expect(json(asAccountant).code).toBe('auth.forbidden');
    const invalid = await t.call('POST', '/api/v1/invoices', t.body({ issue: 'yes' }));
    expect(invalid.statusCode).toBe(400);
    expect(json(invalid).errors).toEqual([expect.objectContaining({ path: 'issue' })]);
    expect(await t.count('invoices')).toBe(1);
  });
});
