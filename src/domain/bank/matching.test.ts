import { describe, expect, it } from 'vitest';
import { BOOKING_CONFIDENCE, createMatcher, type IncomingPayment, type OpenInvoiceForMatching } from './matching.js';

const invoice = (id: string, overrides: Partial<OpenInvoiceForMatching> = {}): OpenInvoiceForMatching => ({
  id,
  documentNumber: id.replace('inv-', ''),
  kid: null,
  customerId: 'c1',
  customerName: 'Kunde AS',
  currency: 'NOK',
  openMinor: 125_000,
  dueDate: '2026-12-10',
  ...overrides,
});
const payment = (overrides: Partial<IncomingPayment> = {}): IncomingPayment => ({
  amountMinor: 125_000,
  currency: 'NOK',
  kid: null,
  kidValid: false,
  texts: [],
  payerName: null,
  payerAccount: null,
  ...overrides,
});

describe('matching incoming payments', () => {
  it('books a valid KID with the exact amount at full confidence', () => {
    const matcher = createMatcher([invoice('inv-1042', { kid: '0000104202' })]);
    const result = matcher.match(payment({ kid: '0000104202', kidValid: true }));
    expect(result).toMatchObject({ outcome: 'matched', reason: 'kid', confidence: 100, customerId: 'c1', allocations: [{ invoiceId: 'inv-1042', amountMinor: 125_000 }], creditMinor: 0 });
    expect(matcher.openMinor('inv-1042')).toBe(0);
  });

  it('handles short and over-payments by KID: what fits is booked, the rest is credit; a second payment finds nothing open', () => {
    const matcher = createMatcher([invoice('inv-1', { kid: '12345674' })]);
    expect(matcher.match(payment({ amountMinor: 100_000, kid: '12345674', kidValid: true }))).toMatchObject({ confidence: 90, allocations: [{ amountMinor: 100_000 }], creditMinor: 0 });
    expect(matcher.match(payment({ amountMinor: 50_000, kid: '12345674', kidValid: true }))).toMatchObject({ confidence: 90, allocations: [{ amountMinor: 25_000 }], creditMinor: 25_000 });
    const third = matcher.match(payment({ amountMinor: 10_000, kid: '12345674', kidValid: true }));
    expect(third).toMatchObject({ outcome: 'matched', allocations: [], creditMinor: 10_000, confidence: 85 });
    expect(third.confidence).toBeGreaterThanOrEqual(BOOKING_CONFIDENCE);
  });

  it('does not trust a KID whose check digit fails, nor one equal only without leading zeros', () => {
    const matcher = createMatcher([invoice('inv-1', { kid: '0000531' })]);
    expect(matcher.match(payment({ kid: '0000531', kidValid: false })).outcome).toBe('review');
    const stripped = matcher.match(payment({ kid: '531', kidValid: true }));
    expect(stripped).toMatchObject({ outcome: 'review', reason: 'kid_without_leading_zeros', suggestions: ['inv-1'] });
    expect(stripped.confidence).toBeLessThan(BOOKING_CONFIDENCE);
  });

  it('finds an invoice number in the free text; several numbers are booked only when they add up', () => {
    const matcher = createMatcher([invoice('inv-1042'), invoice('inv-1043', { openMinor: 50_000 }), invoice('inv-2026', { openMinor: 70_000 })]);
    expect(matcher.match(payment({ texts: ['Faktura 1042'] }))).toMatchObject({ outcome: 'matched', reason: 'reference_in_text', confidence: 90, allocations: [{ invoiceId: 'inv-1042' }] });
    expect(matcher.match(payment({ amountMinor: 120_000, texts: ['Fakt 1043 og 2026'] }))).toMatchObject({ outcome: 'matched', allocations: [{ invoiceId: 'inv-1043', amountMinor: 50_000 }, { invoiceId: 'inv-2026', amountMinor: 70_000 }] });
    const fresh = createMatcher([invoice('inv-1043', { openMinor: 50_000 }), invoice('inv-2026', { openMinor: 70_000 })]);
    expect(fresh.match(payment({ amountMinor: 50_000, texts: ['Faktura 1043 betalt 2026'] }))).toMatchObject({ outcome: 'review', reason: 'ambiguous' });
  });

  it('never books several customers from one text, nor an invoice in another currency', () => {
    const matcher = createMatcher([invoice('inv-1', { customerId: 'c1' }), invoice('inv-2', { customerId: 'c2' }), invoice('inv-3', { currency: 'EUR', kid: '12345674' })]);
    expect(matcher.match(payment({ amountMinor: 250_000, texts: ['1 2'] }))).toMatchObject({ outcome: 'review', reason: 'ambiguous' });
    expect(matcher.match(payment({ kid: '12345674', kidValid: true })).outcome).toBe('review');
  });

  it('suggests by amount and payer (name or known account), for a person to confirm', () => {
    const matcher = createMatcher(
      [invoice('inv-1', { customerName: 'Fjord Fisk AS' }), invoice('inv-2', { customerId: 'c2', customerName: 'Annen AS' })],
      { customerAccounts: new Map([['12345678903', 'c2']]) },
    );
    expect(matcher.match(payment({ payerName: 'FJORD FISK' }))).toMatchObject({ outcome: 'review', reason: 'amount_and_payer', confidence: 60, suggestions: ['inv-1'] });
    expect(matcher.match(payment({ payerAccount: '12345678903' }))).toMatchObject({ outcome: 'review', reason: 'amount_and_payer', suggestions: ['inv-2'] });
    expect(matcher.match(payment({ payerName: 'Ukjent' }))).toMatchObject({ outcome: 'review', reason: 'no_match', suggestions: ['inv-1', 'inv-2'] });
    expect(matcher.match(payment({ amountMinor: 1 }))).toMatchObject({ outcome: 'review', reason: 'no_match', suggestions: [] });
  });

  it('matches 100,000 payments against 100,000 invoices, each exactly once', () => {
    const invoices = Array.from({ length: 100_000 }, (_, n) => invoice(`inv-${n + 1}`, { kid: String(n + 1).padStart(10, '0'), openMinor: 10_000 + n, customerId: `c${n % 5000}` }));
    const matcher = createMatcher(invoices);
    let matched = 0;
    for (let n = 0; n < 100_000; n++) {
      const result = matcher.match(payment({ amountMinor: 10_000 + n, kid: String(n + 1).padStart(10, '0'), kidValid: true }));
      if (result.outcome === 'matched' && result.creditMinor === 0) matched++;
    }
    expect(matched).toBe(100_000);
  });
});
