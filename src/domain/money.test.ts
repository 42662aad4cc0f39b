import { describe, expect, it } from 'vitest';
import { formatMicros, MAX_PRICE_DECIMALS, MICROS_PER_UNIT, parseDecimalToMicros } from './money.js';

describe('money constants', () => {
  it('uses micro-units (10^6) and at most six decimals', () => {
    expect(MICROS_PER_UNIT).toBe(1_000_000n);
    expect(MAX_PRICE_DECIMALS).toBe(6);
  });
});

describe('parseDecimalToMicros', () => {
  it.each([
    ['0', 0],
    ['1', 1_000_000],
    ['199.5', 199_500_000],
    ['199,5', 199_500_000],
    ['199.50', 199_500_000],
    ['1.000000', 1_000_000],
    ['0.1', 100_000],
    ['0,01', 10_000],
    ['0.000001', 1],
    ['0,000001', 1],
    ['123.456789', 123_456_789],
    ['123,456789', 123_456_789],
    ['-1', -1_000_000],
    ['-199,5', -199_500_000],
    ['-0.000001', -1],
    ['007.5', 7_500_000],
    ['  12.5  ', 12_500_000],
    ['\t42\n', 42_000_000],
    ['1234567', 1_234_567_000_000],
  ])('parses %j as %d micros', (input, expected) => {
    expect(parseDecimalToMicros(input)).toBe(expected);
  });

  it.each(['-0', '-0.0', '-0,000000'])('parses %j as positive zero, not -0', (input) => {
    // toBe uses Object.is, so -0 would fail here.
    expect(parseDecimalToMicros(input)).toBe(0);
  });

  describe('decimal places', () => {
    it.each([
      ['1.1', 1_100_000],
      ['1.12', 1_120_000],
      ['1.123', 1_123_000],
      ['1.1234', 1_123_400],
      ['1.12345', 1_123_450],
      ['1.123456', 1_123_456],
    ])('accepts %s (up to six decimals)', (input, expected) => {
      expect(parseDecimalToMicros(input)).toBe(expected);
    });

    it.each(['1.1234567', '1,1234567', '0.0000001', '1.0000000', '-1.1234567', '1.12345678901'])(
      'rejects %s (seven or more decimals)',
      (input) => {
        expect(parseDecimalToMicros(input)).toBeUndefined();
      },
    );
  });

  it.each([
    ['', 'empty'],
    ['   ', 'only whitespace'],
    ['abc', 'letters'],
    ['12abc', 'trailing letters'],
    ['abc12', 'leading letters'],
    ['1.', 'separator without decimals'],
    ['1,', 'comma without decimals'],
    ['.5', 'decimals without whole part'],
    [',5', 'comma decimals without whole part'],
    ['1.2.3', 'two dots'],
    ['1,2,3', 'two commas'],
    ['1,000.50', 'thousands separator'],
    ['1 000', 'space as thousands separator'],
    ['1\u00a0000', 'non-breaking space as thousands separator'],
    ['+1', 'explicit plus sign'],
    ['--1', 'double minus'],
    ['1-', 'trailing minus'],
    ['- 1', 'space after minus'],
    ['\u22121', 'Unicode minus sign'],
    ['1e3', 'exponent'],
    ['1E-3', 'negative exponent'],
    ['0x1F', 'hexadecimal'],
    ['0b101', 'binary'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
    ['1_000', 'numeric separator'],
    ['１２', 'full-width digits'],
    ['١٢', 'Arabic-Indic digits'],
    ['12 kr', 'unit suffix'],
    ['kr 12', 'unit prefix'],
    ['1.5%', 'percent sign'],
    ['(1)', 'accounting negative'],
  ])('rejects %j (%s)', (input) => {
    expect(parseDecimalToMicros(input)).toBeUndefined();
  });

  describe('safe-integer range', () => {
    // Number.MAX_SAFE_INTEGER = 9007199254740991 micros = 9007199254.740991 units.
    it.each([
      ['9007199254.740991', Number.MAX_SAFE_INTEGER],
      ['-9007199254.740991', Number.MIN_SAFE_INTEGER],
      ['9007199254', 9_007_199_254_000_000],
    ])('accepts %s at the edge of the safe range', (input, expected) => {
      expect(parseDecimalToMicros(input)).toBe(expected);
    });

    it.each([
      '9007199254.740992',
      '-9007199254.740992',
      '9007199255',
      '-9007199255',
      '9999999999.999999',
      '9999999999999',
      '9999999999999.999999',
      '-9999999999999.999999',
      '99999999999999',
      '123456789012345678901234567890',
    ])('rejects %s (beyond Number.MAX_SAFE_INTEGER micros)', (input) => {
      expect(parseDecimalToMicros(input)).toBeUndefined();
    });
  });
});

describe('formatMicros', () => {
  it.each([
    [0, '0.00'],
    [-0, '0.00'],
    [1, '0.000001'],
    [10, '0.00001'],
    [10_000, '0.01'],
    [100_000, '0.10'],
    [120_000, '0.12'],
    [123_000, '0.123'],
    [123_400, '0.1234'],
    [1_000_000, '1.00'],
    [199_500_000, '199.50'],
    [123_456_789, '123.456789'],
    [1_000_000_010, '1000.00001'],
    [-1, '-0.000001'],
    [-500_000, '-0.50'],
    [-199_500_000, '-199.50'],
    [-1_000_000, '-1.00'],
    [Number.MAX_SAFE_INTEGER, '9007199254.740991'],
    [Number.MIN_SAFE_INTEGER, '-9007199254.740991'],
  ])('formats %d micros as %s', (micros, expected) => {
    expect(formatMicros(micros)).toBe(expected);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws RangeError for non-integer input %d', (micros) => {
    expect(() => formatMicros(micros)).toThrow(RangeError);
  });
});

describe('parseDecimalToMicros / formatMicros round trip', () => {
  it.each([
    '0.00',
    '1.00',
    '0.10',
    '0.123',
    '0.000001',
    '199.50',
    '123.456789',
    '-0.50',
    '-0.000001',
    '-123.456789',
    '1000000.00',
    '9007199254.740991',
    '-9007199254.740991',
  ])('canonical string %s survives parse → format unchanged', (text) => {
    const micros = parseDecimalToMicros(text);
    expect(micros).toBeDefined();
    expect(formatMicros(micros!)).toBe(text);
  });

  it.each([
    ['199,5', '199.50'],
    ['007', '7.00'],
    ['-0', '0.00'],
    ['1.100000', '1.10'],
    ['0,000100', '0.0001'],
    [' 5 ', '5.00'],
  ])('non-canonical %j formats canonically as %s', (text, expected) => {
    expect(formatMicros(parseDecimalToMicros(text)!)).toBe(expected);
  });

  it('micros survive format → parse for a spread of values', () => {
    // Deterministic pseudo-random values (LCG), plus both signs and the range ends.
    const values: number[] = [0, 1, -1, 999_999, 1_000_001, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    let seed = 20_250_301;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      const magnitude = seed * (i % 7 === 0 ? 4_194_304 : 1) + (i % 13);
      values.push(i % 2 === 0 ? magnitude : -magnitude);
    }
    for (const micros of values) {
      expect(Number.isSafeInteger(micros)).toBe(true);
      expect(parseDecimalToMicros(formatMicros(micros)), String(micros)).toBe(micros);
    }
  });
});
