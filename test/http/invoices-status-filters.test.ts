import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { apiKeyHeaders, createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Status (draft → issued → sent → partially paid → paid; credited) and overdue,
 * judged on the company's date in Europe/Oslo with an injected clock, and the
 * list filters with keyset pagination. Sending and payments are set in SQL
 * (the columns stay mutable after issue) until those features exist.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

describe.each(DIALECTS)('invoice status, overdue and list filters over HTTP (%s)', (dialect) => {
  let harness: Harness;
  const clock = fixedClock('2026-11-26T10:00:00Z');
  /** An admin API key: unlike a session it does not expire while the clock jumps weeks ahead. */
  let headers: Record<string, string>;
  let ørsta: string;
  let nordlys: string;
  const docs: Record<string, Doc> = {};

  const call = (method: Method, url: string, payload?: object) =>
    harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  async function draft(customerId: string, extra: object = {}) {
    const response = await call('POST', '/api/v1/invoices', {
      customerId,
      deliveryDate: '2026-11-20',
      lines: [{ description: 'Tømrerarbeid', quantity: '4', unitPrice: '750.00', vatCode: '3' }],
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return json<Doc>(response);
  }

  async function issued(customerId: string, extra: object = {}) {
    const created = await draft(customerId, extra);
    const response = await call('POST', `/api/v1/invoices/${created.id}/issue`);
    expect(response.statusCode, response.body).toBe(200);
    return json<Doc>(response);
  }

  const get = async (id: string) => json<Doc>(await call('GET', `/api/v1/invoices/${id}`));
  const setColumns = async (id: string, columns: { sent_at?: string; paid_minor?: number }) => {
    await harness.runtime.db.kysely.updateTable('invoices').set(columns).where('id', '=', id).execute();
  };

  /** Every page of a list, checking that the keyset walk returns each row once, newest first. */
  async function walk(query: string, limit: number): Promise<Doc[]> {
    const items: Doc[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = query ? '&' : '';
      const response = await call('GET', `/api/v1/invoices?${query}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page: Doc = json(response);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      expect(page.totals.count).toBe(page.items.length);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    return items;
  }

  const ids = (items: Doc[]) => items.map((item) => item.id).sort();
  const listed = async (query: string) => ids(json(await call('GET', `/api/v1/invoices?${query}&limit=200`)).items);
  const idsOf = (...names: string[]) => names.map((name) => docs[name]!.id).sort();

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock });
    headers = await apiKeyHeaders(harness, await createTenant(harness), 'admin');
    ørsta = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Ørsta Bygg AS' }))).id;
    nordlys = json(await call('POST', '/api/v1/customers', customerBody({ name: 'Nordlys Kjøkken AS' }))).id;

    // One test-mode invoice before going live.
    clock.set('2026-11-26T10:00:00Z');
    expect((await call('POST', '/api/v1/company/test-mode', {})).statusCode).toBe(200);
    docs.test = await issued(nordlys);
    expect((await call('POST', '/api/v1/company/go-live', {})).statusCode).toBe(200);

    docs.draft = await draft(ørsta);
    docs.dueToday = await issued(ørsta, { dueDate: '2026-11-26' });
    docs.dueTomorrow = await issued(nordlys, { dueDate: '2026-11-27' });
    docs.sent = await issued(nordlys);
    docs.partlyPaid = await issued(ørsta);
    docs.paid = await issued(nordlys);
    docs.credited = await issued(ørsta, { dueDate: '2026-11-26' });
    docs.note = json(await call('POST', `/api/v1/invoices/${docs.credited.id}/credit-note`, {}));
    await setColumns(docs.sent.id, { sent_at: '2026-11-26T11:00:00.000Z' });
    await setColumns(docs.partlyPaid.id, { paid_minor: 100_000 });
    await setColumns(docs.paid.id, { paid_minor: docs.paid.totals.payableMinor });
    // A later invoice, issued a week on.
    clock.set('2026-12-03T09:00:00Z');
    docs.december = await issued(ørsta);
    clock.set('2026-11-26T10:00:00Z');
  });
  afterAll(async () => harness?.close());

  it('derives each status from the stored facts', async () => {
    expect((await get(docs.draft!.id)).status).toBe('draft');
    expect((await get(docs.dueToday!.id)).status).toBe('issued');
    expect((await get(docs.sent!.id))).toMatchObject({ status: 'sent', sentAt: '2026-11-26T11:00:00.000Z' });
    const partly = await get(docs.partlyPaid!.id);
    expect(partly).toMatchObject({ status: 'partially_paid', paidMinor: 100_000, openMinor: partly.totals.payableMinor - 100_000 });
    expect(await get(docs.paid!.id)).toMatchObject({ status: 'paid', openMinor: 0 });
    const credited = await get(docs.credited!.id);
    expect(credited).toMatchObject({ status: 'credited', openMinor: 0, creditedMinor: credited.totals.payableMinor });
    expect(docs.note).toMatchObject({ kind: 'credit_note', status: 'issued' });

    // Payment is the only thing that still moves: a paid invoice back to partly paid.
    await setColumns(docs.paid!.id, { paid_minor: 1 });
    expect((await get(docs.paid!.id)).status).toBe('partially_paid');
    await setColumns(docs.paid!.id, { paid_minor: docs.paid!.totals.payableMinor });
    expect((await get(docs.paid!.id)).status).toBe('paid');
    // Overpayment: paid, and the open amount never goes below zero.
    await setColumns(docs.paid!.id, { paid_minor: docs.paid!.totals.payableMinor + 500 });
    expect(await get(docs.paid!.id)).toMatchObject({ status: 'paid', openMinor: 0 });
    await setColumns(docs.paid!.id, { paid_minor: docs.paid!.totals.payableMinor });
    // The frozen columns are not.
    await expect(sql`update invoices set due_date = '2030-01-01' where id = ${docs.sent!.id}`.execute(harness.runtime.db.kysely)).rejects.toThrow();
  });

  it('filters by status, and every status list matches the statuses shown', async () => {
    const expected: Record<string, string[]> = {
      draft: idsOf('draft'),
      issued: idsOf('test', 'dueToday', 'dueTomorrow', 'december'),
      sent: idsOf('sent'),
      partially_paid: idsOf('partlyPaid'),
      paid: idsOf('paid'),
      credited: idsOf('credited'),
    };
    for (const [status, wanted] of Object.entries(expected)) {
      const items = json(await call('GET', `/api/v1/invoices?status=${status}&limit=200`)).items as Doc[];
      expect({ status, ids: ids(items) }).toEqual({ status, ids: wanted });
      expect(items.every((item) => item.status === status)).toBe(true);
    }
    const notes = json(await call('GET', '/api/v1/credit-notes?status=issued')).items as Doc[];
    expect(ids(notes)).toEqual([docs.note!.id]);
    // A credit note is never paid or credited (this was a 500 on SQLite: a bound boolean).
    for (const status of ['paid', 'partially_paid', 'credited', 'draft', 'sent']) {
      const response = await call('GET', `/api/v1/credit-notes?status=${status}`);
      expect({ status, code: response.statusCode, items: json(response).items }).toEqual({ status, code: 200, items: [] });
    }
    const bad = await call('GET', '/api/v1/invoices?status=overdue');
    expect(bad.statusCode).toBe(400);
    expect(json(bad).code).toBe('validation.failed');
  });

  it('marks overdue by the date in Europe/Oslo: due yesterday is overdue, due today is not', async () => {
    // 23:59 in Oslo on the 26th: nothing is overdue yet.
    clock.set('2026-11-26T22:59:00Z');
    expect((await get(docs.dueToday!.id)).isOverdue).toBe(false);
    expect(await listed('overdue=true')).toEqual([]);

    // 23:30 UTC is already 00:30 on the 27th in Oslo: the invoice due on the 26th is overdue,
    // the one due on the 27th (today) is not. The credited one (due the 26th) is not: nothing is open.
    clock.set('2026-11-26T23:30:00Z');
    expect((await get(docs.dueToday!.id)).isOverdue).toBe(true);
    expect((await get(docs.dueTomorrow!.id)).isOverdue).toBe(false);
    expect((await get(docs.credited!.id)).isOverdue).toBe(false);
    expect(await listed('overdue=true')).toEqual(idsOf('dueToday'));
    const page = json(await call('GET', '/api/v1/invoices?overdue=true'));
    expect(page.items[0].isOverdue).toBe(true);

    clock.set('2026-11-28T10:00:00Z');
    expect(await listed('overdue=true')).toEqual(idsOf('dueToday', 'dueTomorrow'));

    // After the 14-day terms (due 10 December): sent and partly paid ones too; paid, credited, drafts never.
    clock.set('2026-12-11T08:00:00Z');
    const overdue = await listed('overdue=true');
    expect(overdue).toEqual(idsOf('dueToday', 'dueTomorrow', 'sent', 'partlyPaid', 'test'));
    for (const name of ['dueToday', 'dueTomorrow', 'sent', 'partlyPaid']) expect((await get(docs[name]!.id)).isOverdue, name).toBe(true);
    for (const name of ['paid', 'credited', 'draft', 'december']) expect((await get(docs[name]!.id)).isOverdue, name).toBe(false);
    // overdue=false does not filter.
    expect((await listed('overdue=false')).length).toBe(Object.keys(docs).length - 1);
    // Combined with other filters.
    expect(await listed('overdue=true&customerId=' + ørsta)).toEqual(idsOf('dueToday', 'partlyPaid'));
    expect(await listed('overdue=true&test=false&status=sent')).toEqual(idsOf('sent'));
    clock.set('2026-11-26T10:00:00Z');
  });

  it('filters by customer, issue date range, test flag and search text', async () => {
    expect(await listed(`customerId=${ørsta}`)).toEqual(idsOf('draft', 'dueToday', 'partlyPaid', 'credited', 'december'));
    expect(await listed(`customerId=${nordlys}`)).toEqual(idsOf('test', 'dueTomorrow', 'sent', 'paid'));
    expect(await listed('customerId=no-such-customer')).toEqual([]);

    expect(await listed('from=2026-12-01')).toEqual(idsOf('december'));
    expect(await listed('to=2026-11-26')).toEqual(idsOf('test', 'dueToday', 'dueTomorrow', 'sent', 'partlyPaid', 'paid', 'credited'));
    expect(await listed('from=2026-11-26&to=2026-11-26&test=false')).toEqual(idsOf('dueToday', 'dueTomorrow', 'sent', 'partlyPaid', 'paid', 'credited'));
    expect(await listed('from=2026-12-04')).toEqual([]);
    expect(json(await call('GET', '/api/v1/invoices?from=2026-13-01')).code).toBe('validation.failed');

    expect(await listed('test=true')).toEqual(idsOf('test'));
    expect(await listed('test=false')).toEqual(idsOf('draft', 'dueToday', 'dueTomorrow', 'sent', 'partlyPaid', 'paid', 'credited', 'december'));

    // By buyer name, case-insensitively, Norwegian letters included.
    for (const q of ['Ørsta', 'ørsta', 'ØRSTA BYGG', 'bygg']) {
      expect({ q, ids: await listed(`q=${encodeURIComponent(q)}`) }).toEqual({ q, ids: idsOf('draft', 'dueToday', 'partlyPaid', 'credited', 'december') });
    }
    expect(await listed(`q=${encodeURIComponent('kjøkken')}`)).toEqual(idsOf('test', 'dueTomorrow', 'sent', 'paid'));
    expect(await listed(`q=${encodeURIComponent('%')}`)).toEqual([]);
    // By document number.
    const byNumber = json(await call('GET', `/api/v1/invoices?q=${encodeURIComponent(docs.december!.documentNumber)}&limit=200`)).items as Doc[];
    expect(byNumber.map((item) => item.id)).toContain(docs.december!.id);
    expect(byNumber.every((item) => String(item.documentNumber).includes(docs.december!.documentNumber))).toBe(true);
    const testByNumber = await listed('q=TEST-1');
    expect(testByNumber).toEqual(idsOf('test'));
    const noteByNumber = json(await call('GET', `/api/v1/credit-notes?q=${docs.note!.documentNumber}`)).items as Doc[];
    expect(noteByNumber.map((item) => item.id)).toEqual([docs.note!.id]);
  });

  it('walks every page exactly once with keyset pagination, with and without filters', async () => {
    const everything = ids(json(await call('GET', '/api/v1/invoices?limit=200')).items);
    expect(everything).toHaveLength(Object.keys(docs).length - 1);
    for (const limit of [1, 2, 3, 7]) {
      const items = await walk('', limit);
      expect(ids(items)).toEqual(everything);
      expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
      // Newest first: ids descending.
      const order = items.map((item) => item.id as string);
      expect(order).toEqual([...order].sort().reverse());
    }
    expect(ids(await walk(`customerId=${ørsta}`, 2))).toEqual(await listed(`customerId=${ørsta}`));
    expect(ids(await walk('status=issued', 1))).toEqual(idsOf('test', 'dueToday', 'dueTomorrow', 'december'));
    const bad = await call('GET', '/api/v1/invoices?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].code).toBe('cursor.invalid');
    // A cursor from another list does not fit this one.
    const notes = json(await call('GET', '/api/v1/credit-notes?limit=1'));
    const firstInvoicePage = json(await call('GET', '/api/v1/invoices?limit=1'));
    expect(firstInvoicePage.nextCursor).not.toBeNull();
    const mixed = await call('GET', `/api/v1/credit-notes?cursor=${firstInvoicePage.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
    expect(notes.items).toHaveLength(1);
  });

  it('sums page totals per currency', async () => {
    const response = await call('GET', `/api/v1/invoices?customerId=${nordlys}&test=false&limit=200`);
    expect(response.statusCode, response.body).toBe(200);
    const page = json(response);
    const items = page.items as Doc[];
    expect(page.totals.grossMinorByCurrency).toEqual({ NOK: items.reduce((total, item) => total + item.totals.grossMinor, 0) });
    expect(page.totals.openMinorByCurrency).toEqual({ NOK: items.reduce((total, item) => total + item.openMinor, 0) });
  });
});
