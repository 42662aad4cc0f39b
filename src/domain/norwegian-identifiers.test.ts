import { describe, expect, it } from 'vitest';
import {
  formatBankAccount,
  formatOrgNumber,
  isValidBankAccount,
  isValidBic,
  isValidIban,
  isValidOrgNumber,
  isValidPeppolId,
  normalizeBankAccount,
  normalizeIban,
  normalizeOrgNumber,
  peppolIdForOrgNumber,
} from './norwegian-identifiers.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/** Independent reference: sum of digit × weight, mod 11 (rules doc §4.2 / §4.3). */
function mod11Remainder(body: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[i]) * weights[i]!;
  }
  return sum % 11;
}

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
const ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

describe('isValidOrgNumber (MOD11, rules doc §4.2)', () => {
  it.each([
    ['974760673', 'Brønnøysundregistrene, worked example'],
    ['923609016', 'worked example'],
    ['910000020', 'remainder 0 gives check digit 0'],
    ['974 760 673', 'grouped with spaces'],
    [' 974760673 ', 'surrounding whitespace'],
    ['974.760.673', 'grouped with dots'],
    ['974760673MVA', 'trailing MVA'],
    ['974 760 673 MVA', 'grouped with trailing MVA'],
    ['974760673mva', 'lower-case mva'],
  ])('accepts %s (%s)', (input) => {
    expect(isValidOrgNumber(input)).toBe(true);
  });

  it.each([
    ['974760672', 'wrong check digit (worked example)'],
    ['923609017', 'wrong check digit'],
    ['000000000', 'all zeros: checksum passes but value must be > 0'],
    ['97476067', '8 digits'],
    ['9747606730', '10 digits'],
    ['', 'empty'],
    ['   ', 'only whitespace'],
    ['97476067a', 'letter instead of check digit'],
    ['97476067-', 'hyphen as check digit (legal in KID, not here)'],
    ['974-760-673', 'hyphen separators are not stripped'],
    ['NO974760673MVA', 'VAT-number form with NO prefix is not an org number'],
    ['974760673 MVA MVA', 'MVA twice'],
    ['MVA974760673', 'MVA in front'],
    ['９７４７６０６７３', 'full-width digits'],
    ['91234567-', 'remainder-1 body with hyphen'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidOrgNumber(input)).toBe(false);
  });

  it('accepts exactly one check digit for the body 97476067, namely 3', () => {
    const valid = DIGITS.filter((digit) => isValidOrgNumber(`97476067${digit}`));
    expect(valid).toEqual(['3']);
  });

  // 9·3 + 1·2 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 133; 133 mod 11 = 1 → check "10" → no valid number.
  it.each(['91234567', '97476069', '97476072'])(
    'rejects every last digit for the remainder-1 body %s',
    (body) => {
      expect(mod11Remainder(body, ORG_WEIGHTS)).toBe(1);
      for (const digit of DIGITS) {
        expect(isValidOrgNumber(`${body}${digit}`), `${body}${digit}`).toBe(false);
      }
    },
  );

  it('agrees with an independent MOD11 computation for every body 97476000..97476099', () => {
    for (let n = 97476000; n < 97476100; n++) {
      const body = String(n);
      const remainder = mod11Remainder(body, ORG_WEIGHTS);
      const expectedCheck = remainder === 0 ? '0' : remainder === 1 ? undefined : String(11 - remainder);
      for (const digit of DIGITS) {
        expect(isValidOrgNumber(`${body}${digit}`), `${body}${digit}`).toBe(digit === expectedCheck);
      }
    }
  });
});

describe('normalizeOrgNumber / formatOrgNumber', () => {
  it.each([
    ['974760673', '974760673'],
    ['974 760 673', '974760673'],
    ['974.760.673', '974760673'],
    ['\t974 760\u00a0673\n', '974760673'],
    ['974760673MVA', '974760673'],
    ['974 760 673 mva', '974760673'],
  ])('normalizes %j to %s', (input, expected) => {
    expect(normalizeOrgNumber(input)).toBe(expected);
  });

  it.each([
    ['974760673', '974 760 673'],
    ['923609016', '923 609 016'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatOrgNumber(input)).toBe(expected);
  });

  it.each(['974760673', '923609016', '910000020'])('round-trips %s through format and normalize', (orgNumber) => {
    const formatted = formatOrgNumber(orgNumber);
    expect(normalizeOrgNumber(formatted)).toBe(orgNumber);
    expect(isValidOrgNumber(formatted)).toBe(true);
  });
});

describe('isValidBankAccount (MOD11, rules doc §4.3)', () => {
  it.each([
    ['86011117947', 'worked example'],
    ['12345678903', 'worked example'],
    ['86011117920', 'remainder 0 gives check digit 0'],
    ['8601 11 17947', 'grouped with spaces'],
    ['8601.11.17947', 'grouped with dots'],
    [' 1234 56 78903 ', 'surrounding whitespace'],
  ])('accepts %s (%s)', (input) => {
    expect(isValidBankAccount(input)).toBe(true);
  });

  it.each([
    ['12345678901', 'wrong check digit (worked example)'],
    ['86011117948', 'wrong check digit'],
    ['8601111794', '10 digits'],
    ['860111179470', '12 digits'],
    ['8601-11-17947', 'hyphen separators are not stripped'],
    ['NO9386011117947', 'an IBAN is not an account number'],
    ['', 'empty'],
    ['8601111794X', 'letter as check digit'],
    ['8601111794-', 'hyphen as check digit'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidBankAccount(input)).toBe(false);
  });

  it('accepts exactly one check digit for the body 8601111794, namely 7', () => {
    const valid = DIGITS.filter((digit) => isValidBankAccount(`8601111794${digit}`));
    expect(valid).toEqual(['7']);
  });

  // 1·5 + 2·4 + 3·3 + 4·2 + 5·7 + 6·6 + 7·5 + 8·4 + 9·3 + 2·2 = 199; 199 mod 11 = 1.
  it('rejects every last digit for the remainder-1 body 1234567892', () => {
    expect(mod11Remainder('1234567892', ACCOUNT_WEIGHTS)).toBe(1);
    for (const digit of DIGITS) {
      expect(isValidBankAccount(`1234567892${digit}`), `1234567892${digit}`).toBe(false);
    }
  });

  it('agrees with an independent MOD11 computation for every body 8601111700..8601111799', () => {
    for (let n = 8601111700; n < 8601111800; n++) {
      const body = String(n);
      const remainder = mod11Remainder(body, ACCOUNT_WEIGHTS);
      const expectedCheck = remainder === 0 ? '0' : remainder === 1 ? undefined : String(11 - remainder);
      for (const digit of DIGITS) {
        expect(isValidBankAccount(`${body}${digit}`), `${body}${digit}`).toBe(digit === expectedCheck);
      }
    }
  });
});

describe('normalizeBankAccount / formatBankAccount', () => {
  it.each([
    ['86011117947', '86011117947'],
    ['8601 11 17947', '86011117947'],
    ['8601.11.17947', '86011117947'],
    [' 1234 56 78903\n', '12345678903'],
  ])('normalizes %j to %s', (input, expected) => {
    expect(normalizeBankAccount(input)).toBe(expected);
  });

  it.each([
    ['86011117947', '8601 11 17947'],
    ['12345678903', '1234 56 78903'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatBankAccount(input)).toBe(expected);
  });

  it.each(['86011117947', '12345678903', '86011117920'])('round-trips %s through format and normalize', (account) => {
    const formatted = formatBankAccount(account);
    expect(normalizeBankAccount(formatted)).toBe(account);
    expect(isValidBankAccount(formatted)).toBe(true);
  });
});

describe('isValidIban (ISO 13616 MOD 97-10, rules doc §4.4)', () => {
  it.each([
    ['NO9386011117947', 'Norwegian worked example'],
    ['NO93 8601 1117 947', 'grouped in fours'],
    ['no93 8601 1117 947', 'lower case'],
    [' NO9386011117947 ', 'surrounding whitespace'],
    ['NO7112345678903', 'Norwegian, inner account 12345678903'],
    ['GB82WEST12345698765432', 'UK example with letters in the BBAN'],
    ['GB82 WEST 1234 5698 7654 32', 'UK example, grouped'],
    ['DE89370400440532013000', 'German example'],
  ])('accepts %s (%s)', (input) => {
    expect(isValidIban(input)).toBe(true);
  });

  it.each([
    ['NO9486011117947', 'wrong check digits (worked example)'],
    ['NO9386011117948', 'account digit changed'],
    ['NO9386011117974', 'two account digits transposed'],
    // MOD97 is right for these, the inner account fails MOD11 (12345678901) or has the wrong length.
    ['NO2812345678901', 'MOD97 valid but inner account 12345678901 fails MOD11'],
    ['NO37860111179470', 'MOD97 valid but 12-digit inner account'],
    ['NO698601111794', 'MOD97 valid but 10-digit inner account'],
    ['GB82WEST12345698765431', 'UK example with a changed digit'],
    ['DE88370400440532013000', 'German example with wrong check digits'],
    ['9386011117947', 'missing country code'],
    ['N09386011117947', 'digit zero instead of letter O in the country code'],
    ['NOXX86011117947', 'letters as check digits'],
    ['NO93', 'no BBAN'],
    ['', 'empty'],
    ['NO93-8601-1117-947', 'hyphen separators'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidIban(input)).toBe(false);
  });

  it('accepts exactly one pair of check digits for the account 86011117947, namely 93', () => {
    const valid: string[] = [];
    for (let check = 0; check < 100; check++) {
      const digits = String(check).padStart(2, '0');
      if (isValidIban(`NO${digits}86011117947`)) {
        valid.push(digits);
      }
    }
    expect(valid).toEqual(['93']);
  });

  it('rejects a Norwegian IBAN for every check-digit pair when the inner account fails MOD11', () => {
    for (let check = 0; check < 100; check++) {
      const digits = String(check).padStart(2, '0');
      expect(isValidIban(`NO${digits}12345678901`), `NO${digits}12345678901`).toBe(false);
    }
  });
});

describe('normalizeIban', () => {
  it.each([
    ['NO93 8601 1117 947', 'NO9386011117947'],
    ['no93 8601 1117 947', 'NO9386011117947'],
    ['\tgb82 west 1234 5698 7654 32\n', 'GB82WEST12345698765432'],
  ])('normalizes %j to %s', (input, expected) => {
    expect(normalizeIban(input)).toBe(expected);
  });
});

describe('isValidBic', () => {
  it.each([
    ['DNBANOKK', '8 characters'],
    ['DNBANOKKXXX', '11 characters with branch'],
    ['NDEANOKK', '8 characters'],
    ['SPSONO22', 'digits in the location code'],
    ['dnbanokk', 'lower case'],
    ['DNBA NO KK', 'with spaces'],
    ['DEUTDEFF500', 'digits in the branch code'],
  ])('accepts %s (%s)', (input) => {
    expect(isValidBic(input)).toBe(true);
  });

  it.each([
    ['DNBANOK', '7 characters'],
    ['DNBANOKKX', '9 characters'],
    ['DNBANOKKXX', '10 characters'],
    ['DNBANOKKXXXX', '12 characters'],
    ['D1BANOKK', 'digit in the bank code'],
    ['DNBAN0KK', 'digit in the country code'],
    ['DNBA-NO-KK', 'hyphens'],
    ['DNBANOKK_', 'underscore'],
    ['', 'empty'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidBic(input)).toBe(false);
  });
});

describe('isValidPeppolId', () => {
  it.each([
    ['0192:974760673', 'Norwegian org number, ICD 0192'],
    ['0192:923609016', 'Norwegian org number, ICD 0192'],
    [' 0192:974760673 ', 'surrounding whitespace'],
    ['0088:7315458756328', 'GLN with a valid GS1 check digit'],
    ['9930:DE123456789', 'other scheme (no format check)'],
    ['0060:abc-DEF_1.2', 'other scheme with the allowed punctuation'],
  ])('accepts %s (%s)', (input) => {
    expect(isValidPeppolId(input)).toBe(true);
  });

  it.each([
    ['0192:974760672', 'org number with wrong check digit'],
    ['0192:000000000', 'all-zero org number'],
    ['0192:912345670', 'org number with remainder-1 body'],
    ['0192:97476067', '8-digit org number'],
    ['0192:974 760 673', 'spaces inside the value'],
    ['0192:974760673MVA', 'VAT suffix'],
    ['0192:NO974760673MVA', 'VAT number form'],
    ['974760673', 'missing scheme'],
    ['192:974760673', '3-digit scheme'],
    ['01920:974760673', '5-digit scheme'],
    ['0192-974760673', 'hyphen instead of colon'],
    ['0192:', 'empty value'],
    ['iso6523-actorid-upis::0192:974760673', 'with the identifier scheme prefix'],
    [`9930:${'1'.repeat(51)}`, 'value longer than 50 characters'],
    ['0007:a b', 'space in value'],
    ['0088:7315458756324', 'GLN with a wrong check digit'],
    ['9908:974760673', 'retired scheme, not in the Peppol EAS list'],
    ['0007:abc-DEF_1.2', 'Swedish scheme needs a 10-digit organisation number'],
    ['', 'empty'],
  ])('rejects %j (%s)', (input) => {
    expect(isValidPeppolId(input)).toBe(false);
  });

  it('accepts a value of exactly 50 characters for another scheme', () => {
    expect(isValidPeppolId(`9930:${'1'.repeat(50)}`)).toBe(true);
  });
});

describe('peppolIdForOrgNumber', () => {
  it.each([
    ['974760673', '0192:974760673'],
    ['974 760 673', '0192:974760673'],
    ['974 760 673 MVA', '0192:974760673'],
    ['923.609.016', '0192:923609016'],
  ])('builds the PEPPOL id for %j', (input, expected) => {
    const id = peppolIdForOrgNumber(input);
    expect(id).toBe(expected);
    expect(isValidPeppolId(id)).toBe(true);
  });
});
