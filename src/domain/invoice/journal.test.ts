import { describe, expect, it } from 'vitest';
import { computeInvoiceTotals } from './invoice-totals.js';
import {
  type AccountSettings,
  buildJournalLines,
  DEFAULT_ACCOUNT_SETTINGS,
  isBalanced,
  type JournalLine,
  revenueAccountFor,
} from './journal.js';

/*
 * Journal entries (bilag) in NOK øre, accounts from shared/docs/norway-invoicing-rules.md §3.3:
 * 1500 receivables, 3000/3030/3050 sales 25/15/12 %, 2700/2701/2702/2703 output VAT 25/15/11.11/12 %.
 */

interface Line {
  qtyMicros: number;
  priceMicros: number;
  vatCode: string;
  revenueAccount?: string | null;
  discountBasisPoints?: number;
}

const unit = (kr: number) => Math.round(kr * 1_000_000);

function journal(
  lines: Line[],
  options: { kind?: 'invoice' | 'credit_note'; isVatRegistered?: boolean; exchangeRateMicros?: number; accounts?: AccountSettings } = {},
): JournalLine[] {
  const isVatRegistered = options.isVatRegistered ?? true;
  const exchangeRateMicros = options.exchangeRateMicros ?? 1_000_000;
  const totals = computeInvoiceTotals(
    lines.map((l) => ({ quantityMicros: l.qtyMicros, unitPriceMicros: l.priceMicros, discountBasisPoints: l.discountBasisPoints ?? 0, vatCode: l.vatCode })),
    { isVatRegistered, exchangeRateMicros },
  );
  return buildJournalLines({
    kind: options.kind ?? 'invoice',
    documentLabel: 'Faktura 10001',
    lines: lines.map((l, i) => ({ netMinor: totals.lineNetMinor[i]!, vatCode: l.vatCode, revenueAccount: l.revenueAccount ?? null })),
    totals,
    isVatRegistered,
    exchangeRateMicros,
    accounts: options.accounts ?? DEFAULT_ACCOUNT_SETTINGS,
  });
}

/** Postings without the free-text description, in a stable order. */
type Posting = [account: string, debit: number, credit: number, vatCode: string | null];
const postings = (lines: JournalLine[]): Posting[] =>
  lines
    .map((l): Posting => [l.account, l.debitMinor, l.creditMinor, l.vatCode])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2]);
const sorted = (list: Posting[]) => [...list].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1] || a[2] - b[2]);

const sumDebit = (lines: JournalLine[]) => lines.reduce((t, l) => t + l.debitMinor, 0);
const sumCredit = (lines: JournalLine[]) => lines.reduce((t, l) => t + l.creditMinor, 0);

describe('buildJournalLines: example entries', () => {
  it('25 % + 15 % invoice: debit 1500, credit 3000/3030 and 2700/2701 with SAF-T codes 3 and 31', () => {
    // 1 × 1000.00 @25 % → 100000, VAT 25000; 1 × 200.00 @15 % → 20000, VAT 3000; receivable 148000.
    const lines = journal([
      { qtyMicros: unit(1), priceMicros: unit(1000), vatCode: '3' },
      { qtyMicros: unit(1), priceMicros: unit(200), vatCode: '31' },
    ]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 148000, 0, null],
        ['2700', 0, 25000, '3'],
        ['2701', 0, 3000, '31'],
        ['3000', 0, 100000, '3'],
        ['3030', 0, 20000, '31'],
      ]),
    );
    expect(isBalanced(lines)).toBe(true);
  });

  it('12 % and 11.11 % post to 3050/2703 and their own code, 2702 for raw fish', () => {
    // 1 × 500 @12 % → 50000, VAT 6000; 100 × 10 @11.11 % → 100000, VAT 11110; receivable 167110.
    const lines = journal([
      { qtyMicros: unit(1), priceMicros: unit(500), vatCode: '33' },
      { qtyMicros: unit(100), priceMicros: unit(10), vatCode: '32' },
    ]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 167110, 0, null],
        ['2702', 0, 11110, '32'],
        ['2703', 0, 6000, '33'],
        ['3050', 0, 50000, '33'],
        ['3060', 0, 100000, '32'],
      ]),
    );
  });

  it('a credit note posts the mirror image: credit 1500, debit revenue and VAT', () => {
    const lines = journal(
      [
        { qtyMicros: unit(1), priceMicros: unit(1000), vatCode: '3' },
        { qtyMicros: unit(1), priceMicros: unit(200), vatCode: '31' },
      ],
      { kind: 'credit_note' },
    );
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 0, 148000, null],
        ['2700', 25000, 0, '3'],
        ['2701', 3000, 0, '31'],
        ['3000', 100000, 0, '3'],
        ['3030', 20000, 0, '31'],
      ]),
    );
  });

  it("a line's revenueAccount overrides the default account for its VAT code", () => {
    // 2 × 300 @25 % on 3020 (services) + 1 × 100 @25 % on the default 3000; VAT on 800.00 = 200.00.
    const lines = journal([
      { qtyMicros: unit(2), priceMicros: unit(300), vatCode: '3', revenueAccount: '3020' },
      { qtyMicros: unit(1), priceMicros: unit(100), vatCode: '3' },
    ]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 87500, 0, null],
        ['2700', 0, 17500, '3'],
        ['3000', 0, 10000, '3'],
        ['3020', 0, 60000, '3'],
      ]),
    );
  });

  it('honours custom account settings (receivable, revenue and output VAT per code)', () => {
    const accounts: AccountSettings = {
      receivable: '1510',
      outputVat: { '3': '2710', '31': '2711', '32': '2712', '33': '2713' },
      revenueByVatCode: { '3': '3010', '31': '3040', '33': '3051', '32': '3061', '5': '3101', '51': '3015', '52': '3111', '6': '3210', '7': '3910' },
    };
    const lines = journal(
      [
        { qtyMicros: unit(1), priceMicros: unit(1000), vatCode: '3' },
        { qtyMicros: unit(1), priceMicros: unit(200), vatCode: '31' },
        { qtyMicros: unit(1), priceMicros: unit(50), vatCode: '7' },
        { qtyMicros: unit(1), priceMicros: unit(10), vatCode: '5', revenueAccount: '3125' },
      ],
      { accounts },
    );
    expect(postings(lines)).toEqual(
      sorted([
        ['1510', 154000, 0, null],
        ['2710', 0, 25000, '3'],
        ['2711', 0, 3000, '31'],
        ['3010', 0, 100000, '3'],
        ['3040', 0, 20000, '31'],
        ['3910', 0, 5000, '7'],
        ['3125', 0, 1000, '5'],
      ]),
    );
    expect(lines.some((l) => l.account === '1500' || l.account === '2700' || l.account === '3000')).toBe(false);
  });

  it('foreign currency: two accounts under one VAT code still sum exactly to the code taxable NOK', () => {
    // EUR at 11.4567. 100.01 on 3000 and 200.01 on 3020, both 25 %.
    // Per account: 10001 × 11.4567 = 114578.4567 → 114578; 20001 × 11.4567 = 229145.4567 → 229145; sum 343723.
    // The code's taxable: 30002 × 11.4567 = 343723.9134 → 343724 — one øre more than the per-account sum.
    // VAT 30002 × 0.25 = 7500.5 → 7501 EUR-cents; NOK 7501 × 11.4567 = 85936.7067 → 85937.
    // Receivable 343724 + 85937 = 429661.
    const exchangeRateMicros = 11_456_700;
    const lines = journal(
      [
        { qtyMicros: unit(1), priceMicros: unit(100.01), vatCode: '3', revenueAccount: '3000' },
        { qtyMicros: unit(1), priceMicros: unit(200.01), vatCode: '3', revenueAccount: '3020' },
      ],
      { exchangeRateMicros },
    );
    const revenue = lines.filter((l) => l.account.startsWith('3'));
    expect(revenue.map((l) => l.account).sort()).toEqual(['3000', '3020']);
    expect(revenue.every((l) => l.vatCode === '3' && l.debitMinor === 0)).toBe(true);
    expect(sumCredit(revenue)).toBe(343724);
    const a3000 = revenue.find((l) => l.account === '3000')!.creditMinor;
    const a3020 = revenue.find((l) => l.account === '3020')!.creditMinor;
    expect(Math.abs(a3000 - 114578)).toBeLessThanOrEqual(1);
    expect(Math.abs(a3020 - 229145)).toBeLessThanOrEqual(1);
    expect(lines.find((l) => l.account === '2700')).toMatchObject({ creditMinor: 85937, debitMinor: 0, vatCode: '3' });
    expect(lines.find((l) => l.account === '1500')).toMatchObject({ debitMinor: 429661, creditMinor: 0, vatCode: null });
    expect(isBalanced(lines)).toBe(true);
  });

  it('foreign currency: three accounts under one code with a deduction still sum exactly', () => {
    // EUR 11.4567: 0.01, 0.01 and 0.01 on three accounts → each 0.114567 kr → 11 øre; code 3 taxable 3 → 34.3701 → 34.
    const exchangeRateMicros = 11_456_700;
    const lines = journal(
      [
        { qtyMicros: unit(1), priceMicros: unit(0.01), vatCode: '3', revenueAccount: '3000' },
        { qtyMicros: unit(1), priceMicros: unit(0.01), vatCode: '3', revenueAccount: '3010' },
        { qtyMicros: unit(1), priceMicros: unit(0.01), vatCode: '3', revenueAccount: '3020' },
      ],
      { exchangeRateMicros },
    );
    expect(sumCredit(lines.filter((l) => l.account.startsWith('3'))) - sumDebit(lines.filter((l) => l.account.startsWith('3')))).toBe(34);
    expect(isBalanced(lines)).toBe(true);
  });

  it('a deduction larger than the rest of its code moves that code’s postings to the debit side', () => {
    // 1000.00 @25 % → 100000, VAT 25000; −200.00 @15 % → −20000, VAT −3000; receivable 102000.
    const lines = journal([
      { qtyMicros: unit(1), priceMicros: unit(1000), vatCode: '3' },
      { qtyMicros: unit(-1), priceMicros: unit(200), vatCode: '31' },
    ]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 102000, 0, null],
        ['2700', 0, 25000, '3'],
        ['2701', 3000, 0, '31'],
        ['3000', 0, 100000, '3'],
        ['3030', 20000, 0, '31'],
      ]),
    );
  });

  it('a negative total puts the receivable on the credit side, still balanced', () => {
    const lines = journal([{ qtyMicros: unit(-2), priceMicros: unit(50), vatCode: '3' }]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 0, 12500, null],
        ['2700', 2500, 0, '3'],
        ['3000', 10000, 0, '3'],
      ]),
    );
  });

  it('a seller not registered for VAT posts revenue under code 6 (3200) and no VAT', () => {
    const lines = journal(
      [
        { qtyMicros: unit(1), priceMicros: unit(1000), vatCode: '3' },
        { qtyMicros: unit(1), priceMicros: unit(200), vatCode: '31' },
      ],
      { isVatRegistered: false },
    );
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 120000, 0, null],
        ['3200', 0, 120000, '6'],
      ]),
    );
  });

  it.each([
    ['5', '3100'],
    ['51', '3005'],
    ['52', '3110'],
    ['6', '3200'],
    ['7', '3900'],
  ])('0 %% code %s posts revenue to %s and no VAT line', (vatCode, account) => {
    const lines = journal([{ qtyMicros: unit(3), priceMicros: unit(10), vatCode }]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 3000, 0, null],
        [account, 0, 3000, vatCode],
      ]),
    );
  });

  it('a VAT code whose VAT rounds to 0 posts no VAT line, but its revenue', () => {
    // 0.01 @15 % → VAT 0.15 øre → 0.
    const lines = journal([{ qtyMicros: unit(1), priceMicros: unit(0.01), vatCode: '31' }]);
    expect(postings(lines)).toEqual(
      sorted([
        ['1500', 1, 0, null],
        ['3030', 0, 1, '31'],
      ]),
    );
  });
});

describe('revenueAccountFor', () => {
  it('prefers the line account, then the settings, then the VAT code default', () => {
    expect(revenueAccountFor({ vatCode: '3', revenueAccount: '3020' }, true, DEFAULT_ACCOUNT_SETTINGS)).toBe('3020');
    expect(revenueAccountFor({ vatCode: '3', revenueAccount: null }, true, DEFAULT_ACCOUNT_SETTINGS)).toBe('3000');
    expect(revenueAccountFor({ vatCode: '31', revenueAccount: null }, true, { ...DEFAULT_ACCOUNT_SETTINGS, revenueByVatCode: { '31': '3040' } })).toBe('3040');
    expect(revenueAccountFor({ vatCode: '31', revenueAccount: null }, true, { ...DEFAULT_ACCOUNT_SETTINGS, revenueByVatCode: {} })).toBe('3030');
  });

  it('uses the code 6 account for a seller not registered for VAT', () => {
    expect(revenueAccountFor({ vatCode: '3', revenueAccount: null }, false, DEFAULT_ACCOUNT_SETTINGS)).toBe('3200');
  });
});

describe('isBalanced', () => {
  it('is true when debits equal credits and false otherwise', () => {
    const line = (debitMinor: number, creditMinor: number): JournalLine => ({ account: '1500', debitMinor, creditMinor, vatCode: null, description: '' });
    expect(isBalanced([line(100, 0), line(0, 60), line(0, 40)])).toBe(true);
    expect(isBalanced([line(100, 0), line(0, 60), line(0, 39)])).toBe(false);
    expect(isBalanced([])).toBe(true);
  });
});
