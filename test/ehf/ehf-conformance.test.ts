import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import type { CompanyContext } from '../../src/app/context.js';
import { creditNoteCreateSchema, invoiceCreateSchema } from '../../src/app/invoice.schemas.js';
import { ehfUnitCode, formatAmount, toEhfXml } from '../../src/domain/ehf/ehf-document.js';
import { AppError } from '../../src/domain/errors.js';
import type { InvoiceDocument } from '../../src/domain/invoice/invoice.js';
import { UNIT_CODES } from '../../src/domain/units.js';
import {
  CONFORMANCE_DIR,
  describeFindings,
  type Finding,
  requireValidator,
  shouldSkipConformance,
  validateEhfFiles,
} from '../helpers/conformance.js';
import { makeIssuedInvoice } from '../helpers/ehf-documents.js';
import { makeCustomerInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { newCompanyContext } from '../helpers/service-context.js';

/**
 * The EHF scenario matrix (issue #5): documents made through the real services
 * (company, customers, drafts, issue, credit notes on SQLite), written by the EHF
 * service and checked with ../shared/conformance/ehf/validate-ehf — all files in ONE
 * call. Every scenario must have 0 fatal and 0 warning findings.
 *
 * "Known limits" are documents EHF cannot express; the service refuses them
 * (ehf.not_representable). Their XML, written anyway by the pure writer, goes through
 * the same validator call and must fail with exactly the rule the refusal names — so
 * if Peppol ever changes that rule, this test says so. A known-bad official example
 * rides along as a control that fatal findings are seen at all.
 *
 * KEEP_EHF=1 keeps the written files (their folder is printed) to read or validate by hand.
 */

const TODAY = '2026-11-26';
const clock = fixedClock(`${TODAY}T10:00:00Z`);
const PDF_BASE64 = Buffer.from('%PDF-1.4\n% Fakturaflyt test attachment\n%%EOF\n').toString('base64');

/** The named scenarios (each one test); the randomised documents come on top. */
const MATRIX = [
  'several-rates-25-15-12-11.11',
  'zero-rated-exempt-and-standard',
  'reverse-charge-AE',
  'outside-scope-O-only (registered seller)',
  'export-G-foreign-buyer-SEK',
  'line-discounts-and-deductions',
  'foreign-currency-EUR-with-NOK-VAT',
  'public-sector-buyer-with-buyer-reference',
  '150-lines',
  'escaping-and-unicode',
  'credit-note-full',
  'credit-note-partial-by-quantity',
  'credit-note-partial-by-amount',
  'credit-note-final-rest',
  'credit-note-foreign-currency-EUR',
  'credit-note-of-discounts-and-deductions',
  'document-allowances-and-charges',
  'document-allowances-foreign-currency-EUR',
  'credit-note-full-with-allowances-and-charges',
  'credit-note-partial-of-an-allowance-invoice',
  'credit-note-final-rest-with-allowances',
  'private-person-buyer-with-peppol-address',
  'seller-not-vat-registered',
  'seller-not-vat-registered-credit-note',
  'seller-not-in-foretaksregisteret',
  'test-mode-document',
  'pdf-attachment-embedded',
  'writer-rounding-amount',
  'writer-foreign-currency-iban-bic',
  'limit-private-person-without-peppol-address',
  'limit-no-buyer-or-order-reference',
  'limit-category-O-mixed-with-S',
] as const;

interface Scenario {
  name: string;
  document: InvoiceDocument;
  xml: string;
  /** Findings this scenario must have exactly (rule ids); [] for a conformant one. */
  expected: Array<Pick<Finding, 'severity' | 'rule'>>;
  /** When set, the service must refuse this document with this issue code. */
  refusedWith?: string;
  /** Made by the EHF service (which embeds the archived PDF), not by the pure writer alone. */
  viaService?: boolean;
}

/** Swedish organisation number (Peppol 0007) with its Luhn check digit. */
function swedishOrgNumber(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((char, index) => {
    const digit = Number(char) * (index % 2 === 0 ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  });
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** Deterministic PRNG (mulberry32) for the randomised documents. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true, attributeNamePrefix: '@' });
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const textOf = (value: unknown): string => (typeof value === 'object' && value !== null ? String((value as { '#text': unknown })['#text']) : String(value));

describe.skipIf(shouldSkipConformance('EHF conformance matrix'))('EHF conformance matrix (Peppol BIS Billing 3.0, validate-ehf)', () => {
  let harness: Harness;
  let directory: string;
  const scenarios: Scenario[] = [];
  const findingsByName = new Map<string, Finding[]>();
  const contextOf = new Map<string, CompanyContext>();
  const controlFile = path.join(CONFORMANCE_DIR, 'ehf', 'examples', 'bad', '02-wrong-vat-total.xml');
  let controlFindings: Finding[] = [];
  // The golden files of the writer's unit tests (test/ehf/ehf-document.test.ts) are validated in place.
  const goldenFiles = ['invoice.xml', 'credit-note.xml'].map((file) => path.resolve(import.meta.dirname, '../fixtures/ehf', file));
  let goldenFindings: Finding[] = [];

  beforeAll(async () => {
    requireValidator();
    harness = await createHarness('sqlite', { clock });
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fakturaflyt-ehf-'));
    const { services } = harness.runtime;

    const company = (overrides: Record<string, unknown> = {}) => newCompanyContext(harness, { company: overrides });
    const customer = async (ctx: CompanyContext, overrides: Record<string, unknown> = {}) =>
      (await services.customers.createCustomer(ctx, makeCustomerInput(overrides))).id;
    const issue = async (ctx: CompanyContext, customerId: string, body: Record<string, unknown>) => {
      const draft = await services.invoices.createDraft(ctx, invoiceCreateSchema.parse({ customerId, deliveryDate: '2026-11-20', ...body }));
      return services.invoices.issueInvoice(ctx, draft.id);
    };
    const credit = (ctx: CompanyContext, invoiceId: string, body: Record<string, unknown> = {}) =>
      services.invoices.createCreditNote(ctx, invoiceId, creditNoteCreateSchema.parse(body));
    /** A conformant scenario: written by the EHF service itself. */
    const add = async (name: string, ctx: CompanyContext, document: InvoiceDocument) => {
      const exported = await services.ehf.exportEhf(ctx, document.id);
      contextOf.set(document.id, ctx);
      scenarios.push({ name, document: exported.document, xml: exported.xml, expected: [], viaService: true });
    };
    /** A document the service must refuse; its XML is written by the pure writer for the validator. */
    const addLimit = async (name: string, ctx: CompanyContext, document: InvoiceDocument, refusedWith: string, expected: Scenario['expected']) => {
      contextOf.set(document.id, ctx);
      scenarios.push({ name, document, xml: toEhfXml(document), expected, refusedWith });
    };

    // --- a VAT-registered AS in Foretaksregisteret (the common case) ---
    const seller = await company({ legalName: 'Fjordkaffe Matrix AS', email: 'faktura@fjordkaffe.example', phone: '+47 22 33 44 55' });
    const business = await customer(seller, { name: 'Kjøper & Sønn AS', customerNumber: 42 });

    const severalRates = await issue(seller, business, {
      orderReference: 'PO-2026-118',
      ourReference: 'Kari Selger',
      freeText: 'Takk for handelen',
      lines: [
        { description: 'Rådgivning', quantity: '7.5', unitCode: 'HUR', unitPrice: '1250.00', vatCode: '3' },
        { description: 'Kaffe, 1 kg', quantity: '12', unitCode: 'KGM', unitPrice: '189.90', vatCode: '31' },
        { description: 'Persontransport', quantity: '3', unitPrice: '333.33', vatCode: '33' },
        { description: 'Råfisk (torsk)', quantity: '250.125', unitCode: 'KGM', unitPrice: '38.7', vatCode: '32' },
      ],
    });
    await add('several-rates-25-15-12-11.11', seller, severalRates);

    await add('zero-rated-exempt-and-standard', seller, await issue(seller, business, {
      buyerReference: 'Avd. 7',
      lines: [
        { description: 'Konsulenttime', quantity: '1', unitPrice: '1000', vatCode: '3' },
        { description: 'Aviser (nullsats)', quantity: '10', unitPrice: '49.00', vatCode: '5' },
        { description: 'Utleie av bolig (unntatt)', quantity: '1', unitCode: 'MON', unitPrice: '12500', vatCode: '6' },
      ],
    }));

    await add('reverse-charge-AE', seller, await issue(seller, business, {
      orderReference: 'PO-AE-1',
      lines: [{ description: 'Klimakvoter', quantity: '100', unitPrice: '812.5', vatCode: '51' }],
    }));

    await add('outside-scope-O-only (registered seller)', seller, await issue(seller, business, {
      orderReference: 'PO-O-1',
      lines: [{ description: 'Viderefakturert gebyr', quantity: '1', unitPrice: '250', vatCode: '7' }],
    }));

    const swede = await customer(seller, {
      name: 'Kaffeimport Sverige AB',
      orgNumber: null,
      peppolId: `0007:${swedishOrgNumber('556036079')}`,
      address: { line1: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', countryCode: 'SE' },
      language: 'en',
    });
    await add('export-G-foreign-buyer-SEK', seller, await issue(seller, swede, {
      orderReference: 'SE-4471',
      currency: 'SEK',
      exchangeRate: '0.9712',
      lines: [{ description: 'Brent kaffe, eksport', quantity: '40', unitCode: 'KGM', unitPrice: '310', vatCode: '52' }],
    }));

    const discounts = await issue(seller, business, {
      orderReference: 'PO-RABATT',
      lines: [
        { description: 'Kaffemaskin', quantity: '2', unitPrice: '14999.00', discountPercent: '10', vatCode: '3' },
        { description: 'Kopper', quantity: '24', unitPrice: '39.9', discountPercent: '12.5', vatCode: '3' },
        { description: 'Gratis prøvepakke', quantity: '1', unitPrice: '99', discountPercent: '100', vatCode: '31' },
        { description: 'Timer', quantity: '2.25', unitCode: 'HUR', unitPrice: '1234.5678', discountPercent: '7.25', vatCode: '3' },
        { description: 'Returnert kopp (fradrag)', quantity: '-3', unitPrice: '39.9', discountPercent: '12.5', vatCode: '3' },
        { description: 'Avtalt prisavslag', quantity: '1', unitPrice: '-500', vatCode: '3' },
      ],
    });
    await add('line-discounts-and-deductions', seller, discounts);

    const euro = await issue(seller, business, {
      buyerReference: 'EUR-kunde',
      currency: 'EUR',
      exchangeRate: '11.4567',
      lines: [
        { description: 'Consulting', quantity: '13', unitCode: 'HUR', unitPrice: '145.55', vatCode: '3' },
        { description: 'Coffee beans', quantity: '7', unitCode: 'KGM', unitPrice: '18.35', vatCode: '31', discountPercent: '5' },
      ],
    });
    await add('foreign-currency-EUR-with-NOK-VAT', seller, euro);

    const publicBuyer = await customer(seller, {
      name: 'Trøndelag fylkeskommune',
      orgNumber: '817920632',
      peppolId: '0192:817920632',
      address: { line1: 'Fylkets hus', postalCode: '7735', city: 'Steinkjer', countryCode: 'NO' },
    });
    await add('public-sector-buyer-with-buyer-reference', seller, await issue(seller, publicBuyer, {
      buyerReference: '4711-Innkjøp',
      deliveryDate: null,
      deliveryPeriod: { start: '2026-10-01', end: '2026-10-31' },
      deliveryAddress: { line1: 'Skolegata 3', postalCode: '7713', city: 'Steinkjer', countryCode: 'NO' },
      lines: [{ description: 'Kaffeavtale oktober', quantity: '1', unitCode: 'MON', unitPrice: '8400', vatCode: '31' }],
    }));

    const descriptions = ['Espresso', 'Filterkaffe', 'Kaffebønner', 'Te', 'Kakao', 'Service', 'Frakt', 'Leie'];
    const codes = ['3', '31', '33', '32', '5', '6'];
    const many = await issue(seller, business, {
      orderReference: 'PO-150',
      lines: Array.from({ length: 150 }, (_, index) => ({
        description: `${descriptions[index % descriptions.length]} nr. ${index + 1}`,
        quantity: `${(index % 7) + 1}.${index % 4}`,
        unitCode: UNIT_CODES[index % UNIT_CODES.length], // every UN/ECE Rec 20 unit we offer (BR-CL-23)
        unitPrice: `${(index * 37) % 900 + 1}.${String(index % 100).padStart(2, '0')}`,
        discountPercent: index % 5 === 0 ? '5' : '0',
        vatCode: codes[index % codes.length],
      })),
    });
    expect(many.lines).toHaveLength(150);
    await add('150-lines', seller, many);

    await add('escaping-and-unicode', seller, await issue(seller, await customer(seller, { name: 'Bøker & <Blader> "AS"' }), {
      buyerReference: "O'Brien & Co <innkjøp>",
      freeText: 'Linje 1 & 2 < 3 > 0\nNy linje: æøå ÆØÅ – “sitat” 😀',
      lines: [{ description: 'Kaffe & kake <gratis> "i dag"\nAndre linje: Ærlig øl på å', quantity: '1', unitPrice: '10', vatCode: '3' }],
    }));

    // --- credit notes: full, partial by quantity, partial by amount, the final rest, in EUR ---
    await add('credit-note-full', seller, await credit(seller, severalRates.id, { reason: 'Feil levert' }));
    const partlyCredited = await issue(seller, business, {
      orderReference: 'PO-KN',
      lines: [
        { description: 'Kaffemaskin', quantity: '3', unitPrice: '1999.99', vatCode: '3', discountPercent: '3' },
        { description: 'Kaffe', quantity: '7', unitPrice: '123.45', vatCode: '31' },
      ],
    });
    await add('credit-note-partial-by-quantity', seller, await credit(seller, partlyCredited.id, {
      lines: [{ invoiceLineId: partlyCredited.lines[0]!.id, quantity: '1' }],
      reason: 'En maskin returnert',
    }));
    await add('credit-note-partial-by-amount', seller, await credit(seller, partlyCredited.id, {
      lines: [{ invoiceLineId: partlyCredited.lines[1]!.id, amount: '100.01' }],
    }));
    await add('credit-note-final-rest', seller, await credit(seller, partlyCredited.id, { reason: 'Resten kreditert' }));
    await add('credit-note-foreign-currency-EUR', seller, await credit(seller, euro.id, {
      lines: [{ invoiceLineId: euro.lines[0]!.id, quantity: '2.5' }],
    }));
    await add('credit-note-of-discounts-and-deductions', seller, await credit(seller, discounts.id));

    // --- document-level allowances and charges (BG-20/21): amount and percentage, with and without reason code ---
    const allowanceInvoice = await issue(seller, business, {
      orderReference: 'PO-AC-1',
      lines: [
        { description: 'Kaffemaskin', quantity: '2', unitPrice: '14999.00', vatCode: '3' },
        { description: 'Service, time', quantity: '3.5', unitCode: 'HUR', unitPrice: '1234.5678', discountPercent: '5', vatCode: '3' },
        { description: 'Kaffe, 1 kg', quantity: '17', unitCode: 'KGM', unitPrice: '189.90', vatCode: '31' },
        { description: 'Te, 250 g', quantity: '9', unitPrice: '64.45', vatCode: '31' },
      ],
      allowanceCharges: [
        { type: 'allowance', reason: 'Avtalerabatt', reasonCode: '95', amount: '1500.00', vatCode: '3' },
        { type: 'allowance', reason: 'Kvantumsrabatt kaffe og te', reasonCode: '95', percent: '10', vatCode: '31' },
        { type: 'charge', reason: 'Frakt', reasonCode: 'FC', amount: '349.00', vatCode: '3' },
        { type: 'charge', reason: 'Ekspedisjonsgebyr', amount: '49.50', vatCode: '3' },
      ],
    });
    expect(allowanceInvoice.allowanceCharges.map((entry) => [entry.type, entry.reasonCode, entry.amountMinor, entry.percent, entry.baseMinor])).toEqual([
      ['allowance', '95', 150000, null, null],
      // 10 % of 17 × 189.90 + 9 × 64.45 = 3 808.35 → 380.835 → 380.84 (rounded once)
      ['allowance', '95', 38084, '10', 380835],
      ['charge', 'FC', 34900, null, null],
      ['charge', null, 4950, null, null],
    ]);
    await add('document-allowances-and-charges', seller, allowanceInvoice);

    const allowanceEuro = await issue(seller, business, {
      buyerReference: 'EUR-kunde',
      currency: 'EUR',
      exchangeRate: '11.4567',
      lines: [
        { description: 'Consulting', quantity: '13', unitCode: 'HUR', unitPrice: '145.55', vatCode: '3' },
        { description: 'Coffee beans', quantity: '7', unitCode: 'KGM', unitPrice: '18.35', vatCode: '31', discountPercent: '5' },
      ],
      allowanceCharges: [
        { type: 'allowance', reason: 'Loyalty discount', reasonCode: '95', percent: '2.5', vatCode: '3' },
        { type: 'allowance', reason: 'Agreed discount', amount: '10.00', vatCode: '31' },
        { type: 'charge', reason: 'Freight', reasonCode: 'FC', percent: '7.25', vatCode: '31' },
      ],
    });
    await add('document-allowances-foreign-currency-EUR', seller, allowanceEuro);
    await add('credit-note-full-with-allowances-and-charges', seller, await credit(seller, allowanceInvoice.id, { reason: 'Hele leveransen returnert' }));

    const allowancePartly = await issue(seller, business, {
      orderReference: 'PO-AC-2',
      lines: [
        { description: 'Kaffemaskin', quantity: '3', unitPrice: '1999.99', vatCode: '3', discountPercent: '3' },
        { description: 'Kaffe', quantity: '7', unitPrice: '123.45', vatCode: '31' },
        { description: 'Kopper', quantity: '24', unitPrice: '39.90', vatCode: '3' },
      ],
      allowanceCharges: [
        { type: 'allowance', reason: 'Rabatt 12,5 %', reasonCode: '95', percent: '12.5', vatCode: '3' },
        { type: 'allowance', reason: 'Avtalt avslag', amount: '50.00', vatCode: '31' },
        { type: 'charge', reason: 'Frakt', reasonCode: 'FC', amount: '250.00', vatCode: '3' },
      ],
    });
    const partialOfAllowanceInvoice = await credit(seller, allowancePartly.id, {
      lines: [
        { invoiceLineId: allowancePartly.lines[0]!.id, quantity: '1' },
        { invoiceLineId: allowancePartly.lines[1]!.id, amount: '100.01' },
      ],
      reason: 'En maskin returnert',
    });
    expect(partialOfAllowanceInvoice.allowanceCharges).toEqual([]);
    await add('credit-note-partial-of-an-allowance-invoice', seller, partialOfAllowanceInvoice);
    const finalRestWithAllowances = await credit(seller, allowancePartly.id, { reason: 'Resten kreditert' });
    expect(finalRestWithAllowances.allowanceCharges.map((entry) => [entry.type, entry.amountMinor, entry.netMinor, entry.percent])).toEqual(
      allowancePartly.allowanceCharges.map((entry) => [entry.type, entry.amountMinor, entry.netMinor, null]),
    );
    await add('credit-note-final-rest-with-allowances', seller, finalRestWithAllowances);

    // --- a private person with a registered PEPPOL id (here a sole trader's): EHF, no legal or VAT id ---
    const personWithId = await customer(seller, {
      kind: 'person',
      name: 'Ola Privat',
      orgNumber: null,
      peppolId: '0192:810305282',
      email: 'ola@privat.example',
    });
    await add('private-person-buyer-with-peppol-address', seller, await issue(seller, personWithId, {
      buyerReference: 'Ola',
      lines: [{ description: 'Kaffekurs', quantity: '2', unitPrice: '990', vatCode: '3' }],
    }));

    // --- an AS below the VAT threshold: no VAT, every line category O ---
    const unregistered = await company({ legalName: 'Liten Start AS', isVatRegistered: false });
    const unregisteredBuyer = await customer(unregistered);
    const unregisteredInvoice = await issue(unregistered, unregisteredBuyer, {
      orderReference: 'PO-UREG',
      lines: [
        { description: 'Kurs', quantity: '2', unitPrice: '1500', vatCode: '3' },
        { description: 'Kursmateriell', quantity: '2', unitPrice: '249.50', vatCode: '31', discountPercent: '10' },
      ],
    });
    await add('seller-not-vat-registered', unregistered, unregisteredInvoice);
    await add('seller-not-vat-registered-credit-note', unregistered, await credit(unregistered, unregisteredInvoice.id));

    // --- a sole proprietorship (VAT-registered, not in Foretaksregisteret) ---
    const soleTrader = await company({ legalName: 'Ola Nordmann Snekkerservice', isInForetaksregisteret: false });
    // NO-R-002 is a warning on every Norwegian seller without "Foretaksregisteret"; writing it for a
    // business that is not registered there would be false (foretaksregisterloven § 10-2 applies to
    // AS/ASA/NUF). So this scenario expects exactly that warning and nothing else.
    const soleInvoice = await issue(soleTrader, await customer(soleTrader), {
      orderReference: 'PO-ENK',
      lines: [{ description: 'Snekkerarbeid', quantity: '6', unitCode: 'HUR', unitPrice: '750', vatCode: '3' }],
    });
    const soleExport = await services.ehf.exportEhf(soleTrader, soleInvoice.id);
    contextOf.set(soleInvoice.id, soleTrader);
    scenarios.push({
      name: 'seller-not-in-foretaksregisteret',
      document: soleExport.document,
      xml: soleExport.xml,
      expected: [{ severity: 'warning', rule: 'NO-R-002' }],
      viaService: true,
    });

    // --- test mode and an embedded PDF ---
    const testCompany = await company({ legalName: 'Prøvefirma AS' });
    await services.invoiceSettings.enableTestMode(testCompany);
    await add('test-mode-document', testCompany, await issue(testCompany, await customer(testCompany), {
      orderReference: 'PO-TEST',
      lines: [{ description: 'Test', quantity: '1', unitPrice: '100', vatCode: '3' }],
    }));
    scenarios.push({
      name: 'pdf-attachment-embedded',
      document: severalRates,
      xml: toEhfXml(severalRates, { pdf: { fileName: 'faktura-1.pdf', base64: PDF_BASE64 } }),
      expected: [],
    });

    // --- the pure writer on fixed documents: paths the services do not produce yet ---
    const fixed = makeIssuedInvoice();
    const cashRounded = { ...fixed, totals: { ...fixed.totals, payableMinor: 281100 } };
    scenarios.push({ name: 'writer-rounding-amount', document: cashRounded, xml: toEhfXml(cashRounded), expected: [] });
    const inEuro = { ...fixed, currency: 'EUR', exchangeRate: '11.4567', totals: { ...fixed.totals, vatNokMinor: 619234 } };
    scenarios.push({ name: 'writer-foreign-currency-iban-bic', document: inEuro, xml: toEhfXml(inEuro), expected: [] });

    // --- randomised documents: random rates, discounts, deductions, currencies, partial credits ---
    const random = prng(20261126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const randomSeller = await company({ legalName: 'Tilfeldig Handel AS' });
    const randomBuyer = await customer(randomSeller);
    for (let run = 0; run < 25; run += 1) {
      const currency = pick(['NOK', 'NOK', 'EUR', 'USD']);
      const lines = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, index) => {
        const cents = Math.floor(random() * 500_000) + 1;
        return {
          description: `Vare ${run}.${index}`,
          quantity: `${random() < 0.1 ? '-' : ''}${1 + Math.floor(random() * 20)}.${Math.floor(random() * 1000)}`,
          unitPrice: `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}${Math.floor(random() * 100)}`,
          discountPercent: random() < 0.3 ? `${Math.floor(random() * 50)}.${Math.floor(random() * 100)}` : '0',
          vatCode: pick(['3', '31', '33', '32', '5', '6']),
        };
      });
      // Document-level allowances and charges on about half of them: amounts and percentages of a VAT code in use.
      const usedCodes = [...new Set(lines.map((line) => line.vatCode))];
      const allowanceCharges = random() < 0.5
        ? Array.from({ length: 1 + Math.floor(random() * 3) }, (_, index) => {
            const type = random() < 0.6 ? 'allowance' : 'charge';
            const reasonCode = random() < 0.5 ? null : type === 'allowance' ? pick(['95', '100', '41']) : pick(['FC', 'ABL', 'PC']);
            const value =
              random() < 0.5
                ? { percent: `${1 + Math.floor(random() * 20)}${random() < 0.5 ? `.${1 + Math.floor(random() * 99)}` : ''}` }
                : { amount: `${1 + Math.floor(random() * 300)}.${String(Math.floor(random() * 100)).padStart(2, '0')}` };
            return { type, reason: `${type === 'allowance' ? 'Rabatt' : 'Gebyr'} ${run}.${index}`, reasonCode, vatCode: pick(usedCodes), ...value };
          })
        : [];
      const invoice = await issue(randomSeller, randomBuyer, {
        orderReference: `R-${run}`,
        currency,
        ...(currency === 'NOK' ? {} : { exchangeRate: `${1 + Math.floor(random() * 12)}.${Math.floor(random() * 10000)}` }),
        lines: lines.some((line) => !line.quantity.startsWith('-')) ? lines : [{ ...lines[0]!, quantity: '1' }],
        allowanceCharges,
      }).catch((error: unknown) => {
        // A random negative total, or a percentage of a VAT code whose items sum to zero or less.
        if (error instanceof AppError && error.code === 'invoice.incomplete') return null;
        throw error;
      });
      if (!invoice) continue;
      await add(`random-${run}-invoice`, randomSeller, invoice);
      const positive = invoice.lines.filter((line) => line.netMinor > 0);
      // Random credits may be refused by the rules of credit notes (e.g. more than a total lowered by deductions).
      const tryCredit = (body: Record<string, unknown>) =>
        credit(randomSeller, invoice.id, body).catch((error: unknown) => {
          if (error instanceof AppError && error.code.startsWith('credit_note.')) return null;
          throw error;
        });
      if (positive.length > 0 && random() < 0.7) {
        const line = pick(positive);
        const amount = (Math.max(1, Math.floor(line.netMinor / 3)) / 100).toFixed(2);
        // Sometimes part of an allowance too (a negative amount, as on the invoice).
        const allowance = invoice.allowanceCharges.find((entry) => entry.type === 'allowance');
        const allowancePart = allowance && random() < 0.5
          ? [{ invoiceLineId: allowance.id, amount: (-Math.max(1, Math.floor(allowance.amountMinor / 4)) / 100).toFixed(2) }]
          : [];
        const note = await tryCredit({ lines: [{ invoiceLineId: line.id, amount }, ...allowancePart] });
        if (note) await add(`random-${run}-partial-credit`, randomSeller, note);
        const rest = await tryCredit({});
        if (rest) await add(`random-${run}-final-credit`, randomSeller, rest);
      }
    }

    // --- known limits: documents EHF cannot express ---
    const person = await customer(seller, { kind: 'person', name: 'Kari Privat', orgNumber: null, email: 'kari@privat.example' });
    await addLimit('limit-private-person-without-peppol-address', seller, await issue(seller, person, {
      buyerReference: 'Kari',
      lines: [{ description: 'Kaffekurs', quantity: '1', unitPrice: '990', vatCode: '3' }],
    }), 'ehf.buyer_address_missing', [{ severity: 'fatal', rule: 'PEPPOL-EN16931-CL008' }]);
    await addLimit('limit-no-buyer-or-order-reference', seller, await issue(seller, business, {
      lines: [{ description: 'Kaffe', quantity: '1', unitPrice: '100', vatCode: '31' }],
    }), 'ehf.reference_missing', [{ severity: 'fatal', rule: 'PEPPOL-EN16931-R003' }]);
    await addLimit('limit-category-O-mixed-with-S', seller, await issue(seller, business, {
      orderReference: 'PO-MIX',
      lines: [
        { description: 'Kaffe', quantity: '1', unitPrice: '100', vatCode: '3' },
        { description: 'Purregebyr', quantity: '1', unitPrice: '35', vatCode: '7' },
      ],
    }), 'ehf.vat_category_o_mixed', [
      { severity: 'fatal', rule: 'BR-O-11' },
      { severity: 'fatal', rule: 'BR-O-12' },
    ]);

    // --- one validator call for everything ---
    const files = scenarios.map((scenario, index) => {
      const file = path.join(directory, `${String(index).padStart(3, '0')}-${scenario.name.replace(/[^A-Za-z0-9.-]+/g, '_')}.xml`);
      fs.writeFileSync(file, scenario.xml);
      return file;
    });
    const run = await validateEhfFiles([...files, ...goldenFiles, controlFile]);
    goldenFindings = goldenFiles.flatMap((file) => run.findings.get(file)!.map((finding) => ({ ...finding, message: `${path.basename(file)}: ${finding.message}` })));
    scenarios.forEach((scenario, index) => findingsByName.set(scenario.name, run.findings.get(files[index]!)!));
    controlFindings = run.findings.get(controlFile)!;
  }, 180_000);

  afterAll(async () => {
    if (directory && process.env.KEEP_EHF) console.log(`EHF scenario files kept in ${directory}`);
    else if (directory) fs.rmSync(directory, { recursive: true, force: true });
    await harness?.close();
  });

  it('covers the matrix (every VAT category in use, credit notes, 150 lines, random documents)', () => {
    const named = scenarios.filter((scenario) => !scenario.name.startsWith('random-')).map((scenario) => scenario.name);
    expect(named.sort()).toEqual([...MATRIX].sort());
    expect(scenarios.filter((scenario) => scenario.name.startsWith('random-')).length).toBeGreaterThanOrEqual(40);
    const conformant = scenarios.filter((scenario) => !scenario.refusedWith);
    const categories = new Set(conformant.flatMap((scenario) => scenario.document.vatBreakdown.map((entry) => entry.category)));
    expect([...categories].sort()).toEqual(['AE', 'E', 'G', 'O', 'S', 'Z']);
    const rates = new Set(conformant.flatMap((scenario) => scenario.document.vatBreakdown.filter((entry) => entry.category === 'S').map((entry) => entry.ratePercent)));
    expect([...rates].sort()).toEqual(['11.11', '12', '15', '25']);
    expect(conformant.filter((scenario) => scenario.document.kind === 'credit_note').length).toBeGreaterThanOrEqual(8);
    const sellers = conformant.map((scenario) => scenario.document.seller!);
    expect(new Set(sellers.map((seller) => seller.isInForetaksregisteret))).toEqual(new Set([true, false]));
    expect(new Set(sellers.map((seller) => seller.isVatRegistered))).toEqual(new Set([true, false]));
    expect(new Set(conformant.map((scenario) => scenario.document.currency))).toEqual(new Set(['NOK', 'EUR', 'SEK', 'USD']));
    const allowanceCharges = conformant.flatMap((scenario) => scenario.document.allowanceCharges.map((entry) => ({ ...entry, kind: scenario.document.kind })));
    expect(new Set(allowanceCharges.map((entry) => `${entry.kind} ${entry.type} ${entry.percent === null ? 'amount' : 'percent'}`))).toEqual(
      new Set(['invoice allowance amount', 'invoice allowance percent', 'invoice charge amount', 'invoice charge percent', 'credit_note allowance amount', 'credit_note charge amount']),
    );
    expect(allowanceCharges.some((entry) => entry.reasonCode === null)).toBe(true);
    const long = conformant.find((scenario) => scenario.document.lines.length === 150);
    expect(new Set(long?.document.lines.map((line) => line.unitCode))).toEqual(new Set(UNIT_CODES));
  });

  it('the golden files of the unit tests conform too', () => {
    expect(goldenFindings, describeFindings(goldenFindings)).toEqual([]);
  });

  it('sees fatal findings at all (control: an official example with a wrong VAT total)', () => {
    expect(controlFindings.filter((finding) => finding.severity === 'fatal').map((finding) => finding.rule)).toEqual(
      expect.arrayContaining(['BR-CO-14', 'BR-CO-15']),
    );
  });

  function expectFindings(scenario: Scenario) {
    const findings = findingsByName.get(scenario.name)!;
    const message = `${scenario.name}:\n${describeFindings(findings)}`;
    const actual = findings.map((finding) => `${finding.severity} ${finding.rule}`);
    const expected = scenario.expected.map((finding) => `${finding.severity} ${finding.rule}`);
    // Exactly the expected rules (each may fire more than once, e.g. per line).
    expect([...new Set(actual)].sort(), message).toEqual([...new Set(expected)].sort());
  }

  it.each(MATRIX)('%s', (name) => {
    const scenario = scenarios.find((candidate) => candidate.name === name);
    expect(scenario, `scenario ${name} was not built`).toBeDefined();
    expectFindings(scenario!);
  });

  it('randomised documents (rates, discounts, deductions, currencies, partial and final credits): 0 findings each', () => {
    const random = scenarios.filter((scenario) => scenario.name.startsWith('random-'));
    const failing = random.filter((scenario) => findingsByName.get(scenario.name)!.length > 0);
    expect(
      failing.map((scenario) => `${scenario.name}:\n${describeFindings(findingsByName.get(scenario.name)!)}`).join('\n\n'),
    ).toBe('');
  });

  it("writes each document's own stored figures, parties and references", () => {
    const amount = (minor: number) => formatAmount(minor);
    for (const { name, document, xml } of scenarios.filter((scenario) => !scenario.refusedWith)) {
      const isCredit = document.kind === 'credit_note';
      const root = parser.parse(xml)[isCredit ? 'CreditNote' : 'Invoice'];
      expect(root, name).toBeDefined();
      expect(root.ID, name).toBe(document.documentNumber);
      expect(root.IssueDate, name).toBe(document.issueDate);
      const totals = root.LegalMonetaryTotal;
      expect([textOf(totals.LineExtensionAmount), textOf(totals.TaxExclusiveAmount), textOf(totals.TaxInclusiveAmount), textOf(totals.PayableAmount)], name).toEqual([
        amount(document.totals.lineTotalMinor),
        amount(document.totals.netMinor),
        amount(document.totals.grossMinor),
        amount(document.totals.payableMinor),
      ]);
      // Document-level allowances and charges: positive amounts (on credit notes too), the totals of each kind (BR-CO-11/12).
      const hasKind = (type: string) => document.allowanceCharges.some((entry) => entry.type === type);
      expect([totals.AllowanceTotalAmount && textOf(totals.AllowanceTotalAmount), totals.ChargeTotalAmount && textOf(totals.ChargeTotalAmount)], name).toEqual([
        hasKind('allowance') ? amount(document.totals.allowanceTotalMinor) : undefined,
        hasKind('charge') ? amount(document.totals.chargeTotalMinor) : undefined,
      ]);
      expect(
        asArray(root.AllowanceCharge).map((entry: any) => [
          entry.ChargeIndicator,
          entry.AllowanceChargeReasonCode ?? null,
          entry.AllowanceChargeReason,
          textOf(entry.Amount),
          entry.MultiplierFactorNumeric ?? null,
          entry.BaseAmount ? textOf(entry.BaseAmount) : null,
          entry.TaxCategory.ID,
          entry.TaxCategory.Percent ?? null,
        ]),
        name,
      ).toEqual(
        document.allowanceCharges.map((entry) => [
          entry.type === 'charge' ? 'true' : 'false',
          entry.reasonCode,
          entry.reason,
          amount(entry.amountMinor),
          entry.percent,
          entry.baseMinor === null ? null : amount(entry.baseMinor),
          entry.vatCategory,
          entry.vatCategory === 'O' ? null : entry.vatRatePercent,
        ]),
      );
      for (const entry of document.allowanceCharges) {
        expect([entry.amountMinor > 0, Math.sign(entry.netMinor)], name).toEqual([true, entry.type === 'charge' ? 1 : -1]);
      }
      const taxTotals = asArray(root.TaxTotal);
      const main = taxTotals.find((total) => total.TaxSubtotal)!;
      expect(textOf(main.TaxAmount), name).toBe(amount(document.totals.vatMinor));
      expect(
        asArray(main.TaxSubtotal).map((sub: any) => [textOf(sub.TaxableAmount), textOf(sub.TaxAmount), sub.TaxCategory.ID, sub.TaxCategory.Percent ?? null]),
        name,
      ).toEqual(
        document.vatBreakdown.map((entry) => [amount(entry.taxableMinor), amount(entry.vatMinor), entry.category, entry.category === 'O' ? null : entry.ratePercent]),
      );
      if (document.currency === 'NOK') {
        expect(root.TaxCurrencyCode, name).toBeUndefined();
        expect(taxTotals, name).toHaveLength(1);
      } else {
        expect(root.TaxCurrencyCode, name).toBe('NOK');
        const nok = taxTotals.find((total) => !total.TaxSubtotal)!;
        expect([nok.TaxAmount['@currencyID'], textOf(nok.TaxAmount)], name).toEqual(['NOK', amount(document.totals.vatNokMinor)]);
      }
      const lines = asArray(root[isCredit ? 'CreditNoteLine' : 'InvoiceLine']);
      expect(lines.map((line: any) => textOf(line.LineExtensionAmount)), name).toEqual(document.lines.map((line) => amount(line.netMinor)));
      lines.forEach((line: any, index: number) => {
        const stored = document.lines[index]!;
        const quantity = line[isCredit ? 'CreditedQuantity' : 'InvoicedQuantity'];
        expect(quantity['@unitCode'], name).toBe(ehfUnitCode(stored.unitCode));
        // Price never negative (BR-27); quantity × price keeps the stored line's sign.
        const price = Number(textOf(line.Price.PriceAmount));
        expect(price, name).toBeGreaterThanOrEqual(0);
        if (stored.netMinor !== 0) expect(Math.sign(Number(textOf(quantity)) * price), name).toBe(Math.sign(stored.netMinor));
      });
      const sellerParty = root.AccountingSupplierParty.Party;
      const schemes = asArray(sellerParty.PartyTaxScheme).map((scheme: any) => [scheme.CompanyID, scheme.TaxScheme.ID]);
      const hasO = document.vatBreakdown.some((entry) => entry.category === 'O');
      const vatId = document.seller!.isVatRegistered && !hasO ? [[`NO${document.seller!.orgNumber}MVA`, 'VAT']] : [];
      const register = document.seller!.isInForetaksregisteret ? [['Foretaksregisteret', 'TAX']] : [];
      expect(schemes, name).toEqual([...vatId, ...register]);
      expect([sellerParty.EndpointID['@schemeID'], textOf(sellerParty.EndpointID)], name).toEqual(['0192', document.seller!.orgNumber]);
      const endpoint = root.AccountingCustomerParty.Party.EndpointID;
      const expectedEndpoint = document.buyer.peppolId ?? `0192:${document.buyer.orgNumber}`;
      expect(`${endpoint['@schemeID']}:${textOf(endpoint)}`, name).toBe(expectedEndpoint);
      if (isCredit) {
        expect(root.BillingReference.InvoiceDocumentReference, name).toEqual({
          ID: document.creditedInvoice!.documentNumber,
          IssueDate: document.creditedInvoice!.issueDate,
        });
        expect(root.PaymentMeans, name).toBeUndefined();
      } else {
        expect(root.DueDate, name).toBe(document.dueDate);
        expect(root.PaymentMeans.PaymentID, name).toBe(document.kid);
        const { bankAccount, iban } = document.seller!;
        const account = iban && (document.currency !== 'NOK' || !bankAccount) ? iban : bankAccount;
        expect(root.PaymentMeans.PayeeFinancialAccount.ID, name).toBe(account);
      }
    }
  });

  it('a private person with a PEPPOL id is addressed by it, with neither a legal id nor a VAT id for the buyer', () => {
    const scenario = scenarios.find((candidate) => candidate.name === 'private-person-buyer-with-peppol-address')!;
    expect(scenario.document.buyer).toMatchObject({ kind: 'person', orgNumber: null, peppolId: '0192:810305282' });
    const party = parser.parse(scenario.xml).Invoice.AccountingCustomerParty.Party;
    expect([party.EndpointID['@schemeID'], textOf(party.EndpointID)]).toEqual(['0192', '810305282']);
    expect(party.PartyLegalEntity).toEqual({ RegistrationName: 'Ola Privat' });
    expect(party.PartyTaxScheme).toBeUndefined();
    expect(findingsByName.get(scenario.name)).toEqual([]);
  });

  it('the service embeds the archived PDF: the same bytes GET …/pdf serves', async () => {
    const made = scenarios.filter((scenario) => scenario.viaService);
    expect(made.length).toBeGreaterThan(40);
    for (const scenario of made) {
      const root = parser.parse(scenario.xml)[scenario.document.kind === 'credit_note' ? 'CreditNote' : 'Invoice'];
      const embedded = root.AdditionalDocumentReference?.Attachment?.EmbeddedDocumentBinaryObject;
      expect(embedded?.['@mimeCode'], scenario.name).toBe('application/pdf');
      const bytes = Buffer.from(textOf(embedded), 'base64');
      expect(bytes.subarray(0, 5).toString('latin1'), scenario.name).toBe('%PDF-');
      if (scenario.name === 'credit-note-full' || scenario.name === 'several-rates-25-15-12-11.11') {
        const archived = await harness.runtime.services.documentPdfs.getDocumentPdf(contextOf.get(scenario.document.id)!, scenario.document.id);
        expect(bytes.equals(Buffer.from(archived.bytes)), scenario.name).toBe(true);
        expect(embedded['@filename'], scenario.name).toBe(archived.filename);
      }
    }
  });

  it('the service refuses what EHF cannot express, naming the reason', async () => {
    const refused = scenarios.filter((scenario) => scenario.refusedWith);
    expect(refused).toHaveLength(3);
    for (const scenario of refused) {
      const ctx = contextOf.get(scenario.document.id)!;
      const error = await harness.runtime.services.ehf.exportEhf(ctx, scenario.document.id).catch((caught: unknown) => caught);
      expect(error, scenario.name).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('ehf.not_representable');
      expect((error as AppError).issues?.map((issue) => issue.code)).toEqual([scenario.refusedWith]);
    }
  });
});
