import { describe, expect, it } from 'vitest';
import { createReversalMatcher, type PaymentForReversal, REVERSAL_CONFIDENCE, type ReversalForMatching } from './reversal-matching.js';

const payment = (id: string, overrides: Partial<PaymentForReversal> = {}): PaymentForReversal => ({
  id,
  amountMinor: 125_000,
  currency: 'NOK',
  reference: null,
  bankReference: null,
  payerAccount: null,
  paymentDate: '2026-11-20',
  customerId: 'c1',
  ...overrides,
});
const reversal = (overrides: Partial<ReversalForMatching> = {}): ReversalForMatching => ({
  amountMinor: 125_000,
  currency: 'NOK',
  kid: null,
  kidValid: false,
  bankReference: null,
  endToEndId: null,
  texts: [],
  payerAccount: null,
  date: '2026-11-25',
  ...overrides,
});

describe('matching a bank reversal to the payment it takes back', () => {
  it('is certain with the same bank reference and amount, and hands the payment out once', () => {
    const matcher = createReversalMatcher([payment('p1', { bankReference: 'REF-1' }), payment('p2', { bankReference: 'REF-2' })]);
    const result = matcher.match(reversal({ bankReference: 'REF-2' }));
    expect(result).toEqual({ outcome: 'matched', reason: 'bank_reference', confidence: 100, paymentId: 'p2', explanation: expect.any(String) });
    expect(matcher.isTaken('p2')).toBe(true);
    expect(matcher.isTaken('p1')).toBe(false);
    expect(matcher.match(reversal({ bankReference: 'REF-2' }))).toMatchObject({ outcome: 'review', reason: 'no_match' });
  });

  it('also matches the end-to-end id against the payment reference, but never NOTPROVIDED', () => {
    const matcher = createReversalMatcher([payment('p1', { bankReference: 'E2E-77' }), payment('p2', { endToEndId: 'NOTPROVIDED', bankReference: 'NOTPROVIDED' })]);
    expect(matcher.match(reversal({ endToEndId: 'E2E-77' }))).toMatchObject({ outcome: 'matched', reason: 'bank_reference', paymentId: 'p1' });
    expect(matcher.match(reversal({ endToEndId: 'NOTPROVIDED' }))).toMatchObject({ outcome: 'review', reason: 'no_match' });
  });

  it('waits for review when the bank reference matches but the amount differs', () => {
    const matcher = createReversalMatcher([payment('p1', { bankReference: 'REF-1' })]);
    const result = matcher.match(reversal({ bankReference: 'REF-1', amountMinor: 100_000 }));
    expect(result).toMatchObject({ outcome: 'review', reason: 'amount_differs', suggestions: ['p1'] });
    expect(result.confidence).toBeLessThan(REVERSAL_CONFIDENCE);
  });

  it('is confident with one payment of the same valid KID and amount', () => {
    const matcher = createReversalMatcher([payment('p1', { reference: '12345674' }), payment('p2', { reference: '12345674', amountMinor: 50_000 })]);
    const result = matcher.match(reversal({ kid: '12345674', kidValid: true }));
    expect(result).toMatchObject({ outcome: 'matched', reason: 'kid', paymentId: 'p1' });
    expect(result.confidence).toBeGreaterThanOrEqual(REVERSAL_CONFIDENCE);
  });

  it('does not trust a KID that fails its check digit', () => {
    const matcher = createReversalMatcher([payment('p1', { reference: '12345670' })]);
    const result = matcher.match(reversal({ kid: '12345670', kidValid: false }));
    expect(result).toMatchObject({ outcome: 'review', reason: 'kid', suggestions: ['p1'] });
    expect(result.confidence).toBeLessThan(REVERSAL_CONFIDENCE);
  });

  it('suggests every payment when several have the KID and amount, newest first', () => {
    const matcher = createReversalMatcher([
      payment('p-old', { reference: '12345674', paymentDate: '2026-10-01' }),
      payment('p-new', { reference: '12345674', paymentDate: '2026-11-20' }),
    ]);
    expect(matcher.match(reversal({ kid: '12345674', kidValid: true }))).toMatchObject({ outcome: 'review', reason: 'ambiguous', suggestions: ['p-new', 'p-old'] });
  });

  it('suggests the KID payment of another amount, but does not reverse it', () => {
    const matcher = createReversalMatcher([payment('p1', { reference: '12345674', amountMinor: 200_000 })]);
    expect(matcher.match(reversal({ kid: '12345674', kidValid: true }))).toMatchObject({ outcome: 'review', reason: 'amount_differs', suggestions: ['p1'] });
  });

  it('never matches another currency, nor a payment dated after the reversal', () => {
    const matcher = createReversalMatcher([
      payment('p-eur', { reference: '12345674', currency: 'EUR', bankReference: 'REF-1' }),
      payment('p-later', { reference: '12345674', paymentDate: '2026-11-26' }),
    ]);
    expect(matcher.match(reversal({ kid: '12345674', kidValid: true, bankReference: 'REF-1' }))).toMatchObject({ outcome: 'review', reason: 'no_match', suggestions: [] });
    // Without a date on the reversal, the later payment is a candidate.
    expect(matcher.match(reversal({ kid: '12345674', kidValid: true, date: null }))).toMatchObject({ outcome: 'matched', paymentId: 'p-later' });
  });

  it('suggests the payment whose reference the free text names (type 20)', () => {
    const matcher = createReversalMatcher([payment('p1', { reference: '0036633' }), payment('p2')]);
    expect(matcher.match(reversal({ texts: ['Tilbakeført 0036633'] }))).toMatchObject({ outcome: 'review', reason: 'reference_in_text', suggestions: ['p1'], confidence: 70 });
  });

  it('suggests a payment of the same amount and payer account for review', () => {
    const matcher = createReversalMatcher([payment('p1', { payerAccount: '99991005524' }), payment('p2', { payerAccount: '11112222333' })]);
    const result = matcher.match(reversal({ payerAccount: '99991005524' }));
    expect(result).toMatchObject({ outcome: 'review', reason: 'amount_and_payer', suggestions: ['p1'] });
    expect(result.confidence).toBeLessThan(REVERSAL_CONFIDENCE);
  });

  it('otherwise offers the payments of the same amount, or nothing', () => {
    const matcher = createReversalMatcher([payment('p1'), payment('p2', { amountMinor: 1 })]);
    expect(matcher.match(reversal())).toMatchObject({ outcome: 'review', reason: 'no_match', confidence: 0, suggestions: ['p1'], explanation: 'Only the amount matches' });
    expect(matcher.match(reversal({ amountMinor: 777 }))).toMatchObject({ outcome: 'review', reason: 'no_match', suggestions: [] });
    expect(matcher.match(reversal({ amountMinor: 0 }))).toMatchObject({ outcome: 'review', reason: 'no_match', suggestions: [] });
  });
});
