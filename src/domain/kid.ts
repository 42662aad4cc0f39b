/**
 * KID (kundeidentifikasjonsnummer) for payments: digits with a MOD10 (Luhn) or
 * MOD11 check digit (shared/docs/norway-invoicing-rules.md §4.1). Length 4–25.
 */

export type KidMethod = 'mod10' | 'mod11';
export type KidComposition = 'invoice_number' | 'customer_and_invoice';

export interface KidSettings {
  method: KidMethod;
  composition: KidComposition;
  /** Digits for the customer number part (zero-padded), with `customer_and_invoice`. */
  customerDigits: number;
  /** Digits for the invoice number part (zero-padded). */
  invoiceDigits: number;
}

export const DEFAULT_KID_SETTINGS: KidSettings = {
  method: 'mod10',
  composition: 'customer_and_invoice',
  customerDigits: 6,
  invoiceDigits: 8,
};

/** Luhn: weights 2,1,2,1… from the right; the digit sums of the products. */
export function mod10CheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    const product = digit * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

/** MOD11: weights 2..7 repeating from the right; remainder 0 → 0, check 10 → "-". */
export function mod11CheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[body.length - 1 - i]) * (2 + (i % 6));
  }
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  const check = 11 - remainder;
  return check === 10 ? '-' : String(check);
}

export function isValidKid(kid: string, method?: KidMethod): boolean {
  if (!/^\d{3,24}[\d-]$/.test(kid) || kid.length < 4 || kid.length > 25) return false;
  const body = kid.slice(0, -1);
  const check = kid.slice(-1);
  const mod10 = check !== '-' && mod10CheckDigit(body) === check;
  const mod11 = mod11CheckDigit(body) === check;
  if (method === 'mod10') return mod10;
  if (method === 'mod11') return mod11;
  return mod10 || mod11;
}

export class KidTooLongError extends Error {}

/**
 * Builds the KID for an invoice from its parts, zero-padded to the configured
 * widths, plus the check digit.
 *
 * @example createKid({ method: 'mod10', composition: 'invoice_number', customerDigits: 0, invoiceDigits: 6 }, { customerNumber: 7, invoiceNumber: 1234 }) // '0012344'
 */
export function createKid(settings: KidSettings, parts: { customerNumber: number; invoiceNumber: number }): string {
  const invoicePart = String(parts.invoiceNumber).padStart(settings.invoiceDigits, '0');
  const customerPart =
    settings.composition === 'customer_and_invoice'
      ? String(parts.customerNumber).padStart(settings.customerDigits, '0')
      : '';
  if (
    invoicePart.length > settings.invoiceDigits ||
    (settings.composition === 'customer_and_invoice' && customerPart.length > settings.customerDigits)
  ) {
    throw new KidTooLongError('The number does not fit the KID widths set for the company');
  }
  const body = customerPart + invoicePart;
  if (!/^\d+$/.test(body) || body.length + 1 < 4 || body.length + 1 > 25) {
    throw new KidTooLongError('A KID has 4 to 25 digits; check the KID settings');
  }
  const check = settings.method === 'mod10' ? mod10CheckDigit(body) : mod11CheckDigit(body);
  return body + check;
}

/** Total KID length the settings produce (must be 4–25). */
export function kidLength(settings: KidSettings): number {
  return (settings.composition === 'customer_and_invoice' ? settings.customerDigits : 0) + settings.invoiceDigits + 1;
}
