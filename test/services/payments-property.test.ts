import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import type { CompanyContext } from '../../src/app/context.js';
import { creditNoteCreateSchema, invoiceCreateSchema, invoiceListQuerySchema } from '../../src/app/invoice.schemas.js';
import { journalQuerySchema, type JournalEntry } from '../../src/app/journal.service.js';
import { paymentCreateSchema, paymentListQuerySchema } from '../../src/app/payment.schemas.js';
import { AppError } from '../../src/domain/errors.js';
import type { InvoiceDocument } from '../../src/domain/invoice/invoice.js';
import type { Payment } from '../../src/domain/payment/payment.js';
import { DIALECTS } from '../helpers/dialects.js';
import { makeCustomerInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { newCompanyContext } from '../helpers/service-context.js';

/**
 * Randomised payments run (fast-check) through the real services: a company with a few
 * customers and issued invoices (NOK, and EUR at a random rate; random lines; some credited
 * partly or fully), then a random sequence of payments (partial, exact, NOK over-payments that
 * become the customer's credit, prepayments, payments spanning several invoices of one
 * customer, EUR payments at a NOK amount above or below the invoice rate), partial credit notes
 * in between, reversals, and payments that must be refused (more than open, wrong currency,
 * allocations above the payment, foreign-currency credit, several customers, a second
 * reversal) — each refusal with its code, and nothing changed.
 *
 * After every step each invoice must agree with the model (paid, credited, open, status). At
 * the end: open + booked allocations + credited = invoiced per currency; the unallocated part of
 * booked payments is each customer's credit; every entry balances, the trial balance is zero;
 * 1500 (in total and per customer) = invoices − credit notes − NOK cleared − customer credit;
 * 1920 = NOK received by booked payments; 8060/8160 move only for foreign-currency payments, by
 * NOK received − NOK cleared. Reversals mirror their entry line by line; after reversing every
 * payment, the invoices are open as before any payment and 1920/8060/8160 are back at zero.
 *
 * Reproduce a failure with FF_PROPERTY_SEED=<seed> (printed by fast-check);
 * FF_PROPERTY_RUNS sets the number of runs.
 */

const RUNS = Number(process.env.FF_PROPERTY_RUNS ?? 40);
const SEED = process.env.FF_PROPERTY_SEED ? Number(process.env.FF_PROPERTY_SEED) : undefined;

const TODAY = '2026-11-26';
const VAT_BP: Record<string, number> = { '3': 2500, '31': 1500, '33': 1200, '5': 0, '6': 0 };
const FX_ACCOUNTS = ['8060', '8160'];

/**
 * Steps every 40-run batch reaches (checked when RUNS ≥ 40 and no seed is set; measured over 200
 * runs, each is reached in at least 22 % of runs, so a batch misses one with p < 1e-4). A release
 * from a EUR payment needs a EUR invoice paid in EUR and then credited (~12 % of runs): it is
 * reached for certain by the fixed scenario below instead.
 */
const STEPS = [
  'payment of one invoice',
  'payment of several invoices',
  'prepayment',
  'invoice paid in full',
  'customer credit',
  'exchange difference',
  'reversal',
  'credit note after a payment',
  'credit released to the customer',
  'refused allocation.exceeds_open',
  'refused allocation.currency_mismatch',
  'refused allocation.exceeds_payment',
  'refused payment.foreign_credit',
  'refused allocation.several_customers',
  'refused payment.already_reversed',
];

/** Rounds numerator/denominator half away from zero. */
function roundDiv(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const absolute = negative ? -numerator : numerator;
  const quotient = (absolute * 2n + denominator) / (denominator * 2n);
  return Number(negative ? -quotient : quotient);
}

/** Minor units at a rate in millionths → NOK øre, rounded once (the oracle's own arithmetic). */
function toNok(minor: number, rateMicros: number): number {
  return roundDiv(BigInt(minor) * BigInt(rateMicros), 1_000_000n);
}

function micros(value: number): string {
  return `${Math.trunc(value / 1_000_000)}.${String(value % 1_000_000).padStart(6, '0')}`;
}

function ore(value: number): string {
  return `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

// ---- generators ----

const lineArb = fc.record({
  quantityMicros: fc.oneof(
    fc.integer({ min: 1, max: 6 }).map((n) => n * 1_000_000),
    fc.integer({ min: 1, max: 99 }).map((n) => n * 10_000),
  ),
  unitPriceMinor: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 2_000_000 })),
  vatCode: fc.constantFrom('3', '3', '31', '33', '5', '6'),
}).filter((line) => line.quantityMicros * line.unitPriceMinor >= 1_000_000); // at least 1 øre net, so every invoice is payable

const initialCreditArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ type: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'full' as const }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('partial' as const), line: fc.nat(), perMille: fc.integer({ min: 1, max: 1000 }) }) },
);

const invoiceArb = fc.record({
  customer: fc.nat(),
  currency: fc.constantFrom('NOK', 'NOK', 'EUR'),
  rateMicros: fc.oneof(fc.integer({ min: 9_000_000, max: 13_000_000 }), fc.constant(11_500_000)),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
  credit: initialCreditArb,
});

const pickArb = fc.record({
  invoice: fc.nat(),
  mode: fc.constantFrom<'open' | 'part'>('open', 'part', 'part'),
  perMille: fc.integer({ min: 1, max: 999 }),
});

const payArb = fc.record({
  kind: fc.constant('pay' as const),
  customer: fc.nat(),
  currency: fc.constantFrom('NOK', 'EUR'),
  picks: fc.array(pickArb, { minLength: 0, maxLength: 4 }),
  /** NOK only: what the payment brings beyond its allocations (the customer's credit). */
  extraMinor: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }) }),
  /** EUR only: the NOK received against the NOK the allocations clear, in per mille. */
  nokPerMille: fc.oneof({ weight: 1, arbitrary: fc.constant(1000) }, { weight: 2, arbitrary: fc.integer({ min: 900, max: 999 }) }, { weight: 2, arbitrary: fc.integer({ min: 1001, max: 1100 }) }),
  namesCustomer: fc.boolean(),
  paymentDate: fc.constantFrom('2026-11-24', '2026-11-25', TODAY),
});

const refusalArb = fc.record({
  kind: fc.constant('refuse' as const),
  reason: fc.constantFrom('exceeds_open', 'currency_mismatch', 'exceeds_payment', 'foreign_credit', 'several_customers'),
  invoice: fc.nat(),
  other: fc.nat(),
  excessMinor: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 500_000 })),
});

const reverseArb = fc.record({ kind: fc.constant('reverse' as const), payment: fc.nat() });

const creditArb = fc.record({ kind: fc.constant('credit' as const), invoice: fc.nat(), line: fc.nat(), perMille: fc.integer({ min: 1, max: 1000 }) });

/** A credit note on a (partly) paid invoice that may take more than is open: the surplus is released to the payments. */
const creditPaidArb = fc.record({
  kind: fc.constant('creditPaid' as const),
  invoice: fc.nat(),
  line: fc.nat(),
  full: fc.boolean(),
  /** Credit a foreign-currency invoice in full when there is one (a EUR release is otherwise rare: ~9 % of runs). */
  foreign: fc.boolean(),
  perMille: fc.integer({ min: 1, max: 1000 }),
});

const operationArb = fc.oneof(
  { weight: 6, arbitrary: payArb },
  { weight: 4, arbitrary: refusalArb },
  { weight: 2, arbitrary: reverseArb },
  { weight: 3, arbitrary: creditArb },
  { weight: 3, arbitrary: creditPaidArb },
);

/** The refusals tried once more after the random steps, each in its own way. */
const sweepArb = fc.record({ invoice: fc.nat(), other: fc.nat(), excessMinor: fc.integer({ min: 1, max: 500_000 }), payment: fc.nat() });

const scenarioArb = fc.record({
  customers: fc.constantFrom(1, 2, 2, 3),
  invoices: fc.array(invoiceArb, { minLength: 1, maxLength: 6 }),
  operations: fc.array(operationArb, { minLength: 1, maxLength: 14 }),
  sweep: sweepArb,
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
type Operation = Scenario['operations'][number];

// ---- the model ----

interface ModelInvoice {
  id: string;
  customerId: string;
  currency: string;
  rateMicros: number;
  payableMinor: number;
  grossNokMinor: number;
  creditedMinor: number;
  creditNotesNokMinor: number;
  paidMinor: number;
  /** Item lines: what is left to credit of each, and its VAT code. */
  lines: Array<{ id: string; remainingMinor: number; vatCode: string }>;
}

interface ModelPayment {
  id: string;
  voucher: string;
  customerId: string;
  currency: string;
  amountMinor: number;
  amountNokMinor: number;
  /** As allocated, and what credit notes released from each (back to the payment as credit). */
  allocations: Array<{ invoiceId: string; amountMinor: number; amountNokMinor: number; releasedMinor: number; releasedNokMinor: number }>;
  /** The unallocated rest when booked (the customer's credit); NOK only. Releases add to the credit. */
  creditMinor: number;
  journalEntryId: string;
  reversed: boolean;
}

const netOf = (allocation: ModelPayment['allocations'][number]) => allocation.amountMinor - allocation.releasedMinor;
const netNokOf = (allocation: ModelPayment['allocations'][number]) => allocation.amountNokMinor - allocation.releasedNokMinor;
/** The customer's credit a payment holds: what was not allocated, and what credit notes released. */
const heldOf = (payment: ModelPayment) => payment.creditMinor + payment.allocations.reduce((total, allocation) => total + allocation.releasedMinor, 0);
const heldNokOf = (payment: ModelPayment) => payment.creditMinor + payment.allocations.reduce((total, allocation) => total + allocation.releasedNokMinor, 0);

const openOf = (invoice: ModelInvoice) => Math.max(0, invoice.payableMinor - invoice.creditedMinor - invoice.paidMinor);

function statusOf(invoice: ModelInvoice): string {
  if (invoice.creditedMinor > 0 && invoice.creditedMinor >= invoice.payableMinor) return 'credited';
  if (openOf(invoice) === 0) return 'paid';
  if (invoice.paidMinor > 0) return 'partially_paid';
  return 'issued';
}

type Line = { account: string; debitMinor: number; creditMinor: number; customerId: string | null };
const lineOf = (line: JournalEntry['lines'][number]): Line => ({
  account: line.account,
  debitMinor: line.debitMinor,
  creditMinor: line.creditMinor,
  customerId: line.customerId,
});

/** The journal lines a booked payment must have, from the model alone. */
function expectedPaymentLines(payment: ModelPayment): Line[] {
  const lines: Line[] = [{ account: '1920', debitMinor: payment.amountNokMinor, creditMinor: 0, customerId: null }];
  for (const allocation of payment.allocations) {
    lines.push({ account: '1500', debitMinor: 0, creditMinor: allocation.amountNokMinor, customerId: payment.customerId });
  }
  if (payment.creditMinor > 0) lines.push({ account: '1500', debitMinor: 0, creditMinor: payment.creditMinor, customerId: payment.customerId });
  const difference = payment.amountNokMinor - clearedNokOf(payment);
  if (difference > 0) lines.push({ account: '8060', debitMinor: 0, creditMinor: difference, customerId: null });
  if (difference < 0) lines.push({ account: '8160', debitMinor: -difference, creditMinor: 0, customerId: null });
  return lines;
}

/** NOK a payment takes off receivables: its allocations at their invoices' rates, and its credit. */
function clearedNokOf(payment: ModelPayment): number {
  return payment.allocations.reduce((total, allocation) => total + allocation.amountNokMinor, 0) + payment.creditMinor;
}

async function appErrorOf(promise: Promise<unknown>): Promise<AppError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

const sum = <T>(items: readonly T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0);

describe.each(DIALECTS)('payments under random invoices, credit notes, payments and reversals (%s)', (dialect) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await createHarness(dialect, { clock: fixedClock('2026-11-26T10:00:00Z') });
  });
  afterAll(async () => harness?.close());

  async function freshCompany(): Promise<CompanyContext> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await newCompanyContext(harness);
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'company.org_number_taken') || attempt > 5) throw error;
      }
    }
  }

  async function allJournalEntries(ctx: CompanyContext, sourceId?: string): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await harness.runtime.services.journal.listEntries(
        ctx,
        journalQuerySchema.parse({ includeTest: 'true', limit: 200, ...(sourceId ? { sourceId } : {}), ...(cursor ? { cursor } : {}) }),
      );
      entries.push(...page.items);
      if (!page.nextCursor) return entries;
      cursor = page.nextCursor;
    }
  }

  async function allInvoices(ctx: CompanyContext): Promise<InvoiceDocument[]> {
    const documents: InvoiceDocument[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await harness.runtime.services.invoices.listInvoices(
        ctx,
        'invoice',
        invoiceListQuerySchema.parse({ limit: 200, ...(cursor ? { cursor } : {}) }),
      );
      documents.push(...page.items);
      if (!page.nextCursor) return documents;
      cursor = page.nextCursor;
    }
  }

  async function allPayments(ctx: CompanyContext, filter: { customerId?: string; invoiceId?: string } = {}): Promise<Payment[]> {
    const payments: Payment[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await harness.runtime.services.payments.listPayments(
        ctx,
        paymentListQuerySchema.parse({ limit: 200, ...filter, ...(cursor ? { cursor } : {}) }),
      );
      payments.push(...page.items);
      if (!page.nextCursor) return payments;
      cursor = page.nextCursor;
    }
  }

  /** Everything a refused request must leave as it was. */
  async function snapshot(ctx: CompanyContext) {
    const invoices = (await allInvoices(ctx))
      .map(({ id, paidMinor, creditedMinor, openMinor, status, updatedAt }) => ({ id, paidMinor, creditedMinor, openMinor, status, updatedAt }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const payments = (await allPayments(ctx))
      .map(({ id, status, unallocatedMinor, allocations }) => ({ id, status, unallocatedMinor, allocations: allocations.length }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const entries = (await allJournalEntries(ctx)).map((entry) => entry.id).sort();
    const balance = await harness.runtime.services.journal.trialBalance(ctx, { includeTest: true });
    return { invoices, payments, entries, balance };
  }

  async function runScenario(scenario: Scenario) {
    const { invoices: invoiceService, customers: customerService, payments: paymentService, journal } = harness.runtime.services;
    const ctx = await freshCompany();
    const customers: string[] = [];
    for (let index = 0; index < scenario.customers; index++) customers.push((await customerService.createCustomer(ctx, makeCustomerInput())).id);

    const invoices: ModelInvoice[] = [];
    const notes: InvoiceDocument[] = [];
    const payments: ModelPayment[] = [];
    let vouchers = 0;
    let reversals = 0;
    /** What the run went through, to check over all runs that the generators reach every kind of step. */
    const stats = new Map<string, number>();
    const count = (key: string) => stats.set(key, (stats.get(key) ?? 0) + 1);

    const creditNote = async (invoice: ModelInvoice, body: Record<string, unknown>) => {
      const note = await invoiceService.createCreditNote(ctx, invoice.id, creditNoteCreateSchema.parse(body));
      notes.push(note);
      invoice.creditedMinor += note.totals.grossMinor;
      invoice.creditNotesNokMinor += note.totals.grossNokMinor;
      // Paid and credited beyond what is payable: the surplus goes back to the payments, newest first.
      const surplus = Math.min(invoice.paidMinor, invoice.paidMinor + invoice.creditedMinor - invoice.payableMinor);
      if (surplus > 0) {
        const live = payments
          .filter((payment) => !payment.reversed)
          .flatMap((payment) => payment.allocations.filter((allocation) => allocation.invoiceId === invoice.id).map((allocation) => ({ payment, allocation })))
          .reverse();
        // In EUR the releases leave the invoice's receivable at exactly zero (it is settled afterwards).
        const targetNok = invoice.grossNokMinor - invoice.creditNotesNokMinor;
        const releasedNokTotal = sum(live, ({ allocation }) => netNokOf(allocation)) - targetNok;
        let remaining = surplus;
        const taken: Array<{ allocation: ModelPayment['allocations'][number]; minor: number; nok: number }> = [];
        for (const { allocation } of live) {
          if (remaining === 0) break;
          const net = netOf(allocation);
          if (net <= 0) continue;
          const take = Math.min(net, remaining);
          const nok = take === net ? netNokOf(allocation) : roundDiv(BigInt(netNokOf(allocation)) * BigInt(take), BigInt(net));
          taken.push({ allocation, minor: take, nok });
          remaining -= take;
        }
        expect(remaining).toBe(0);
        if (invoice.currency !== 'NOK') {
          const last = taken[taken.length - 1]!;
          last.nok = Math.max(0, releasedNokTotal - sum(taken.slice(0, -1), (entry) => entry.nok));
          count('release from a EUR payment');
        }
        for (const entry of taken) {
          entry.allocation.releasedMinor += entry.minor;
          entry.allocation.releasedNokMinor += entry.nok;
        }
        invoice.paidMinor -= surplus;
        count('credit released to the customer');
        // The payments hold the released credit.
        for (const { payment } of live) {
          const stored = await paymentService.getPayment(ctx, payment.id);
          expect({ id: payment.id, unallocatedMinor: stored.unallocatedMinor, unallocatedNokMinor: stored.unallocatedNokMinor }).toEqual({
            id: payment.id,
            unallocatedMinor: heldOf(payment),
            unallocatedNokMinor: heldNokOf(payment),
          });
        }
      }
      return note;
    };

    // ---- issued invoices, some credited ----
    for (const spec of scenario.invoices) {
      const customerId = customers[spec.customer % customers.length]!;
      const rateMicros = spec.currency === 'NOK' ? 1_000_000 : spec.rateMicros;
      const draft = await invoiceService.createDraft(
        ctx,
        invoiceCreateSchema.parse({
          customerId,
          deliveryDate: '2026-11-20',
          currency: spec.currency,
          ...(spec.currency === 'NOK' ? {} : { exchangeRate: micros(rateMicros) }),
          lines: spec.lines.map((line, index) => ({
            description: `Linje ${index + 1}`,
            quantity: micros(line.quantityMicros),
            unitPrice: ore(line.unitPriceMinor),
            vatCode: line.vatCode,
          })),
        }),
      );
      const issued = await invoiceService.issueInvoice(ctx, draft.id);
      expect(issued.totals.payableMinor).toBeGreaterThan(0);
      expect(issued).toMatchObject({ status: 'issued', paidMinor: 0, creditedMinor: 0, openMinor: issued.totals.payableMinor });
      const invoice: ModelInvoice = {
        id: issued.id,
        customerId,
        currency: spec.currency,
        rateMicros,
        payableMinor: issued.totals.payableMinor,
        grossNokMinor: issued.totals.grossNokMinor,
        creditedMinor: 0,
        creditNotesNokMinor: 0,
        paidMinor: 0,
        lines: issued.lines.map((line) => ({ id: line.id, remainingMinor: line.netMinor, vatCode: line.vatCode })),
      };
      invoices.push(invoice);
      if (spec.credit.type === 'full') {
        await creditNote(invoice, { reason: 'Full kreditering' });
        expect(invoice.creditedMinor).toBe(invoice.payableMinor);
        for (const line of invoice.lines) line.remainingMinor = 0;
      } else if (spec.credit.type === 'partial') {
        const line = invoice.lines[spec.credit.line % invoice.lines.length]!;
        if (line.remainingMinor < 1) continue;
        const amount = Math.max(1, Math.floor((line.remainingMinor * spec.credit.perMille) / 1000));
        await creditNote(invoice, { lines: [{ invoiceLineId: line.id, amount: ore(amount) }] });
        line.remainingMinor -= amount;
      }
    }

    /** Each invoice as the services show it agrees with the model. */
    const expectInvoicesMatchModel = async () => {
      const stored = new Map((await allInvoices(ctx)).map((document) => [document.id, document]));
      expect(stored.size).toBe(invoices.length);
      for (const invoice of invoices) {
        const document = stored.get(invoice.id)!;
        expect({ id: invoice.id, paidMinor: document.paidMinor, creditedMinor: document.creditedMinor, openMinor: document.openMinor, status: document.status }).toEqual({
          id: invoice.id,
          paidMinor: invoice.paidMinor,
          creditedMinor: invoice.creditedMinor,
          openMinor: openOf(invoice),
          status: statusOf(invoice),
        });
      }
    };

    const expectRefused = async (body: Record<string, unknown>, expected: Array<{ path: string; code: string }>) => {
      const before = await snapshot(ctx);
      const error = await appErrorOf(paymentService.registerPayment(ctx, paymentCreateSchema.parse(body)));
      expect(error?.code, JSON.stringify(body)).toBe('validation.failed');
      expect(error?.issues?.map(({ path, code }) => ({ path, code }))).toEqual(expected);
      expect(await snapshot(ctx)).toEqual(before);
      count(`refused ${expected[0]!.code}`);
    };

    /**
     * What an allocation clears on 1500 in NOK: the amount at the invoice's rate, except the one that
     * settles the invoice, which clears what is left of its NOK (invoice − credit notes − earlier
     * payments), so the receivable ends at exactly zero.
     */
    const clearedNokFor = (invoice: ModelInvoice, amountMinor: number) => {
      if (invoice.currency === 'NOK') return amountMinor;
      if (amountMinor < openOf(invoice)) return toNok(amountMinor, invoice.rateMicros);
      const earlier = sum(
        payments.filter((payment) => !payment.reversed).flatMap((payment) => payment.allocations.filter((allocation) => allocation.invoiceId === invoice.id)),
        netNokOf,
      );
      return invoice.grossNokMinor - invoice.creditNotesNokMinor - earlier;
    };

    const eurBody = (amountMinor: number, nokMinor: number) => ({ currency: 'EUR', amount: ore(amountMinor), amountNok: ore(Math.max(1, nokMinor)) });

    const pay = async (operation: Extract<Operation, { kind: 'pay' }>) => {
      // In the currency drawn, or the other one when nothing is open in it; the payer is mostly a
      // customer with something open in that currency.
      const openIn = (currency: string) => invoices.filter((invoice) => invoice.currency === currency && openOf(invoice) > 0);
      const currency = openIn(operation.currency).length > 0 || operation.picks.length === 0 ? operation.currency : operation.currency === 'NOK' ? 'EUR' : 'NOK';
      const payable = openIn(currency);
      const customerId =
        operation.picks.length > 0 && payable.length > 0
          ? payable[operation.customer % payable.length]!.customerId
          : customers[operation.customer % customers.length]!;
      const candidates = payable.filter((invoice) => invoice.customerId === customerId);
      const allocations: ModelPayment['allocations'] = [];
      for (const pick of operation.picks) {
        if (candidates.length === 0) break;
        const invoice = candidates[pick.invoice % candidates.length]!;
        if (allocations.some((allocation) => allocation.invoiceId === invoice.id)) continue;
        const open = openOf(invoice);
        const amountMinor = pick.mode === 'open' ? open : Math.max(1, Math.floor((open * pick.perMille) / 1000));
        allocations.push({ invoiceId: invoice.id, amountMinor, amountNokMinor: clearedNokFor(invoice, amountMinor), releasedMinor: 0, releasedNokMinor: 0 });
      }
      const allocatedMinor = sum(allocations, (allocation) => allocation.amountMinor);
      const allocatedNokMinor = sum(allocations, (allocation) => allocation.amountNokMinor);
      let body: Record<string, unknown>;
      let model: Omit<ModelPayment, 'id' | 'voucher' | 'journalEntryId'>;
      if (currency === 'EUR') {
        if (allocations.length === 0) return; // a foreign-currency payment is allocated in full (refusal: foreign_credit)
        const amountNokMinor = Math.max(1, roundDiv(BigInt(allocatedNokMinor) * BigInt(operation.nokPerMille), 1000n));
        body = { ...eurBody(allocatedMinor, amountNokMinor) };
        model = { customerId, currency: 'EUR', amountMinor: allocatedMinor, amountNokMinor, allocations, creditMinor: 0, reversed: false };
      } else {
        // Nothing to allocate: a prepayment, all of it the customer's credit.
        const creditMinor = allocations.length === 0 ? Math.max(1, operation.extraMinor) : operation.extraMinor;
        const amountMinor = allocatedMinor + creditMinor;
        body = { amount: ore(amountMinor) };
        model = { customerId, currency: 'NOK', amountMinor, amountNokMinor: amountMinor, allocations, creditMinor, reversed: false };
      }
      const namesCustomer = operation.namesCustomer || allocations.length === 0;
      const payment = await paymentService.registerPayment(
        ctx,
        paymentCreateSchema.parse({
          ...body,
          paymentDate: operation.paymentDate,
          ...(namesCustomer ? { customerId } : {}),
          payerName: 'Betaler',
          allocations: allocations.map((allocation) => ({ invoiceId: allocation.invoiceId, amount: ore(allocation.amountMinor) })),
        }),
      );
      vouchers++;
      const booked: ModelPayment = { ...model, id: payment.id, voucher: `INN-${vouchers}`, journalEntryId: payment.journalEntryId };
      payments.push(booked);
      expect(payment).toMatchObject({
        status: 'booked',
        customerId,
        paymentDate: operation.paymentDate,
        currency: booked.currency,
        amountMinor: booked.amountMinor,
        amountNokMinor: booked.amountNokMinor,
        ledgerAccount: '1920',
        voucher: booked.voucher,
        unallocatedMinor: booked.creditMinor,
        reversedAt: null,
        reversalJournalEntryId: null,
      });
      expect(payment.exchangeRate === null).toBe(booked.currency === 'NOK');
      const byInvoice = (a: { invoiceId: string }, b: { invoiceId: string }) => a.invoiceId.localeCompare(b.invoiceId);
      expect(payment.allocations.map(({ invoiceId, amountMinor, amountNokMinor }) => ({ invoiceId, amountMinor, amountNokMinor })).sort(byInvoice)).toEqual(
        allocations.map(({ invoiceId, amountMinor, amountNokMinor }) => ({ invoiceId, amountMinor, amountNokMinor })).sort(byInvoice),
      );
      for (const allocation of allocations) invoices.find((invoice) => invoice.id === allocation.invoiceId)!.paidMinor += allocation.amountMinor;
      // The entry: D 1920 the NOK received, C 1500 per allocation and for the credit, the difference on 8060/8160.
      const entries = await allJournalEntries(ctx, payment.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ id: payment.journalEntryId, voucher: booked.voucher, entryDate: operation.paymentDate, sourceType: 'payment', sourceId: payment.id });
      expect(entries[0]!.lines.map(lineOf)).toEqual(expectedPaymentLines(booked));
      count(allocations.length > 1 ? 'payment of several invoices' : allocations.length === 1 ? 'payment of one invoice' : 'prepayment');
      if (booked.creditMinor > 0) count('customer credit');
      if (booked.amountNokMinor !== clearedNokOf(booked)) count('exchange difference');
      if (allocations.some((allocation) => openOf(invoices.find((invoice) => invoice.id === allocation.invoiceId)!) === 0)) count('invoice paid in full');
    };

    const refuse = async (operation: Extract<Operation, { kind: 'refuse' }>) => {
      const target = invoices[operation.invoice % invoices.length]!;
      const open = invoices.filter((invoice) => openOf(invoice) > 0);
      switch (operation.reason) {
        case 'exceeds_open': {
          // More than is open (a paid or credited invoice has nothing open).
          const amountMinor = openOf(target) + operation.excessMinor;
          const body = target.currency === 'NOK' ? { amount: ore(amountMinor) } : eurBody(amountMinor, toNok(amountMinor, target.rateMicros));
          await expectRefused({ ...body, paymentDate: TODAY, allocations: [{ invoiceId: target.id, amount: ore(amountMinor) }] }, [
            { path: 'allocations.0.amount', code: 'allocation.exceeds_open' },
          ]);
          return;
        }
        case 'currency_mismatch': {
          const amountMinor = Math.max(1, Math.min(openOf(target), operation.excessMinor));
          const body = target.currency === 'NOK' ? eurBody(amountMinor, amountMinor * 11) : { amount: ore(amountMinor) };
          await expectRefused({ ...body, paymentDate: TODAY, allocations: [{ invoiceId: target.id, amount: ore(amountMinor) }] }, [
            { path: 'allocations.0.invoiceId', code: 'allocation.currency_mismatch' },
          ]);
          return;
        }
        case 'exceeds_payment': {
          const candidates = open.filter((invoice) => openOf(invoice) >= 2);
          if (candidates.length === 0) return;
          const invoice = candidates[operation.invoice % candidates.length]!;
          const allocationMinor = Math.max(2, Math.min(openOf(invoice), operation.excessMinor + 1));
          const paid = allocationMinor - 1 - (operation.other % (allocationMinor - 1)); // 1 … allocation − 1
          const body = invoice.currency === 'NOK' ? { amount: ore(paid) } : eurBody(paid, toNok(paid, invoice.rateMicros));
          await expectRefused({ ...body, paymentDate: TODAY, allocations: [{ invoiceId: invoice.id, amount: ore(allocationMinor) }] }, [
            { path: 'allocations', code: 'allocation.exceeds_payment' },
          ]);
          return;
        }
        case 'foreign_credit': {
          // A EUR payment with more than its allocations (or none) would leave a foreign-currency credit.
          const candidates = open.filter((invoice) => invoice.currency === 'EUR');
          const customerId = customers[operation.other % customers.length]!;
          if (candidates.length === 0) {
            await expectRefused({ ...eurBody(operation.excessMinor, operation.excessMinor * 11), paymentDate: TODAY, customerId }, [
              { path: 'allocations', code: 'payment.foreign_credit' },
            ]);
            return;
          }
          const invoice = candidates[operation.invoice % candidates.length]!;
          const allocationMinor = Math.max(1, Math.floor(openOf(invoice) / 2));
          const amountMinor = allocationMinor + operation.excessMinor;
          await expectRefused(
            { ...eurBody(amountMinor, toNok(amountMinor, invoice.rateMicros)), paymentDate: TODAY, allocations: [{ invoiceId: invoice.id, amount: ore(allocationMinor) }] },
            [{ path: 'allocations', code: 'payment.foreign_credit' }],
          );
          return;
        }
        case 'several_customers': {
          const pairs = open.flatMap((first) =>
            open.filter((second) => second.currency === first.currency && second.customerId !== first.customerId).map((second) => [first, second] as const),
          );
          if (pairs.length === 0) return;
          const [first, second] = pairs[operation.invoice % pairs.length]!;
          const amounts = [first, second].map((invoice) => Math.min(openOf(invoice), 1 + (operation.excessMinor % openOf(invoice))));
          const total = amounts[0]! + amounts[1]!;
          const body = first.currency === 'NOK' ? { amount: ore(total) } : eurBody(total, toNok(total, first.rateMicros));
          await expectRefused(
            {
              ...body,
              paymentDate: TODAY,
              allocations: [
                { invoiceId: first.id, amount: ore(amounts[0]!) },
                { invoiceId: second.id, amount: ore(amounts[1]!) },
              ],
            },
            [{ path: 'allocations', code: 'allocation.several_customers' }],
          );
          return;
        }
      }
    };

    const reverse = async (operation: Extract<Operation, { kind: 'reverse' }>) => {
      if (payments.length === 0) return;
      const payment = payments[operation.payment % payments.length]!;
      if (payment.reversed) {
        const before = await snapshot(ctx);
        expect((await appErrorOf(paymentService.reversePayment(ctx, payment.id, { reason: 'Igjen' })))?.code).toBe('payment.already_reversed');
        expect(await snapshot(ctx)).toEqual(before);
        count('refused payment.already_reversed');
        return;
      }
      const reversed = await paymentService.reversePayment(ctx, payment.id, { reason: 'Feil' });
      reversals++;
      payment.reversed = true;
      // Only what the invoices kept is taken back from them (releases went to the payment's credit).
      for (const allocation of payment.allocations) invoices.find((invoice) => invoice.id === allocation.invoiceId)!.paidMinor -= netOf(allocation);
      expect(reversed).toMatchObject({ status: 'reversed', reversalReason: 'Feil', unallocatedMinor: 0, journalEntryId: payment.journalEntryId });
      // The reversal entry mirrors the original line by line: same accounts, customers and order, debit ↔ credit.
      const entries = await allJournalEntries(ctx, payment.id);
      expect(entries).toHaveLength(2);
      const original = entries.find((entry) => entry.id === payment.journalEntryId)!;
      const mirror = entries.find((entry) => entry.id === reversed.reversalJournalEntryId)!;
      expect(mirror).toMatchObject({ voucher: `${payment.voucher}-R`, entryDate: TODAY, sourceType: 'payment_reversal', sourceId: payment.id });
      expect(original.lines.map(lineOf)).toEqual(expectedPaymentLines(payment));
      expect(mirror.lines.map(lineOf)).toEqual(
        original.lines.map((line) => ({ account: line.account, debitMinor: line.creditMinor, creditMinor: line.debitMinor, customerId: line.customerId })),
      );
      count('reversal');
    };

    /** A partial credit note after payments, kept within what is open (so paid + credited ≤ payable). */
    const credit = async (operation: Extract<Operation, { kind: 'credit' }>) => {
      // Mostly an invoice that is partly paid.
      const partlyPaid = invoices.filter((invoice) => invoice.paidMinor > 0 && openOf(invoice) > 0);
      const pool = partlyPaid.length > 0 && operation.perMille % 4 !== 0 ? partlyPaid : invoices;
      const invoice = pool[operation.invoice % pool.length]!;
      const line = invoice.lines[operation.line % invoice.lines.length]!;
      const rate = VAT_BP[line.vatCode]!;
      // Gross = net + net × rate rounded: stay one øre clear of the open amount, and short of the
      // whole line (emptying a line may settle its VAT code's rounding).
      const maxNet = Math.min(line.remainingMinor - 1, Math.floor(((openOf(invoice) - 1) * 10_000) / (10_000 + rate)));
      if (maxNet < 1) return;
      const net = Math.max(1, Math.floor((maxNet * operation.perMille) / 1000));
      const openBefore = openOf(invoice);
      const note = await creditNote(invoice, { lines: [{ invoiceLineId: line.id, amount: ore(net) }] });
      line.remainingMinor -= net;
      expect(note.totals.grossMinor).toBe(net + roundDiv(BigInt(net) * BigInt(rate), 10_000n));
      expect(note.totals.grossMinor).toBeLessThan(openBefore);
      if (invoice.paidMinor > 0) count('credit note after a payment');
    };

    /** A credit note on a paid invoice, in full or of a line, that may exceed what is open. */
    const creditPaid = async (operation: Extract<Operation, { kind: 'creditPaid' }>) => {
      const paid = invoices.filter((invoice) => invoice.paidMinor > 0 && invoice.creditedMinor < invoice.payableMinor);
      if (paid.length === 0) return;
      const foreign = operation.foreign ? paid.filter((invoice) => invoice.currency !== 'NOK') : [];
      const candidates = foreign.length > 0 ? foreign : paid;
      const invoice = candidates[operation.invoice % candidates.length]!;
      const line = invoice.lines[operation.line % invoice.lines.length]!;
      const full = operation.full || foreign.length > 0 || line.remainingMinor < 1;
      const amount = Math.max(1, Math.floor((line.remainingMinor * operation.perMille) / 1000));
      const before = await snapshot(ctx);
      try {
        await creditNote(invoice, full ? { reason: 'Kreditert etter betaling' } : { lines: [{ invoiceLineId: line.id, amount: ore(amount) }] });
      } catch (error) {
        // A line credit whose VAT rounding would take more than is left: refused, nothing changed.
        if (!(error instanceof AppError && ['credit_note.exceeds_invoice', 'credit_note.nothing_to_credit'].includes(error.code))) throw error;
        expect(await snapshot(ctx)).toEqual(before);
        return;
      }
      if (full) for (const entry of invoice.lines) entry.remainingMinor = 0;
      else line.remainingMinor -= amount;
      count('credit note after a payment');
    };

    await expectInvoicesMatchModel();
    const reasons = ['exceeds_open', 'currency_mismatch', 'exceeds_payment', 'foreign_credit', 'several_customers'] as const;
    const sweep = reasons.map((reason) => ({ kind: 'refuse' as const, reason, ...scenario.sweep }));
    for (const operation of [...scenario.operations, ...sweep]) {
      if (operation.kind === 'pay') await pay(operation);
      else if (operation.kind === 'refuse') await refuse(operation);
      else if (operation.kind === 'reverse') await reverse(operation);
      else if (operation.kind === 'creditPaid') await creditPaid(operation);
      else await credit(operation);
      await expectInvoicesMatchModel();
    }

    // ---- per invoice: paid = its booked allocations, as the services list them ----
    for (const invoice of invoices) {
      const listed = await allPayments(ctx, { invoiceId: invoice.id });
      const paid = sum(
        listed.filter((payment) => payment.status === 'booked'),
        (payment) => sum(payment.allocations.filter((allocation) => allocation.invoiceId === invoice.id), (allocation) => allocation.netMinor),
      );
      expect({ invoice: invoice.id, paid }).toEqual({ invoice: invoice.id, paid: invoice.paidMinor });
      const modelPaid = sum(
        payments.filter((payment) => !payment.reversed),
        (payment) => sum(payment.allocations.filter((allocation) => allocation.invoiceId === invoice.id), netOf),
      );
      expect(modelPaid).toBe(invoice.paidMinor);
      expect(listed.map((payment) => payment.id).sort()).toEqual(
        payments.filter((payment) => payment.allocations.some((allocation) => allocation.invoiceId === invoice.id)).map((payment) => payment.id).sort(),
      );
    }

    const storedPayments = await allPayments(ctx);
    expect(storedPayments).toHaveLength(payments.length);
    const booked = payments.filter((payment) => !payment.reversed);

    // ---- per currency: open + booked allocations (net of releases) + credited = invoiced ----
    const stored = await allInvoices(ctx);
    for (const currency of ['NOK', 'EUR']) {
      const mine = stored.filter((document) => document.currency === currency);
      const allocated = sum(
        storedPayments.filter((payment) => payment.status === 'booked' && payment.currency === currency),
        (payment) => sum(payment.allocations, (allocation) => allocation.netMinor),
      );
      expect({
        currency,
        total: sum(mine, (document) => document.openMinor) + allocated + sum(mine, (document) => document.creditedMinor),
      }).toEqual({ currency, total: sum(mine, (document) => document.totals.payableMinor) });
    }
    // The unallocated part of booked payments is the customers' credit: NOK over-payments, and what
    // credit notes released (the only credit a EUR payment can hold); reversed ones hold none.
    for (const customerId of customers) {
      const listed = await allPayments(ctx, { customerId });
      const mine = booked.filter((payment) => payment.customerId === customerId);
      expect({ customerId, credit: sum(listed, (payment) => payment.unallocatedMinor), nok: sum(listed, (payment) => payment.unallocatedNokMinor) }).toEqual({
        customerId,
        credit: sum(mine, heldOf),
        nok: sum(mine, heldNokOf),
      });
      for (const payment of listed.filter((candidate) => candidate.currency !== 'NOK' && candidate.status === 'booked')) {
        expect(payment.unallocatedMinor).toBe(sum(payment.allocations, (allocation) => allocation.releasedMinor));
      }
    }
    expect(storedPayments.filter((payment) => payment.status === 'reversed').every((payment) => payment.unallocatedMinor === 0)).toBe(true);

    // ---- the books ----
    const expectBooks = async (bookedNow: ModelPayment[]) => {
      const entries = await allJournalEntries(ctx);
      expect(entries).toHaveLength(invoices.length + notes.length + payments.length + reversals);
      for (const entry of entries) {
        expect({ voucher: entry.voucher, debit: sum(entry.lines, (line) => line.debitMinor) }).toEqual({
          voucher: entry.voucher,
          debit: sum(entry.lines, (line) => line.creditMinor),
        });
        for (const line of entry.lines) {
          expect(line.debitMinor).toBeGreaterThanOrEqual(0);
          expect(line.creditMinor).toBeGreaterThanOrEqual(0);
          expect(line.debitMinor === 0 || line.creditMinor === 0).toBe(true);
        }
      }
      // 8060/8160 appear only in the entries (and reversals) of foreign-currency payments; 8060 is
      // credited on booking, 8160 debited.
      const currencyOf = new Map(payments.map((payment) => [payment.id, payment.currency]));
      for (const entry of entries) {
        const fxLines = entry.lines.filter((line) => FX_ACCOUNTS.includes(line.account));
        if (fxLines.length === 0) continue;
        expect(entry.sourceType === 'payment' || entry.sourceType === 'payment_reversal').toBe(true);
        expect(currencyOf.get(entry.sourceId)).not.toBe('NOK');
      }

      const balance = await journal.trialBalance(ctx, { includeTest: true });
      expect(balance.totalDebitMinor).toBe(balance.totalCreditMinor);
      expect(sum(balance.accounts, (row) => row.balanceMinor)).toBe(0);
      const balanceOf = (account: string) => balance.accounts.find((row) => row.account === account)?.balanceMinor ?? 0;
      const invoicedNok = sum(invoices, (invoice) => invoice.grossNokMinor);
      const creditedNok = sum(notes, (note) => note.totals.grossNokMinor);
      expect(creditedNok).toBe(sum(invoices, (invoice) => invoice.creditNotesNokMinor));
      const clearedNok = sum(bookedNow, (payment) => sum(payment.allocations, (allocation) => allocation.amountNokMinor));
      const customerCredit = sum(bookedNow, (payment) => payment.creditMinor);
      expect({ account: '1500', balance: balanceOf('1500') }).toEqual({ account: '1500', balance: invoicedNok - creditedNok - clearedNok - customerCredit });
      expect({ account: '1920', balance: balanceOf('1920') }).toEqual({ account: '1920', balance: sum(bookedNow, (payment) => payment.amountNokMinor) });
      // Agio is a credit (negative balance), disagio a debit: together minus (NOK received − NOK cleared).
      const fxDifference = sum(bookedNow, (payment) => payment.amountNokMinor - clearedNokOf(payment));
      expect(sum(bookedNow.filter((payment) => payment.currency === 'NOK'), (payment) => payment.amountNokMinor - clearedNokOf(payment))).toBe(0);
      expect({ fx: balanceOf('8060') + balanceOf('8160') }).toEqual({ fx: 0 - fxDifference });
      expect(balanceOf('8060')).toBe(0 - sum(bookedNow, (payment) => Math.max(0, payment.amountNokMinor - clearedNokOf(payment))));
      expect(balanceOf('8160')).toBe(sum(bookedNow, (payment) => Math.max(0, clearedNokOf(payment) - payment.amountNokMinor)));

      // Per invoice, what it still has on 1500 in NOK; a settled one has nothing.
      const openNokOf = (invoice: ModelInvoice) =>
        invoice.grossNokMinor -
        invoice.creditNotesNokMinor -
        sum(bookedNow.flatMap((payment) => payment.allocations.filter((allocation) => allocation.invoiceId === invoice.id)), netNokOf);
      for (const invoice of invoices) {
        if (openOf(invoice) === 0) expect({ invoice: invoice.id, openNok: openNokOf(invoice) }).toEqual({ invoice: invoice.id, openNok: 0 });
        if (invoice.currency === 'NOK') expect(openNokOf(invoice)).toBe(openOf(invoice));
      }
      // Per customer (the 1500 lines carry the customer): invoices − credit notes − cleared − credit,
      // which is open receivables − the credit the payments hold, as the customer's balance shows it.
      for (const customerId of customers) {
        const receivable = sum(
          entries.flatMap((entry) => entry.lines.filter((line) => line.account === '1500' && line.customerId === customerId)),
          (line) => line.debitMinor - line.creditMinor,
        );
        const mine = invoices.filter((invoice) => invoice.customerId === customerId);
        const myPayments = bookedNow.filter((payment) => payment.customerId === customerId);
        expect({ customerId, receivable }).toEqual({
          customerId,
          receivable:
            sum(mine, (invoice) => invoice.grossNokMinor - invoice.creditNotesNokMinor) -
            sum(myPayments, (payment) => sum(payment.allocations, (allocation) => allocation.amountNokMinor) + payment.creditMinor),
        });
        const open = sum(mine, openNokOf);
        const held = sum(myPayments, heldNokOf);
        expect({ customerId, receivable }).toEqual({ customerId, receivable: open - held });
        const balance = await paymentService.customerBalance(ctx, customerId, { includeTest: true });
        expect({ open: balance.openReceivablesNokMinor, credit: balance.unappliedCreditNokMinor, net: balance.netBalanceNokMinor }).toEqual({
          open,
          credit: held,
          net: receivable,
        });
      }
    };
    await expectBooks(booked);
    // Vouchers are gap-free: refused payments take no number.
    expect(storedPayments.map((payment) => Number(payment.voucher.replace(/^INN-/, ''))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: payments.length }, (_, index) => index + 1),
    );

    // ---- reverse everything: the invoices are open as before any payment ----
    const seen = new Map(stats);
    for (const [index] of payments.entries()) {
      if (!payments[index]!.reversed) await reverse({ kind: 'reverse', payment: index });
    }
    for (const invoice of invoices) expect(invoice.paidMinor).toBe(0);
    await expectInvoicesMatchModel();
    for (const document of await allInvoices(ctx)) {
      expect(document.paidMinor).toBe(0);
      expect(document.openMinor).toBe(Math.max(0, document.totals.payableMinor - document.creditedMinor));
      expect(document.status).toBe(document.creditedMinor >= document.totals.payableMinor ? 'credited' : 'issued');
    }
    await expectBooks([]);
    // A second reversal is refused and changes nothing.
    if (payments.length > 0) await reverse({ kind: 'reverse', payment: scenario.sweep.payment });
    if (stats.has('refused payment.already_reversed')) seen.set('refused payment.already_reversed', stats.get('refused payment.already_reversed')!);
    expect(sum(await allPayments(ctx), (payment) => payment.unallocatedMinor)).toBe(0);
    return seen;
  }

  it(
    'keeps invoices, payments and the books consistent',
    async () => {
      const reached = new Set<string>();
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          for (const key of (await runScenario(scenario)).keys()) reached.add(key);
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      // The generators reach every kind of step (over the runs, not in each).
      if (RUNS >= 40 && SEED === undefined) {
        expect([...reached].sort()).toEqual(expect.arrayContaining(STEPS));
      }
    },
    600_000,
  );

  it('releases to a EUR payment when its EUR invoice is credited in full (a fixed scenario through the same model and checks)', async () => {
    const scenario: Scenario = {
      customers: 1,
      invoices: [{ customer: 0, currency: 'EUR', rateMicros: 11_500_000, lines: [{ quantityMicros: 2_000_000, unitPriceMinor: 123_45, vatCode: '3' }], credit: { type: 'none' } }],
      operations: [
        { kind: 'pay', customer: 0, currency: 'EUR', picks: [{ invoice: 0, mode: 'open', perMille: 1 }], extraMinor: 0, nokPerMille: 1_013, namesCustomer: true, paymentDate: '2026-11-25' },
        { kind: 'creditPaid', invoice: 0, line: 0, full: true, foreign: true, perMille: 1_000 },
      ],
      sweep: { invoice: 0, other: 0, excessMinor: 1, payment: 0 },
    };
    const reached = await runScenario(scenario);
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['release from a EUR payment', 'credit released to the customer', 'credit note after a payment', 'exchange difference']));
  });

  /**
   * Regression (found by this property run): an allocation clears round(amount × invoice rate) on
   * 1500, but the invoice debited 1500 with the sum of its VAT codes' NOK amounts, each rounded (and
   * credit notes likewise). The allocation that settles an invoice therefore clears what is left of
   * its NOK, the difference going to agio/disagio, so the receivable ends at exactly zero.
   */
  it('clears the NOK receivable of a foreign-currency invoice that is paid in full', async () => {
    const { invoices, customers, payments } = harness.runtime.services;
    const ctx = await freshCompany();
    const receivableOf = async (customerId: string) =>
      sum(
        (await allJournalEntries(ctx)).flatMap((entry) => entry.lines.filter((line) => line.account === '1500' && line.customerId === customerId)),
        (line) => line.debitMinor - line.creditMinor,
      );
    const issue = async (customerId: string, lines: Array<{ unitPrice: string; vatCode: string }>) => {
      const draft = await invoices.createDraft(
        ctx,
        invoiceCreateSchema.parse({
          customerId,
          deliveryDate: '2026-11-20',
          currency: 'EUR',
          exchangeRate: '11.50',
          lines: lines.map((line, index) => ({ description: `Linje ${index + 1}`, quantity: '1', ...line })),
        }),
      );
      return invoices.issueInvoice(ctx, draft.id);
    };
    const payEur = (invoiceId: string, amount: string, amountNok: string) =>
      payments.registerPayment(ctx, paymentCreateSchema.parse({ paymentDate: TODAY, currency: 'EUR', amount, amountNok, allocations: [{ invoiceId, amount }] }));

    // Two VAT codes: 0.01 EUR at 25 % and 0.01 EUR at 15 % (VAT 0.00 each) → 0.12 + 0.12 NOK on
    // 1500; 0.02 EUR at the rate would be 0.23 NOK, but paying it all clears all 0.24.
    const first = (await customers.createCustomer(ctx, makeCustomerInput())).id;
    const twoCodes = await issue(first, [
      { unitPrice: '0.01', vatCode: '3' },
      { unitPrice: '0.01', vatCode: '31' },
    ]);
    expect(twoCodes.totals).toMatchObject({ payableMinor: 2, grossNokMinor: 24 });
    expect((await payEur(twoCodes.id, '0.02', '0.23')).allocations[0]!.amountNokMinor).toBe(24);
    // One code, paid in two parts: 0.02 EUR → 0.23 NOK on 1500; 0.01 EUR clears 0.12, the last 0.01 the 0.11 left.
    const second = (await customers.createCustomer(ctx, makeCustomerInput())).id;
    const twoParts = await issue(second, [{ unitPrice: '0.02', vatCode: '5' }]);
    expect(twoParts.totals).toMatchObject({ payableMinor: 2, grossNokMinor: 23 });
    expect((await payEur(twoParts.id, '0.01', '0.12')).allocations[0]!.amountNokMinor).toBe(12);
    expect((await payEur(twoParts.id, '0.01', '0.12')).allocations[0]!.amountNokMinor).toBe(11);
    for (const id of [twoCodes.id, twoParts.id]) expect(await invoices.getInvoice(ctx, id)).toMatchObject({ status: 'paid', openMinor: 0 });

    // Both invoices are paid and nothing else happened: each customer owes nothing.
    expect({ first: await receivableOf(first), second: await receivableOf(second) }).toEqual({ first: 0, second: 0 });
  });
  /**
   * Releases in EUR carry the NOK that leaves the invoice's receivable at zero, even when the
   * allocations' NOK were rounded apart: 0,02 EUR at 11,50 (0,23 NOK) paid as 0,01 (clears 0,12)
   * and 0,01 (the 0,11 left); a credit note of 0,01 EUR (0,12 NOK) releases the newer 0,01 EUR
   * with 0,12 NOK, one øre more than that allocation cleared, so the invoice is at zero on 1500
   * and the customer's 1500 is minus the credit's NOK.
   */
  it('releases the NOK that leaves a settled EUR invoice at zero on 1500', async () => {
    const { invoices, customers, payments } = harness.runtime.services;
    const ctx = await freshCompany();
    const customerId = (await customers.createCustomer(ctx, makeCustomerInput())).id;
    const draft = await invoices.createDraft(
      ctx,
      invoiceCreateSchema.parse({ customerId, deliveryDate: '2026-11-20', currency: 'EUR', exchangeRate: '11.50', lines: [{ description: 'Linje', quantity: '1', unitPrice: '0.02', vatCode: '5' }] }),
    );
    const invoice = await invoices.issueInvoice(ctx, draft.id);
    expect(invoice.totals).toMatchObject({ payableMinor: 2, grossNokMinor: 23 });
    const pay = () => payments.registerPayment(ctx, paymentCreateSchema.parse({ paymentDate: TODAY, currency: 'EUR', amount: '0.01', amountNok: '0.12', allocations: [{ invoiceId: invoice.id, amount: '0.01' }] }));
    const first = await pay();
    const second = await pay();
    expect([first.allocations[0]!.amountNokMinor, second.allocations[0]!.amountNokMinor]).toEqual([12, 11]);
    const note = await invoices.createCreditNote(ctx, invoice.id, creditNoteCreateSchema.parse({ lines: [{ invoiceLineId: invoice.lines[0]!.id, amount: '0.01' }] }));
    expect(note.totals).toMatchObject({ grossMinor: 1, grossNokMinor: 12 });
    expect(await invoices.getInvoice(ctx, invoice.id)).toMatchObject({ status: 'paid', paidMinor: 1, openMinor: 0 });
    expect(await payments.getPayment(ctx, second.id)).toMatchObject({ unallocatedMinor: 1, unallocatedNokMinor: 12 });
    expect(await payments.getPayment(ctx, first.id)).toMatchObject({ unallocatedMinor: 0, unallocatedNokMinor: 0 });
    const receivable = sum(
      (await allJournalEntries(ctx)).flatMap((entry) => entry.lines.filter((line) => line.account === '1500' && line.customerId === customerId)),
      (line) => line.debitMinor - line.creditMinor,
    );
    expect(receivable).toBe(-12);
    expect(await payments.customerBalance(ctx, customerId)).toMatchObject({ openReceivablesNokMinor: 0, unappliedCreditNokMinor: 12, netBalanceNokMinor: -12 });
  });
});
