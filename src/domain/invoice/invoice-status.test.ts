import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDateIn } from '../calendar-date.js';
import { invoiceStatus, isOverdue, openAmountMinor, type StatusFacts } from './invoice-status.js';

const base: StatusFacts = {
  state: 'issued',
  kind: 'invoice',
  isSent: false,
  payableMinor: 10_000,
  paidMinor: 0,
  creditedMinor: 0,
  dueDate: '2026-12-10',
};
const facts = (patch: Partial<StatusFacts>): StatusFacts => ({ ...base, ...patch });

describe('invoiceStatus and openAmountMinor', () => {
  it.each<[string, Partial<StatusFacts>, string, number]>([
    ['draft', { state: 'draft' }, 'draft', 0],
    ['draft with a payment recorded (ignored)', { state: 'draft', paidMinor: 5_000 }, 'draft', 0],
    ['issued, not sent', {}, 'issued', 10_000],
    ['sent', { isSent: true }, 'sent', 10_000],
    ['partially paid, not sent', { paidMinor: 1 }, 'partially_paid', 9_999],
    ['partially paid, sent', { isSent: true, paidMinor: 4_000 }, 'partially_paid', 6_000],
    ['paid to the øre', { isSent: true, paidMinor: 10_000 }, 'paid', 0],
    ['overpaid: open is never negative', { isSent: true, paidMinor: 12_000 }, 'paid', 0],
    ['one øre short', { isSent: true, paidMinor: 9_999 }, 'partially_paid', 1],
    ['fully credited', { isSent: true, creditedMinor: 10_000 }, 'credited', 0],
    ['credited in two notes summing to more than the payable', { creditedMinor: 10_001 }, 'credited', 0],
    ['credited after a partial payment', { paidMinor: 2_000, creditedMinor: 10_000 }, 'credited', 0],
    ['partially credited, unpaid, sent', { isSent: true, creditedMinor: 3_000 }, 'sent', 7_000],
    ['partially credited, unpaid, not sent', { creditedMinor: 3_000 }, 'issued', 7_000],
    ['partially credited, rest paid', { creditedMinor: 3_000, paidMinor: 7_000 }, 'paid', 0],
    ['partially credited and partially paid', { creditedMinor: 3_000, paidMinor: 2_000 }, 'partially_paid', 5_000],
    ['credit note, issued', { kind: 'credit_note' }, 'issued', 0],
    ['credit note, sent', { kind: 'credit_note', isSent: true }, 'sent', 0],
    ['credit note with amounts recorded against it', { kind: 'credit_note', paidMinor: 3_000, creditedMinor: 2_000 }, 'issued', 0],
    ['credit note draft', { kind: 'credit_note', state: 'draft' }, 'draft', 0],
  ])('%s → %s, open %d', (_name, patch, status, open) => {
    expect(invoiceStatus(facts(patch))).toBe(status);
    expect(openAmountMinor(facts(patch))).toBe(open);
  });

  it('walks draft → issued → sent → partially paid → paid', () => {
    const steps: Array<[Partial<StatusFacts>, string, number]> = [
      [{ state: 'draft' }, 'draft', 0],
      [{}, 'issued', 10_000],
      [{ isSent: true }, 'sent', 10_000],
      [{ isSent: true, paidMinor: 2_500 }, 'partially_paid', 7_500],
      [{ isSent: true, paidMinor: 7_500 }, 'partially_paid', 2_500],
      [{ isSent: true, paidMinor: 10_000 }, 'paid', 0],
    ];
    expect(steps.map(([patch]) => [invoiceStatus(facts(patch)), openAmountMinor(facts(patch))])).toEqual(steps.map(([, s, o]) => [s, o]));
  });

  it('walks sent → partly credited → credited when credit notes cover the payable', () => {
    const steps: Array<[Partial<StatusFacts>, string, number]> = [
      [{ isSent: true }, 'sent', 10_000],
      [{ isSent: true, creditedMinor: 4_000 }, 'sent', 6_000],
      [{ isSent: true, creditedMinor: 10_000 }, 'credited', 0],
    ];
    expect(steps.map(([patch]) => [invoiceStatus(facts(patch)), openAmountMinor(facts(patch))])).toEqual(steps.map(([, s, o]) => [s, o]));
  });

  it('open amount is max(0, payable − paid − credited) for issued invoices, 0 otherwise', () => {
    fc.assert(
      fc.property(
        fc.record({
          state: fc.constantFrom<'draft' | 'issued'>('draft', 'issued'),
          kind: fc.constantFrom<'invoice' | 'credit_note'>('invoice', 'credit_note'),
          isSent: fc.boolean(),
          payableMinor: fc.integer({ min: 1, max: 1_000_000_000 }),
          paidMinor: fc.integer({ min: 0, max: 1_000_000_000 }),
          creditedMinor: fc.integer({ min: 0, max: 1_000_000_000 }),
          dueDate: fc.constant('2026-12-10'),
        }),
        (f) => {
          const open = openAmountMinor(f);
          const status = invoiceStatus(f);
          if (f.state === 'draft' || f.kind === 'credit_note') {
            expect(open).toBe(0);
            expect(['draft', 'issued', 'sent']).toContain(status);
            return;
          }
          expect(open).toBe(Math.max(0, f.payableMinor - f.paidMinor - f.creditedMinor));
          expect(status === 'credited').toBe(f.creditedMinor >= f.payableMinor);
          if (status !== 'credited') expect(status === 'paid').toBe(open === 0);
          if (status === 'partially_paid') expect(f.paidMinor > 0 && open > 0).toBe(true);
          if (status === 'issued' || status === 'sent') expect(f.paidMinor === 0 && open > 0 && (status === 'sent') === f.isSent).toBe(true);
        },
      ),
    );
  });
});

describe('isOverdue', () => {
  it.each<[string, Partial<StatusFacts>, string, boolean]>([
    ['due yesterday, unpaid', { isSent: true }, '2026-12-11', true],
    ['due today, unpaid', { isSent: true }, '2026-12-10', false],
    ['due tomorrow', { isSent: true }, '2026-12-09', false],
    ['due long ago, across a year', { isSent: true, dueDate: '2025-12-31' }, '2026-01-01', true],
    ['past due, partially paid', { paidMinor: 5_000 }, '2026-12-20', true],
    ['past due, paid', { paidMinor: 10_000 }, '2026-12-20', false],
    ['past due, credited', { creditedMinor: 10_000 }, '2026-12-20', false],
    ['past due, partly credited', { creditedMinor: 9_000 }, '2026-12-20', true],
    ['past due, draft', { state: 'draft' }, '2026-12-20', false],
    ['past due, credit note', { kind: 'credit_note' }, '2026-12-20', false],
    ['no due date', { dueDate: null }, '2026-12-20', false],
  ])('%s (today %s) → %s', (_name, patch, today, overdue) => {
    expect(isOverdue(facts(patch), today)).toBe(overdue);
  });

  it("is judged in the company's day (Europe/Oslo), not the UTC day", () => {
    const f = facts({ isSent: true, dueDate: '2026-12-10' });
    // 23:30 UTC on the due date is already 00:30 the next day in Oslo (CET, UTC+1): overdue there.
    const lateEvening = new Date('2026-12-10T23:30:00Z');
    expect(isOverdue(f, calendarDateIn(lateEvening, 'Europe/Oslo'))).toBe(true);
    expect(isOverdue(f, calendarDateIn(lateEvening, 'UTC'))).toBe(false);
    // 22:59 UTC is still 23:59 on the due date in Oslo: not overdue.
    expect(isOverdue(f, calendarDateIn(new Date('2026-12-10T22:59:59Z'), 'Europe/Oslo'))).toBe(false);
    // Summer time (CEST, UTC+2): 22:00 UTC on the due date is midnight the next day in Oslo.
    const summer = facts({ isSent: true, dueDate: '2026-06-30' });
    expect(isOverdue(summer, calendarDateIn(new Date('2026-06-30T22:00:00Z'), 'Europe/Oslo'))).toBe(true);
    expect(isOverdue(summer, calendarDateIn(new Date('2026-06-30T21:59:59Z'), 'Europe/Oslo'))).toBe(false);
  });
});
