import type { CalendarDate } from '../calendar-date.js';

/**
 * Status of a document, derived from its stored facts so it can never disagree
 * with them: draft → issued → sent → partially paid → paid; credited when credit
 * notes cover the whole amount. Overdue is a separate flag, judged against the
 * company's "today" (its time zone), because a sent invoice can be overdue too.
 */
export type InvoiceStatus = 'draft' | 'issued' | 'sent' | 'partially_paid' | 'paid' | 'credited';

export interface StatusFacts {
  state: 'draft' | 'issued';
  kind: 'invoice' | 'credit_note';
  isSent: boolean;
  payableMinor: number;
  paidMinor: number;
  creditedMinor: number;
  dueDate: CalendarDate | null;
}

/** What is still to be paid: payable minus payments minus credit notes, never below zero. */
export function openAmountMinor(facts: StatusFacts): number {
  if (facts.state === 'draft' || facts.kind === 'credit_note') return 0;
  return Math.max(0, facts.payableMinor - facts.paidMinor - facts.creditedMinor);
}

export function invoiceStatus(facts: StatusFacts): InvoiceStatus {
  if (facts.state === 'draft') return 'draft';
  if (facts.kind === 'credit_note') return facts.isSent ? 'sent' : 'issued';
  if (facts.creditedMinor > 0 && facts.creditedMinor >= facts.payableMinor) return 'credited';
  if (openAmountMinor(facts) === 0) return 'paid';
  if (facts.paidMinor > 0) return 'partially_paid';
  return facts.isSent ? 'sent' : 'issued';
}

export function isOverdue(facts: StatusFacts, today: CalendarDate): boolean {
  return facts.dueDate !== null && openAmountMinor(facts) > 0 && facts.dueDate < today;
}
