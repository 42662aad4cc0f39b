/**
 * Matching incoming payments to open invoices, in the order the payments issue sets:
 * 1. a KID that passes its check digit (MOD10 or MOD11), equal to an invoice's KID;
 * 2. an invoice number or a KID written in the payment's free text or references;
 * 3. the amount, with the payer's name or account, among the open invoices.
 * Each match carries its reason and a confidence; only confident ones are booked, the rest wait
 * for review with the suggestions found. Pure and stateful over one file: the open amounts a
 * matcher hands out are taken off, so two payments of one invoice settle it once, and the second
 * one's rest becomes the customer's credit.
 */

export interface OpenInvoiceForMatching {
  id: string;
  documentNumber: string;
  kid: string | null;
  customerId: string;
  customerName: string;
  currency: string;
  openMinor: number;
  dueDate: string | null;
}

export interface IncomingPayment {
  amountMinor: number;
  currency: string;
  kid: string | null;
  kidValid: boolean;
  /** Free text and every creditor reference of the payment. */
  texts: readonly string[];
  payerName: string | null;
  payerAccount: string | null;
}

export type MatchReason = 'kid' | 'kid_without_leading_zeros' | 'reference_in_text' | 'amount_and_payer';

export interface MatchedAllocation {
  invoiceId: string;
  amountMinor: number;
}

export type MatchResult =
  | {
      outcome: 'matched';
      reason: MatchReason;
      /** 0–100. */
      confidence: number;
      customerId: string;
      allocations: MatchedAllocation[];
      /** What no invoice took: the customer's credit. */
      creditMinor: number;
      /** Human-readable explanation in English (the UI translates by reason). */
      explanation: string;
    }
  | {
      outcome: 'review';
      reason: MatchReason | 'no_match' | 'ambiguous';
      confidence: number;
      /** Invoices that may be meant, best first. */
      suggestions: string[];
      explanation: string;
    };

/** Matches at or above this confidence are booked without a person looking. */
export const BOOKING_CONFIDENCE = 80;

const normalizeName = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\b(as|asa|ab|ans|da|enk|nuf|ltd|gmbh)\b/g, ' ')
    .replace(/[^a-z0-9æøå]+/g, ' ')
    .trim();

export function createMatcher(invoices: readonly OpenInvoiceForMatching[], options: { customerAccounts?: ReadonlyMap<string, string> } = {}) {
  // Keyed by the invoice object (identity hashing: no string to hash per invoice).
  const open = new Map<OpenInvoiceForMatching, number>();
  const byKid = new Map<string, OpenInvoiceForMatching>();
  // Open invoices by currency and open amount, for rule 3 (O(1) per payment). Built the first
  // time a payment gets that far (a file of KID payments never does), then kept current.
  let byOpen: Map<string, Set<OpenInvoiceForMatching>> | null = null;
  const openKey = (currency: string, amountMinor: number) => `${currency}:${amountMinor}`;
  const index = (invoice: OpenInvoiceForMatching, amountMinor: number) => {
    if (byOpen === null) return;
    const key = openKey(invoice.currency, amountMinor);
    let set = byOpen.get(key);
    if (!set) byOpen.set(key, (set = new Set()));
    set.add(invoice);
  };
  const openByAmount = () => {
    if (byOpen === null) {
      byOpen = new Map();
      for (const invoice of invoices) {
        const amount = open.get(invoice) ?? 0;
        if (amount > 0) index(invoice, amount);
      }
    }
    return byOpen;
  };
  for (const invoice of invoices) {
    open.set(invoice, invoice.openMinor);
    if (invoice.kid) byKid.set(invoice.kid, invoice);
  }
  // The indexes only some payments need are built when the first one does.
  let byStrippedKid: Map<string, OpenInvoiceForMatching[]> | null = null;
  const strippedKid = (kid: string): OpenInvoiceForMatching[] => {
    if (byStrippedKid === null) {
      byStrippedKid = new Map();
      for (const invoice of invoices) {
        if (!invoice.kid) continue;
        const stripped = invoice.kid.replace(/^0+/, '');
        const list = byStrippedKid.get(stripped);
        if (list) list.push(invoice);
        else byStrippedKid.set(stripped, [invoice]);
      }
    }
    return byStrippedKid.get(kid.replace(/^0+/, '')) ?? [];
  };
  let byNumberIndex: Map<string, OpenInvoiceForMatching> | null = null;
  const byNumber = () => (byNumberIndex ??= new Map(invoices.map((invoice) => [invoice.documentNumber, invoice])));
  let byIdIndex: Map<string, OpenInvoiceForMatching> | null = null;
  const byId = () => (byIdIndex ??= new Map(invoices.map((invoice) => [invoice.id, invoice])));
  const accounts = options.customerAccounts ?? new Map<string, string>();

  const openOf = (invoice: OpenInvoiceForMatching) => open.get(invoice) ?? 0;

  /** Takes the payment off the named invoices in order; the rest is credit. */
  function settle(targets: OpenInvoiceForMatching[], amountMinor: number) {
    const allocations: MatchedAllocation[] = [];
    let left = amountMinor;
    for (const invoice of targets) {
      if (left <= 0) break;
      const take = Math.min(left, openOf(invoice));
      if (take <= 0) continue;
      allocations.push({ invoiceId: invoice.id, amountMinor: take });
      byOpen?.get(openKey(invoice.currency, openOf(invoice)))?.delete(invoice);
      open.set(invoice, openOf(invoice) - take);
      if (openOf(invoice) > 0) index(invoice, openOf(invoice));
      left -= take;
    }
    return { allocations, creditMinor: left };
  }

  function matched(reason: MatchReason, confidence: number, targets: OpenInvoiceForMatching[], payment: IncomingPayment, explanation: string): MatchResult {
    const { allocations, creditMinor } = settle(targets, payment.amountMinor);
    return { outcome: 'matched', reason, confidence, customerId: targets[0]!.customerId, allocations, creditMinor, explanation };
  }

  return {
    /** The open amount the matcher still sees on an invoice (after what it handed out). */
    openMinor(invoiceId: string): number {
      const invoice = byId().get(invoiceId);
      return invoice ? openOf(invoice) : 0;
    },

    match(payment: IncomingPayment): MatchResult {
      if (payment.amountMinor <= 0) {
        return { outcome: 'review', reason: 'no_match', confidence: 0, suggestions: [], explanation: 'Not a positive amount' };
      }
      const sameCurrency = (invoice: OpenInvoiceForMatching) => invoice.currency === payment.currency;

      // 1. KID.
      if (payment.kid && payment.kidValid) {
        const invoice = byKid.get(payment.kid);
        if (invoice && sameCurrency(invoice)) {
          const exact = openOf(invoice) === payment.amountMinor;
          const confidence = exact ? 100 : openOf(invoice) > 0 ? 90 : 85;
          return matched('kid', confidence, [invoice], payment, exact ? 'KID and amount match' : 'KID matches; the amount differs from what is open');
        }
        const candidates = strippedKid(payment.kid).filter(sameCurrency);
        if (candidates.length === 1) {
          // Zero-filled or zero-stripped KID fields: the same number, but not the same string. Flagged.
          return { outcome: 'review', reason: 'kid_without_leading_zeros', confidence: 70, suggestions: [candidates[0]!.id], explanation: 'The KID matches only without its leading zeros' };
        }
      }

      // 2. Invoice numbers or KIDs in the text.
      const found: OpenInvoiceForMatching[] = [];
      for (const text of payment.texts) {
        for (const token of text.match(/[A-Za-z]*-?\d{1,25}/g) ?? []) {
          const invoice = byNumber().get(token) ?? byKid.get(token) ?? (/^\d+$/.test(token) ? byNumber().get(token.replace(/^0+/, '')) : undefined);
          if (invoice && sameCurrency(invoice) && !found.includes(invoice)) found.push(invoice);
        }
      }
      if (found.length > 0) {
        const customers = new Set(found.map((invoice) => invoice.customerId));
        if (customers.size > 1) {
          return { outcome: 'review', reason: 'ambiguous', confidence: 40, suggestions: found.map((invoice) => invoice.id), explanation: 'The text names invoices of several customers' };
        }
        const total = found.reduce((sum, invoice) => sum + openOf(invoice), 0);
        if (total <= 0) {
          return { outcome: 'review', reason: 'reference_in_text', confidence: 50, suggestions: found.map((invoice) => invoice.id), explanation: 'The invoices named in the text are paid already' };
        }
        if (found.length === 1) {
          return matched('reference_in_text', total === payment.amountMinor ? 90 : 80, found, payment, 'The text names the invoice');
        }
        // Several numbers in the text (a date or an order number may look like an invoice number):
        // booked only when the named invoices add up to the payment.
        if (total === payment.amountMinor) return matched('reference_in_text', 90, found, payment, 'The text names these invoices, and they add up to the payment');
        return { outcome: 'review', reason: 'ambiguous', confidence: 50, suggestions: found.map((invoice) => invoice.id), explanation: 'The text names several invoices that do not add up to the payment' };
      }

      // 3. Amount and payer.
      const sameAmount = [...(openByAmount().get(openKey(payment.currency, payment.amountMinor)) ?? [])];
      const accountCustomer = payment.payerAccount ? accounts.get(payment.payerAccount) : undefined;
      const payerName = payment.payerName ? normalizeName(payment.payerName) : '';
      const byPayer = sameAmount.filter(
        (invoice) =>
          (accountCustomer !== undefined && invoice.customerId === accountCustomer) ||
          (payerName.length >= 3 && normalizeName(invoice.customerName) === payerName),
      );
      if (byPayer.length === 1) {
        // One open invoice of this payer with exactly this amount: likely, but a person confirms.
        return { outcome: 'review', reason: 'amount_and_payer', confidence: 60, suggestions: [byPayer[0]!.id], explanation: 'Amount and payer match one open invoice' };
      }
      if (byPayer.length > 1) {
        const ordered = [...byPayer].sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
        return { outcome: 'review', reason: 'ambiguous', confidence: 40, suggestions: ordered.map((invoice) => invoice.id), explanation: 'Several open invoices of this payer have this amount' };
      }
      return {
        outcome: 'review',
        reason: 'no_match',
        confidence: 0,
        suggestions: sameAmount.slice(0, 5).map((invoice) => invoice.id),
        explanation: sameAmount.length > 0 ? 'Only the amount matches' : 'Nothing matches',
      };
    },
  };
}
