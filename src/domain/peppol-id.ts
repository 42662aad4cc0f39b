/**
 * PEPPOL participant identifiers (`scheme:value`, e.g. `0192:974760673`) checked the
 * way the Peppol BIS Billing 3.0 validator checks an EndpointID
 * (shared/conformance/ehf/rules/sch/PEPPOL-EN16931-UBL.sch, release 3.0.21):
 *
 * - the scheme must be in Peppol's Electronic Address Scheme list (`eaid`, rule
 *   PEPPOL-EN16931-CL008, fatal);
 * - for some schemes the value has a fixed format and check digit
 *   (PEPPOL-COMMON-R040 … R054). The check functions mirror the schematron's
 *   `u:gln`, `u:mod11`, `u:mod97-0208`, `u:checkSEOrgnr` and `u:abn`.
 *
 * Pure; no other module of `src/` is needed, so `norwegian-identifiers.ts` can
 * re-export `isValidPeppolId` from here without an import cycle.
 */

/**
 * Peppol's Electronic Address Scheme (EAS) codes: exactly the `eaid` list of
 * PEPPOL-EN16931-UBL.sch 3.0.21 (rule PEPPOL-EN16931-CL008). Retired codes such
 * as 9908 (the old Norwegian scheme; 0192 replaced it) are not in it.
 */
export const PEPPOL_EAS_CODES: readonly string[] = Object.freeze(
  (
    '0002 0007 0009 0060 0088 0096 0097 0106 0130 0135 0142 0151 0183 0184 0188 0190 0191 0192 0195 0196 ' +
    '0198 0199 0200 0201 0204 0208 0209 0210 0211 0216 0218 0221 0225 0230 0235 0240 0242 0244 0245 0246 ' +
    '0248 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 ' +
    '9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 ' +
    '9957 9959'
  ).split(' '),
);

const EAS_SET: ReadonlySet<string> = new Set(PEPPOL_EAS_CODES);

export function isPeppolEasCode(scheme: string): boolean {
  return EAS_SET.has(scheme);
}

/** Why a PEPPOL id is refused; the code is the field issue code the API answers with. */
export type PeppolIdProblemCode =
  /** Not `scheme:value` (4-digit scheme, colon, 1–50 of A–Z a–z 0–9 . - _). */
  | 'peppol_id.format'
  /** The scheme is not in Peppol's EAS list (PEPPOL-EN16931-CL008). */
  | 'peppol_id.unknown_scheme'
  /** The value does not have the scheme's format, e.g. 0192 without 9 digits. */
  | 'peppol_id.value_format'
  /** The value has the scheme's format but a wrong check digit. */
  | 'peppol_id.check_digit';

export interface PeppolIdProblem {
  code: PeppolIdProblemCode;
  /** The scheme as written, when the id has a 4-digit scheme before the colon. */
  scheme: string | null;
  /** A valid value for the scheme (for value_format / check_digit), e.g. `974760673`. */
  example: string | null;
  /** The validator's rule that would refuse it in an EHF EndpointID, when there is one. */
  rule: string | null;
  /** English sentence naming the problem. */
  message: string;
}

interface SchemeFormat {
  /** What the scheme identifies, in English. */
  name: string;
  /** The value's shape, in English, for messages. */
  shape: string;
  pattern: RegExp;
  checkDigit?: (value: string) => boolean;
  rule: string;
  example: string;
}

/** Weighted sum over the digits of `body` read from the right, weight chosen by position (0 = rightmost). */
function weightedFromRight(body: string, weight: (position: number) => number): number {
  let sum = 0;
  for (let position = 0; position < body.length; position++) {
    sum += Number(body[body.length - 1 - position]) * weight(position);
  }
  return sum;
}

/** GS1 check digit (`u:gln`): weights 3,1,3,… from the right of the body; (10 − sum mod 10) mod 10. */
function gs1CheckDigitOk(value: string): boolean {
  const sum = weightedFromRight(value.slice(0, -1), (position) => (position % 2 === 0 ? 3 : 1));
  return (10 - (sum % 10)) % 10 === Number(value.slice(-1));
}

/** Norwegian organisation number (`u:mod11`): weights 2–7 cycling from the right, (11 − r) mod 11, value > 0. */
function mod11CheckDigitOk(value: string): boolean {
  const sum = weightedFromRight(value.slice(0, -1), (position) => (position % 6) + 2);
  return Number(value) > 0 && (11 - (sum % 11)) % 11 === Number(value.slice(-1));
}

/** Belgian enterprise number (`u:mod97-0208`): the last two digits are 97 − (first eight mod 97). */
function mod97CheckDigitsOk(value: string): boolean {
  return Number(value.slice(8, 10)) === 97 - (Number(value.slice(0, 8)) % 97);
}

/** Swedish organisation number (`u:checkSEOrgnr`): Luhn over the first nine digits, the tenth is the check digit. */
function luhnCheckDigitOk(value: string): boolean {
  const body = value.slice(0, 9);
  let sum = 0;
  for (let position = 0; position < body.length; position++) {
    const digit = Number(body[body.length - 1 - position]);
    const weighted = position % 2 === 0 ? digit * 2 : digit;
    sum += (weighted % 10) + Math.floor(weighted / 10);
  }
  return (10 - (sum % 10)) % 10 === Number(value[9]);
}

/** Australian Business Number (`u:abn`): first digit minus 1, weights 10,1,3,5,…,19, sum divisible by 89. */
function abnCheckOk(value: string): boolean {
  const weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    sum += (Number(value[i]) - (i === 0 ? 1 : 0)) * weights[i]!;
  }
  return sum % 89 === 0;
}

/**
 * Schemes whose value the validator checks. All fatal in 3.0.21 except 0106
 * (PEPPOL-COMMON-R054 is a warning there); a KVK number is 8 digits, so it is
 * refused here too.
 */
const SCHEME_FORMATS: Readonly<Record<string, SchemeFormat>> = {
  '0088': { name: 'GLN', shape: '13 digits', pattern: /^\d{13}$/, checkDigit: gs1CheckDigitOk, rule: 'PEPPOL-COMMON-R040', example: '5790000435975' },
  '0192': { name: 'Norwegian organisation number', shape: '9 digits', pattern: /^\d{9}$/, checkDigit: mod11CheckDigitOk, rule: 'PEPPOL-COMMON-R041', example: '974760673' },
  '0184': { name: 'Danish CVR number', shape: '8 digits, or DK and 8 digits', pattern: /^(?:DK)?\d{8}$/, rule: 'PEPPOL-COMMON-R042', example: 'DK12345678' },
  '0096': { name: 'Danish P number', shape: '10 digits', pattern: /^\d{10}$/, rule: 'PEPPOL-COMMON-R052', example: '1234567890' },
  '0198': { name: 'Danish SE number', shape: 'DK and 8 digits', pattern: /^DK\d{8}$/, rule: 'PEPPOL-COMMON-R053', example: 'DK12345678' },
  '0208': { name: 'Belgian enterprise number', shape: '10 digits', pattern: /^\d{10}$/, checkDigit: mod97CheckDigitsOk, rule: 'PEPPOL-COMMON-R043', example: '0739484052' },
  '0007': { name: 'Swedish organisation number', shape: '10 digits', pattern: /^\d{10}$/, checkDigit: luhnCheckDigitOk, rule: 'PEPPOL-COMMON-R049', example: '5560360793' },
  '0151': { name: 'Australian Business Number', shape: '11 digits', pattern: /^\d{11}$/, checkDigit: abnCheckOk, rule: 'PEPPOL-COMMON-R050', example: '51824753556' },
  '0106': { name: 'Dutch KVK number', shape: '8 digits', pattern: /^\d{8}$/, rule: 'PEPPOL-COMMON-R054', example: '12345678' },
};

/** The schemes whose value has a checked format, e.g. `['0088', '0192', …]`. */
export const PEPPOL_CHECKED_SCHEMES: readonly string[] = Object.freeze(Object.keys(SCHEME_FORMATS));

/** A valid value for a checked scheme (`0192` → `974760673`), or null for a scheme without a format check. */
export function peppolSchemeExample(scheme: string): string | null {
  return SCHEME_FORMATS[scheme]?.example ?? null;
}

const SHAPE = /^(\d{4}):(.*)$/s;
const VALUE = /^[A-Za-z0-9._-]{1,50}$/;

/**
 * Why `value` is not a PEPPOL id Peppol would accept as an EndpointID, or null
 * when it is one. Surrounding whitespace is ignored.
 *
 * @example findPeppolIdProblem('0192:974760673') // null
 * @example findPeppolIdProblem('9999:123').code // 'peppol_id.unknown_scheme'
 * @example findPeppolIdProblem('0192:974760672').code // 'peppol_id.check_digit'
 */
export function findPeppolIdProblem(value: string): PeppolIdProblem | null {
  const match = SHAPE.exec(value.trim());
  if (!match) {
    return {
      code: 'peppol_id.format',
      scheme: null,
      example: null,
      rule: null,
      message: 'Not a PEPPOL participant id: write scheme:value with a 4-digit scheme, e.g. 0192:974760673',
    };
  }
  const scheme = match[1]!;
  const id = match[2]!;
  if (!EAS_SET.has(scheme)) {
    return {
      code: 'peppol_id.unknown_scheme',
      scheme,
      example: null,
      rule: 'PEPPOL-EN16931-CL008',
      message: `${scheme} is not a Peppol address scheme (EAS); a Norwegian organisation number is 0192:<org number>`,
    };
  }
  const format = SCHEME_FORMATS[scheme];
  if (format) {
    if (!format.pattern.test(id)) {
      return {
        code: 'peppol_id.value_format',
        scheme,
        example: format.example,
        rule: format.rule,
        message: `${scheme} (${format.name}) needs ${format.shape}, e.g. ${scheme}:${format.example}`,
      };
    }
    if (format.checkDigit && !format.checkDigit(id)) {
      return {
        code: 'peppol_id.check_digit',
        scheme,
        example: format.example,
        rule: format.rule,
        message: `${id} is not a valid ${format.name} (${scheme}): the check digit is wrong`,
      };
    }
    return null;
  }
  if (!VALUE.test(id)) {
    return {
      code: 'peppol_id.format',
      scheme,
      example: null,
      rule: null,
      message: `The value after ${scheme}: must be 1 to 50 letters, digits, '.', '-' or '_'`,
    };
  }
  return null;
}

/**
 * PEPPOL participant id as `scheme:value` that Peppol accepts as an EndpointID:
 * scheme in the EAS list, value in the scheme's format with a valid check digit.
 *
 * @example isValidPeppolId('0192:974760673') // true
 * @example isValidPeppolId('9908:974760673') // false (retired scheme)
 */
export function isValidPeppolId(value: string): boolean {
  return findPeppolIdProblem(value) === null;
}
