import { describe, expect, it } from 'vitest';
import {
  findPeppolIdProblem,
  isPeppolEasCode,
  isValidPeppolId,
  PEPPOL_CHECKED_SCHEMES,
  PEPPOL_EAS_CODES,
  peppolSchemeExample,
} from './peppol-id.js';

describe('PEPPOL_EAS_CODES (the eaid list of PEPPOL-EN16931-UBL.sch 3.0.21, rule CL008)', () => {
  it('has the 82 codes of the list, in its order, each once', () => {
    expect(PEPPOL_EAS_CODES).toHaveLength(82);
    expect(new Set(PEPPOL_EAS_CODES).size).toBe(82);
    expect(PEPPOL_EAS_CODES.slice(0, 5)).toEqual(['0002', '0007', '0009', '0060', '0088']);
    expect(PEPPOL_EAS_CODES.slice(-5)).toEqual(['9951', '9952', '9953', '9957', '9959']);
    expect(PEPPOL_EAS_CODES.every((code) => /^\d{4}$/.test(code))).toBe(true);
  });

  it.each(['0192', '0088', '0007', '0184', '0208', '0209', '9930', '9950', '0248'])('contains %s', (code) => {
    expect(isPeppolEasCode(code)).toBe(true);
  });

  it.each([
    ['9908', 'the retired Norwegian scheme (replaced by 0192)'],
    ['9909', 'retired'],
    ['9958', 'not in Peppol (the official CL008 unit test refuses it)'],
    ['0207', "in EN 16931's EAS list but not Peppol's"],
    ['9999', 'unknown'],
    ['1234', 'unknown'],
  ])('does not contain %s (%s)', (code) => {
    expect(isPeppolEasCode(code)).toBe(false);
  });
});

describe('findPeppolIdProblem: valid ids', () => {
  it.each([
    ['0088:5790000435975', 'GLN, GS1 check digit 5'],
    ['0088:9429041098400', 'GLN from the official PEPPOL-COMMON-R040 unit test'],
    ['0088:7080003435187', 'GLN 708000343518 with its computed check digit 7'],
    ['0192:974760673', 'Norwegian organisation number (Brønnøysundregistrene)'],
    ['0192:923609016', 'Norwegian organisation number (Equinor)'],
    ['0184:12345678', 'Danish CVR, 8 digits'],
    ['0184:DK12345678', 'Danish CVR with DK'],
    ['0096:1234567890', 'Danish P number, 10 digits'],
    ['0198:DK12345678', 'Danish SE number'],
    ['0208:0739484052', 'Belgian enterprise number from the official R043 unit test'],
    ['0208:0202239951', 'Belgian enterprise number 0202.239.951 (97 − 02022399 mod 97 = 51)'],
    ['0007:5560360793', 'Swedish organisation number 556036-0793'],
    ['0007:2021005489', 'Swedish organisation number from the official R049 unit test'],
    ['0151:51824753556', 'Australian Business Number (ATO example)'],
    ['0106:12345678', 'Dutch KVK number, 8 digits'],
    ['9930:DE123456789', 'scheme without a format check'],
    ['0204:04011000-1234512345-06', 'Leitweg-ID (hyphens)'],
    ['0060:abc-DEF_1.2', 'other scheme with the allowed punctuation'],
    [' 0192:974760673 ', 'surrounding whitespace'],
  ])('accepts %j (%s)', (input) => {
    expect(findPeppolIdProblem(input)).toBeNull();
    expect(isValidPeppolId(input)).toBe(true);
  });

  it('accepts a value of exactly 50 characters for a scheme without a format check', () => {
    expect(isValidPeppolId(`9930:${'A'.repeat(50)}`)).toBe(true);
  });

  it('gives a valid example for every checked scheme', () => {
    expect(PEPPOL_CHECKED_SCHEMES).toEqual(['0088', '0192', '0184', '0096', '0198', '0208', '0007', '0151', '0106']);
    for (const scheme of PEPPOL_CHECKED_SCHEMES) {
      expect(findPeppolIdProblem(`${scheme}:${peppolSchemeExample(scheme)}`), scheme).toBeNull();
    }
    expect(peppolSchemeExample('9930')).toBeNull();
  });
});

describe('findPeppolIdProblem: wrong check digit (peppol_id.check_digit)', () => {
  it.each([
    ['0088:9429041098401', '0088', 'PEPPOL-COMMON-R040'],
    ['0088:7080003435183', '0088', 'PEPPOL-COMMON-R040'],
    ['0088:5790000435976', '0088', 'PEPPOL-COMMON-R040'],
    ['0192:974760672', '0192', 'PEPPOL-COMMON-R041'],
    ['0192:000000000', '0192', 'PEPPOL-COMMON-R041'],
    ['0192:912345670', '0192', 'PEPPOL-COMMON-R041'],
    ['0208:0739484059', '0208', 'PEPPOL-COMMON-R043'],
    ['0007:2021005480', '0007', 'PEPPOL-COMMON-R049'],
    ['0007:5560360794', '0007', 'PEPPOL-COMMON-R049'],
    ['0151:51824753550', '0151', 'PEPPOL-COMMON-R050'],
  ])('refuses %s', (input, scheme, rule) => {
    expect(findPeppolIdProblem(input)).toMatchObject({ code: 'peppol_id.check_digit', scheme, rule });
    expect(isValidPeppolId(input)).toBe(false);
  });

  it('names the number and the scheme', () => {
    expect(findPeppolIdProblem('0192:974760672')).toEqual({
      code: 'peppol_id.check_digit',
      scheme: '0192',
      example: '974760673',
      rule: 'PEPPOL-COMMON-R041',
      message: '974760672 is not a valid Norwegian organisation number (0192): the check digit is wrong',
    });
  });
});

describe("findPeppolIdProblem: value not in the scheme's format (peppol_id.value_format)", () => {
  it.each([
    ['0088:123', '0088'],
    ['0088:57900004359750', '0088'],
    ['0088:579000043597A', '0088'],
    ['0192:97476067', '0192'],
    ['0192:9747606730', '0192'],
    ['0192:974 760 673', '0192'],
    ['0192:974760673MVA', '0192'],
    ['0192:NO974760673MVA', '0192'],
    ['0192:', '0192'],
    ['0184:1234567', '0184'],
    ['0184:DK1234567', '0184'],
    ['0184:dk12345678', '0184'],
    ['0096:123456789', '0096'],
    ['0198:12345678', '0198'],
    ['0208:07399999484052', '0208'],
    ['0208:ABC', '0208'],
    ['0007:556622-1100', '0007'],
    ['0007:SE5566221100', '0007'],
    ['0151:ERR51824753556', '0151'],
    ['0106:1234567', '0106'],
  ])('refuses %j', (input, scheme) => {
    expect(findPeppolIdProblem(input)).toMatchObject({ code: 'peppol_id.value_format', scheme });
    expect(isValidPeppolId(input)).toBe(false);
  });

  it('says what the scheme needs, with an example', () => {
    expect(findPeppolIdProblem('0192:97476067')).toEqual({
      code: 'peppol_id.value_format',
      scheme: '0192',
      example: '974760673',
      rule: 'PEPPOL-COMMON-R041',
      message: '0192 (Norwegian organisation number) needs 9 digits, e.g. 0192:974760673',
    });
    expect(findPeppolIdProblem('0184:1234567')?.message).toBe(
      '0184 (Danish CVR number) needs 8 digits, or DK and 8 digits, e.g. 0184:DK12345678',
    );
  });
});

describe('findPeppolIdProblem: scheme not in the EAS list (peppol_id.unknown_scheme)', () => {
  it.each(['9999:123456785', '9908:974760673', '0207:1234567890', '9958:12345678', '1234:abc'])('refuses %s', (input) => {
    expect(findPeppolIdProblem(input)).toMatchObject({ code: 'peppol_id.unknown_scheme', scheme: input.slice(0, 4), rule: 'PEPPOL-EN16931-CL008' });
    expect(isValidPeppolId(input)).toBe(false);
  });

  it('names the scheme', () => {
    expect(findPeppolIdProblem('9999:123456785')).toEqual({
      code: 'peppol_id.unknown_scheme',
      scheme: '9999',
      example: null,
      rule: 'PEPPOL-EN16931-CL008',
      message: '9999 is not a Peppol address scheme (EAS); a Norwegian organisation number is 0192:<org number>',
    });
  });
});

describe('findPeppolIdProblem: not scheme:value (peppol_id.format)', () => {
  it.each([
    ['974760673', 'missing scheme', null],
    ['192:974760673', '3-digit scheme', null],
    ['01920:974760673', '5-digit scheme', null],
    ['0192-974760673', 'hyphen instead of colon', null],
    ['iso6523-actorid-upis::0192:974760673', 'with the identifier scheme prefix', null],
    ['', 'empty', null],
    ['9930:', 'empty value', '9930'],
    ['9930:a b', 'space in value', '9930'],
    ['9930:æøå', 'letters outside A–Z', '9930'],
    [`9930:${'A'.repeat(51)}`, 'value longer than 50 characters', '9930'],
  ])('refuses %j (%s)', (input, _why, scheme) => {
    expect(findPeppolIdProblem(input)).toMatchObject({ code: 'peppol_id.format', scheme, example: null });
    expect(isValidPeppolId(input)).toBe(false);
  });

  it('explains the shape', () => {
    expect(findPeppolIdProblem('974760673')).toEqual({
      code: 'peppol_id.format',
      scheme: null,
      example: null,
      rule: null,
      message: 'Not a PEPPOL participant id: write scheme:value with a 4-digit scheme, e.g. 0192:974760673',
    });
    expect(findPeppolIdProblem('9930:a b')?.message).toBe("The value after 9930: must be 1 to 50 letters, digits, '.', '-' or '_'");
  });
});
