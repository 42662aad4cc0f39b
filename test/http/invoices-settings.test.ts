import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { isValidKid } from '../../src/domain/kid.js';
import { DIALECTS } from '../helpers/dialects.js';
import { customerBody } from '../helpers/factories.js';
import { createHarness, createTenant, type Harness, json } from '../helpers/harness.js';

/**
 * Company settings that shape issued documents: a seller outside the VAT
 * register (no VAT, no 27xx postings), KID method and composition (checked
 * against an independent implementation of the rules doc §4.1), and custom
 * accounts in the journal.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Doc = Record<string, any>;

/** MOD10 (Luhn) per shared/docs/norway-invoicing-rules.md §4.1, written independently of src/domain/kid.ts. */
function luhn(body: string): string {
  const digits = [...body].reverse().map(Number);
  const sum = digits.reduce((total, digit, index) => {
    const product = digit * (index % 2 === 0 ? 2 : 1);
    return total + Math.floor(product / 10) + (product % 10);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

/** MOD11 per §4.1: weights 2..7 from the right; r = 0 → "0", check 10 → "-". */
function mod11(body: string): string {
  const weights = [2, 3, 4, 5, 6, 7];
  const sum = [...body].reverse().reduce((total, digit, index) => total + Number(digit) * weights[index % 6]!, 0);
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  return 11 - remainder === 10 ? '-' : String(11 - remainder);
}

describe.each(DIALECTS)('invoice settings: VAT registration, KID and accounts over HTTP (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
  });
  afterAll(async () => harness?.close());

  it('independent checksum helpers agree with the rules document examples', () => {
    expect(luhn('1234')).toBe('4');
    expect(mod11('1234')).toBe('3');
    expect(mod11('1000005')).toBe('-');
  });

  async function tenant(company: Record<string, unknown> = {}, customer: Record<string, unknown> = {}) {
    const owner = await createTenant(harness, { company });
    const call = (method: Method, url: string, payload?: object) =>
      harness.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });
    const customerId = json(await call('POST', '/api/v1/customers', customerBody(customer))).id as string;
    const issue = async (lines: object[], extra: object = {}) => {
      const created = await call('POST', '/api/v1/invoices', { customerId, deliveryDate: '2026-11-20', lines, ...extra });
      expect(created.statusCode, created.body).toBe(201);
      const issued = await call('POST', `/api/v1/invoices/${json(created).id}/issue`);
      expect(issued.statusCode, issued.body).toBe(200);
      return json<Doc>(issued);
    };
    const entryOf = async (sourceId: string) => {
      const items = json(await call('GET', `/api/v1/journal-entries?sourceId=${sourceId}`)).items as Doc[];
      expect(items).toHaveLength(1);
      return items[0]!;
    };
    return { call, customerId, issue, entryOf };
  }

  const mixedLines = [
    { description: 'Rådgivning', quantity: '3', unitPrice: '1250.00', vatCode: '3' },
    { description: 'Lunsj', quantity: '4', unitPrice: '189.00', vatCode: '31' },
    { description: 'Reise', quantity: '1', unitPrice: '860.00', vatCode: '33' },
    { description: 'Bok', quantity: '2', unitPrice: '349.00', vatCode: '5' },
  ];

  it('charges no VAT for a seller outside the VAT register: category O at 0 %, no 27xx postings', async () => {
    const t = await tenant({ isVatRegistered: false });
    const invoice = await t.issue(mixedLines);
    const net = 375_000 + 75_600 + 86_000 + 69_800;
    expect(invoice.seller.isVatRegistered).toBe(false);
    expect(invoice.lines.map((line: Doc) => [line.vatCategory, line.vatRatePercent])).toEqual(mixedLines.map(() => ['O', '0']));
    expect(invoice.totals).toMatchObject({ netMinor: net, vatMinor: 0, grossMinor: net, vatNokMinor: 0, grossNokMinor: net });
    expect(invoice.vatBreakdown.every((entry: Doc) => entry.category === 'O' && entry.vatMinor === 0 && entry.vatNokMinor === 0)).toBe(true);
    expect(invoice.vatBreakdown.reduce((total: number, entry: Doc) => total + entry.taxableMinor, 0)).toBe(net);

    const entry = await t.entryOf(invoice.id);
    expect(entry.lines.filter((line: Doc) => line.account.startsWith('27'))).toEqual([]);
    expect(entry.lines.find((line: Doc) => line.account === '1500')).toMatchObject({ debitMinor: net, creditMinor: 0 });
    expect(entry.lines.reduce((total: number, line: Doc) => total + line.creditMinor, 0)).toBe(net);

    // A foreign-currency invoice and a credit note: still no VAT anywhere.
    const eur = await t.issue([{ description: 'Lisens', quantity: '1', unitPrice: '99.99', vatCode: '3' }], { currency: 'EUR', exchangeRate: '11.7311' });
    expect(eur.totals).toMatchObject({ vatMinor: 0, vatNokMinor: 0, grossNokMinor: Math.round(9999 * 11.7311) });
    const note = await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, { lines: [{ invoiceLineId: invoice.lines[0].id, quantity: '1' }] });
    expect(note.statusCode, note.body).toBe(201);
    expect(json(note).totals).toMatchObject({ netMinor: 125_000, vatMinor: 0, grossMinor: 125_000 });
    expect(json(note).lines[0]).toMatchObject({ vatCategory: 'O', vatRatePercent: '0' });

    const balance = json(await t.call('GET', '/api/v1/trial-balance'));
    expect(balance.accounts.filter((row: Doc) => row.account.startsWith('27'))).toEqual([]);
    expect(balance.totalDebitMinor).toBe(balance.totalCreditMinor);
  });

  it('charges VAT per rate for a registered seller (control for the case above)', async () => {
    const t = await tenant();
    const invoice = await t.issue(mixedLines);
    expect(invoice.totals.vatMinor).toBe(93_750 + 11_340 + 10_320);
    const entry = await t.entryOf(invoice.id);
    expect(entry.lines.filter((line: Doc) => line.account.startsWith('27')).map((line: Doc) => line.account).sort()).toEqual(['2700', '2701', '2703']);
  });

  it('makes MOD11 KIDs from the invoice number alone', async () => {
    const t = await tenant({}, { customerNumber: 4711 });
    const settings = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidMethod: 'mod11', kidComposition: 'invoice_number', kidInvoiceDigits: 7 });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(json(settings).kid).toEqual({ method: 'mod11', composition: 'invoice_number', customerDigits: 6, invoiceDigits: 7 });
    const line = [{ description: 'Vare', quantity: '1', unitPrice: '10', vatCode: '3' }];
    for (let index = 1; index <= 12; index++) {
      const invoice = await t.issue(line);
      const body = String(invoice.number).padStart(7, '0');
      expect(invoice.kid).toBe(body + mod11(body));
      expect(isValidKid(invoice.kid, 'mod11')).toBe(true);
      expect(invoice.kid).toHaveLength(8);
    }
  });

  it('makes MOD10 KIDs from customer and invoice number (the default) and from the invoice number', async () => {
    const t = await tenant({}, { customerNumber: 4711 });
    const line = [{ description: 'Vare', quantity: '1', unitPrice: '10', vatCode: '3' }];
    const first = await t.issue(line);
    expect(first.kid).toBe(`00471100000001${luhn('00471100000001')}`);
    expect(isValidKid(first.kid, 'mod10')).toBe(true);
    await t.call('PATCH', '/api/v1/company/invoice-settings', { kidComposition: 'invoice_number', kidInvoiceDigits: 5 });
    const second = await t.issue(line);
    expect(second.kid).toBe(`00002${luhn('00002')}`);
    expect(isValidKid(second.kid, 'mod10')).toBe(true);
    // The KID of an issued invoice never changes with later settings.
    expect(json(await t.call('GET', `/api/v1/invoices/${first.id}`)).kid).toBe(first.kid);
  });

  it('refuses KID settings outside 4–25 digits', async () => {
    const t = await tenant();
    const tooLong = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidComposition: 'customer_and_invoice', kidCustomerDigits: 12, kidInvoiceDigits: 15 });
    expect(tooLong.statusCode).toBe(400);
    expect(json(tooLong).errors.map((issue: Doc) => issue.code)).toContain('kid.length_invalid');
    const unchanged = json(await t.call('GET', '/api/v1/company/invoice-settings'));
    expect(unchanged.kid).toEqual({ method: 'mod10', composition: 'customer_and_invoice', customerDigits: 6, invoiceDigits: 8 });
    const tooFewDigits = await t.call('PATCH', '/api/v1/company/invoice-settings', { kidInvoiceDigits: 2 });
    expect(tooFewDigits.statusCode).toBe(400);
  });

  it('posts to custom accounts: receivable, output VAT and revenue per VAT code; a line account wins', async () => {
    const t = await tenant();
    const patched = await t.call('PATCH', '/api/v1/company/invoice-settings', {
      accounts: { receivable: '1510', outputVat: { '3': '2710', '31': '2711' }, revenueByVatCode: { '3': '3010', '31': '3031' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const settings = json(patched).accounts;
    expect(settings.receivable).toBe('1510');
    expect(settings.outputVat).toMatchObject({ '3': '2710', '31': '2711', '33': '2703' });
    expect(settings.revenueByVatCode).toMatchObject({ '3': '3010', '31': '3031', '33': '3050' });

    const invoice = await t.issue([
      { description: 'Rådgivning', quantity: '2', unitPrice: '1000.00', vatCode: '3' },
      { description: 'Lisens', quantity: '1', unitPrice: '500.00', vatCode: '3', revenueAccount: '3400' },
      { description: 'Mat', quantity: '1', unitPrice: '200.00', vatCode: '31' },
      { description: 'Reise', quantity: '1', unitPrice: '100.00', vatCode: '33' },
    ]);
    const entry = await t.entryOf(invoice.id);
    const byAccount = Object.fromEntries(entry.lines.map((line: Doc) => [line.account, line.debitMinor - line.creditMinor]));
    expect(byAccount).toEqual({
      '1510': invoice.totals.grossNokMinor,
      '3010': -200_000,
      '3400': -50_000,
      '2710': -62_500,
      '3031': -20_000,
      '2711': -3_000,
      '3050': -10_000,
      '2703': -1_200,
    });
    expect(entry.lines.find((line: Doc) => line.account === '1510').customerId).toBe(t.customerId);
    expect(entry.lines.filter((line: Doc) => line.account !== '1510').every((line: Doc) => line.customerId === null)).toBe(true);

    // The credit note mirrors it on the same accounts.
    const note = json(await t.call('POST', `/api/v1/invoices/${invoice.id}/credit-note`, {}));
    const noteEntry = await t.entryOf(note.id);
    const noteByAccount = Object.fromEntries(noteEntry.lines.map((line: Doc) => [line.account, line.debitMinor - line.creditMinor]));
    expect(noteByAccount).toEqual(Object.fromEntries(Object.entries(byAccount).map(([account, amount]) => [account, -(amount as number)])));

    const balance = json(await t.call('GET', '/api/v1/trial-balance'));
    expect(balance.accounts.map((row: Doc) => row.account)).not.toContain('1500');
    expect(balance.accounts.every((row: Doc) => row.balanceMinor === 0)).toBe(true);
    expect(balance.accounts.find((row: Doc) => row.account === '1510')).toMatchObject({ debitMinor: invoice.totals.grossNokMinor, creditMinor: invoice.totals.grossNokMinor });
    // The account filter of the journal finds the custom receivable.
    expect(json(await t.call('GET', '/api/v1/journal-entries?account=1510')).items).toHaveLength(2);
    expect(json(await t.call('GET', '/api/v1/journal-entries?account=1500')).items).toHaveLength(0);
  });

  it('refuses malformed account numbers', async () => {
    const t = await tenant();
    for (const accounts of [{ receivable: '15000' }, { outputVat: { '3': 'abcd' } }, { revenueByVatCode: { '99': '3000' } }]) {
      const response = await t.call('PATCH', '/api/v1/company/invoice-settings', { accounts });
      expect(response.statusCode, JSON.stringify(accounts)).toBe(400);
      expect(json(response).code).toBe('validation.failed');
    }
  });
});
