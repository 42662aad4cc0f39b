/**
 * Matching a bank reversal of an incoming payment (camt: a DBIT entry with RvslInd=true, a
 * reversed credit; Nets OCR giro: transaction types 18 and 20) to the booked payment it takes
 * back. In order:
 * 1. the same bank reference (or end-to-end id) as the payment: certain;
 * 2. the same KID and the same amount: confident when exactly one payment has them, else review
 *    with the candidates;
 * 3. the same amount and the same payer account: a suggestion for review;
 * 4. otherwise only the amount: review, with the payments of that amount as suggestions.
 * A reversal takes back a whole payment, so an automatic match always needs the same currency and
 * amount; a payment dated after the reversal is never a candidate. Pure and stateful over one
 * file: a payment a match hands out is not handed out again. Explanations are English (the UI
 * translates by reason), like the payment matcher's.
 */

export interface ReversalForMatching {
  /** The money the bank takes back: positive minor units (the file's amount is negative). */
  amountMinor: number;
  currency: string;
  kid: string | null;
  kidValid: boolean;
  bankReference: string | null;
  endToEndId: string | null;
  /** Free text and creditor references. */
  texts: readonly string[];
  payerAccount: string | null;
  /** Value date, else booking date; null when the file has none. */
  date: string | null;
}

export interface PaymentForReversal {
  id: string;
  amountMinor: number;
  currency: string;
  /** The payment's reference: the KID it came with (else its first text). */
  reference: string | null;
  bankReference: string | null;
  /** When known (not stored for every payment). */
  endToEndId?: string | null;
  payerAccount: string | null;
  paymentDate: string;
  customerId: string | null;
}

export type ReversalMatchReason = 'bank_reference' | 'kid' | 'reference_in_text' | 'amount_and_payer';

export type ReversalMatchResult =
  | {
      outcome: 'matched';
      reason: ReversalMatchReason;
      /** 0–100. */
      confidence: number;
      paymentId: string;
      explanation: string;
    }
  | {
      outcome: 'review';
      reason: ReversalMatchReason | 'no_match' | 'ambiguous' | 'amount_differs';
      confidence: number;
      /** Payment ids that may be meant, best first. */
      suggestions: string[];
      explanation: string;
    };

/** Matches at or above this confidence reverse the payment without a person looking (as for payments). */
export const REVERSAL_CONFIDENCE = 80;

const MAX_SUGGESTIONS = 5;

/** Newest payment first (the one a reversal most likely takes back); on the same day the later id (ids are time-ordered). */
const newestFirst = (a: PaymentForReversal, b: PaymentForReversal) => b.paymentDate.localeCompare(a.paymentDate) || b.id.localeCompare(a.id);

export function createReversalMatcher(candidates: readonly PaymentForReversal[]) {
  const taken = new Set<string>();

  return {
    /** Whether a match of this matcher already handed the payment out. */
    isTaken(paymentId: string): boolean {
      return taken.has(paymentId);
    },

    match(reversal: ReversalForMatching): ReversalMatchResult {
      if (reversal.amountMinor <= 0) {
        return { outcome: 'review', reason: 'no_match', confidence: 0, suggestions: [], explanation: 'No amount to take back' };
      }
      const open = candidates
        .filter((payment) => !taken.has(payment.id))
        .filter((payment) => payment.currency === reversal.currency)
        .filter((payment) => reversal.date === null || payment.paymentDate <= reversal.date)
        .sort(newestFirst);
      const sameAmount = (payment: PaymentForReversal) => payment.amountMinor === reversal.amountMinor;
      const ids = (payments: readonly PaymentForReversal[]) => payments.slice(0, MAX_SUGGESTIONS).map((payment) => payment.id);
      const take = (reason: ReversalMatchReason, confidence: number, payment: PaymentForReversal, explanation: string): ReversalMatchResult => {
        taken.add(payment.id);
        return { outcome: 'matched', reason, confidence, paymentId: payment.id, explanation };
      };

      // 1. The bank's own reference, or the end-to-end id the payer gave.
      const references = [reversal.bankReference, reversal.endToEndId].filter((value): value is string => value !== null && value !== '' && value !== 'NOTPROVIDED');
      if (references.length > 0) {
        const byReference = open.filter(
          (payment) =>
            (payment.bankReference !== null && references.includes(payment.bankReference)) ||
            (payment.endToEndId != null && references.includes(payment.endToEndId)),
        );
        const exact = byReference.filter(sameAmount);
        if (exact.length === 1) return take('bank_reference', 100, exact[0]!, 'The bank reference and the amount match the payment');
        if (exact.length > 1) {
          return { outcome: 'review', reason: 'ambiguous', confidence: 50, suggestions: ids(exact), explanation: 'Several payments have this bank reference and amount' };
        }
        if (byReference.length > 0) {
          return { outcome: 'review', reason: 'amount_differs', confidence: 50, suggestions: ids(byReference), explanation: 'The bank reference matches, but the amount differs from the payment' };
        }
      }

      // 2. The KID the payment came with.
      if (reversal.kid) {
        const byKid = open.filter((payment) => payment.reference === reversal.kid);
        const exact = byKid.filter(sameAmount);
        if (exact.length === 1) {
          if (reversal.kidValid) return take('kid', 90, exact[0]!, 'KID and amount match one payment');
          return { outcome: 'review', reason: 'kid', confidence: 60, suggestions: ids(exact), explanation: 'KID and amount match one payment, but the KID fails its check digit' };
        }
        if (exact.length > 1) {
          return { outcome: 'review', reason: 'ambiguous', confidence: 40, suggestions: ids(exact), explanation: 'Several payments have this KID and amount' };
        }
        if (byKid.length > 0) {
          return { outcome: 'review', reason: 'amount_differs', confidence: 40, suggestions: ids(byKid), explanation: 'The KID matches, but the amount differs from the payment' };
        }
      }

      const withAmount = open.filter(sameAmount);

      // 3. A payment's KID or bank reference written in the reversal's text (type 20: free text).
      const tokens = new Set(reversal.texts.flatMap((text) => text.split(/[\s,;:()]+/)).filter((token) => token.length >= 3));
      if (tokens.size > 0) {
        const named = withAmount.filter((payment) => (payment.reference !== null && tokens.has(payment.reference)) || (payment.bankReference !== null && tokens.has(payment.bankReference)));
        if (named.length > 0) {
          return {
            outcome: 'review',
            reason: named.length === 1 ? 'reference_in_text' : 'ambiguous',
            confidence: named.length === 1 ? 70 : 40,
            suggestions: ids(named),
            explanation: named.length === 1 ? "The text names the payment's reference, and the amount matches" : 'The text names several payments of this amount',
          };
        }
      }

      // 4. Amount and payer account.
      if (reversal.payerAccount) {
        const byPayer = withAmount.filter((payment) => payment.payerAccount === reversal.payerAccount);
        if (byPayer.length > 0) {
          return {
            outcome: 'review',
            reason: byPayer.length === 1 ? 'amount_and_payer' : 'ambiguous',
            confidence: byPayer.length === 1 ? 60 : 40,
            suggestions: ids(byPayer),
            explanation: byPayer.length === 1 ? 'Amount and payer account match one payment' : 'Several payments from this account have this amount',
          };
        }
      }

      return {
        outcome: 'review',
        reason: 'no_match',
        confidence: 0,
        suggestions: ids(withAmount),
        explanation: withAmount.length > 0 ? 'Only the amount matches' : 'No booked payment matches',
      };
    },
  };
}
