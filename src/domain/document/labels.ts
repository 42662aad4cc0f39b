import type { Language } from '../party.js';
import type { VatCategory } from '../vat.js';

/**
 * Every word printed on a document, in Norwegian (bokmål) and English. `{name}`
 * placeholders are filled by `fillLabel`. Legal wording stays Norwegian where the
 * rule names it ("MVA" after the org. number, "Foretaksregisteret").
 */
export interface DocumentLabels {
  invoice: string;
  creditNote: string;
  invoiceNumber: string;
  creditNoteNumber: string;
  issueDate: string;
  creditNoteDate: string;
  deliveryDate: string;
  deliveryPeriod: string;
  dueDate: string;
  customerNumber: string;
  ourReference: string;
  buyerReference: string;
  orderReference: string;
  currency: string;
  exchangeRate: string;
  orgNumber: string;
  vatRegisteredSuffix: string;
  foretaksregisteret: string;
  billTo: string;
  deliveryAddress: string;
  seller: string;
  columns: {
    productNumber: string;
    description: string;
    quantity: string;
    unit: string;
    unitPrice: string;
    discount: string;
    vatRate: string;
    amount: string;
  };
  /** Sum of the item lines, printed above document-level allowances and charges (BT-106). */
  lineTotal: string;
  /** Document-level allowance (BG-20) and charge (BG-21), before the user's reason text. */
  allowance: string;
  charge: string;
  /** The percentage and its base, e.g. "10 % av 2 000,00". */
  percentOfBase: string;
  /** The VAT rate of an allowance or charge, e.g. "mva 25 %". */
  vatRateOf: string;
  netTotal: string;
  vatTotal: string;
  grossTotal: string;
  total: string;
  payable: string;
  creditTotal: string;
  vatInNok: string;
  rounding: string;
  amountsIn: string;
  vatSummary: string;
  vatSummaryColumns: { rate: string; taxable: string; vat: string; taxableNok: string; vatNok: string };
  vatCategory: Record<Exclude<VatCategory, 'S'>, string>;
  payment: string;
  accountNumber: string;
  iban: string;
  bic: string;
  kid: string;
  amount: string;
  creditNoteFor: string;
  creditReason: string;
  notes: string;
  page: string;
  continued: string;
  testMark: string;
  testMarkText: string;
  draftMark: string;
  draftMarkText: string;
  reverseCharge: string;
  notVatRegistered: string;
  exchangeRateText: string;
  email: string;
  phone: string;
  website: string;
}

const nb: DocumentLabels = {
  invoice: 'Faktura',
  creditNote: 'Kreditnota',
  invoiceNumber: 'Fakturanr.',
  creditNoteNumber: 'Kreditnotanr.',
  issueDate: 'Fakturadato',
  creditNoteDate: 'Dato',
  deliveryDate: 'Leveringsdato',
  deliveryPeriod: 'Leveringsperiode',
  dueDate: 'Forfallsdato',
  customerNumber: 'Kundenr.',
  ourReference: 'Vår referanse',
  buyerReference: 'Deres referanse',
  orderReference: 'Ordrereferanse',
  currency: 'Valuta',
  exchangeRate: 'Valutakurs',
  orgNumber: 'Org.nr.',
  vatRegisteredSuffix: 'MVA',
  foretaksregisteret: 'Foretaksregisteret',
  billTo: 'Faktureres til',
  deliveryAddress: 'Leveringsadresse',
  seller: 'Selger',
  columns: {
    productNumber: 'Varenr.',
    description: 'Beskrivelse',
    quantity: 'Antall',
    unit: 'Enhet',
    unitPrice: 'Pris',
    discount: 'Rabatt',
    vatRate: 'Mva',
    amount: 'Beløp',
  },
  lineTotal: 'Sum linjer',
  allowance: 'Rabatt',
  charge: 'Tillegg',
  percentOfBase: '{percent} av {base}',
  vatRateOf: 'mva {rate}',
  netTotal: 'Sum eks. mva',
  vatTotal: 'Mva',
  grossTotal: 'Sum inkl. mva',
  total: 'Sum',
  payable: 'Å betale',
  creditTotal: 'Til gode',
  vatInNok: 'Mva i NOK',
  rounding: 'Øreavrunding',
  amountsIn: 'Beløp i {currency}',
  vatSummary: 'Mva-spesifikasjon',
  vatSummaryColumns: { rate: 'Sats', taxable: 'Grunnlag', vat: 'Mva', taxableNok: 'Grunnlag NOK', vatNok: 'Mva NOK' },
  vatCategory: {
    Z: 'fritatt',
    AE: 'omvendt avgiftsplikt',
    G: 'utførsel',
    E: 'utenfor mva-loven',
    K: 'fritatt (EØS)',
    O: 'ingen mva',
  },
  payment: 'Betalingsinformasjon',
  accountNumber: 'Kontonummer',
  iban: 'IBAN',
  bic: 'BIC/SWIFT',
  kid: 'KID',
  amount: 'Beløp',
  creditNoteFor: 'Kreditnota for faktura {number} datert {date}',
  creditReason: 'Årsak',
  notes: 'Merknad',
  page: 'Side {page} av {pages}',
  continued: 'forts.',
  testMark: 'TEST',
  testMarkText: 'Testdokument – ikke gyldig',
  draftMark: 'UTKAST',
  draftMarkText: 'Utkast – ikke utstedt',
  reverseCharge: 'Omvendt avgiftsplikt – Merverdiavgift ikke beregnet',
  notVatRegistered: 'Selger er ikke registrert i Merverdiavgiftsregisteret.',
  exchangeRateText: '1 {currency} = {rate} NOK',
  email: 'E-post',
  phone: 'Telefon',
  website: 'Nett',
};

const en: DocumentLabels = {
  invoice: 'Invoice',
  creditNote: 'Credit note',
  invoiceNumber: 'Invoice no.',
  creditNoteNumber: 'Credit note no.',
  issueDate: 'Invoice date',
  creditNoteDate: 'Date',
  deliveryDate: 'Delivery date',
  deliveryPeriod: 'Delivery period',
  dueDate: 'Due date',
  customerNumber: 'Customer no.',
  ourReference: 'Our reference',
  buyerReference: 'Your reference',
  orderReference: 'Order reference',
  currency: 'Currency',
  exchangeRate: 'Exchange rate',
  orgNumber: 'Org. no.',
  vatRegisteredSuffix: 'MVA',
  foretaksregisteret: 'Foretaksregisteret',
  billTo: 'Bill to',
  deliveryAddress: 'Delivery address',
  seller: 'Seller',
  columns: {
    productNumber: 'Item no.',
    description: 'Description',
    quantity: 'Qty',
    unit: 'Unit',
    unitPrice: 'Unit price',
    discount: 'Discount',
    vatRate: 'VAT',
    amount: 'Amount',
  },
  lineTotal: 'Line total',
  allowance: 'Allowance',
  charge: 'Charge',
  percentOfBase: '{percent} of {base}',
  vatRateOf: 'VAT {rate}',
  netTotal: 'Total excl. VAT',
  vatTotal: 'VAT',
  grossTotal: 'Total incl. VAT',
  total: 'Total',
  payable: 'Amount due',
  creditTotal: 'Amount credited',
  vatInNok: 'VAT in NOK',
  rounding: 'Rounding',
  amountsIn: 'Amounts in {currency}',
  vatSummary: 'VAT summary',
  vatSummaryColumns: { rate: 'Rate', taxable: 'Taxable amount', vat: 'VAT', taxableNok: 'Taxable NOK', vatNok: 'VAT NOK' },
  vatCategory: {
    Z: 'zero-rated',
    AE: 'reverse charge',
    G: 'export',
    E: 'outside the VAT Act',
    K: 'exempt (EEA)',
    O: 'no VAT',
  },
  payment: 'Payment details',
  accountNumber: 'Account number',
  iban: 'IBAN',
  bic: 'BIC/SWIFT',
  kid: 'KID (payment reference)',
  amount: 'Amount',
  creditNoteFor: 'Credit note for invoice {number} dated {date}',
  creditReason: 'Reason',
  notes: 'Note',
  page: 'Page {page} of {pages}',
  continued: 'cont.',
  testMark: 'TEST',
  testMarkText: 'Test document – not valid',
  draftMark: 'DRAFT',
  draftMarkText: 'Draft – not issued',
  reverseCharge: 'Reverse charge (omvendt avgiftsplikt) – VAT not calculated',
  notVatRegistered: 'The seller is not registered for VAT.',
  exchangeRateText: '1 {currency} = {rate} NOK',
  email: 'E-mail',
  phone: 'Phone',
  website: 'Web',
};

const LABELS: Record<Language, DocumentLabels> = { nb, en };

export function documentLabels(language: Language): DocumentLabels {
  return LABELS[language];
}

/** Fills `{name}` placeholders. @example fillLabel('Side {page} av {pages}', { page: 1, pages: 3 }) // 'Side 1 av 3' */
export function fillLabel(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
