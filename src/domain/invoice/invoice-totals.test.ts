import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalToMicros } from '../money.js';
import { computeInvoiceTotals, type InvoiceTotals, type LineForTotals } from './invoice-totals.js';
import { buildJournalLines, DEFAULT_ACCOUNT_SETTINGS, type JournalLine } from './journal.js';

/*
 * Invoice totals against a second, independent computation.
 *
 * The oracle below never touches BigInt or the module's helpers: it is decimal
 * arithmetic on digit strings (schoolbook long multiplication, column addition
 * and subtraction), and it rounds half away from zero by looking at the first
 * dropped digit of the magnitude. Inputs are the human-readable decimal strings
 * of the invoice ("1.005", "12.5" %, "11.4567" NOK/EUR), not micros.
 *
 * Rules (shared/docs/norway-invoicing-rules.md §1.6, §2.2; EN 16931 BR-CO-17):
 * - line net = quantity × unit price × (1 − discount %), rounded ONCE to øre;
 * - VAT per VAT code = round(sum of that code's line nets × rate);
 * - totals are sums;
 * - a seller not registered for VAT charges none: every line is code 6, category O, 0 %;
 * - NOK: each code's taxable and VAT converted once (round(amount × rate)), NOK totals are sums.
 */

// ---------------------------------------------------------------------------
// Decimal strings: value = (neg ? −1 : 1) × mag / 10^scale; mag has no leading zeros.
// ---------------------------------------------------------------------------
interface Dec {
  neg: boolean;
  mag: string;
  scale: number;
}

function stripLeadingZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

function norm(neg: boolean, mag: string, scale: number): Dec {
  const m = stripLeadingZeros(mag);
  return { neg: m !== '0' && neg, mag: m, scale };
}

function D(text: string): Dec {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const fraction = match[3] ?? '';
  return norm(match[1] === '-', match[2]! + fraction, fraction.length);
}

function compareMag(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function addMag(a: string, b: string): string {
  let out = '';
  let carry = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const da = i < a.length ? a.charCodeAt(a.length - 1 - i) - 48 : 0;
    const db = i < b.length ? b.charCodeAt(b.length - 1 - i) - 48 : 0;
    const s = da + db + carry;
    out = String(s % 10) + out;
    carry = s >= 10 ? 1 : 0;
  }
  return stripLeadingZeros((carry ? '1' : '') + out);
}

/** a − b for magnitudes with a ≥ b. */
function subMag(a: string, b: string): string {
  let out = '';
  let borrow = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a.charCodeAt(a.length - 1 - i) - 48;
    const db = i < b.length ? b.charCodeAt(b.length - 1 - i) - 48 : 0;
    let s = da - db - borrow;
    borrow = s < 0 ? 1 : 0;
    if (s < 0) s += 10;
    out = String(s) + out;
  }
  if (borrow) throw new Error('subMag: a < b');
  return stripLeadingZeros(out);
}

/** Schoolbook long multiplication of two digit strings. */
function mulMag(a: string, b: string): string {
  const cells = new Array<number>(a.length + b.length).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      cells[i + j + 1]! += (a.charCodeAt(i) - 48) * (b.charCodeAt(j) - 48);
    }
  }
  for (let k = cells.length - 1; k > 0; k--) {
    cells[k - 1]! += Math.floor(cells[k]! / 10);
    cells[k] = cells[k]! % 10;
  }
  return stripLeadingZeros(cells.join(''));
}

function padScale(x: Dec, scale: number): string {
  return x.mag === '0' ? '0' : x.mag + '0'.repeat(scale - x.scale);
}

function add(x: Dec, y: Dec): Dec {
  const scale = Math.max(x.scale, y.scale);
  const a = padScale(x, scale);
  const b = padScale(y, scale);
  if (x.neg === y.neg) return norm(x.neg, addMag(a, b), scale);
  return compareMag(a, b) >= 0 ? norm(x.neg, subMag(a, b), scale) : norm(y.neg, subMag(b, a), scale);
}

function negate(x: Dec): Dec {
  return norm(!x.neg, x.mag, x.scale);
}

function mul(x: Dec, y: Dec): Dec {
  return norm(x.neg !== y.neg, mulMag(x.mag, y.mag), x.scale + y.scale);
}

/** Rounds to `scale` decimals, half away from zero, by inspecting the first dropped digit. */
function roundHalfAway(x: Dec, scale: number): Dec {
  if (x.scale <= scale) return norm(x.neg, padScale(x, scale), scale);
  const drop = x.scale - scale;
  const padded = x.mag.padStart(drop + 1, '0');
  const kept = padded.slice(0, padded.length - drop);
  const firstDropped = padded[padded.length - drop]!;
  return norm(x.neg, firstDropped >= '5' ? addMag(kept, '1') : kept, scale);
}

/** An exact decimal as an integer number of 10^-scale units (throws if it does not fit exactly). */
function toScaledInteger(x: Dec, scale: number): number {
  if (x.scale > scale && !/^0*$/.test(x.mag.slice(-(x.scale - scale)))) {
    throw new Error(`${x.mag}e-${x.scale} has more than ${scale} decimals`);
  }
  const digits = x.scale > scale ? x.mag.slice(0, x.mag.length - (x.scale - scale)) || '0' : x.mag + '0'.repeat(scale - x.scale);
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new Error(`${digits} is not a safe integer`);
  return x.neg ? -value : value;
}

const ZERO = D('0');
const ONE = D('1');
const HUNDREDTH = D('0.01');

// SAF-T output codes and rates as listed in the rules doc §2.4 (written out here, not read from vat.ts).
const RULES_DOC_VAT: Record<string, { rate: string; category: string }> = {
  '3': { rate: '0.25', category: 'S' },
  '31': { rate: '0.15', category: 'S' },
  '33': { rate: '0.12', category: 'S' },
  '32': { rate: '0.1111', category: 'S' },
  '5': { rate: '0', category: 'Z' },
  '51': { rate: '0', category: 'AE' },
  '52': { rate: '0', category: 'G' },
  '6': { rate: '0', category: 'E' },
  '7': { rate: '0', category: 'O' },
};

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------
interface CaseLine {
  qty: string;
  price: string;
  code: string;
  /** Discount in percent, e.g. "12.5". */
  pct: string;
}

interface HandTotals {
  net: number;
  vat: number;
  gross: number;
  /** Defaults to the document-currency figures for NOK invoices. */
  netNok?: number;
  vatNok?: number;
  grossNok?: number;
  lineNets?: number[];
  /** code → [taxable, vat] in the document currency. */
  byCode?: Record<string, [number, number]>;
}

interface Case {
  name: string;
  vatRegistered: boolean;
  currency: string;
  /** NOK per one unit of the currency. */
  rate: string;
  lines: CaseLine[];
  hand?: HandTotals;
}

const L = (qty: string, price: string, code: string, pct = '0'): CaseLine => ({ qty, price, code, pct });
const nok = (name: string, lines: CaseLine[], hand?: HandTotals): Case => ({ name, vatRegistered: true, currency: 'NOK', rate: '1', lines, hand });
const fx = (name: string, currency: string, rate: string, lines: CaseLine[], hand?: HandTotals): Case => ({
  name,
  vatRegistered: true,
  currency,
  rate,
  lines,
  hand,
});

const ALL_CODES = ['3', '31', '33', '32', '5', '51', '52', '6', '7'];
const DISCOUNTS = ['0', '12.5', '33.33', '5', '0.01'];

/** 150 deterministic lines over every code, discount, 3-decimal quantities, 6-decimal prices, some negative. */
const manyMixedLines = Array.from({ length: 150 }, (_, i) =>
  L(
    `${i % 11 === 0 ? '-' : ''}${(i % 5) + 1}.${String((i * 7) % 1000).padStart(3, '0')}`,
    `${(i * 37) % 500}.${String((i * 7919) % 1_000_000).padStart(6, '0')}`,
    ALL_CODES[i % ALL_CODES.length]!,
    DISCOUNTS[i % DISCOUNTS.length]!,
  ),
);

/** 40 deterministic EUR lines. */
const fortyEurLines = Array.from({ length: 40 }, (_, i) =>
  L(
    `${(i % 4) + 1}${i % 3 === 0 ? '.5' : ''}`,
    `${i % 13 === 0 ? '-' : ''}${(i * 53) % 900}.${String((i * 4111) % 10_000).padStart(4, '0')}`,
    ALL_CODES[(i * 4) % ALL_CODES.length]!,
    DISCOUNTS[(i * 3) % DISCOUNTS.length]!,
  ),
);

const CASES: Case[] = [
  // ---- Hand-checked cases: the figures in `hand` were worked out on paper. ----
  // 1 × 100.00 = 100.00 → 10000 øre; VAT 25 % = 2500; gross 12500.
  nok('H1 single 25 % line', [L('1', '100', '3')], { net: 10000, vat: 2500, gross: 12500, byCode: { '3': [10000, 2500] } }),
  // 3 × 33.335 = 100.005 → 100.01 (half up) = 10001; VAT 15 % = 1500.15 → 1500; gross 11501.
  nok('H2 15 % food, 3 × 33.335 = 100.005 rounds up', [L('3', '33.335', '31')], { net: 10001, vat: 1500, gross: 11501 }),
  // 2 × 49.995 = 99.99 (exact) = 9999; VAT 12 % = 1199.88 → 1200; gross 11199.
  nok('H3 12 % transport, 2 × 49.995', [L('2', '49.995', '33')], { net: 9999, vat: 1200, gross: 11199 }),
  // 1000 × 12.345 = 12345.00 → 1234500; VAT 11.11 %: 123450 + 12345 + 1234.5 + 123.45 = 137152.95 → 137153.
  // gross 1234500 + 137153 = 1371653.
  nok('H4 11.11 % raw fish 1000 × 12.345', [L('1000', '12.345', '32')], { net: 1234500, vat: 137153, gross: 1371653, byCode: { '32': [1234500, 137153] } }),
  // 999.99 × 0.875 = 874.99125 → 874.99 = 87499; VAT 21874.75 → 21875; gross 109374.
  nok('H5 12.5 % discount (1250 bp)', [L('1', '999.99', '3', '12.5')], { net: 87499, vat: 21875, gross: 109374, lineNets: [87499] }),
  // 150 lines of 1 × 1.005 → each 1.01 (not 1.00): 150 × 101 = 15150 (not 150.75 kr rounded at the end);
  // VAT 15150 × 0.25 = 3787.5 → 3788; gross 18938.
  nok('H6 150 lines of 1.005, each rounded once', Array.from({ length: 150 }, () => L('1', '1.005', '3')), { net: 15150, vat: 3788, gross: 18938 }),
  // −3 × 0.125 = −0.375 → −0.38 (away from zero) = −38; VAT −9.5 → −10; gross −48.
  nok('H7 negative rounding −3 × 0.125', [L('-3', '0.125', '3')], { net: -38, vat: -10, gross: -48, lineNets: [-38] }),
  // EUR 1234.56 → 123456 øre-cents, VAT 30864.
  // NOK taxable 123456 × 11.4567 = 1358016 + 56382.3552 = 1414398.3552 → 1414398.
  // NOK VAT 30864 × 11.4567 = 339504 + 14095.5888 = 353599.5888 → 353600. NOK gross 1767998.
  fx('H8 EUR at 11.4567, VAT in NOK', 'EUR', '11.4567', [L('1', '1234.56', '3')], {
    net: 123456,
    vat: 30864,
    gross: 154320,
    netNok: 1414398,
    vatNok: 353600,
    grossNok: 1767998,
  }),
  // Not registered: 2 × 500 = 1000.00 and 99.50, both code 6 at 0 %: net 109950, VAT 0.
  {
    name: 'H9 seller not registered for VAT',
    vatRegistered: false,
    currency: 'NOK',
    rate: '1',
    lines: [L('2', '500', '3'), L('1', '99.50', '31')],
    hand: { net: 109950, vat: 0, gross: 109950, byCode: { '6': [109950, 0] } },
  },
  // 2.675 (a float trap: 2.675 * 100 = 267.49999…) → 268 øre; VAT 67; gross 335.
  nok('H10 2.675 float trap', [L('1', '2.675', '3')], { net: 268, vat: 67, gross: 335, lineNets: [268] }),
  // Three lines of 0.045 @15 % → 5 øre each = 15 → VAT 2.25 → 2.
  // One line 3 × 0.045 = 0.135 @12 % → 14 øre → VAT 1.68 → 2. net 29, VAT 4, gross 33.
  nok('H11 0.045 three times vs 3 × 0.045', [L('1', '0.045', '31'), L('1', '0.045', '31'), L('1', '0.045', '31'), L('3', '0.045', '33')], {
    net: 29,
    vat: 4,
    gross: 33,
    lineNets: [5, 5, 5, 14],
    byCode: { '31': [15, 2], '33': [14, 2] },
  }),
  // 2 × 199.50 = 399.00 → 39900 (25 %)
  // 1.5 × 89.90 = 134.85 → 13485 (15 %)
  // 1 × 1234 × 0.9 = 1110.60 → 111060 (12 %)
  // 12.5 × 45.6789 = 548.1468 + 22.83945 = 570.98625 → 570.99 = 57099 (11.11 %)
  // 1 × 100 × (1 − 0.3333) = 66.67 → 6667 (25 %)
  // 25 %: 39900 + 6667 = 46567 → 11641.75 → 11642; 15 %: 13485 → 2022.75 → 2023;
  // 12 %: 111060 → 13327.2 → 13327; 11.11 %: 57099 → 5709.9 + 570.99 + 57.099 + 5.7099 = 6343.6989 → 6344.
  // net 228211, VAT 33336, gross 261547.
  nok(
    'H12 four rates in one invoice, 10 % and 33.33 % discounts',
    [L('2', '199.50', '3'), L('1.5', '89.90', '31'), L('1', '1234', '33', '10'), L('12.5', '45.6789', '32'), L('1', '100', '3', '33.33')],
    {
      net: 228211,
      vat: 33336,
      gross: 261547,
      lineNets: [39900, 13485, 111060, 57099, 6667],
      byCode: { '3': [46567, 11642], '31': [13485, 2023], '33': [111060, 13327], '32': [57099, 6344] },
    },
  ),
  // USD at 10.123456: 3 × 19.99 = 59.97 → 5997 @15 % → VAT 899.55 → 900; export 250.00 → 25000 @0 %.
  // NOK: 5997 × 10.123456 = 59970 + 740.365632 = 60710.365632 → 60710; VAT 900 × 10.123456 = 9111.1104 → 9111;
  // export 25000 × 10.123456 = 253086.4 → 253086. NOK net 313796, VAT 9111, gross 322907.
  fx('H13 USD at 10.123456, food + export', 'USD', '10.123456', [L('3', '19.99', '31'), L('1', '250', '52')], {
    net: 30997,
    vat: 900,
    gross: 31897,
    netNok: 313796,
    vatNok: 9111,
    grossNok: 322907,
  }),
  // 3 × 10.00 × (1 − 0.3333) = 20.001 → 20.00 = 2000; VAT 500; gross 2500.
  nok('H14 33.33 % discount leaves 20.001', [L('3', '10', '3', '33.33')], { net: 2000, vat: 500, gross: 2500 }),

  // ---- Oracle-checked cases ----
  nok('zero-rated domestic (5)', [L('4', '125.25', '5')]),
  nok('reverse charge (51), plus a half-øre line', [L('10', '1000', '51'), L('1', '0.005', '51')]),
  nok('export (52) with 5 % discount', [L('7', '1499.95', '52', '5')]),
  nok('exempt (6)', [L('1', '4500', '6')]),
  nok('no VAT treatment (7): reminder fee and late interest', [L('1', '37.50', '7'), L('1', '98.63', '7')]),
  nok('all nine codes in one invoice', ALL_CODES.map((code, i) => L(`${i + 1}`, `${(i + 1) * 11}.${i}5`, code, DISCOUNTS[i % 5]!))),
  nok('deduction lines within one code', [L('1', '1000', '3'), L('1', '-150', '3'), L('-2', '12.345', '3')]),
  nok('deduction larger than its code (15 % goes negative)', [L('1', '1000', '3'), L('1', '50', '31'), L('-1', '250.005', '31')]),
  nok('1.005 and −1.005', [L('1', '1.005', '3'), L('1', '-1.005', '31')]),
  nok('VAT half-øre traps: 25 % of 2 øre, 15 % of 10 and 30 øre', [L('1', '0.02', '3'), L('1', '0.10', '31'), L('3', '0.10', '33')]),
  nok('negative VAT half-øre traps', [L('-1', '0.02', '3'), L('1', '-0.10', '31')]),
  nok('prices with 4–6 decimals', [L('7', '0.123456', '3'), L('1234.5', '0.0001', '31'), L('1', '0.000001', '3'), L('1000000', '0.000005', '33'), L('3', '19.9999', '32')]),
  nok('quantities like 0.333333', [L('0.333333', '300', '3'), L('0.333333', '3', '3'), L('0.333333', '29.99', '31', '12.5'), L('2.666667', '0.125', '33')]),
  nok('discount 100 % and 0.01 %', [L('5', '99.99', '3', '100'), L('1', '10000', '3', '0.01')]),
  nok('large amounts', [L('1000000', '99999.99', '3'), L('250000', '1234.567891', '31', '33.33')]),
  nok('150 mixed lines: every code, discounts, negatives', manyMixedLines),
  nok('12.5 % discount on fractional price and quantity', [L('2.5', '19.999999', '3', '12.5'), L('0.75', '0.125', '33', '12.5')]),
  fx('EUR at 11.4567, 40 mixed lines', 'EUR', '11.4567', fortyEurLines),
  fx('EUR at 11.4567, several rates and a deduction', 'EUR', '11.4567', [L('3', '45.5', '3', '12.5'), L('2', '12.99', '31'), L('1', '-10', '3'), L('1', '88', '33'), L('4', '3.333333', '32')]),
  fx('USD at 10.123456 with a negative line', 'USD', '10.123456', [L('1', '2.675', '3'), L('-1', '0.045', '3'), L('0.333333', '1000', '51')]),
  fx('SEK at 0.9876, several rates and discounts', 'SEK', '0.9876', [L('10', '9.95', '3', '5'), L('3', '33.335', '31', '33.33'), L('1', '500', '52'), L('2', '0.125', '33')]),
  fx('JPY at 0.069123', 'JPY', '0.069123', [L('1', '150000', '3'), L('3', '999', '31')]),
  fx('EUR credit-note-like: all negative', 'EUR', '11.4567', [L('-1', '1234.56', '3'), L('-3', '0.125', '31'), L('-2', '49.995', '33')]),
  {
    name: 'not registered, EUR, every code',
    vatRegistered: false,
    currency: 'EUR',
    rate: '11.4567',
    lines: ALL_CODES.map((code, i) => L('1', `${i}.${i}${i}5`, code, i % 2 ? '12.5' : '0')),
  },
  {
    name: 'not registered, with a deduction',
    vatRegistered: false,
    currency: 'NOK',
    rate: '1',
    lines: [L('3', '1.005', '3'), L('-1', '0.5', '5'), L('1', '2.675', '7')],
  },
];

// ---------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------
interface ExpectedEntry {
  vatCode: string;
  category: string;
  rateBasisPoints: number;
  taxableMinor: number;
  vatMinor: number;
  taxableNokMinor: number;
  vatNokMinor: number;
}

interface Expected {
  lineNetMinor: number[];
  lineTotalMinor: number;
  allowanceTotalMinor: number;
  chargeTotalMinor: number;
  vatBreakdown: ExpectedEntry[];
  netTotalMinor: number;
  vatTotalMinor: number;
  grossTotalMinor: number;
  payableMinor: number;
  netTotalNokMinor: number;
  vatTotalNokMinor: number;
  grossTotalNokMinor: number;
}

const minor = (x: Dec) => toScaledInteger(x, 2);
const sumDec = (values: Dec[]) => values.reduce(add, ZERO);

function oracle(c: Case): Expected {
  const fxRate = D(c.rate);
  const lineNets = c.lines.map((line) => {
    const factor = add(ONE, negate(mul(D(line.pct), HUNDREDTH)));
    return roundHalfAway(mul(mul(D(line.qty), D(line.price)), factor), 2);
  });
  const groups = new Map<string, Dec[]>();
  c.lines.forEach((line, i) => {
    const code = c.vatRegistered ? line.code : '6';
    groups.set(code, [...(groups.get(code) ?? []), lineNets[i]!]);
  });
  const entries = [...groups.entries()].map(([code, nets]) => {
    const vatInfo = c.vatRegistered ? RULES_DOC_VAT[code]! : { rate: '0', category: 'O' };
    const taxable = sumDec(nets);
    const vat = roundHalfAway(mul(taxable, D(vatInfo.rate)), 2);
    return {
      taxable,
      vat,
      taxableNok: roundHalfAway(mul(taxable, fxRate), 2),
      vatNok: roundHalfAway(mul(vat, fxRate), 2),
      entry: { vatCode: code, category: vatInfo.category, rateBasisPoints: toScaledInteger(D(vatInfo.rate), 4) },
    };
  });
  const net = sumDec(lineNets);
  const vat = sumDec(entries.map((e) => e.vat));
  const netNok = sumDec(entries.map((e) => e.taxableNok));
  const vatNok = sumDec(entries.map((e) => e.vatNok));
  return {
    lineNetMinor: lineNets.map(minor),
    vatBreakdown: entries.map((e) => ({
      ...e.entry,
      taxableMinor: minor(e.taxable),
      vatMinor: minor(e.vat),
      taxableNokMinor: minor(e.taxableNok),
      vatNokMinor: minor(e.vatNok),
    })),
    // The table has item lines only (document-level allowances are tested in allowance-charge.test.ts).
    lineTotalMinor: minor(net),
    allowanceTotalMinor: 0,
    chargeTotalMinor: 0,
    netTotalMinor: minor(net),
    vatTotalMinor: minor(vat),
    grossTotalMinor: minor(add(net, vat)),
    payableMinor: minor(add(net, vat)),
    netTotalNokMinor: minor(netNok),
    vatTotalNokMinor: minor(vatNok),
    grossTotalNokMinor: minor(add(netNok, vatNok)),
  };
}

function toModuleLines(c: Case): LineForTotals[] {
  return c.lines.map((line) => ({
    quantityMicros: toScaledInteger(D(line.qty), 6),
    unitPriceMicros: toScaledInteger(D(line.price), 6),
    discountBasisPoints: toScaledInteger(mul(D(line.pct), D('100')), 0),
    vatCode: line.code,
  }));
}

function run(c: Case): InvoiceTotals {
  return computeInvoiceTotals(toModuleLines(c), { isVatRegistered: c.vatRegistered, exchangeRateMicros: toScaledInteger(D(c.rate), 6) });
}

const byCode = <T extends { vatCode: string }>(entries: readonly T[]) => [...entries].sort((a, b) => a.vatCode.localeCompare(b.vatCode));

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------
describe('decimal-string oracle (self-check)', () => {
  it.each([
    ['1.005', '100', '100.500'],
    ['0.333333', '300', '99.999900'],
    ['-3', '0.125', '-0.375'],
    ['12.5', '45.6789', '570.98625'],
    ['999999999', '999999999', '999999998000000001'],
  ])('%s × %s = %s', (a, b, product) => {
    const p = mul(D(a), D(b));
    expect(p).toEqual(D(product));
  });

  it.each([
    ['1.005', '1.01'],
    ['1.004999', '1.00'],
    ['-1.005', '-1.01'],
    ['-0.004', '0.00'],
    ['2.675', '2.68'],
    ['9.995', '10.00'],
    ['0.375', '0.38'],
    ['1371.5295', '1371.53'],
    ['-1371.525', '-1371.53'],
  ])('roundHalfAway(%s) = %s', (a, rounded) => {
    expect(minor(roundHalfAway(D(a), 2))).toBe(minor(D(rounded)));
  });

  it.each([
    ['1', '-1.5', '-0.5'],
    ['-1', '1.5', '0.5'],
    ['100', '-0.01', '99.99'],
    ['-2.5', '-2.5', '-5'],
    ['0.001', '-0.001', '0'],
  ])('%s + %s = %s', (a, b, sum) => {
    const result = add(D(a), D(b));
    expect(toScaledInteger(result, 6)).toBe(toScaledInteger(D(sum), 6));
    expect(result.neg).toBe(sum.startsWith('-'));
  });
});

describe('computeInvoiceTotals against the decimal-string oracle', () => {
  it(`the table holds at least 30 invoices and every VAT code`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const codes = new Set(CASES.filter((c) => c.vatRegistered).flatMap((c) => c.lines.map((l) => l.code)));
    expect([...codes].sort()).toEqual([...ALL_CODES].sort());
    expect(CASES.filter((c) => c.hand).length).toBeGreaterThanOrEqual(8);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const actual = run(c);
    const expected = oracle(c);
    expect(actual.lineNetMinor).toEqual(expected.lineNetMinor);
    expect(byCode(actual.vatBreakdown)).toEqual(byCode(expected.vatBreakdown));
    expect({ ...actual, lineNetMinor: undefined, vatBreakdown: undefined }).toEqual({ ...expected, lineNetMinor: undefined, vatBreakdown: undefined });
  });

  it.each(CASES.filter((c) => c.hand).map((c) => [c.name, c] as const))('%s: hand-worked figures agree with the oracle and the module', (_name, c) => {
    const hand = c.hand!;
    const handTotals = {
      netTotalMinor: hand.net,
      vatTotalMinor: hand.vat,
      grossTotalMinor: hand.gross,
      payableMinor: hand.gross,
      netTotalNokMinor: hand.netNok ?? hand.net,
      vatTotalNokMinor: hand.vatNok ?? hand.vat,
      grossTotalNokMinor: hand.grossNok ?? hand.gross,
    };
    expect(hand.net + hand.vat).toBe(hand.gross);
    for (const result of [oracle(c), run(c)]) {
      expect({
        netTotalMinor: result.netTotalMinor,
        vatTotalMinor: result.vatTotalMinor,
        grossTotalMinor: result.grossTotalMinor,
        payableMinor: result.payableMinor,
        netTotalNokMinor: result.netTotalNokMinor,
        vatTotalNokMinor: result.vatTotalNokMinor,
        grossTotalNokMinor: result.grossTotalNokMinor,
      }).toEqual(handTotals);
      if (hand.lineNets) expect(result.lineNetMinor).toEqual(hand.lineNets);
      if (hand.byCode) {
        const got = Object.fromEntries(result.vatBreakdown.map((e) => [e.vatCode, [e.taxableMinor, e.vatMinor]]));
        expect(got).toEqual(hand.byCode);
      }
    }
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: parseDecimalToMicros reads the table strings as the oracle does', (_name, c) => {
    for (const line of c.lines) {
      expect(parseDecimalToMicros(line.qty)).toBe(toScaledInteger(D(line.qty), 6));
      expect(parseDecimalToMicros(line.price)).toBe(toScaledInteger(D(line.price), 6));
    }
    expect(parseDecimalToMicros(c.rate)).toBe(toScaledInteger(D(c.rate), 6));
  });

  it('lists the VAT breakdown from the highest rate down', () => {
    for (const c of CASES) {
      const rates = run(c).vatBreakdown.map((e) => e.rateBasisPoints);
      expect(rates).toEqual([...rates].sort((a, b) => b - a));
    }
  });

  it('has one breakdown entry per VAT code used, and no others', () => {
    const c = CASES.find((x) => x.name === 'all nine codes in one invoice')!;
    expect(run(c).vatBreakdown.map((e) => e.vatCode).sort()).toEqual([...ALL_CODES].sort());
    expect(run(nok('one code', [L('1', '1', '31'), L('2', '2', '31')])).vatBreakdown.map((e) => e.vatCode)).toEqual(['31']);
  });

  it('rounds each line once: 3 × 0.045 ≠ 3 lines of 0.045', () => {
    const totals = run(nok('x', [L('3', '0.045', '3'), L('1', '0.045', '3'), L('1', '0.045', '3'), L('1', '0.045', '3')]));
    expect(totals.lineNetMinor).toEqual([14, 5, 5, 5]);
  });

  it('is exactly antisymmetric: negating every quantity negates every figure', () => {
    for (const c of CASES) {
      const negated: Case = { ...c, lines: c.lines.map((l) => ({ ...l, qty: l.qty.startsWith('-') ? l.qty.slice(1) : `-${l.qty}` })) };
      const a = run(c);
      const b = run(negated);
      expect(b.lineNetMinor).toEqual(a.lineNetMinor.map((v) => -v || 0));
      expect(b.grossTotalNokMinor).toBe(-a.grossTotalNokMinor || 0);
      expect(b.vatTotalMinor).toBe(-a.vatTotalMinor || 0);
    }
  });
});

// ---------------------------------------------------------------------------
// Properties over random invoices
// ---------------------------------------------------------------------------
const codeArb = fc.constantFrom(...ALL_CODES);
const lineArb = fc.record({
  quantityMicros: fc.oneof(
    fc.integer({ min: 1, max: 100 }).map((n) => n * 1_000_000),
    fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
    fc.integer({ min: -5, max: -1 }).map((n) => n * 1_000_000),
  ),
  unitPriceMicros: fc.oneof(
    fc.integer({ min: 0, max: 100_000_000_000 }),
    fc.integer({ min: 0, max: 10_000_000 }).map((n) => n * 10_000),
    fc.integer({ min: -10_000_000_000, max: 0 }),
    fc.integer({ min: 0, max: 10_000 }).map((n) => n * 5_000),
  ),
  discountBasisPoints: fc.oneof(fc.constant(0), fc.constantFrom(1250, 3333, 5000, 10_000, 1), fc.integer({ min: 0, max: 10_000 })),
  vatCode: codeArb,
  revenueAccount: fc.option(fc.constantFrom('3000', '3010', '3020', '3099'), { nil: null }),
});
const invoiceArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 40 }),
  isVatRegistered: fc.boolean(),
  exchangeRateMicros: fc.oneof(
    fc.constant(1_000_000),
    fc.integer({ min: 1, max: 200_000_000 }),
    fc.constantFrom(11_456_700, 10_123_456, 987_600),
  ),
});

const RATE_BP: Record<string, bigint> = { '3': 2500n, '31': 1500n, '33': 1200n, '32': 1111n, '5': 0n, '51': 0n, '52': 0n, '6': 0n, '7': 0n };
const abs = (v: bigint) => (v < 0n ? -v : v);

/** `rounded` is `numerator / denominator` rounded half away from zero (exact rational check). */
function expectRoundedHalfAway(rounded: number, numerator: bigint, denominator: bigint, label: string): void {
  const diff = BigInt(rounded) * denominator - numerator;
  expect(2n * abs(diff) <= denominator, `${label}: more than half a unit off`).toBe(true);
  if (2n * abs(diff) === denominator) {
    expect(abs(BigInt(rounded) * denominator) > abs(numerator), `${label}: tie not rounded away from zero`).toBe(true);
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const net = (l: JournalLine) => l.debitMinor - l.creditMinor;

describe('invoice totals and journal: properties over random invoices', () => {
  it('holds the totals, rounding, NOK and journal invariants', () => {
    fc.assert(
      fc.property(invoiceArb, ({ lines, isVatRegistered, exchangeRateMicros }) => {
        const totals = computeInvoiceTotals(lines, { isVatRegistered, exchangeRateMicros });

        // Line nets: rounded once, half away from zero, from the exact product.
        expect(totals.lineNetMinor).toHaveLength(lines.length);
        lines.forEach((l, i) => {
          const exact = BigInt(l.quantityMicros) * BigInt(l.unitPriceMicros) * (10_000n - BigInt(l.discountBasisPoints));
          expectRoundedHalfAway(totals.lineNetMinor[i]!, exact, 10n ** 14n, `line ${i}`);
        });

        // Sums.
        expect(totals.netTotalMinor).toBe(sum(totals.lineNetMinor));
        expect(totals.grossTotalMinor).toBe(totals.netTotalMinor + totals.vatTotalMinor);
        expect(totals.payableMinor).toBe(totals.grossTotalMinor);
        expect(totals.vatTotalMinor).toBe(sum(totals.vatBreakdown.map((e) => e.vatMinor)));
        expect(totals.netTotalMinor).toBe(sum(totals.vatBreakdown.map((e) => e.taxableMinor)));
        expect(totals.netTotalNokMinor).toBe(sum(totals.vatBreakdown.map((e) => e.taxableNokMinor)));
        expect(totals.vatTotalNokMinor).toBe(sum(totals.vatBreakdown.map((e) => e.vatNokMinor)));
        expect(totals.grossTotalNokMinor).toBe(totals.netTotalNokMinor + totals.vatTotalNokMinor);

        // Per code: taxable is the sum of its lines, VAT within half an øre of taxable × rate, NOK within half an øre.
        const effectiveCode = (code: string) => (isVatRegistered ? code : '6');
        const codesUsed = new Set(lines.map((l) => effectiveCode(l.vatCode)));
        expect(new Set(totals.vatBreakdown.map((e) => e.vatCode))).toEqual(codesUsed);
        expect(totals.vatBreakdown).toHaveLength(codesUsed.size);
        for (const entry of totals.vatBreakdown) {
          const rate = isVatRegistered ? RATE_BP[entry.vatCode]! : 0n;
          expect(BigInt(entry.rateBasisPoints)).toBe(rate);
          if (!isVatRegistered) expect(entry.category).toBe('O');
          const taxable = sum(lines.map((l, i) => (effectiveCode(l.vatCode) === entry.vatCode ? totals.lineNetMinor[i]! : 0)));
          expect(entry.taxableMinor).toBe(taxable);
          expectRoundedHalfAway(entry.vatMinor, BigInt(taxable) * rate, 10_000n, `VAT ${entry.vatCode}`);
          expectRoundedHalfAway(entry.taxableNokMinor, BigInt(entry.taxableMinor) * BigInt(exchangeRateMicros), 1_000_000n, `taxable NOK ${entry.vatCode}`);
          expectRoundedHalfAway(entry.vatNokMinor, BigInt(entry.vatMinor) * BigInt(exchangeRateMicros), 1_000_000n, `VAT NOK ${entry.vatCode}`);
        }

        // Journal, invoice and credit note.
        const source = lines.map((l, i) => ({ netMinor: totals.lineNetMinor[i]!, vatCode: l.vatCode, revenueAccount: l.revenueAccount }));
        const common = { documentLabel: 'Faktura 1', lines: source, totals, isVatRegistered, exchangeRateMicros, accounts: DEFAULT_ACCOUNT_SETTINGS };
        const invoice = buildJournalLines({ ...common, kind: 'invoice' });
        const credit = buildJournalLines({ ...common, kind: 'credit_note' });
        for (const journal of [invoice, credit]) {
          for (const line of journal) {
            expect(Number.isSafeInteger(line.debitMinor) && line.debitMinor >= 0).toBe(true);
            expect(Number.isSafeInteger(line.creditMinor) && line.creditMinor >= 0).toBe(true);
            expect(line.debitMinor === 0 || line.creditMinor === 0).toBe(true);
          }
          expect(sum(journal.map((l) => l.debitMinor))).toBe(sum(journal.map((l) => l.creditMinor)));
        }
        expect(credit).toEqual(invoice.map((l) => ({ ...l, debitMinor: l.creditMinor, creditMinor: l.debitMinor })));

        const receivable = invoice.filter((l) => l.account === DEFAULT_ACCOUNT_SETTINGS.receivable);
        expect(receivable).toHaveLength(1);
        expect(receivable[0]!.vatCode).toBeNull();
        expect(net(receivable[0]!)).toBe(totals.grossTotalNokMinor);

        const vatAccounts = new Set(Object.values(DEFAULT_ACCOUNT_SETTINGS.outputVat));
        for (const entry of totals.vatBreakdown) {
          const ofCode = invoice.filter((l) => l.vatCode === entry.vatCode);
          expect(0 - sum(ofCode.filter((l) => !vatAccounts.has(l.account)).map(net))).toBe(entry.taxableNokMinor);
          expect(0 - sum(ofCode.filter((l) => vatAccounts.has(l.account)).map(net))).toBe(entry.vatNokMinor);
        }
        // Every posting other than the receivable carries a VAT code that is in the breakdown.
        const breakdownCodes = new Set(totals.vatBreakdown.map((e) => e.vatCode));
        for (const line of invoice.filter((l) => l.account !== DEFAULT_ACCOUNT_SETTINGS.receivable)) {
          expect(breakdownCodes.has(line.vatCode!)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
