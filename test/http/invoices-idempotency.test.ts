import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Idempotency-Key on the two POSTs that create legal documents: a retried issue
 * or credit note returns the first answer and creates no second document, no
 * second number and no second journal entry.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('Idempotency-Key on issue and credit note (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
  });
  afterAll(async () => harness?.close());

  async function tenant() {
    const owner = await createTenant(harness);
    const call = (method: Method, url: string, payload?: object, headers: Record<string, string> = {}) =>
      harness.app.inject({ method, url, headers: { ...owner.headers, ...headers }, ...(payload ? { payload } : {}) });
    const customerId = json(await call('POST', '/api/v1/customers', customerBody())).id as string;
    const draft = async () => {
      const response = await call('POST', '/api/v1/invoices', {
        customerId,
        deliveryDate: '2026-11-20',
        lines: [
          { description: 'Timer', quantity: '5', unitPrice: '900.00', vatCode: '3' },
          { description: 'Materiell', quantity: '1', unitPrice: '1200.00', vatCode: '3' },
        ],
      });
      expect(response.statusCode, response.body).toBe(201);
      return json<Doc>(response);
    };
    const issue = async (id: string) => json<Doc>(await call('POST', `/api/v1/invoices/${id}/issue`));
    const journalFor = async (sourceId: string) => json(await call('GET', `/api/v1/journal-entries?sourceId=${sourceId}&includeTest=true`)).items as Doc[];
    const notes = async () => json(await call('GET', '/api/v1/credit-notes?limit=200')).items as Doc[];
    return { owner, call, customerId, draft, issue, journalFor, notes };
  }

  it('replays a repeated issue: same number, one journal entry, the series moves once', async () => {
    const t = await tenant();
    const draft = await t.draft();
    const first = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, undefined, { 'idempotency-key': 'issue-1' });
    expect(first.statusCode, first.body).toBe(200);
    const again = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`, undefined, { 'idempotency-key': 'issue-1' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again)).toEqual(json(first));
    expect(json(first)).toMatchObject({ number: 1, status: 'issued' });
    expect(await t.journalFor(draft.id)).toHaveLength(1);
    // Without the key a repeat is refused, not repeated.
    const bare = await t.call('POST', `/api/v1/invoices/${draft.id}/issue`);
    expect(bare.statusCode).toBe(409);
    expect(json(bare).code).toBe('invoice.not_draft');
    expect((await t.issue((await t.draft()).id)).number).toBe(2);
  });

  it('replays a repeated credit note: one credit note, one journal entry, the invoice credited once', async () => {
    const t = await tenant();
    const invoice = await t.issue((await t.draft()).id);
    const body = { lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '2' }], reason: 'To timer for mye' };
    const responses = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      responses.push(await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, body, { 'idempotency-key': 'credit-1' }));
    }
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201]);
    expect(responses.slice(1).every((response) => response.headers['idempotent-replayed'] === 'true')).toBe(true);
    const note = json(responses[0]!);
    expect(responses.map((response) => json(response).id)).toEqual([note.id, note.id, note.id]);
    expect(note.totals.grossMinor).toBe(225_000);

    expect((await t.notes()).map((item) => item.id)).toEqual([note.id]);
    const after = json(await t.call('GET', `/api/v1/invoices/${invoice.id}`));
    expect(after.creditedMinor).toBe(225_000);
    expect(after.creditNotes).toHaveLength(1);
    expect(await t.journalFor(note.id)).toHaveLength(1);
    const balance = json(await t.call('GET', '/api/v1/trial-balance'));
    expect(balance.accounts.find((row: Doc) => row.account === '1500').balanceMinor).toBe(invoice.totals.grossNokMinor - 225_000);

    // The same key with another body is refused; a new key credits again.
    const reused = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { ...body, reason: 'Annet' }, { 'idempotency-key': 'credit-1' });
    expect(reused.statusCode).toBe(422);
    expect(json(reused).code).toBe('idempotency.key_reused');
    const second = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {}, { 'idempotency-key': 'credit-2' });
    expect(second.statusCode, second.body).toBe(201);
    expect((await t.notes())).toHaveLength(2);
    expect(json(await t.call('GET', `/api/v1/invoices/${invoice.id}`)).status).toBe('credited');
    const replayOfFirst = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, body, { 'idempotency-key': 'credit-1' });
    expect(json(replayOfFirst).id).toBe(note.id);
    expect((await t.notes())).toHaveLength(2);
  });

  it('creates one credit note when the same key arrives in parallel', async () => {
    const t = await tenant();
    const invoice = await t.issue((await t.draft()).id);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {}, { 'idempotency-key': 'burst' })),
    );
    for (const response of responses) {
      if (response.statusCode === 409) expect(json(response).code).toBe('idempotency.in_progress');
      else expect(response.statusCode, response.body).toBe(201);
    }
    const created = responses.filter((response) => response.statusCode === 201).map((response) => json(response).id);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created).size).toBe(1);
    expect((await t.notes()).map((item) => item.id)).toEqual([created[0]]);
    expect(await t.journalFor(created[0])).toHaveLength(1);
  });

  it('keeps keys per caller: an API key has its own key space', async () => {
    const t = await tenant();
    const invoice = await t.issue((await t.draft()).id);
    const biller = await apiKeyHeaders(harness, t.owner, 'biller');
    const body = { lines: [{ invoiceLineId: invoice.lines[1].id, amount: '100.00' }] };
    const mine = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, body, { 'idempotency-key': 'shared' });
    const theirs = await harness.app.inject({
      method: 'POST',
      url: `/api/v1/invoices/${invoice.id}/credit-note`,
      headers: { ...biller, 'idempotency-key': 'shared' },
      payload: body,
    });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(json(mine).id).not.toBe(json(theirs).id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.notes()).toHaveLength(2);
  });

  it('stores a refusal too: a retried failed issue answers the same 422 and uses no number', async () => {
    const t = await tenant();
    const bare = json(await t.call('POST', '/api/v1/invoices', { customerId: t.customerId, lines: [] }));
    const first = await t.call('POST', `/api/v1/invoices/${bare.id}/issue`, undefined, { 'idempotency-key': 'fail-1' });
    const again = await t.call('POST', `/api/v1/invoices/${bare.id}/issue`, undefined, { 'idempotency-key': 'fail-1' });
    expect([first.statusCode, again.statusCode]).toEqual([422, 422]);
    expect(json(again)).toEqual(json(first));
    expect(json(again).code).toBe('invoice.incomplete');
    expect((await t.issue((await t.draft()).id)).number).toBe(1);
  });
});
