/**
 * Checksums for Norwegian identifiers (see shared/docs/norway-invoicing-rules.md §4).
 * Pure functions; inputs may contain spaces, which are ignored.
 */

function digitsOnly(value: string): string {
  return value.replace(/[\s.]/g, '');
}

/**
 * Weighted MOD11 check digit. Returns the digit 0-9, or `undefined` when the
 * remainder gives 10 (no valid number exists with that body).
 */
function mod11CheckDigit(body: string, weights: readonly number[]): number | undefined {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[i]) * weights[i]!;
  }
  const remainder = sum % 11;
  if (remainder === 0) {
    return 0;
  }
  const check = 11 - remainder;
  return check === 10 ? undefined : check;
}

const ORG_NUMBER_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;
const ACCOUNT_NUMBER_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Strips spaces and an optional trailing `MVA` from an organisation number. */
export function normalizeOrgNumber(value: string): string {
  return digitsOnly(value).replace(/MVA$/i, '');
}

/**
 * Organisation number (Brønnøysundregistrene): 9 digits, MOD11 with weights
 * 3,2,7,6,5,4,3,2; remainder 1 makes the number invalid.
 *
 * @example isValidOrgNumber('974 760 673') // true
 */
export function isValidOrgNumber(value: string): boolean {
  const digits = normalizeOrgNumber(value);
  if (!/^\d{9}$/.test(digits) || digits === '000000000') {
    return false;
  }
  return mod11CheckDigit(digits.slice(0, 8), ORG_NUMBER_WEIGHTS) === Number(digits[8]);
}

/** Formats `974760673` as `974 760 673`. */
export function formatOrgNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

export function normalizeBankAccount(value: string): string {
  return digitsOnly(value);
}

/**
 * Norwegian bank account number: 11 digits, MOD11 with weights 5,4,3,2,7,6,5,4,3,2.
 *
 * @example isValidBankAccount('8601 11 17947') // true
 */
export function isValidBankAccount(value: string): boolean {
  const digits = normalizeBankAccount(value);
  if (!/^\d{11}$/.test(digits)) {
    return false;
  }
  return mod11CheckDigit(digits.slice(0, 10), ACCOUNT_NUMBER_WEIGHTS) === Number(digits[10]);
}

/** Formats `86011117947` as `8601 11 17947`. */
export function formatBankAccount(digits: string): string {
  return `${digits.slice(0, 4)} ${digits.slice(4, 6)} ${digits.slice(6)}`;
}

export function normalizeIban(value: string): string {
  return value.replace(/\s/g, '').toUpperCase();
}

/**
 * IBAN, ISO 13616 MOD 97-10. A Norwegian IBAN (NO + 2 + 11 digits) must also
 * carry a valid Norwegian account number.
 *
 * @example isValidIban('NO93 8601 1117 947') // true
 */
export function isValidIban(value: string): boolean {
  const iban = normalizeIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) {
    return false;
  }
  if (iban.startsWith('NO') && (iban.length !== 15 || !isValidBankAccount(iban.slice(4)))) {
    return false;
  }
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) {
      remainder = (remainder * 10 + Number(digit)) % 97;
    }
  }
  return remainder === 1;
}

/** BIC / SWIFT code: 8 or 11 characters. */
export function isValidBic(value: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value.replace(/\s/g, '').toUpperCase());
}

/**
 * PEPPOL participant identifier as `scheme:value`, checked against Peppol's
 * address schemes and the schemes' formats (see `peppol-id.ts`).
 */
export { isValidPeppolId } from './peppol-id.js';

/** The PEPPOL id a Norwegian organisation gets by default: `0192:<org number>`. */
export function peppolIdForOrgNumber(orgNumber: string): string {
  return `0192:${normalizeOrgNumber(orgNumber)}`;
}
