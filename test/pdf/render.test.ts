import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock.js';
import { creditNoteCreateSchema, invoiceCreateSchema } from '../../src/app/invoice.schemas.js';
import {
  formatBankAccountForPrint,
  formatDate,
  formatDecimal,
  formatMinor,
  formatPercent,
  formatQuantity,
} from '../../src/domain/document/format.js';
import { documentLabels } from '../../src/domain/document/labels.js';
import { DOCUMENT_DESIGNS, DOCUMENT_FONTS } from '../../src/domain/document/template-settings.js';
import type { InvoiceDocument } from '../../src/domain/invoice/invoice.js';
import type { Language } from '../../src/domain/party.js';
import { UNITS } from '../../src/domain/units.js';
import { makeCustomerInput } from '../helpers/factories.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { newCompanyContext } from '../helpers/service-context.js';
import { asExtracted, contentStreams, extractPdf, type ExtractedPdf } from './pdf-text.js';
import {
  BUSINESS_BUYER,
  invoiceSpec,
  jpegHeader,
  makePng,
  manyLines,
  PRIVATE_BUYER,
  renderDocument,
  renderInvoice,
  SELLER,
} from './fixtures.js';

/**
 * Real pdfkit output, read back with pdfjs: every mandatory item of
 * bokføringsforskriften §§ 5-1-1/5-1-2 is printed, for each design and language,
 * business and private buyers, foreign currency, credit notes and long invoices.
 */

const A4 = { width: 595.28, height: 841.89 };

function unit(code: string, language: Language): string {
  const found = UNITS.find((entry) => entry.code === code)!;
  return language === 'nb' ? found.labelNb : found.labelEn;
}

/** Whether `wanted` occurs in `words` in this order, allowing other words between (a wrapped cell). */
function containsInOrder(words: string[], wanted: string[]): boolean {
  for (let from = words.indexOf(wanted[0]!); from >= 0; from = words.indexOf(wanted[0]!, from + 1)) {
    let position = from;
    const ok = wanted.every((word) => {
      const found = words.indexOf(word, position);
      if (found < 0 || found - position > 12) return false;
      position = found + 1;
      return true;
    });
    if (ok) return true;
  }
  return false;
}

/** Every item the law requires, as it must appear in the extracted text. */
function expectMandatoryItems(pdf: ExtractedPdf, doc: InvoiceDocument, language: Language): void {
  const labels = documentLabels(language);
  const text = pdf.text;
  const seller = doc.seller!;
  const missing: string[] = [];
  const want = (value: string, what: string) => {
    if (!text.includes(asExtracted(value))) missing.push(`${what}: ${JSON.stringify(value)}`);
  };
  // Seller: name, org. no. with MVA, Foretaksregisteret, address.
  want(seller.legalName, 'seller name');
  want(`${labels.orgNumber} 974 760 673 MVA`, 'seller org. no. + MVA');
  want('Foretaksregisteret', 'Foretaksregisteret');
  want(seller.address.line1!, 'seller address');
  want(`${seller.address.postalCode} ${seller.address.city}`, 'seller postal address');
  // Buyer: name and address, org. no. for a business.
  want(doc.buyer.name, 'buyer name');
  want(doc.buyer.address.line1!, 'buyer address');
  want(`${doc.buyer.address.postalCode} ${doc.buyer.address.city}`, 'buyer postal address');
  if (doc.buyer.kind === 'business') want(`${labels.orgNumber} 923 609 016`, 'buyer org. no.');
  // Number and dates.
  const isCredit = doc.kind === 'credit_note';
  want(`${isCredit ? labels.creditNoteNumber : labels.invoiceNumber} ${doc.documentNumber}`, 'document number');
  want(`${isCredit ? labels.creditNoteDate : labels.issueDate} ${formatDate(doc.issueDate!)}`, 'issue date');
  want(`${labels.deliveryDate} ${formatDate(doc.deliveryDate!)}`, 'delivery date');
  if (!isCredit) want(`${labels.dueDate} ${formatDate(doc.dueDate!)}`, 'due date');
  // Lines: description (possibly wrapped over several lines), quantity, unit, unit price, discount, VAT rate, net.
  const words = text.split(/\s+/);
  for (const line of doc.lines) {
    if (!containsInOrder(words, line.description!.split(' '))) missing.push(`line description: ${line.description}`);
    want(formatQuantity(line.quantity), 'line quantity');
    want(unit(line.unitCode, language), 'line unit');
    want(formatDecimal(line.unitPrice!), 'line unit price');
    if (Number(line.discountPercent) !== 0) want(formatPercent(line.discountPercent), 'line discount');
    want(formatPercent(line.vatRatePercent), 'line VAT rate');
    want(formatMinor(line.netMinor), 'line net');
  }
  // VAT per rate, totals.
  for (const entry of doc.vatBreakdown) {
    want(formatMinor(entry.taxableMinor), 'VAT base');
    want(formatMinor(entry.vatMinor), 'VAT amount');
  }
  want(`${labels.netTotal} ${formatMinor(doc.totals.netMinor)}`, 'net total');
  want(`${labels.vatTotal} ${formatMinor(doc.totals.vatMinor)}`, 'VAT total');
  want(`${labels.grossTotal} ${formatMinor(doc.totals.grossMinor)}`, 'gross total');
  want(`${isCredit ? labels.creditTotal : labels.payable} ${formatMinor(doc.totals.payableMinor)} ${doc.currency}`, 'amount to pay');
  // Payment box: account, KID, amount, due date.
  if (!isCredit) {
    want(labels.payment, 'payment box');
    want(formatBankAccountForPrint(seller.bankAccount!), 'account number');
    want(doc.kid!, 'KID');
  }
  expect(missing.join('\n'), `missing on the ${language} document`).toBe('');
}

function expectA4(pdf: ExtractedPdf): void {
  for (const page of pdf.pages) {
    expect(page.width).toBeCloseTo(A4.width, 2);
    expect(page.height).toBeCloseTo(A4.height, 2);
  }
}

describe('invoice PDFs (pdfkit, read back with pdfjs)', () => {
  it('a business invoice in Norwegian carries every mandatory item on one A4 page', async () => {
    const { doc, bytes } = await renderInvoice(invoiceSpec());
    const pdf = await extractPdf(bytes);
    expect(pdf.pages).toHaveLength(1);
    expectA4(pdf);
    expectMandatoryItems(pdf, doc, 'nb');
    expect(pdf.text).toContain('Faktura');
    expect(pdf.text).toContain('Side 1 av 1');
    // Norwegian number format: U+00A0 between thousands (extracted as a space), comma decimals.
    expect(pdf.text).toContain('15 625,00');
    expect(pdf.text).not.toContain('TEST');
    expect(pdf.info).toMatchObject({ Title: 'Faktura 1042', Author: 'Fjordkaffe Demo AS', Language: 'nb-NO' });
  });

  it('a private customer in English: English labels, no buyer org. no.', async () => {
    const { doc, bytes } = await renderInvoice(invoiceSpec({ buyer: { ...PRIVATE_BUYER, language: 'en' } }), { template: { design: 'modern' } });
    const pdf = await extractPdf(bytes);
    expectMandatoryItems(pdf, doc, 'en');
    expect(pdf.text).toContain('Invoice');
    expect(pdf.text).toContain('Amount due');
    expect(pdf.text).toContain('Page 1 of 1');
    expect(pdf.text).toContain('Kari Æsøy Ødegård');
    expect(pdf.text).not.toContain('Faktura');
    expect(pdf.text).not.toContain('923 609 016');
  });

  it('a foreign-currency invoice shows the exchange rate and the VAT in NOK', async () => {
    const { doc, bytes } = await renderInvoice(invoiceSpec({ currency: 'EUR', exchangeRate: '11.4875' }));
    const pdf = await extractPdf(bytes);
    expectMandatoryItems(pdf, doc, 'nb');
    expect(pdf.text).toContain('Valutakurs 1 EUR = 11,4875 NOK');
    expect(pdf.text).toContain('Beløp i EUR');
    expect(doc.totals.vatNokMinor).not.toBe(doc.totals.vatMinor);
    expect(pdf.text).toContain(asExtracted(`Mva i NOK ${formatMinor(doc.totals.vatNokMinor)} NOK`));
    for (const entry of doc.vatBreakdown) {
      expect(pdf.text).toContain(asExtracted(formatMinor(entry.vatNokMinor)));
      expect(pdf.text).toContain(asExtracted(formatMinor(entry.taxableNokMinor)));
    }
    expect(pdf.text).toContain(asExtracted(`Å betale ${formatMinor(doc.totals.payableMinor)} EUR`));
  });

  it('a credit note says "Kreditnota" and names the credited invoice and its date; no payment box', async () => {
    const { doc, bytes } = await renderInvoice(
      invoiceSpec({
        kind: 'credit_note',
        number: 7,
        documentNumber: 'KN-7',
        kid: null,
        dueDate: null,
        creditedInvoice: { id: 'x', documentNumber: '1042', issueDate: '2026-11-20' },
        creditReason: 'Feil antall timer',
      }),
    );
    const pdf = await extractPdf(bytes);
    expectMandatoryItems(pdf, doc, 'nb');
    expect(pdf.text).toContain('Kreditnota');
    expect(pdf.text).toContain('Kreditnota for faktura 1042 datert 20.11.2026');
    expect(pdf.text).toContain('Feil antall timer');
    expect(pdf.text).toContain('Til gode');
    expect(pdf.text).not.toContain('Å betale');
    expect(pdf.text).not.toContain('Betalingsinformasjon');
  });

  it('a 150-line invoice breaks over pages: header repeated, "Side X av N", every line present once', async () => {
    const { doc, bytes } = await renderInvoice(invoiceSpec({ lines: manyLines(150) }));
    const pdf = await extractPdf(bytes);
    const count = pdf.pages.length;
    expect(count).toBeGreaterThanOrEqual(4);
    expectA4(pdf);
    pdf.pages.forEach((page, index) => {
      expect(page.text, `page ${index + 1}`).toContain(`Side ${index + 1} av ${count}`);
      expect(page.lines.some((line) => line.startsWith('Beskrivelse') && line.includes('Beløp')), `table header on page ${index + 1}`).toBe(true);
      if (index > 0) expect(page.text).toContain('Faktura 1042 (forts.)');
    });
    for (let index = 1; index <= 150; index++) {
      const label = `Vare nr. ${String(index).padStart(3, '0')}`;
      expect(pdf.text.split(label).length - 1, label).toBe(1);
    }
    for (const line of doc.lines) expect(pdf.text).toContain(asExtracted(formatMinor(line.netMinor)));
    // The totals and the payment box come once, after the last line.
    const last = pdf.pages[count - 1]!.text;
    expect(last).toContain(asExtracted(`Å betale ${formatMinor(doc.totals.payableMinor)} NOK`));
    expect(pdf.text.split('Betalingsinformasjon').length - 1).toBe(1);
    expectMandatoryItems(pdf, doc, 'nb');
  });

  for (const design of DOCUMENT_DESIGNS) {
    for (const language of ['nb', 'en'] as const) {
      it(`design ${design} in ${language}: every mandatory item`, async () => {
        const { doc, bytes } = await renderInvoice(invoiceSpec({ buyer: { ...BUSINESS_BUYER, language } }), { template: { design } });
        const pdf = await extractPdf(bytes);
        expect(pdf.pages).toHaveLength(1);
        expectA4(pdf);
        expectMandatoryItems(pdf, doc, language);
      });
    }
  }

  it('each font of the shipped set prints æøå, U+00A0 and U+2212', async () => {
    for (const font of DOCUMENT_FONTS) {
      const { bytes } = await renderInvoice(
        invoiceSpec({ lines: [{ description: 'Fradrag for forskudd æøå ÆØÅ', quantity: '-1', unitPrice: '1234.50' }, { description: 'Arbeid', quantity: '2', unitPrice: '1000' }] }),
        { template: { font } },
      );
      const pdf = await extractPdf(bytes);
      expect(pdf.text, font).toContain('æøå ÆØÅ');
      expect(pdf.text, font).toContain('\u22121 234,50');
      // The font has both glyphs and the ToUnicode map names them, so copy and paste gives U+00A0 and U+2212.
      const streams = contentStreams(bytes);
      expect(streams, font).toMatch(/<00a0>/);
      expect(streams, font).toMatch(/<2212>/);
    }
  });

  it('characters outside the shared font subset still print, extract, and do not leak into the next document', async () => {
    const exotic = 'Łukasz Żółć – Straße Ωmega ŉ';
    for (const font of DOCUMENT_FONTS) {
      const spec = invoiceSpec({
        buyer: { ...PRIVATE_BUYER, name: exotic },
        lines: [{ description: 'Tłumaczenie ĳ ǅ', quantity: '1', unitPrice: '100' }],
      });
      const pdf = await extractPdf((await renderInvoice(spec, { template: { font } })).bytes);
      expect(pdf.text, font).toContain('Łukasz Żółć');
      expect(pdf.text, font).toContain('Straße');
      expect(pdf.text, font).toContain('Ωmega');
      expect(pdf.text, font).toContain('Tłumaczenie');
      // The next plain document is unaffected: same bytes as rendering it before any exotic text.
      const plain = await renderInvoice(invoiceSpec(), { template: { font } });
      const again = await renderInvoice(invoiceSpec(), { template: { font } });
      expect(again.bytes.equals(plain.bytes), font).toBe(true);
      expect((await extractPdf(plain.bytes)).text, font).not.toContain('Łukasz');
    }
  });

  it('test mode prints a TEST mark on every page; a draft prints UTKAST and no number', async () => {
    const test = await extractPdf((await renderInvoice(invoiceSpec({ isTest: true, documentNumber: 'TEST-3', lines: manyLines(60) }))).bytes);
    expect(test.pages.length).toBeGreaterThan(1);
    for (const page of test.pages) expect(page.text).toContain('TEST Testdokument – ikke gyldig');

    const draft = await extractPdf(
      (await renderInvoice(invoiceSpec({ status: 'draft', number: null, documentNumber: null, kid: null }))).bytes,
    );
    expect(draft.text).toContain('UTKAST');
    expect(draft.text).not.toContain('Fakturanr.');
  });

  it('the same document renders to identical bytes', async () => {
    const first = await renderInvoice(invoiceSpec(), { template: { design: 'compact' } });
    const second = await renderInvoice(invoiceSpec(), { template: { design: 'compact' } });
    expect(second.bytes.equals(first.bytes)).toBe(true);
    const other = await renderInvoice(invoiceSpec({ number: 1043 }), { template: { design: 'compact' } });
    expect(other.bytes.equals(first.bytes)).toBe(false);
  });

  it('a seller outside the VAT register: no "MVA", no VAT column, a note instead', async () => {
    const seller = { ...SELLER, isVatRegistered: false, isInForetaksregisteret: false };
    const { bytes } = await renderInvoice(invoiceSpec({ seller }));
    const pdf = await extractPdf(bytes);
    expect(pdf.text).toContain('Org.nr. 974 760 673');
    expect(pdf.text).not.toContain('974 760 673 MVA');
    expect(pdf.text).not.toContain('Foretaksregisteret');
    expect(pdf.text).toContain('Selger er ikke registrert i Merverdiavgiftsregisteret.');
    expect(pdf.text).not.toContain('Mva-spesifikasjon');
  });

  it('reverse charge prints the statutory wording', async () => {
    const { bytes } = await renderInvoice(invoiceSpec({ lines: [{ description: 'Byggearbeid', quantity: '10', unitCode: 'HUR', unitPrice: '900', vatCode: '51' }] }));
    const pdf = await extractPdf(bytes);
    expect(pdf.text).toContain('Omvendt avgiftsplikt – Merverdiavgift ikke beregnet');
    expect(pdf.text).toContain('0 % (omvendt avgiftsplikt)');
  });

  it('embeds a PNG logo with transparency and a JPEG logo as images, and the accent colour', async () => {
    const png = makePng(120, 40, [200, 30, 30]);
    const withPng = await renderInvoice(invoiceSpec(), { template: { accentColor: '#12ab34' }, logo: { bytes: png, width: 120, height: 40 } });
    const streams = contentStreams(withPng.bytes);
    expect(withPng.bytes.toString('latin1')).toMatch(/\/Subtype \/Image[\s\S]*\/SMask/);
    expect(streams).toMatch(/\/I1 Do/);
    // #12ab34 as a fill colour: 18/255 171/255 52/255.
    expect(streams).toMatch(/0\.0706 0\.6706 0\.2039 rg/);
    const withJpeg = await renderInvoice(invoiceSpec(), { logo: { bytes: jpegHeader(300, 100), width: 300, height: 100 } });
    expect(withJpeg.bytes.toString('latin1')).toContain('/DCTDecode');
    const pdf = await extractPdf(withPng.bytes);
    expectMandatoryItems(pdf, withPng.doc, 'nb');
  });
});

/** Øre from an amount as printed and extracted: "−1 234,50" (U+2212, thousands by space). */
function printedMinor(amount: string): number {
  const match = /^(\u2212)?(\d{1,3}(?: \d{3})*),(\d{2})$/.exec(amount);
  if (!match) throw new Error(`not a printed amount: ${JSON.stringify(amount)}`);
  const minor = Number(match[2]!.replace(/ /g, '')) * 100 + Number(match[3]);
  return match[1] ? -minor : minor;
}

/** The amount printed right after `label` (at the end of its line, or before the currency). */
function amountAfter(text: string, label: string): number {
  const escaped = asExtracted(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped} (\u2212?\\d{1,3}(?: \\d{3})*,\\d{2})(?: [A-Z]{3})?$`, 'm').exec(text);
  if (!match) throw new Error(`no amount after ${JSON.stringify(label)} in:\n${text}`);
  return printedMinor(match[1]!);
}

describe('document-level allowances and charges in the totals block', () => {
  const TODAY = '2026-11-26';
  let harness: Harness;
  let invoice: InvoiceDocument;
  let creditNote: InvoiceDocument;

  beforeAll(async () => {
    // Made through the real services (SQLite: this is about printing, not the database).
    harness = await createHarness('sqlite', { clock: fixedClock(`${TODAY}T10:00:00Z`) });
    const { services } = harness.runtime;
    const ctx = await newCompanyContext(harness, {
      company: {
        legalName: SELLER.legalName,
        orgNumber: SELLER.orgNumber,
        address: { line1: 'Bryggen 1', postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
        bankAccount: SELLER.bankAccount,
      },
    });
    const customer = await services.customers.createCustomer(
      ctx,
      makeCustomerInput({
        name: BUSINESS_BUYER.name,
        orgNumber: BUSINESS_BUYER.orgNumber,
        address: { line1: 'Storgata 12', line2: 'Bygg B', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
      }),
    );
    const draft = await services.invoices.createDraft(
      ctx,
      invoiceCreateSchema.parse({
        customerId: customer.id,
        deliveryDate: '2026-11-20',
        orderReference: 'PO-77',
        lines: [
          { description: 'Rådgivning', quantity: '10', unitCode: 'HUR', unitPrice: '1250.00', vatCode: '3' },
          { description: 'Kaffebønner', quantity: '8', unitCode: 'KGM', unitPrice: '250.00', vatCode: '31' },
        ],
        allowanceCharges: [
          { type: 'allowance', reason: 'Fast kunderabatt', reasonCode: '95', amount: '500.00', vatCode: '3' },
          { type: 'allowance', reason: 'Kvantumsrabatt', reasonCode: '95', percent: '10', vatCode: '31' },
          { type: 'charge', reason: 'Frakt', reasonCode: 'FC', amount: '250.00', vatCode: '3' },
        ],
      }),
    );
    invoice = await services.invoices.issueInvoice(ctx, draft.id);
    creditNote = await services.invoices.createCreditNote(ctx, invoice.id, creditNoteCreateSchema.parse({ reason: 'Feil levering' }));
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('the services made the document the tests expect (the figures the PDFs must show)', () => {
    expect(invoice.allowanceCharges.map((entry) => [entry.type, entry.reason, entry.amountMinor, entry.percent, entry.baseMinor, entry.vatRatePercent])).toEqual([
      ['allowance', 'Fast kunderabatt', 50000, null, null, '25'],
      ['allowance', 'Kvantumsrabatt', 20000, '10', 200000, '15'],
      ['charge', 'Frakt', 25000, null, null, '25'],
    ]);
    // 12 500 + 2 000 − 500 − 200 + 250 = 14 050; VAT 25 % of 12 250 = 3 062,50, 15 % of 1 800 = 270.
    expect(invoice.totals).toMatchObject({ lineTotalMinor: 1450000, allowanceTotalMinor: 70000, chargeTotalMinor: 25000, netMinor: 1405000, vatMinor: 333250, payableMinor: 1738250 });
    expect(creditNote.kind).toBe('credit_note');
    expect(creditNote.allowanceCharges.map((entry) => [entry.type, entry.reason, entry.netMinor, entry.percent])).toEqual([
      ['allowance', 'Fast kunderabatt', -50000, null],
      ['allowance', 'Kvantumsrabatt', -20000, null],
      ['charge', 'Frakt', 25000, null],
    ]);
    expect(creditNote.totals.payableMinor).toBe(1738250);
  });

  for (const design of DOCUMENT_DESIGNS) {
    for (const language of ['nb', 'en'] as const) {
      it(`design ${design} in ${language}: line total, each allowance and charge with reason, percentage and VAT rate, and the payable amount`, async () => {
        const labels = documentLabels(language);
        const { bytes } = await renderDocument(invoice, invoice.seller!, { template: { design }, language });
        const pdf = await extractPdf(bytes);
        expect(pdf.pages).toHaveLength(1);
        expectMandatoryItems(pdf, invoice, language);
        const text = pdf.text;
        const allowance = language === 'nb' ? 'Rabatt' : 'Allowance';
        const charge = language === 'nb' ? 'Tillegg' : 'Charge';
        const vat = language === 'nb' ? 'mva' : 'VAT';
        const of = language === 'nb' ? 'av' : 'of';
        expect(labels.allowance).toBe(allowance);
        expect(labels.charge).toBe(charge);
        expect(text).toContain(`${language === 'nb' ? 'Sum linjer' : 'Line total'} 14 500,00`);
        expect(text).toContain(`${allowance}: Fast kunderabatt \u2212500,00`);
        expect(text).toContain(`${allowance}: Kvantumsrabatt \u2212200,00`);
        expect(text).toContain(`${charge}: Frakt 250,00`);
        expect(text).toContain(`10 % ${of} 2 000,00 · ${vat} 15 %`);
        expect(text.split(`${vat} 25 %`).length - 1).toBe(2);
        // The printed rows add up: line total − allowances + charges = net total; the last row is the payable amount.
        const printed = [`${allowance}: Fast kunderabatt`, `${allowance}: Kvantumsrabatt`, `${charge}: Frakt`].map((label) => amountAfter(text, label));
        expect(printed).toEqual([-50000, -20000, 25000]);
        expect(amountAfter(text, labels.lineTotal) + printed.reduce((sum, value) => sum + value, 0)).toBe(amountAfter(text, labels.netTotal));
        expect(amountAfter(text, labels.netTotal)).toBe(1405000);
        expect(amountAfter(text, labels.payable)).toBe(invoice.totals.payableMinor);
        expect(text).toContain(asExtracted(`${labels.payable} 17 382,50 NOK`));
        // The rows stand between the lines' sum and the net total, in the document's order.
        const order = [labels.lineTotal, `${allowance}: Fast kunderabatt`, `${allowance}: Kvantumsrabatt`, `${charge}: Frakt`, labels.netTotal, labels.payable];
        const at = order.map((label) => text.indexOf(label));
        expect(at.every((position) => position >= 0)).toBe(true);
        expect([...at].sort((a, b) => a - b)).toEqual(at);
      });
    }
  }

  for (const design of DOCUMENT_DESIGNS) {
    it(`design ${design}: a full credit note shows them the same way, as amounts (no percentage)`, async () => {
      const { bytes } = await renderDocument(creditNote, creditNote.seller!, { template: { design } });
      const pdf = await extractPdf(bytes);
      expectMandatoryItems(pdf, creditNote, 'nb');
      const text = pdf.text;
      expect(text).toContain('Kreditnota');
      expect(text).toContain('Sum linjer 14 500,00');
      expect(text).toContain('Rabatt: Fast kunderabatt \u2212500,00');
      expect(text).toContain('Rabatt: Kvantumsrabatt \u2212200,00');
      expect(text).toContain('Tillegg: Frakt 250,00');
      expect(text).not.toContain('10 % av');
      expect(text).toContain('mva 15 %');
      expect(amountAfter(text, 'Til gode')).toBe(creditNote.totals.payableMinor);
      expect(text).toContain('Til gode 17 382,50 NOK');
      expect(text).not.toContain('Å betale');
    });
  }

  it('an invoice without allowances prints no "Sum linjer" and no allowance rows', async () => {
    const pdf = await extractPdf((await renderInvoice(invoiceSpec())).bytes);
    expect(pdf.text).not.toContain('Sum linjer');
    expect(pdf.text).not.toContain('Rabatt:');
    expect(pdf.text).not.toContain('Tillegg:');
  });

  for (const design of DOCUMENT_DESIGNS) {
    it(`design ${design}: 20 allowances and charges after many lines stay together with the totals, each printed once`, async () => {
      const allowanceCharges = Array.from({ length: 20 }, (_, index) =>
        index % 4 === 3
          ? { type: 'charge' as const, reason: `Gebyr nr. ${index + 1}`, amount: `${10 + index}.00` }
          : { type: 'allowance' as const, reason: `Rabatt nr. ${index + 1}`, ...(index % 2 === 0 ? { percent: '1' } : { amount: `${20 + index}.00` }) },
      );
      for (const lineCount of [25, 40]) {
        const { doc, bytes } = await renderInvoice(invoiceSpec({ lines: manyLines(lineCount), allowanceCharges }), { template: { design } });
        expect(doc.allowanceCharges).toHaveLength(20);
        const pdf = await extractPdf(bytes);
        const count = pdf.pages.length;
        expect(count, `${design} ${lineCount}`).toBeGreaterThan(1);
        pdf.pages.forEach((page, index) => expect(page.text).toContain(`Side ${index + 1} av ${count}`));
        const pageOf = (label: string) => pdf.pages.findIndex((page) => page.text.includes(label));
        const totalsPage = pageOf('Sum linjer ');
        expect(totalsPage, `${design} ${lineCount}`).toBeGreaterThanOrEqual(0);
        for (const entry of doc.allowanceCharges) {
          const label = `${entry.type === 'allowance' ? 'Rabatt' : 'Tillegg'}: ${entry.reason}`;
          expect(pdf.text.split(`${label} `).length - 1, label).toBe(1);
          expect(pageOf(`${label} `), `${design} ${lineCount} ${label}`).toBe(totalsPage);
          expect(amountAfter(pdf.text, label)).toBe(entry.netMinor);
        }
        expect(pageOf('Sum eks. mva')).toBe(totalsPage);
        expect(pageOf('Å betale')).toBe(totalsPage);
        expect(amountAfter(pdf.text, 'Å betale')).toBe(doc.totals.payableMinor);
        expectMandatoryItems(pdf, doc, 'nb');
      }
    });
  }
});
