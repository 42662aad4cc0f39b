import type { InvoiceDocument, InvoiceLine } from '../../src/domain/invoice/invoice.js';

/**
 * Fixed issued documents for the pure EHF writer's tests and golden files (no
 * database): the figures are what the services store for these lines (checked by
 * the matrix in test/ehf/ehf-conformance.test.ts, which goes through the services).
 */

export function makeLine(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    id: 'line-1',
    position: 1,
    productId: null,
    description: 'Rådgivning',
    quantity: '2',
    unitCode: 'HUR',
    unitPrice: '1000.00',
    discountPercent: '0',
    vatCode: '3',
    vatCategory: 'S',
    vatRatePercent: '25',
    revenueAccount: null,
    netMinor: 200000,
    creditedLineId: null,
    ...overrides,
  };
}

/** Invoice 1042 from Fjordkaffe AS: 2 h at 1 000 (25 %) + 3 × 100 less 10 % (15 %) = 2 270.00 + 540.50 VAT. */
export function makeIssuedInvoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    id: '019a0000-0000-7000-8000-000000000001',
    kind: 'invoice',
    status: 'issued',
    isTest: false,
    number: 1042,
    documentNumber: '1042',
    customerId: '019a0000-0000-7000-8000-0000000000c1',
    customerNumber: 42,
    buyer: {
      name: 'Kjøper & Sønn AS',
      kind: 'business',
      orgNumber: '923609016',
      email: 'faktura@kjoper.example',
      address: { line1: 'Kundeveien 2', line2: null, postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
      peppolId: null,
      language: 'nb',
    },
    seller: {
      legalName: 'Fjordkaffe AS',
      orgNumber: '974760673',
      isVatRegistered: true,
      isInForetaksregisteret: true,
      address: { line1: 'Testveien 1', line2: 'Bygg B', postalCode: '0150', city: 'Oslo', countryCode: 'NO' },
      bankAccount: '86011117947',
      iban: 'NO9386011117947',
      bic: 'DNBANOKK',
      email: 'post@fjordkaffe.example',
      phone: '+47 22 33 44 55',
      website: null,
    },
    issueDate: '2026-11-26',
    deliveryDate: '2026-11-20',
    deliveryPeriod: null,
    deliveryAddress: null,
    dueDate: '2026-12-10',
    paymentTermsDays: 14,
    buyerReference: 'Ola Nordmann',
    orderReference: 'PO-77',
    ourReference: 'Kari Selger',
    freeText: 'Takk for handelen',
    currency: 'NOK',
    exchangeRate: null,
    kid: '000042000010425',
    lines: [
      makeLine(),
      makeLine({
        id: 'line-2',
        position: 2,
        description: 'Kaffe',
        quantity: '3',
        unitCode: 'C62',
        unitPrice: '100.00',
        discountPercent: '10',
        vatCode: '31',
        vatRatePercent: '15',
        netMinor: 27000,
      }),
    ],
    vatBreakdown: [
      { vatCode: '3', category: 'S', ratePercent: '25', taxableMinor: 200000, vatMinor: 50000, taxableNokMinor: 200000, vatNokMinor: 50000 },
      { vatCode: '31', category: 'S', ratePercent: '15', taxableMinor: 27000, vatMinor: 4050, taxableNokMinor: 27000, vatNokMinor: 4050 },
    ],
    allowanceCharges: [],
    totals: {
      lineTotalMinor: 227000,
      allowanceTotalMinor: 0,
      chargeTotalMinor: 0,
      netMinor: 227000,
      vatMinor: 54050,
      grossMinor: 281050,
      payableMinor: 281050,
      netNokMinor: 227000,
      vatNokMinor: 54050,
      grossNokMinor: 281050,
    },
    paidMinor: 0,
    creditedMinor: 0,
    openMinor: 281050,
    isOverdue: false,
    creditedInvoice: null,
    creditReason: null,
    creditNotes: [],
    journalEntryId: '019a0000-0000-7000-8000-0000000000e1',
    issuedAt: '2026-11-26T09:00:00.000Z',
    sentAt: null,
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T09:00:00.000Z',
    ...overrides,
  };
}

/** Credit note KN-7 for one of the two hours of invoice 1042. */
export function makeIssuedCreditNote(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  const invoice = makeIssuedInvoice();
  return makeIssuedInvoice({
    id: '019a0000-0000-7000-8000-000000000002',
    kind: 'credit_note',
    number: 7,
    documentNumber: 'KN-7',
    dueDate: null,
    paymentTermsDays: null,
    kid: null,
    freeText: invoice.freeText,
    lines: [makeLine({ id: 'credit-line-1', quantity: '1', netMinor: 100000, creditedLineId: 'line-1' })],
    vatBreakdown: [
      { vatCode: '3', category: 'S', ratePercent: '25', taxableMinor: 100000, vatMinor: 25000, taxableNokMinor: 100000, vatNokMinor: 25000 },
    ],
    totals: {
      lineTotalMinor: 100000,
      allowanceTotalMinor: 0,
      chargeTotalMinor: 0,
      netMinor: 100000,
      vatMinor: 25000,
      grossMinor: 125000,
      payableMinor: 125000,
      netNokMinor: 100000,
      vatNokMinor: 25000,
      grossNokMinor: 125000,
    },
    openMinor: 0,
    creditedInvoice: { id: invoice.id, documentNumber: invoice.documentNumber, issueDate: invoice.issueDate },
    creditReason: 'Én time for mye',
    ...overrides,
  });
}
