import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buyerEndpoint,
  EHF_CUSTOMIZATION_ID,
  EHF_PROFILE_ID,
  ehfFileName,
  ehfUnitCode,
  findEhfProblems,
  formatAmount,
  toEhfXml,
} from '../../src/domain/ehf/ehf-document.js';
import type { AllowanceCharge, InvoiceDocument } from '../../src/domain/invoice/invoice.js';
import { makeIssuedCreditNote, makeIssuedInvoice, makeLine } from '../helpers/ehf-documents.js';

/**
 * The pure writer (src/domain/ehf/ehf-document.ts) on fixed documents, without a
 * database (small tier; it lives in test/ because its fixtures do). Conformance (XSD +
 * EN 16931 + Peppol rules) of these and of documents made by the services is checked
 * with the official validator in test/ehf/ehf-conformance.test.ts; the golden files
 * below are part of that run too. Regenerate them with UPDATE_GOLDEN=1 after an intended change.
 */

const GOLDEN_DIR = path.resolve(import.meta.dirname, '../fixtures/ehf');
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true, attributeNamePrefix: '@' });
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const text = (value: unknown): string => (typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)['#text']) : String(value));

function parse(document: InvoiceDocument, pdf?: { fileName: string; base64: string }) {
  const parsed = parser.parse(toEhfXml(document, pdf ? { pdf } : {}));
  return parsed.Invoice ?? parsed.CreditNote;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('golden files', () => {
  it.each([
    ['invoice.xml', () => makeIssuedInvoice()],
    ['credit-note.xml', () => makeIssuedCreditNote()],
  ])('%s is what the writer produces', (file, make) => {
    const xml = toEhfXml(make());
    const golden = path.join(GOLDEN_DIR, file);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, xml);
    expect(xml).toBe(fs.readFileSync(golden, 'utf8'));
  });
});

describe('formatAmount: øre as a decimal with exactly two places', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [50, '0.50'],
    [-5, '-0.05'],
    [-100, '-1.00'],
    [123456, '1234.56'],
    [-123456, '-1234.56'],
    [90071992547409, '900719925474.09'],
  ])('%d → %s', (minor, expected) => {
    expect(formatAmount(minor)).toBe(expected);
  });

  it('refuses anything that is not a whole number of øre', () => {
    expect(() => formatAmount(1.5)).toThrow(RangeError);
    expect(() => formatAmount(Number.NaN)).toThrow(RangeError);
  });
});

describe('toEhfXml: the invoice', () => {
  it('is a pure function: same document, same XML; the document is not touched', () => {
    const document = deepFreeze(makeIssuedInvoice());
    expect(toEhfXml(document)).toBe(toEhfXml(document));
  });

  it('has the Peppol BIS 3.0 identifiers, number, dates, type, currency and references', () => {
    const invoice = parse(makeIssuedInvoice());
    expect(invoice.CustomizationID).toBe(EHF_CUSTOMIZATION_ID);
    expect(invoice.ProfileID).toBe(EHF_PROFILE_ID);
    expect([invoice.ID, invoice.IssueDate, invoice.DueDate, invoice.InvoiceTypeCode]).toEqual(['1042', '2026-11-26', '2026-12-10', '380']);
    expect([invoice.DocumentCurrencyCode, invoice.TaxCurrencyCode]).toEqual(['NOK', undefined]);
    expect([invoice.BuyerReference, invoice.OrderReference.ID, invoice.Note]).toEqual(['Ola Nordmann', 'PO-77', 'Takk for handelen']);
    expect(invoice.Delivery.ActualDeliveryDate).toBe('2026-11-20');
  });

  it('names the seller by organisation number (0192), NO…MVA and "Foretaksregisteret" under tax scheme TAX', () => {
    const party = parse(makeIssuedInvoice()).AccountingSupplierParty.Party;
    expect([party.EndpointID['@schemeID'], text(party.EndpointID)]).toEqual(['0192', '974760673']);
    expect(asArray(party.PartyTaxScheme).map((scheme: any) => [scheme.CompanyID, scheme.TaxScheme.ID])).toEqual([
      ['NO974760673MVA', 'VAT'],
      ['Foretaksregisteret', 'TAX'],
    ]);
    expect(party.PartyLegalEntity.RegistrationName).toBe('Fjordkaffe AS');
    expect([party.PartyLegalEntity.CompanyID['@schemeID'], text(party.PartyLegalEntity.CompanyID)]).toEqual(['0192', '974760673']);
    expect(party.Contact).toEqual({ Name: 'Kari Selger', Telephone: '+47 22 33 44 55', ElectronicMail: 'post@fjordkaffe.example' });
    expect(party.PostalAddress).toMatchObject({ StreetName: 'Testveien 1', AdditionalStreetName: 'Bygg B', CityName: 'Oslo', PostalZone: '0150' });
  });

  it('leaves out what the seller is not: no VAT id when not registered, no "Foretaksregisteret" when not registered there', () => {
    const seller = { ...makeIssuedInvoice().seller!, isVatRegistered: false, isInForetaksregisteret: false };
    const party = parse(makeIssuedInvoice({ seller })).AccountingSupplierParty.Party;
    expect(party.PartyTaxScheme).toBeUndefined();
  });

  it('pays by credit transfer (30) to the Norwegian account with the KID as payment id; a foreign currency to the IBAN with BIC', () => {
    const nok = parse(makeIssuedInvoice()).PaymentMeans;
    expect(nok).toEqual({ PaymentMeansCode: '30', PaymentID: '000042000010425', PayeeFinancialAccount: { ID: '86011117947' } });
    const eur = parse(makeIssuedInvoice({ currency: 'EUR', exchangeRate: '11.50' })).PaymentMeans;
    expect(eur.PayeeFinancialAccount).toEqual({ ID: 'NO9386011117947', FinancialInstitutionBranch: { ID: 'DNBANOKK' } });
    expect(parse(makeIssuedInvoice()).PaymentTerms.Note).toBe('Betalingsbetingelser: 14 dager netto');
  });

  it('writes the stored totals and VAT breakdown, with two decimals', () => {
    const invoice = parse(makeIssuedInvoice());
    expect(invoice.LegalMonetaryTotal).toEqual({
      LineExtensionAmount: { '#text': '2270.00', '@currencyID': 'NOK' },
      TaxExclusiveAmount: { '#text': '2270.00', '@currencyID': 'NOK' },
      TaxInclusiveAmount: { '#text': '2810.50', '@currencyID': 'NOK' },
      PayableAmount: { '#text': '2810.50', '@currencyID': 'NOK' },
    });
    expect(text(invoice.TaxTotal.TaxAmount)).toBe('540.50');
    expect(asArray(invoice.TaxTotal.TaxSubtotal).map((sub: any) => [text(sub.TaxableAmount), text(sub.TaxAmount), sub.TaxCategory.ID, sub.TaxCategory.Percent])).toEqual([
      ['2000.00', '500.00', 'S', '25'],
      ['270.00', '40.50', 'S', '15'],
    ]);
  });

  it('writes a rounding amount when the payable amount differs from the total', () => {
    const document = makeIssuedInvoice();
    const totals = parse({ ...document, totals: { ...document.totals, payableMinor: 281100 } }).LegalMonetaryTotal;
    expect([text(totals.PayableRoundingAmount), text(totals.PayableAmount)]).toEqual(['0.50', '2811.00']);
  });

  it('does not re-compute: figures that disagree are written as stored (the validator then reports them)', () => {
    const document = makeIssuedInvoice();
    const invoice = parse({ ...document, totals: { ...document.totals, vatMinor: 54051 } });
    expect(text(invoice.TaxTotal.TaxAmount)).toBe('540.51');
  });

  it('gives a foreign-currency document TaxCurrencyCode NOK and the VAT total in NOK', () => {
    const document = makeIssuedInvoice({ currency: 'EUR', exchangeRate: '11.4567' });
    const invoice = parse({ ...document, totals: { ...document.totals, vatNokMinor: 619234 } });
    expect(invoice.TaxCurrencyCode).toBe('NOK');
    const [main, nok] = asArray(invoice.TaxTotal) as any[];
    expect(main.TaxAmount).toEqual({ '#text': '540.50', '@currencyID': 'EUR' });
    expect(nok).toEqual({ TaxAmount: { '#text': '6192.34', '@currencyID': 'NOK' } });
    expect(invoice.LegalMonetaryTotal.PayableAmount['@currencyID']).toBe('EUR');
  });

  it('marks a test-mode document in the note', () => {
    expect(parse(makeIssuedInvoice({ isTest: true, documentNumber: 'TEST-3' })).Note).toBe(
      'Testdokument – ikke gyldig\nTakk for handelen',
    );
  });

  it('embeds the PDF as an additional document', () => {
    const reference = parse(makeIssuedInvoice(), { fileName: 'faktura-1042.pdf', base64: 'JVBERi0xLjQK' }).AdditionalDocumentReference;
    expect(reference.ID).toBe('1042');
    expect(reference.DocumentDescription).toBe('Faktura 1042');
    expect(reference.Attachment.EmbeddedDocumentBinaryObject).toEqual({
      '#text': 'JVBERi0xLjQK',
      '@mimeCode': 'application/pdf',
      '@filename': 'faktura-1042.pdf',
    });
    expect(parse(makeIssuedInvoice()).AdditionalDocumentReference).toBeUndefined();
  });

  it('refuses a draft', () => {
    expect(() => toEhfXml(makeIssuedInvoice({ status: 'draft', documentNumber: null, number: null }))).toThrow(RangeError);
  });
});

describe('toEhfXml: lines', () => {
  const linesOf = (lines: InvoiceDocument['lines']) => asArray(parse(makeIssuedInvoice({ lines })).InvoiceLine) as any[];

  it('escapes & < > in descriptions and names; a multi-line text keeps line one as the item name', () => {
    const [line] = linesOf([makeLine({ description: 'Kaffe & kake <gratis> "i dag"\nAndre linje: æøå' })]);
    expect(line.Item.Name).toBe('Kaffe & kake <gratis> "i dag"');
    expect(line.Item.Description).toBe('Kaffe & kake <gratis> "i dag"\nAndre linje: æøå');
    const raw = toEhfXml(makeIssuedInvoice({ buyer: { ...makeIssuedInvoice().buyer, name: 'A & B <AS>' } }));
    expect(raw).toContain('<cbc:Name>A &amp; B &lt;AS&gt;</cbc:Name>');
    expect(raw).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#13;|#10;|#9;)/);
  });

  it('writes quantities and prices as exact decimals, amounts with two decimals', () => {
    const [fractional, tiny, large] = linesOf([
      makeLine({ quantity: '2.5', unitPrice: '1234.5678', netMinor: 308642 }),
      makeLine({ position: 2, quantity: '0.125', unitPrice: '0.1234', netMinor: 2 }),
      makeLine({ position: 3, quantity: '1000000', unitPrice: '0.01', netMinor: 1000000 }),
    ]);
    expect([text(fractional.InvoicedQuantity), text(fractional.Price.PriceAmount), text(fractional.LineExtensionAmount)]).toEqual(['2.5', '1234.5678', '3086.42']);
    expect([text(tiny.InvoicedQuantity), text(tiny.Price.PriceAmount), text(tiny.LineExtensionAmount)]).toEqual(['0.125', '0.1234', '0.02']);
    expect([text(large.InvoicedQuantity), text(large.LineExtensionAmount)]).toEqual(['1000000', '10000.00']);
    expect(fractional.InvoicedQuantity['@unitCode']).toBe('HUR');
  });

  it('writes units as UN/ECE Rec 20 codes; our "PK" (packs) becomes Rec 21 "XPK", which EN 16931 lists', () => {
    expect(ehfUnitCode('PK')).toBe('XPK');
    expect(['C62', 'HUR', 'KGM', 'LS'].map(ehfUnitCode)).toEqual(['C62', 'HUR', 'KGM', 'LS']);
    expect(linesOf([makeLine({ unitCode: 'PK' })])[0].InvoicedQuantity['@unitCode']).toBe('XPK');
  });

  it('never writes a negative price (BR-27): a negative price becomes a negative quantity', () => {
    const [deduction, negativePrice] = linesOf([
      makeLine({ quantity: '-3', unitPrice: '39.90', netMinor: -11970 }),
      makeLine({ position: 2, quantity: '2', unitPrice: '-250.00', netMinor: -50000 }),
    ]);
    expect([text(deduction.InvoicedQuantity), text(deduction.Price.PriceAmount), text(deduction.LineExtensionAmount)]).toEqual(['-3', '39.90', '-119.70']);
    expect([text(negativePrice.InvoicedQuantity), text(negativePrice.Price.PriceAmount), text(negativePrice.LineExtensionAmount)]).toEqual(['-2', '250.00', '-500.00']);
  });

  it('writes a line discount as a line allowance: gross rounded once, allowance = gross − the stored net', () => {
    const [tenPercent, full, odd] = linesOf([
      makeLine({ quantity: '3', unitPrice: '100.00', discountPercent: '10', netMinor: 27000 }),
      makeLine({ position: 2, quantity: '1', unitPrice: '99.00', discountPercent: '100', netMinor: 0 }),
      // 2.25 × 1234.5678 = 2777.77755 → 2777.78; less 7.25 % → 2576.39 (stored)
      makeLine({ position: 3, quantity: '2.25', unitPrice: '1234.5678', discountPercent: '7.25', netMinor: 257639 }),
    ]);
    expect(tenPercent.AllowanceCharge).toEqual({
      ChargeIndicator: 'false',
      AllowanceChargeReasonCode: '95',
      AllowanceChargeReason: 'Rabatt',
      MultiplierFactorNumeric: '10',
      Amount: { '#text': '30.00', '@currencyID': 'NOK' },
      BaseAmount: { '#text': '300.00', '@currencyID': 'NOK' },
    });
    expect([text(full.AllowanceCharge.Amount), text(full.AllowanceCharge.BaseAmount), text(full.LineExtensionAmount)]).toEqual(['99.00', '99.00', '0.00']);
    expect([text(odd.AllowanceCharge.BaseAmount), text(odd.AllowanceCharge.Amount), odd.AllowanceCharge.MultiplierFactorNumeric]).toEqual(['2777.78', '201.39', '7.25']);
    expect(linesOf([makeLine()])[0].AllowanceCharge).toBeUndefined();
  });
});

describe('toEhfXml: VAT categories and exemption reasons', () => {
  const single = (vatCode: string, category: string, language: 'nb' | 'en' = 'nb', seller?: Partial<NonNullable<InvoiceDocument['seller']>>) => {
    const base = makeIssuedInvoice();
    return parse({
      ...base,
      buyer: { ...base.buyer, language },
      seller: { ...base.seller!, ...seller },
      lines: [makeLine({ vatCode, vatCategory: category, vatRatePercent: '0' })],
      vatBreakdown: [{ vatCode, category, ratePercent: '0', taxableMinor: 200000, vatMinor: 0, taxableNokMinor: 200000, vatNokMinor: 0 }],
      totals: { ...base.totals, netMinor: 200000, vatMinor: 0, grossMinor: 200000, payableMinor: 200000 },
    });
  };
  const categoryOf = (invoice: any) => invoice.TaxTotal.TaxSubtotal.TaxCategory;

  it.each([
    ['5', 'Z', undefined, undefined],
    ['51', 'AE', 'VATEX-EU-AE', 'Omvendt avgiftsplikt – Merverdiavgift ikke beregnet'],
    ['52', 'G', 'VATEX-EU-G', 'Utførsel av varer og tjenester'],
    ['6', 'E', undefined, 'Omsetning utenfor merverdiavgiftsloven'],
    ['7', 'O', 'VATEX-EU-O', 'Ingen mva-behandling (inntekter)'],
  ])('code %s → category %s, reason code %s, text %s', (vatCode, category, code, reason) => {
    const invoice = single(vatCode, category);
    const tax = categoryOf(invoice);
    expect([tax.ID, tax.TaxExemptionReasonCode, tax.TaxExemptionReason]).toEqual([category, code, reason]);
    const classified = invoice.InvoiceLine.Item.ClassifiedTaxCategory;
    expect(classified.ID).toBe(category);
    // Reasons belong to the breakdown only (UBL-CR-600/601 warn on the line).
    expect(classified.TaxExemptionReason).toBeUndefined();
  });

  it('category O has no rate anywhere and, with it, no VAT identifier even for a registered seller (BR-O-02, BR-O-05)', () => {
    const invoice = single('7', 'O');
    expect(categoryOf(invoice).Percent).toBeUndefined();
    expect(invoice.InvoiceLine.Item.ClassifiedTaxCategory.Percent).toBeUndefined();
    expect(asArray(invoice.AccountingSupplierParty.Party.PartyTaxScheme).map((scheme: any) => scheme.TaxScheme.ID)).toEqual(['TAX']);
    expect(single('5', 'Z').TaxTotal.TaxSubtotal.TaxCategory.Percent).toBe('0');
  });

  it('a seller not registered for VAT says so; English for an English-speaking buyer', () => {
    expect(categoryOf(single('6', 'O', 'nb', { isVatRegistered: false })).TaxExemptionReason).toBe('Selger er ikke registrert i Merverdiavgiftsregisteret');
    expect(categoryOf(single('6', 'O', 'en', { isVatRegistered: false })).TaxExemptionReason).toBe('The seller is not registered for VAT');
    expect(categoryOf(single('51', 'AE', 'en')).TaxExemptionReason).toBe('Reverse charge (omvendt avgiftsplikt) – VAT not calculated');
  });

  it('refuses a category outside UNCL5305', () => {
    expect(() => single('3', 'X')).toThrow(RangeError);
  });
});

describe('toEhfXml: the credit note', () => {
  it('is a CreditNote (381) referring to the invoice by number and date, with positive credited quantities', () => {
    const note = parse(makeIssuedCreditNote());
    expect([note.ID, note.CreditNoteTypeCode, note.Note]).toEqual(['KN-7', '381', 'Én time for mye']);
    expect(note.BillingReference.InvoiceDocumentReference).toEqual({ ID: '1042', IssueDate: '2026-11-26' });
    expect(note.DueDate).toBeUndefined();
    expect(note.PaymentMeans).toBeUndefined();
    expect(note.InvoiceLine).toBeUndefined();
    const line = note.CreditNoteLine;
    expect([text(line.CreditedQuantity), text(line.LineExtensionAmount), text(line.Price.PriceAmount)]).toEqual(['1', '1000.00', '1000.00']);
    expect(text(note.LegalMonetaryTotal.PayableAmount)).toBe('1250.00');
  });
});

function makeAllowanceCharge(overrides: Partial<AllowanceCharge> = {}): AllowanceCharge {
  return {
    id: 'ac-1',
    position: 3,
    type: 'allowance',
    reason: 'Rabatt',
    reasonCode: '95',
    amountMinor: 50000,
    percent: null,
    baseMinor: null,
    vatCode: '3',
    vatCategory: 'S',
    vatRatePercent: '25',
    revenueAccount: null,
    netMinor: -50000,
    creditedLineId: null,
    ...overrides,
  };
}

/**
 * Invoice 1042's items (2 000.00 at 25 %, 270.00 at 15 %) with a 500.00 allowance at 25 %
 * (reason code 95), 10 % off the 15 % items (base 270.00 → 27.00, no reason code) and a
 * 150.00 freight charge at 25 % (FC): code 3 taxable 2 000 − 500 + 150 = 1 650.00, VAT 412.50;
 * code 31 270 − 27 = 243.00, VAT 36.45; BT-109 1 893.00, VAT 448.95, total 2 341.95.
 */
function makeInvoiceWithAllowancesAndCharges(): InvoiceDocument {
  return makeIssuedInvoice({
    allowanceCharges: [
      makeAllowanceCharge(),
      makeAllowanceCharge({
        id: 'ac-2',
        position: 4,
        reason: 'Kvantumsrabatt 10 %',
        reasonCode: null,
        amountMinor: 2700,
        percent: '10',
        baseMinor: 27000,
        vatCode: '31',
        vatRatePercent: '15',
        netMinor: -2700,
      }),
      makeAllowanceCharge({ id: 'ac-3', position: 5, type: 'charge', reason: 'Frakt', reasonCode: 'FC', amountMinor: 15000, netMinor: 15000 }),
    ],
    vatBreakdown: [
      { vatCode: '3', category: 'S', ratePercent: '25', taxableMinor: 165000, vatMinor: 41250, taxableNokMinor: 165000, vatNokMinor: 41250 },
      { vatCode: '31', category: 'S', ratePercent: '15', taxableMinor: 24300, vatMinor: 3645, taxableNokMinor: 24300, vatNokMinor: 3645 },
    ],
    totals: {
      lineTotalMinor: 227000,
      allowanceTotalMinor: 52700,
      chargeTotalMinor: 15000,
      netMinor: 189300,
      vatMinor: 44895,
      grossMinor: 234195,
      payableMinor: 234195,
      netNokMinor: 189300,
      vatNokMinor: 44895,
      grossNokMinor: 234195,
    },
    openMinor: 234195,
  });
}

describe('toEhfXml: document-level allowances and charges (BG-20, BG-21)', () => {
  const nok = (amount: string) => ({ '#text': amount, '@currencyID': 'NOK' });

  it('writes each with indicator, reason code when set, reason, percentage and base only for a percentage, amount and VAT category', () => {
    const invoice = parse(makeInvoiceWithAllowancesAndCharges());
    expect(asArray(invoice.AllowanceCharge)).toEqual([
      {
        ChargeIndicator: 'false',
        AllowanceChargeReasonCode: '95',
        AllowanceChargeReason: 'Rabatt',
        Amount: nok('500.00'),
        TaxCategory: { ID: 'S', Percent: '25', TaxScheme: { ID: 'VAT' } },
      },
      {
        ChargeIndicator: 'false',
        AllowanceChargeReason: 'Kvantumsrabatt 10 %',
        MultiplierFactorNumeric: '10',
        Amount: nok('27.00'),
        BaseAmount: nok('270.00'),
        TaxCategory: { ID: 'S', Percent: '15', TaxScheme: { ID: 'VAT' } },
      },
      {
        ChargeIndicator: 'true',
        AllowanceChargeReasonCode: 'FC',
        AllowanceChargeReason: 'Frakt',
        Amount: nok('150.00'),
        TaxCategory: { ID: 'S', Percent: '25', TaxScheme: { ID: 'VAT' } },
      },
    ]);
  });

  it('writes the stored monetary totals: lines (BT-106), allowances (BT-107), charges (BT-108), tax exclusive (BT-109)', () => {
    const invoice = parse(makeInvoiceWithAllowancesAndCharges());
    expect(invoice.LegalMonetaryTotal).toEqual({
      LineExtensionAmount: nok('2270.00'),
      TaxExclusiveAmount: nok('1893.00'),
      TaxInclusiveAmount: nok('2341.95'),
      AllowanceTotalAmount: nok('527.00'),
      ChargeTotalAmount: nok('150.00'),
      PayableAmount: nok('2341.95'),
    });
    expect(asArray(invoice.TaxTotal.TaxSubtotal).map((sub: any) => [text(sub.TaxableAmount), text(sub.TaxAmount), sub.TaxCategory.Percent])).toEqual([
      ['1650.00', '412.50', '25'],
      ['243.00', '36.45', '15'],
    ]);
    // The item lines are unchanged; the line discount stays a line allowance.
    expect(asArray(invoice.InvoiceLine).map((line: any) => text(line.LineExtensionAmount))).toEqual(['2000.00', '270.00']);
  });

  it('places them after PaymentTerms and before TaxTotal (UBL 2.1 order)', () => {
    const xml = toEhfXml(makeInvoiceWithAllowancesAndCharges());
    const terms = xml.indexOf('</cac:PaymentTerms>');
    const taxTotal = xml.indexOf('<cac:TaxTotal>');
    const between = xml.slice(terms, taxTotal);
    expect(terms).toBeGreaterThan(0);
    expect(between.match(/<cac:AllowanceCharge>/g)).toHaveLength(3);
    expect(xml.slice(0, terms)).not.toContain('<cac:AllowanceCharge>');
    // Monetary totals in schema order: … TaxInclusive, AllowanceTotal, ChargeTotal, Payable.
    const order = ['LineExtensionAmount', 'TaxExclusiveAmount', 'TaxInclusiveAmount', 'AllowanceTotalAmount', 'ChargeTotalAmount', 'PayableAmount'].map(
      (name) => xml.indexOf(`<cbc:${name} `),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('writes only the total of the kind present: allowances without charges have no ChargeTotalAmount', () => {
    const base = makeInvoiceWithAllowancesAndCharges();
    const onlyAllowances = parse({
      ...base,
      allowanceCharges: base.allowanceCharges.filter((entry) => entry.type === 'allowance'),
      totals: { ...base.totals, chargeTotalMinor: 0 },
    }).LegalMonetaryTotal;
    expect([text(onlyAllowances.AllowanceTotalAmount), onlyAllowances.ChargeTotalAmount]).toEqual(['527.00', undefined]);
    const none = parse(makeIssuedInvoice()).LegalMonetaryTotal;
    expect([none.AllowanceTotalAmount, none.ChargeTotalAmount]).toEqual([undefined, undefined]);
  });

  it('writes no percentage without its base (PEPPOL-EN16931-R041/R042)', () => {
    const entry = parse(makeIssuedInvoice({ allowanceCharges: [makeAllowanceCharge({ percent: '10', baseMinor: null })] })).AllowanceCharge;
    expect([entry.MultiplierFactorNumeric, entry.BaseAmount, text(entry.Amount)]).toEqual([undefined, undefined, '500.00']);
  });

  it('category O has no rate and no exemption reason on the allowance (BR-O-06, UBL-CR-480/481)', () => {
    const entry = parse(
      makeIssuedInvoice({ allowanceCharges: [makeAllowanceCharge({ vatCode: '7', vatCategory: 'O', vatRatePercent: '0' })] }),
    ).AllowanceCharge;
    expect(entry.TaxCategory).toEqual({ ID: 'O', TaxScheme: { ID: 'VAT' } });
    const zero = parse(makeIssuedInvoice({ allowanceCharges: [makeAllowanceCharge({ vatCode: '5', vatCategory: 'Z', vatRatePercent: '0' })] })).AllowanceCharge;
    expect(zero.TaxCategory).toEqual({ ID: 'Z', Percent: '0', TaxScheme: { ID: 'VAT' } });
  });

  it('on a credit note, a credited allowance is an allowance with a positive amount (its stored net is negative)', () => {
    const note = parse(
      makeIssuedCreditNote({
        allowanceCharges: [makeAllowanceCharge({ id: 'credit-ac-1', position: 2, amountMinor: 20000, netMinor: -20000, creditedLineId: 'ac-1' })],
        vatBreakdown: [
          { vatCode: '3', category: 'S', ratePercent: '25', taxableMinor: 80000, vatMinor: 20000, taxableNokMinor: 80000, vatNokMinor: 20000 },
        ],
        totals: {
          lineTotalMinor: 100000,
          allowanceTotalMinor: 20000,
          chargeTotalMinor: 0,
          netMinor: 80000,
          vatMinor: 20000,
          grossMinor: 100000,
          payableMinor: 100000,
          netNokMinor: 80000,
          vatNokMinor: 20000,
          grossNokMinor: 100000,
        },
      }),
    );
    expect(note.AllowanceCharge).toEqual({
      ChargeIndicator: 'false',
      AllowanceChargeReasonCode: '95',
      AllowanceChargeReason: 'Rabatt',
      Amount: nok('200.00'),
      TaxCategory: { ID: 'S', Percent: '25', TaxScheme: { ID: 'VAT' } },
    });
    expect(note.LegalMonetaryTotal).toEqual({
      LineExtensionAmount: nok('1000.00'),
      TaxExclusiveAmount: nok('800.00'),
      TaxInclusiveAmount: nok('1000.00'),
      AllowanceTotalAmount: nok('200.00'),
      PayableAmount: nok('1000.00'),
    });
  });

  it('in a foreign currency, amounts carry the document currency', () => {
    const document = makeInvoiceWithAllowancesAndCharges();
    const entries = asArray(parse({ ...document, currency: 'EUR', exchangeRate: '11.4567' }).AllowanceCharge) as any[];
    expect(entries.map((entry) => [entry.Amount['@currencyID'], entry.BaseAmount?.['@currencyID'] ?? null])).toEqual([
      ['EUR', null],
      ['EUR', 'EUR'],
      ['EUR', null],
    ]);
  });
});

describe('buyer address and what keeps a document from being EHF', () => {
  const base = makeIssuedInvoice();

  it('uses the PEPPOL id first, then the organisation number under 0192', () => {
    expect(buyerEndpoint({ buyer: { ...base.buyer, peppolId: '0007:5560360793' } })).toEqual({ scheme: '0007', id: '5560360793' });
    expect(buyerEndpoint(base)).toEqual({ scheme: '0192', id: '923609016' });
    expect(buyerEndpoint({ buyer: { ...base.buyer, orgNumber: null } })).toBeNull();
  });

  it('finds nothing wrong with an ordinary invoice', () => {
    expect(findEhfProblems(base)).toEqual([]);
    expect(findEhfProblems({ ...base, orderReference: null })).toEqual([]);
    expect(findEhfProblems({ ...base, buyerReference: null })).toEqual([]);
  });

  it('lists every reason with the rule behind it', () => {
    const person = { ...base.buyer, kind: 'person' as const, orgNumber: null };
    const problems = findEhfProblems({
      ...base,
      buyer: person,
      buyerReference: '  ',
      orderReference: null,
      lines: [...base.lines, makeLine({ position: 3, vatCode: '7', vatCategory: 'O', vatRatePercent: '0', netMinor: 3500 })],
    });
    expect(problems.map((problem) => [problem.code, problem.rule, problem.path])).toEqual([
      ['ehf.buyer_address_missing', 'PEPPOL-EN16931-R010', 'buyer.peppolId'],
      ['ehf.reference_missing', 'PEPPOL-EN16931-R003', 'buyerReference'],
      ['ehf.vat_category_o_mixed', 'BR-O-11', 'lines'],
    ]);
  });

  it("refuses a buyer PEPPOL id that Peppol would not route (stored before ids were checked)", () => {
    const withId = (peppolId: string) => findEhfProblems({ ...base, buyer: { ...base.buyer, peppolId } });
    expect(withId('9908:974760673').map((problem) => [problem.code, problem.rule])).toEqual([['ehf.buyer_address_invalid', 'PEPPOL-EN16931-CL008']]);
    expect(withId('0192:974760672').map((problem) => [problem.code, problem.rule])).toEqual([['ehf.buyer_address_invalid', 'PEPPOL-COMMON-R041']]);
    expect(withId('0192:974760673')).toEqual([]);
  });

  it('finds category O brought in by an allowance or charge alone (BR-O-13/14)', () => {
    const problems = findEhfProblems({
      ...base,
      allowanceCharges: [makeAllowanceCharge({ type: 'charge', reason: 'Purregebyr', reasonCode: null, vatCode: '7', vatCategory: 'O', vatRatePercent: '0', amountMinor: 3500, netMinor: 3500 })],
    });
    expect(problems.map((problem) => problem.code)).toEqual(['ehf.vat_category_o_mixed']);
    expect(findEhfProblems({ ...base, allowanceCharges: [makeAllowanceCharge()] })).toEqual([]);
  });

  it('a private person with a PEPPOL id has a Peppol address: no problem, and no legal or VAT id for the buyer', () => {
    const person = { ...base.buyer, kind: 'person' as const, orgNumber: null, peppolId: '0192:810305282' };
    expect(findEhfProblems({ ...base, buyer: person })).toEqual([]);
    const party = parse({ ...base, buyer: person }).AccountingCustomerParty.Party;
    expect([party.EndpointID['@schemeID'], text(party.EndpointID)]).toEqual(['0192', '810305282']);
    expect(party.PartyLegalEntity).toEqual({ RegistrationName: 'Kjøper & Sønn AS' });
    expect(party.PartyTaxScheme).toBeUndefined();
  });

  it("still writes such a document as far as it can: a person's e-mail under EN 16931's EM scheme", () => {
    const endpoint = parse({ ...base, buyer: { ...base.buyer, kind: 'person', orgNumber: null } }).AccountingCustomerParty.Party.EndpointID;
    expect([endpoint['@schemeID'], text(endpoint)]).toEqual(['EM', 'faktura@kjoper.example']);
  });
});

describe('ehfFileName', () => {
  it('names invoices and credit notes by their number, safely', () => {
    expect(ehfFileName(makeIssuedInvoice())).toBe('faktura-1042.xml');
    expect(ehfFileName(makeIssuedCreditNote(), 'pdf')).toBe('kreditnota-KN-7.pdf');
    expect(ehfFileName({ kind: 'invoice', documentNumber: 'TEST-1/"x"', id: 'i' })).toBe('faktura-TEST-1__x_.xml');
  });
});
