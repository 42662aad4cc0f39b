import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createKid,
  DEFAULT_KID_SETTINGS,
  isValidKid,
  type KidMethod,
  type KidSettings,
  KidTooLongError,
  kidLength,
  mod10CheckDigit,
  mod11CheckDigit,
} from './kid.js';

/*
 * KID checksums, shared/docs/norway-invoicing-rules.md §4.1.
 * The oracle below is written straight from the doc's wording, independent of kid.ts.
 */
function oracleMod10(body: string): string {
  // From the right, weights 2,1,2,1,…; add the digit sum of each product; check = (10 − sum mod 10) mod 10.
  const digits = [...body].reverse().map(Number);
  const sum = digits.reduce((total, d, i) => {
    const product = d * (i % 2 === 0 ? 2 : 1);
    return total + Math.floor(product / 10) + (product % 10);
  }, 0);
  return String((10 - (sum % 10)) % 10);
}

function oracleMod11(body: string): string {
  // From the right, weights 2,3,4,5,6,7,2,3,…; r = sum mod 11; r = 0 → 0; check 10 → "-".
  const weights = [2, 3, 4, 5, 6, 7];
  const digits = [...body].reverse().map(Number);
  const r = digits.reduce((total, d, i) => total + d * weights[i % 6]!, 0) % 11;
  if (r === 0) return '0';
  return r === 1 ? '-' : String(11 - r);
}

describe('worked examples from the rules doc', () => {
  it('1234 → MOD10 check 4 (8+3+4+1 = 16) and MOD11 check 3 (30 mod 11 = 8)', () => {
    expect(mod10CheckDigit('1234')).toBe('4');
    expect(mod11CheckDigit('1234')).toBe('3');
  });

  it('1000005 → MOD11 remainder 1 (5·2 + 1·2 = 12) → "-"', () => {
    expect(mod11CheckDigit('1000005')).toBe('-');
  });

  it('remainder 0 → "0" (0014: 4·2 + 1·3 = 11)', () => {
    expect(mod11CheckDigit('0014')).toBe('0');
    expect(isValidKid('00140', 'mod11')).toBe(true);
  });

  it.each<[string, KidMethod | undefined, boolean]>([
    ['12344', 'mod10', true],
    ['12344', 'mod11', false],
    ['12344', undefined, true],
    ['12343', 'mod11', true],
    ['12343', 'mod10', false],
    ['12343', undefined, true],
    ['1000005-', 'mod11', true],
    ['1000005-', 'mod10', false],
    ['1000005-', undefined, true],
    ['12345', 'mod10', false],
    ['12345', 'mod11', false],
    ['12345', undefined, false],
  ])('isValidKid(%s, %s) = %s', (kid, method, valid) => {
    expect(isValidKid(kid, method)).toBe(valid);
  });
});

describe('isValidKid: shape', () => {
  it.each([
    ['-1000005', 'hyphen first'],
    ['100-0005', 'hyphen in the middle'],
    ['1000005--', 'two hyphens'],
    ['1234-', 'hyphen where MOD11 gives 3'],
    ['12a44', 'letter'],
    [' 12344', 'leading space'],
    ['12344 ', 'trailing space'],
    ['1234 4', 'inner space'],
    ['', 'empty'],
    ['344', 'three characters (minimum is 4)'],
    ['-', 'only a hyphen'],
  ])('rejects %j (%s)', (kid) => {
    expect(isValidKid(kid)).toBe(false);
    expect(isValidKid(kid, 'mod10')).toBe(false);
    expect(isValidKid(kid, 'mod11')).toBe(false);
  });

  it('accepts "-" only as the last character of a MOD11 KID, never in MOD10', () => {
    // Find bodies whose MOD11 check is "-" and confirm the MOD10 reading of "-" is refused.
    for (const body of ['1000005', '0000000006', '555555555555555555555135']) {
      expect(oracleMod11(body)).toBe('-');
      expect(isValidKid(`${body}-`, 'mod11')).toBe(true);
      expect(isValidKid(`${body}-`, 'mod10')).toBe(false);
    }
  });

  it('accepts 4 to 25 characters and nothing longer or shorter', () => {
    const withCheck = (body: string) => body + oracleMod10(body);
    expect(isValidKid(withCheck('123'), 'mod10')).toBe(true); // 4
    expect(isValidKid(withCheck('12'), 'mod10')).toBe(false); // 3
    expect(isValidKid(withCheck('1'.repeat(24)), 'mod10')).toBe(true); // 25
    expect(isValidKid(withCheck('1'.repeat(25)), 'mod10')).toBe(false); // 26
    const mod11Body = '1'.repeat(24);
    expect(isValidKid(mod11Body + oracleMod11(mod11Body), 'mod11')).toBe(true);
  });
});

describe('createKid', () => {
  it.each<[string, KidSettings, { customerNumber: number; invoiceNumber: number }, string]>([
    // 001234 → same sums as 1234 (leading zeros weigh nothing).
    ['invoice number, MOD10, width 6', { method: 'mod10', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 6 }, { customerNumber: 7, invoiceNumber: 1234 }, '0012344'],
    ['invoice number, MOD11, width 6', { method: 'mod11', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 6 }, { customerNumber: 7, invoiceNumber: 1234 }, '0012343'],
    ['invoice number, MOD11 giving "-"', { method: 'mod11', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 7 }, { customerNumber: 0, invoiceNumber: 1_000_005 }, '1000005-'],
    // Body 0123|00045. MOD10 from the right: 5·2=10→1, 4, 0, 0, 0, 3, 2·2=4, 1, 0 → 13 → check 7.
    ['customer and invoice, MOD10, 4 + 5', { method: 'mod10', composition: 'customer_and_invoice', customerDigits: 4, invoiceDigits: 5 }, { customerNumber: 123, invoiceNumber: 45 }, '0123000457'],
    // MOD11 from the right: 5·2 + 4·3 + 0 + 0 + 0 + 3·7 + 2·2 + 1·3 + 0·4 = 50; 50 mod 11 = 6 → check 5.
    ['customer and invoice, MOD11, 4 + 5', { method: 'mod11', composition: 'customer_and_invoice', customerDigits: 4, invoiceDigits: 5 }, { customerNumber: 123, invoiceNumber: 45 }, '0123000455'],
    // Exactly filling both widths.
    ['customer and invoice, full widths', { method: 'mod10', composition: 'customer_and_invoice', customerDigits: 2, invoiceDigits: 2 }, { customerNumber: 12, invoiceNumber: 34 }, '12344'],
  ])('%s', (_name, settings, parts, kid) => {
    expect(createKid(settings, parts)).toBe(kid);
    expect(kid).toHaveLength(kidLength(settings));
    expect(isValidKid(kid, settings.method)).toBe(true);
  });

  it('uses the default settings: MOD10, 6-digit customer + 8-digit invoice = 15 characters', () => {
    const kid = createKid(DEFAULT_KID_SETTINGS, { customerNumber: 42, invoiceNumber: 10_001 });
    expect(kid.slice(0, 14)).toBe('00004200010001');
    expect(kid).toHaveLength(15);
    expect(kidLength(DEFAULT_KID_SETTINGS)).toBe(15);
    expect(kid.slice(-1)).toBe(oracleMod10('00004200010001'));
  });

  it('ignores the customer number for the invoice_number composition', () => {
    const settings: KidSettings = { method: 'mod10', composition: 'invoice_number', customerDigits: 2, invoiceDigits: 5 };
    expect(createKid(settings, { customerNumber: 9_999_999, invoiceNumber: 1 })).toBe(createKid(settings, { customerNumber: 1, invoiceNumber: 1 }));
    expect(kidLength(settings)).toBe(6);
  });

  it.each<[string, KidSettings, { customerNumber: number; invoiceNumber: number }]>([
    ['invoice number one digit too long', { method: 'mod10', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 6 }, { customerNumber: 1, invoiceNumber: 1_000_000 }],
    ['invoice number too long (MOD11)', { method: 'mod11', composition: 'customer_and_invoice', customerDigits: 6, invoiceDigits: 4 }, { customerNumber: 1, invoiceNumber: 10_000 }],
    ['customer number too long', { method: 'mod10', composition: 'customer_and_invoice', customerDigits: 3, invoiceDigits: 8 }, { customerNumber: 1_000, invoiceNumber: 1 }],
  ])('throws KidTooLongError: %s', (_name, settings, parts) => {
    expect(() => createKid(settings, parts)).toThrow(KidTooLongError);
  });

  it('does not throw at the largest number that fits', () => {
    const settings: KidSettings = { method: 'mod11', composition: 'customer_and_invoice', customerDigits: 3, invoiceDigits: 4 };
    expect(createKid(settings, { customerNumber: 999, invoiceNumber: 9_999 }).slice(0, 7)).toBe('9999999');
  });

  const settingsArb = fc
    .record({
      method: fc.constantFrom<KidMethod>('mod10', 'mod11'),
      composition: fc.constantFrom<KidSettings['composition']>('invoice_number', 'customer_and_invoice'),
      customerDigits: fc.integer({ min: 1, max: 12 }),
      invoiceDigits: fc.integer({ min: 1, max: 15 }),
    })
    .filter((s) => kidLength(s) >= 4 && kidLength(s) <= 25);
  const fitting = (digits: number) => fc.maxSafeNat().map((n) => n % 10 ** Math.min(digits, 15));

  it('every generated KID has the configured length and validates for its method (and the doc oracle agrees)', () => {
    fc.assert(
      fc.property(
        settingsArb.chain((settings) =>
          fc.record({ settings: fc.constant(settings), customerNumber: fitting(settings.customerDigits), invoiceNumber: fitting(settings.invoiceDigits) }),
        ),
        ({ settings, customerNumber, invoiceNumber }) => {
          const kid = createKid(settings, { customerNumber, invoiceNumber });
          expect(kid).toHaveLength(kidLength(settings));
          expect(isValidKid(kid, settings.method)).toBe(true);
          expect(isValidKid(kid)).toBe(true);
          const body = kid.slice(0, -1);
          expect(/^\d+$/.test(body)).toBe(true);
          expect(kid.slice(-1)).toBe(settings.method === 'mod10' ? oracleMod10(body) : oracleMod11(body));
          const invoicePart = body.slice(-settings.invoiceDigits);
          expect(Number(invoicePart)).toBe(invoiceNumber);
          if (settings.composition === 'customer_and_invoice') {
            expect(body).toHaveLength(settings.customerDigits + settings.invoiceDigits);
            expect(Number(body.slice(0, settings.customerDigits))).toBe(customerNumber);
          } else {
            expect(body).toHaveLength(settings.invoiceDigits);
          }
          if (settings.method === 'mod10') expect(kid.includes('-')).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('both check digits match the doc oracle for random bodies', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,30}$/), (body) => {
        expect(mod10CheckDigit(body)).toBe(oracleMod10(body));
        expect(mod11CheckDigit(body)).toBe(oracleMod11(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('any single changed digit of a valid KID makes it invalid for its method', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<KidMethod>('mod10', 'mod11'),
        fc.stringMatching(/^\d{3,24}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (method, body, position, delta) => {
          const kid = body + (method === 'mod10' ? oracleMod10(body) : oracleMod11(body));
          expect(isValidKid(kid, method)).toBe(true);
          const i = position % body.length;
          const changed = body.slice(0, i) + String((Number(body[i]) + delta) % 10) + body.slice(i + 1) + kid.slice(-1);
          expect(isValidKid(changed, method)).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
