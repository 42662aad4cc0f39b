import { describe, expect, it } from 'vitest';
import { checkMandatoryContent, earliestIssueDate, type LegalCheckInput } from './legal-check.js';

/*
 * Mandatory content of a sales document (shared/docs/norway-invoicing-rules.md §1.1, §1.3):
 * every test asserts on issue codes and paths, never on message text.
 */

const TODAY = '2026-11-26';

function complete(): LegalCheckInput {
  return {
    kind: 'invoice',
    today: TODAY,
    // 974760673: valid org. no. (rules doc §4.2); 86011117947: valid account (§4.3).
    seller: { legalName: 'Fakturaflyt Demo AS', orgNumber: '974760673', isVatRegistered: true, bankAccount: '86011117947', iban: null },
    buyer: {
      name: 'Kunde AS',
      kind: 'business',
      orgNumber: '923609016',
      addressLine1: 'Storgata 1',
      postalCode: '0155',
      city: 'Oslo',
      countryCode: 'NO',
    },
    issueDate: TODAY,
    deliveryDate: '2026-11-20',
    deliveryPeriodStart: null,
    deliveryPeriodEnd: null,
    dueDate: '2026-12-10',
    currency: 'NOK',
    exchangeRateMicros: null,
    lines: [{ description: 'Konsulenttimer', quantityMicros: 7_500_000, unitPriceMicros: 1_200_000_000, vatCode: '3' }],
    grossTotalMinor: 1_125_000,
    creditedInvoice: null,
  };
}

function completeCreditNote(): LegalCheckInput {
  return { ...complete(), kind: 'credit_note', dueDate: null, creditedInvoice: { number: '10001', issueDate: '2026-11-02' } };
}

const issues = (input: LegalCheckInput) => checkMandatoryContent(input).map(({ path, code }) => ({ path, code }));
const sortIssues = (list: Array<{ path: string; code: string }>) => [...list].sort((a, b) => (a.path + a.code).localeCompare(b.path + b.code));

type Mutate = (input: LegalCheckInput) => LegalCheckInput;
const buyerWith = (patch: Partial<NonNullable<LegalCheckInput['buyer']>>): Mutate => (i) => ({ ...i, buyer: { ...i.buyer!, ...patch } });
const lineWith = (patch: Partial<LegalCheckInput['lines'][number]>): Mutate => (i) => ({ ...i, lines: [{ ...i.lines[0]!, ...patch }] });

describe('checkMandatoryContent', () => {
  it('finds nothing missing in a complete invoice', () => {
    expect(issues(complete())).toEqual([]);
  });

  it('finds nothing missing in a complete credit note (no bank account or due date needed)', () => {
    expect(issues(completeCreditNote())).toEqual([]);
    expect(issues({ ...completeCreditNote(), seller: { ...completeCreditNote().seller, bankAccount: null, iban: null } })).toEqual([]);
  });

  it.each<[string, Mutate, string, string]>([
    ['seller name empty', (i) => ({ ...i, seller: { ...i.seller, legalName: '' } }), 'seller.legalName', 'seller.name_missing'],
    ['seller name blank', (i) => ({ ...i, seller: { ...i.seller, legalName: '   ' } }), 'seller.legalName', 'seller.name_missing'],
    ['seller org number with a wrong check digit', (i) => ({ ...i, seller: { ...i.seller, orgNumber: '974760672' } }), 'seller.orgNumber', 'seller.org_number_missing'],
    ['seller org number empty', (i) => ({ ...i, seller: { ...i.seller, orgNumber: '' } }), 'seller.orgNumber', 'seller.org_number_missing'],
    ['seller org number 8 digits', (i) => ({ ...i, seller: { ...i.seller, orgNumber: '97476067' } }), 'seller.orgNumber', 'seller.org_number_missing'],
    ['no bank account and no IBAN', (i) => ({ ...i, seller: { ...i.seller, bankAccount: null, iban: null } }), 'seller.bankAccount', 'seller.bank_account_missing'],
    ['no buyer', (i) => ({ ...i, buyer: null }), 'customerId', 'buyer.missing'],
    ['buyer without name', buyerWith({ name: ' ' }), 'buyer.name', 'buyer.name_missing'],
    ['buyer without address and org number', buyerWith({ orgNumber: null, addressLine1: null, postalCode: null, city: null }), 'buyer.address', 'buyer.address_missing'],
    ['buyer without org number and without city', buyerWith({ orgNumber: null, city: null }), 'buyer.address', 'buyer.address_missing'],
    ['buyer without org number and without postal code', buyerWith({ orgNumber: null, postalCode: '' }), 'buyer.address', 'buyer.address_missing'],
    ['buyer without org number and without street', buyerWith({ orgNumber: null, addressLine1: null }), 'buyer.address', 'buyer.address_missing'],
    ['issue date tomorrow', (i) => ({ ...i, issueDate: '2026-11-27' }), 'issueDate', 'issue_date.in_future'],
    ['issue date yesterday (after the 15th)', (i) => ({ ...i, issueDate: '2026-11-25' }), 'issueDate', 'issue_date.too_early'],
    ['issue date last day of previous month (after the 15th)', (i) => ({ ...i, issueDate: '2026-10-31', deliveryDate: '2026-10-20' }), 'issueDate', 'issue_date.too_early'],
    ['backdated issue date before the delivery (bff § 5-1-3 (3))', (i) => ({ ...i, today: '2026-12-10', issueDate: '2026-11-30', deliveryDate: '2026-12-02', dueDate: '2026-12-30' }), 'issueDate', 'issue_date.before_delivery'],
    ['backdated issue date before the end of the delivery period', (i) => ({ ...i, today: '2026-12-10', issueDate: '2026-11-30', deliveryDate: null, deliveryPeriodStart: '2026-11-01', deliveryPeriodEnd: '2026-12-05', dueDate: '2026-12-30' }), 'issueDate', 'issue_date.before_delivery'],
    ['no delivery date and no period', (i) => ({ ...i, deliveryDate: null }), 'deliveryDate', 'delivery_date.missing'],
    ['only the start of a delivery period', (i) => ({ ...i, deliveryDate: null, deliveryPeriodStart: '2026-11-01' }), 'deliveryDate', 'delivery_date.missing'],
    ['only the end of a delivery period', (i) => ({ ...i, deliveryDate: null, deliveryPeriodEnd: '2026-11-30' }), 'deliveryDate', 'delivery_date.missing'],
    ['delivery period reversed', (i) => ({ ...i, deliveryDate: null, deliveryPeriodStart: '2026-11-20', deliveryPeriodEnd: '2026-11-01' }), 'deliveryPeriod', 'delivery_period.reversed'],
    ['no due date', (i) => ({ ...i, dueDate: null }), 'dueDate', 'due_date.missing'],
    ['due date before issue date', (i) => ({ ...i, dueDate: '2026-11-25' }), 'dueDate', 'due_date.before_issue_date'],
    ['EUR without exchange rate', (i) => ({ ...i, currency: 'EUR', exchangeRateMicros: null }), 'exchangeRate', 'exchange_rate.missing'],
    ['EUR with exchange rate 0', (i) => ({ ...i, currency: 'EUR', exchangeRateMicros: 0 }), 'exchangeRate', 'exchange_rate.missing'],
    ['USD with a negative exchange rate', (i) => ({ ...i, currency: 'USD', exchangeRateMicros: -10_000_000 }), 'exchangeRate', 'exchange_rate.missing'],
    ['no lines', (i) => ({ ...i, lines: [], grossTotalMinor: 0 }), 'lines', 'lines.missing'],
    ['line without description', lineWith({ description: '' }), 'lines.0.description', 'line.description_missing'],
    ['line with a null description', lineWith({ description: null }), 'lines.0.description', 'line.description_missing'],
    ['line with a blank description', lineWith({ description: '  ' }), 'lines.0.description', 'line.description_missing'],
    ['line with quantity 0', lineWith({ quantityMicros: 0 }), 'lines.0.quantity', 'line.quantity_missing'],
    ['line without price', lineWith({ unitPriceMicros: null }), 'lines.0.unitPrice', 'line.price_missing'],
    ['line with an unknown VAT code', lineWith({ vatCode: '99' }), 'lines.0.vatCode', 'line.vat_code_missing'],
    ['line with a purchase-side VAT code', lineWith({ vatCode: '1' }), 'lines.0.vatCode', 'line.vat_code_missing'],
    ['line without VAT code', lineWith({ vatCode: null }), 'lines.0.vatCode', 'line.vat_code_missing'],
    ['reverse charge (51) without buyer org number', (i) => buyerWith({ orgNumber: null })(lineWith({ vatCode: '51' })(i)), 'buyer.orgNumber', 'buyer.org_number_required'],
    ['negative invoice total', (i) => ({ ...i, grossTotalMinor: -1 }), 'lines', 'total.negative'],
  ])('%s → exactly %s / %s', (_name, mutate, path, code) => {
    expect(issues(mutate(complete()))).toEqual([{ path, code }]);
  });

  it('reports a problem on the second line at index 1', () => {
    const input = complete();
    input.lines = [input.lines[0]!, { description: 'Reise', quantityMicros: 0, unitPriceMicros: null, vatCode: '33' }];
    expect(sortIssues(issues(input))).toEqual(
      sortIssues([
        { path: 'lines.1.quantity', code: 'line.quantity_missing' },
        { path: 'lines.1.unitPrice', code: 'line.price_missing' },
      ]),
    );
  });

  it('credit note without the credited invoice → exactly credited_invoice.missing', () => {
    expect(issues({ ...completeCreditNote(), creditedInvoice: null })).toEqual([{ path: 'creditedInvoice', code: 'credited_invoice.missing' }]);
    expect(issues({ ...completeCreditNote(), creditedInvoice: undefined })).toEqual([{ path: 'creditedInvoice', code: 'credited_invoice.missing' }]);
  });

  describe('items that are fine', () => {
    it.each<[string, Mutate]>([
      ['IBAN instead of a bank account', (i) => ({ ...i, seller: { ...i.seller, bankAccount: null, iban: 'NO9386011117947' } })],
      ['buyer with org number only (no address)', buyerWith({ addressLine1: null, postalCode: null, city: null })],
      ['buyer with address only (no org number)', buyerWith({ orgNumber: null })],
      ['private buyer with address only', buyerWith({ kind: 'person', orgNumber: null })],
      ['delivery period instead of a date', (i) => ({ ...i, deliveryDate: null, deliveryPeriodStart: '2026-11-01', deliveryPeriodEnd: '2026-11-25' })],
      ['one-day delivery period', (i) => ({ ...i, deliveryDate: null, deliveryPeriodStart: '2026-11-25', deliveryPeriodEnd: '2026-11-25' })],
      ['due date equal to the issue date', (i) => ({ ...i, dueDate: TODAY })],
      ['no issue date yet (assigned at issue)', (i) => ({ ...i, issueDate: null })],
      ['EUR with an exchange rate', (i) => ({ ...i, currency: 'EUR', exchangeRateMicros: 11_456_700 })],
      ['a free line (price 0)', lineWith({ unitPriceMicros: 0 })],
      ['a deduction line in a positive invoice', (i) => ({ ...i, lines: [...i.lines, { description: 'Rabatt', quantityMicros: -1_000_000, unitPriceMicros: 100_000_000, vatCode: '3' }] })],
      ['total exactly zero', (i) => ({ ...i, grossTotalMinor: 0 })],
      ['reverse charge with buyer org number', lineWith({ vatCode: '51' })],
      ['reverse charge code from a seller not registered for VAT', (i) => buyerWith({ orgNumber: null })(lineWith({ vatCode: '51' })({ ...i, seller: { ...i.seller, isVatRegistered: false } }))],
      ['org number written with spaces and MVA', (i) => ({ ...i, seller: { ...i.seller, orgNumber: '974 760 673 MVA' } })],
      ['every output VAT code', (i) => ({ ...i, lines: ['3', '31', '33', '32', '5', '51', '52', '6', '7'].map((vatCode) => ({ ...i.lines[0]!, vatCode })) })],
    ])('%s', (_name, mutate) => {
      expect(issues(mutate(complete()))).toEqual([]);
    });

    it('a credit note with a negative total is not a negative invoice', () => {
      expect(issues({ ...completeCreditNote(), grossTotalMinor: -500 })).toEqual([]);
    });
  });

  describe('issue date (bff § 5-1-3 (3): first 15 days may carry the last day of the previous month)', () => {
    const at = (today: string, issueDate: string) =>
      issues({ ...complete(), today, issueDate, deliveryDate: '2026-10-01', dueDate: '2028-12-31' });
    const tooEarly = [{ path: 'issueDate', code: 'issue_date.too_early' }];

    it.each([
      ['2026-11-26', '2026-11-26'],
      ['2026-12-10', '2026-12-10'],
      ['2026-12-10', '2026-11-30'],
      ['2026-12-01', '2026-11-30'],
      ['2026-12-15', '2026-11-30'],
      ['2027-01-05', '2026-12-31'],
      ['2027-03-10', '2027-02-28'],
      ['2028-03-10', '2028-02-29'],
    ])('today %s, issue date %s is allowed', (today, issueDate) => {
      expect(at(today, issueDate)).toEqual([]);
    });

    it.each([
      ['2026-11-26', '2026-11-25'],
      ['2026-12-10', '2026-11-29'],
      ['2026-12-16', '2026-11-30'],
      ['2026-12-10', '2026-10-31'],
      ['2028-03-10', '2028-02-28'],
      // Neither today nor the last day of the previous month: backdating inside the month is not allowed.
      ['2026-12-10', '2026-12-05'],
      ['2026-12-10', '2026-12-09'],
    ])('today %s, issue date %s is too early', (today, issueDate) => {
      expect(at(today, issueDate)).toEqual(tooEarly);
    });

    it('judges the due date against today when no issue date is set', () => {
      expect(issues({ ...complete(), issueDate: null, dueDate: '2026-11-25' })).toEqual([{ path: 'dueDate', code: 'due_date.before_issue_date' }]);
    });

    it.each([
      ['2026-11-26', '2026-11-26'],
      ['2026-12-10', '2026-11-30'],
      ['2026-12-15', '2026-11-30'],
      ['2026-12-16', '2026-12-16'],
      ['2026-12-01', '2026-11-30'],
      ['2026-03-01', '2026-02-28'],
      ['2028-03-15', '2028-02-29'],
      ['2027-01-01', '2026-12-31'],
    ])('earliestIssueDate(%s) = %s', (today, earliest) => {
      expect(earliestIssueDate(today)).toBe(earliest);
    });
  });

  it('reports the reverse-charge buyer org number once, however many lines use code 51', () => {
    const input = buyerWith({ orgNumber: null })(complete());
    input.lines = [0, 1, 2].map((n) => ({ description: `Bygg ${n}`, quantityMicros: 1_000_000, unitPriceMicros: 1_000_000, vatCode: '51' }));
    expect(issues(input)).toEqual([{ path: 'buyer.orgNumber', code: 'buyer.org_number_required' }]);
  });

  it('lists every issue at once for an invoice missing everything', () => {
    const input: LegalCheckInput = {
      kind: 'invoice',
      today: TODAY,
      seller: { legalName: '', orgNumber: '', isVatRegistered: true, bankAccount: null, iban: null },
      buyer: null,
      issueDate: '2026-11-27',
      deliveryDate: null,
      deliveryPeriodStart: null,
      deliveryPeriodEnd: null,
      dueDate: null,
      currency: 'EUR',
      exchangeRateMicros: null,
      lines: [
        { description: null, quantityMicros: 0, unitPriceMicros: null, vatCode: null },
        { description: 'Montasje', quantityMicros: 1_000_000, unitPriceMicros: -500_000_000, vatCode: '51' },
      ],
      grossTotalMinor: -50_000,
      creditedInvoice: null,
    };
    expect(sortIssues(issues(input))).toEqual(
      sortIssues([
        { path: 'seller.legalName', code: 'seller.name_missing' },
        { path: 'seller.orgNumber', code: 'seller.org_number_missing' },
        { path: 'seller.bankAccount', code: 'seller.bank_account_missing' },
        { path: 'customerId', code: 'buyer.missing' },
        { path: 'issueDate', code: 'issue_date.in_future' },
        { path: 'deliveryDate', code: 'delivery_date.missing' },
        { path: 'dueDate', code: 'due_date.missing' },
        { path: 'exchangeRate', code: 'exchange_rate.missing' },
        { path: 'lines.0.description', code: 'line.description_missing' },
        { path: 'lines.0.quantity', code: 'line.quantity_missing' },
        { path: 'lines.0.unitPrice', code: 'line.price_missing' },
        { path: 'lines.0.vatCode', code: 'line.vat_code_missing' },
        { path: 'buyer.orgNumber', code: 'buyer.org_number_required' },
        { path: 'lines', code: 'total.negative' },
      ]),
    );
    // Every issue carries a message for people, but tests never depend on its wording.
    expect(checkMandatoryContent(input).every((issue) => typeof issue.message === 'string' && issue.message.length > 0)).toBe(true);
  });

  it('lists every issue at once for an invoice without lines, buyer address, dates or rate', () => {
    const input: LegalCheckInput = {
      ...complete(),
      seller: { legalName: ' ', orgNumber: '974760672', isVatRegistered: true, bankAccount: null, iban: null },
      buyer: { name: '', kind: 'person', orgNumber: null, addressLine1: null, postalCode: null, city: null, countryCode: 'NO' },
      issueDate: '2026-11-02',
      deliveryDate: null,
      deliveryPeriodStart: '2026-11-30',
      deliveryPeriodEnd: '2026-11-01',
      dueDate: '2026-11-01',
      currency: 'SEK',
      exchangeRateMicros: 0,
      lines: [],
      grossTotalMinor: 0,
    };
    expect(sortIssues(issues(input))).toEqual(
      sortIssues([
        { path: 'seller.legalName', code: 'seller.name_missing' },
        { path: 'seller.orgNumber', code: 'seller.org_number_missing' },
        { path: 'seller.bankAccount', code: 'seller.bank_account_missing' },
        { path: 'buyer.name', code: 'buyer.name_missing' },
        { path: 'buyer.address', code: 'buyer.address_missing' },
        { path: 'issueDate', code: 'issue_date.too_early' },
        { path: 'deliveryPeriod', code: 'delivery_period.reversed' },
        { path: 'dueDate', code: 'due_date.before_issue_date' },
        { path: 'exchangeRate', code: 'exchange_rate.missing' },
        { path: 'lines', code: 'lines.missing' },
      ]),
    );
  });

  it('lists every issue at once for a credit note missing everything', () => {
    const input: LegalCheckInput = {
      ...completeCreditNote(),
      seller: { legalName: '', orgNumber: '123', isVatRegistered: true, bankAccount: null, iban: null },
      buyer: null,
      deliveryDate: null,
      lines: [],
      creditedInvoice: null,
    };
    expect(sortIssues(issues(input))).toEqual(
      sortIssues([
        { path: 'seller.legalName', code: 'seller.name_missing' },
        { path: 'seller.orgNumber', code: 'seller.org_number_missing' },
        { path: 'customerId', code: 'buyer.missing' },
        { path: 'deliveryDate', code: 'delivery_date.missing' },
        { path: 'lines', code: 'lines.missing' },
        { path: 'creditedInvoice', code: 'credited_invoice.missing' },
      ]),
    );
  });

  it('asks each document-level allowance or charge for a reason and an amount above zero', () => {
    const input: LegalCheckInput = {
      ...complete(),
      lines: [{ ...complete().lines[0]!, netMinor: 900_000, vatGroup: '3' }],
      allowanceCharges: [
        { type: 'allowance', reason: 'Kunderabatt', amountMinor: 15_000, vatCode: '3', vatGroup: '3' },
        { type: 'charge', reason: '  ', amountMinor: 100, vatCode: '3', vatGroup: '3' },
        { type: 'allowance', reason: 'Rabatt 5 % på frukt', amountMinor: 0, vatCode: '33', vatGroup: '33' },
        { type: 'allowance', reason: null, amountMinor: -3, vatCode: '3', vatGroup: '3' },
      ],
    };
    expect(sortIssues(issues(input))).toEqual(
      sortIssues([
        { path: 'allowanceCharges.1.reason', code: 'allowance_charge.reason_missing' },
        { path: 'allowanceCharges.2.amount', code: 'allowance_charge.not_positive' },
        { path: 'allowanceCharges.3.reason', code: 'allowance_charge.reason_missing' },
        { path: 'allowanceCharges.3.amount', code: 'allowance_charge.not_positive' },
      ]),
    );
  });

  it('asks for a buyer or order reference only when the document goes out as EHF (PEPPOL-EN16931-R003)', () => {
    const ehf = { ...complete(), sentAsEhf: true, buyerReference: null, orderReference: '  ' };
    expect(issues(ehf)).toEqual([{ path: 'buyerReference', code: 'buyer_reference.required_for_ehf' }]);
    expect(issues({ ...ehf, buyerReference: 'Kari Nordmann' })).toEqual([]);
    expect(issues({ ...ehf, orderReference: 'PO-77' })).toEqual([]);
    expect(issues({ ...ehf, sentAsEhf: false })).toEqual([]);
  });

  it('refuses allowances that take their VAT code below zero, counting the charges of that code', () => {
    const base: LegalCheckInput = {
      ...complete(),
      lines: [
        { ...complete().lines[0]!, vatCode: '31', netMinor: 100_000, vatGroup: '31' },
        { ...complete().lines[0]!, vatCode: '3', netMinor: 50_000, vatGroup: '3' },
      ],
    };
    const allowance = (amountMinor: number, vatCode: string) => ({ type: 'allowance' as const, reason: 'Rabatt', amountMinor, vatCode, vatGroup: vatCode });
    // 400,00 off the 25 % code, which has 500,00 of items: fine; 600,00: below zero.
    expect(issues({ ...base, allowanceCharges: [allowance(40_000, '3')] })).toEqual([]);
    expect(issues({ ...base, allowanceCharges: [allowance(60_000, '3')] })).toEqual([{ path: 'allowanceCharges.0.amount', code: 'allowance_charge.exceeds_base' }]);
    // A charge of the same code makes room; a code without items has none.
    expect(issues({ ...base, allowanceCharges: [allowance(60_000, '3'), { type: 'charge', reason: 'Frakt', amountMinor: 10_000, vatCode: '3', vatGroup: '3' }] })).toEqual([]);
    expect(issues({ ...base, allowanceCharges: [allowance(100, '33')] })).toEqual([{ path: 'allowanceCharges.0.amount', code: 'allowance_charge.exceeds_base' }]);
    // A seller outside the VAT register: every code is taxed as code 6, so the groups merge.
    expect(issues({ ...base, allowanceCharges: [{ ...allowance(100, '33'), vatGroup: '6' }], lines: base.lines.map((line) => ({ ...line, vatGroup: '6' })) })).toEqual([]);
  });

  it('asks for the buyer organisation number when an allowance or charge is reverse charge (code 51)', () => {
    const person = buyerWith({ orgNumber: null })(complete());
    expect(issues({ ...person, allowanceCharges: [{ type: 'charge', reason: 'Frakt', amountMinor: 10_000, vatCode: '51', vatGroup: '51' }] })).toEqual([
      { path: 'buyer.orgNumber', code: 'buyer.org_number_required' },
    ]);
  });
});
