import { type CalendarDate, dayOfMonth, lastDayOfPreviousMonth } from '../calendar-date.js';
import type { FieldIssue } from '../errors.js';
import { isValidOrgNumber } from '../norwegian-identifiers.js';
import { findVatCode } from '../vat.js';

/**
 * Mandatory content of a sales document before it may be issued
 * (bokføringsforskriften §§ 5-1-1, 5-1-2, 5-1-3; foretaksregisterloven § 10-2;
 * mval § 15-10; see shared/docs/norway-invoicing-rules.md §1). Returns every
 * missing item at once, each with a stable code and the field it belongs to.
 */

export interface LegalCheckInput {
  kind: 'invoice' | 'credit_note';
  today: CalendarDate;
  seller: {
    legalName: string;
    orgNumber: string;
    isVatRegistered: boolean;
    bankAccount: string | null;
    iban: string | null;
  };
  buyer: {
    name: string;
    kind: 'business' | 'person';
    orgNumber: string | null;
    addressLine1: string | null;
    postalCode: string | null;
    city: string | null;
    countryCode: string;
  } | null;
  issueDate: CalendarDate | null;
  deliveryDate: CalendarDate | null;
  deliveryPeriodStart: CalendarDate | null;
  deliveryPeriodEnd: CalendarDate | null;
  dueDate: CalendarDate | null;
  currency: string;
  exchangeRateMicros: number | null;
  lines: ReadonlyArray<{
    description: string | null;
    quantityMicros: number;
    unitPriceMicros: number | null;
    vatCode: string | null;
    /** The line's net, and the VAT code it is taxed under (code 6 for a seller outside the VAT register). */
    netMinor?: number;
    vatGroup?: string;
  }>;
  /** Document-level allowances and charges; amountMinor positive when well formed. */
  allowanceCharges?: ReadonlyArray<{
    type?: 'allowance' | 'charge';
    reason: string | null;
    amountMinor: number;
    vatCode?: string;
    vatGroup?: string;
  }>;
  grossTotalMinor: number;
  /**
   * The document goes out as EHF (the customer's channel): Peppol BIS needs the buyer's
   * reference or an order reference (PEPPOL-EN16931-R003), so it is asked for before issue.
   */
  sentAsEhf?: boolean;
  buyerReference?: string | null;
  orderReference?: string | null;
  creditedInvoice?: { number: string; issueDate: CalendarDate } | null;
}

/** The earliest documentation date allowed today (bff § 5-1-3 (3): in the first 15 days, the previous month's last day). */
export function earliestIssueDate(today: CalendarDate): CalendarDate {
  return dayOfMonth(today) <= 15 ? lastDayOfPreviousMonth(today) : today;
}

export function checkMandatoryContent(input: LegalCheckInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });

  // Seller: name and organisation number (bff § 5-1-2); payment details to pay to.
  if (!input.seller.legalName.trim()) add('seller.legalName', 'seller.name_missing', "The seller's name is missing");
  if (!isValidOrgNumber(input.seller.orgNumber)) {
    add('seller.orgNumber', 'seller.org_number_missing', "The seller's organisation number is missing or invalid");
  }
  if (input.kind === 'invoice' && !input.seller.bankAccount && !input.seller.iban) {
    add('seller.bankAccount', 'seller.bank_account_missing', 'The company has no bank account to pay to');
  }

  // Buyer: name and address, or organisation number (bff § 5-1-2).
  if (!input.buyer) {
    add('customerId', 'buyer.missing', 'Choose a customer');
  } else {
    if (!input.buyer.name.trim()) add('buyer.name', 'buyer.name_missing', "The buyer's name is missing");
    const hasAddress = Boolean(input.buyer.addressLine1 && input.buyer.postalCode && input.buyer.city);
    const hasOrgNumber = Boolean(input.buyer.orgNumber);
    if (!hasAddress && !hasOrgNumber) {
      add('buyer.address', 'buyer.address_missing', "The buyer's address (street, postal code and city) or organisation number is missing");
    }
  }

  // Dates: documentation date not in the future and not backdated beyond bff § 5-1-3 (3).
  if (input.issueDate) {
    if (input.issueDate > input.today) {
      add('issueDate', 'issue_date.in_future', 'The invoice date cannot be in the future');
    } else if (input.issueDate < input.today && input.issueDate !== earliestIssueDate(input.today)) {
      // Only today, or (in the first 15 days) exactly the last day of the previous month: not any day in between.
      add('issueDate', 'issue_date.too_early', 'The invoice date can only be today, or the last day of the previous month during the first 15 days');
    }
  }
  // Time of delivery (bff § 5-1-1 nr. 4).
  const hasPeriod = Boolean(input.deliveryPeriodStart && input.deliveryPeriodEnd);
  if (!input.deliveryDate && !hasPeriod) {
    add('deliveryDate', 'delivery_date.missing', 'State the delivery date or the delivery period');
  }
  if (hasPeriod && input.deliveryPeriodStart! > input.deliveryPeriodEnd!) {
    add('deliveryPeriod', 'delivery_period.reversed', 'The delivery period ends before it starts');
  }
  // A backdated documentation date requires that delivery had happened by then (bff § 5-1-3 (3)).
  const deliveredBy = input.deliveryDate ?? (hasPeriod ? input.deliveryPeriodEnd : null);
  if (input.issueDate && input.issueDate < input.today && deliveredBy && deliveredBy > input.issueDate) {
    add('issueDate', 'issue_date.before_delivery', 'A backdated invoice date needs the delivery to have happened by that date');
  }
  // Due date (bff § 5-1-1 nr. 5).
  if (input.kind === 'invoice') {
    if (!input.dueDate) {
      add('dueDate', 'due_date.missing', 'The due date is missing');
    } else if (input.dueDate < (input.issueDate ?? input.today)) {
      add('dueDate', 'due_date.before_issue_date', 'The due date is before the invoice date');
    }
  }

  // Currency: VAT must also be stated in NOK, so a foreign currency needs its rate.
  if (input.currency !== 'NOK' && !(input.exchangeRateMicros && input.exchangeRateMicros > 0)) {
    add('exchangeRate', 'exchange_rate.missing', 'A foreign-currency invoice needs the exchange rate to NOK');
  }

  // Nature and extent of the supply, price, VAT (bff § 5-1-1 nr. 3, 5, 6).
  if (input.lines.length === 0) {
    add('lines', 'lines.missing', 'Add at least one line');
  }
  let reverseChargeReported = false;
  const reverseCharge = () => {
    // Reverse charge: the buyer computes the VAT and must be identified (mval § 11-1). One issue, however many lines.
    if (reverseChargeReported || !input.seller.isVatRegistered || input.buyer?.orgNumber) return;
    reverseChargeReported = true;
    add('buyer.orgNumber', 'buyer.org_number_required', "Reverse charge needs the buyer's organisation number");
  };
  input.lines.forEach((line, index) => {
    if (!line.description?.trim()) add(`lines.${index}.description`, 'line.description_missing', 'Describe what is sold');
    if (line.quantityMicros === 0) add(`lines.${index}.quantity`, 'line.quantity_missing', 'The quantity is missing');
    if (line.unitPriceMicros === null) add(`lines.${index}.unitPrice`, 'line.price_missing', 'The price is missing');
    if (!line.vatCode || !findVatCode(line.vatCode)) {
      add(`lines.${index}.vatCode`, 'line.vat_code_missing', 'Choose a VAT code');
    } else if (line.vatCode === '51') {
      reverseCharge();
    }
  });

  // What is left taxable per VAT code after the document-level allowances: an allowance may lower
  // its code's items, never take the code below zero (a discount on 15 % goods must not reduce 25 % VAT).
  const allowanceCharges = input.allowanceCharges ?? [];
  const groupOf = (entry: { vatGroup?: string | undefined; vatCode?: string | null | undefined }) => entry.vatGroup ?? entry.vatCode ?? '';
  const taxableAfter = new Map<string, number>();
  for (const line of input.lines) taxableAfter.set(groupOf(line), (taxableAfter.get(groupOf(line)) ?? 0) + (line.netMinor ?? 0));
  for (const entry of allowanceCharges) {
    if (entry.amountMinor <= 0) continue;
    const signed = entry.type === 'charge' ? entry.amountMinor : -entry.amountMinor;
    taxableAfter.set(groupOf(entry), (taxableAfter.get(groupOf(entry)) ?? 0) + signed);
  }
  allowanceCharges.forEach((entry, index) => {
    if (!entry.reason?.trim()) add(`allowanceCharges.${index}.reason`, 'allowance_charge.reason_missing', 'Say what the allowance or charge is for');
    if (entry.amountMinor <= 0) {
      // A percentage of items that sum to zero or less in that VAT code.
      add(`allowanceCharges.${index}.amount`, 'allowance_charge.not_positive', 'The amount must be above zero');
    } else if (entry.type !== 'charge' && (taxableAfter.get(groupOf(entry)) ?? 0) < 0) {
      add(
        `allowanceCharges.${index}.amount`,
        'allowance_charge.exceeds_base',
        'The allowances exceed the lines with the same VAT code; give the allowance the VAT code of the lines it lowers',
      );
    }
    if (entry.vatCode === '51') reverseCharge();
  });
  if (input.sentAsEhf && !input.buyerReference?.trim() && !input.orderReference?.trim()) {
    add('buyerReference', 'buyer_reference.required_for_ehf', "The customer receives EHF, which needs the buyer's reference or an order reference");
  }

  if (input.kind === 'invoice' && input.lines.length > 0 && input.grossTotalMinor < 0) {
    add('lines', 'total.negative', 'The total is negative: issue a credit note instead');
  }
  if (input.kind === 'credit_note' && !input.creditedInvoice) {
    add('creditedInvoice', 'credited_invoice.missing', 'A credit note must refer to the invoice it credits');
  }
  return issues;
}
