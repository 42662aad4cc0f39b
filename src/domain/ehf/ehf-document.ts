import type { AllowanceCharge, InvoiceDocument, InvoiceLine } from '../invoice/invoice.js';
import { percentToBasisPoints } from '../invoice/invoice.js';
import { parseDecimalToMicros } from '../money.js';
import type { Address } from '../party.js';
import { divideRounded, toSafeNumber } from '../rounding.js';
import type { VatCategory } from '../vat.js';
import { exemptionReason, hasNoRate, isVatCategory } from './ehf-tax.js';
import { findPeppolIdProblem } from '../peppol-id.js';
import { isBlank, XmlWriter } from './xml.js';

/**
 * EHF = Peppol BIS Billing 3.0 (UBL 2.1 Invoice / CreditNote, EN 16931 with the
 * Norwegian NO-R rules), written from an issued InvoiceDocument and nothing else:
 * every amount is the document's own stored figure (line nets, VAT breakdown,
 * totals in the currency and in NOK), so the XML, the PDF and the journal cannot
 * disagree. Nothing here rounds a stored amount again; the only derived figures are
 * a discounted line's gross amount (quantity × price, rounded once as
 * src/domain/rounding.ts rounds) and its discount (gross − the stored net).
 * Document-level allowances and charges (BG-20/21) are written with their stored
 * amount, percentage and base; the monetary totals are the stored BT-106…BT-109.
 *
 * Pure: no clock, no I/O. The PDF, when it is embedded, comes in as base64 text.
 */

export const EHF_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const EHF_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const NS_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const NS_CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const NS_CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

/** ICD 0192: Norwegian organisation number (Enhetsregisteret), as Peppol participant id scheme and legal id scheme. */
const SCHEME_ORG_NUMBER = '0192';
/** UNCL4461 30: credit transfer (a Norwegian bank account, with the KID as payment id). */
const PAYMENT_MEANS_CREDIT_TRANSFER = '30';
/** UNCL5189 95: discount (a line discount in percent). */
const ALLOWANCE_REASON_DISCOUNT = '95';

/**
 * Units as EN 16931 accepts them (BR-CL-23: UN/ECE Rec 20, plus Rec 21 with an X prefix).
 * src/domain/units.ts stores "PK" for packs, which is Rec 21's package code without the
 * prefix and not in the EN 16931 list; in EHF it is "XPK". Every other unit we offer is Rec 20.
 *
 * @example ehfUnitCode('PK') // 'XPK'
 */
export function ehfUnitCode(unitCode: string): string {
  return unitCode === 'PK' ? 'XPK' : unitCode;
}

export interface EhfAttachment {
  /** File name shown to the receiver, e.g. "faktura-1042.pdf". */
  fileName: string;
  /** The file's bytes in base64 (no line breaks needed). */
  base64: string;
}

export interface EhfOptions {
  /** The document as PDF, embedded as an additional document reference (BG-24). */
  pdf?: EhfAttachment | null;
}

/** Why a document cannot be a valid Peppol BIS 3.0 document, with the rule that would reject it. */
export interface EhfProblem {
  path: string;
  code: string;
  /** The schematron rule id the validator reports for it. */
  rule: string;
  message: string;
}

/** The receiver's Peppol address (BT-49): the customer's PEPPOL id, else its organisation number under 0192. */
export function buyerEndpoint(document: Pick<InvoiceDocument, 'buyer'>): { scheme: string; id: string } | null {
  const peppolId = document.buyer.peppolId?.trim();
  if (peppolId) {
    const separator = peppolId.indexOf(':');
    if (separator > 0) return { scheme: peppolId.slice(0, separator), id: peppolId.slice(separator + 1) };
  }
  if (document.buyer.orgNumber) return { scheme: SCHEME_ORG_NUMBER, id: document.buyer.orgNumber };
  return null;
}

function categoryOf(value: string): VatCategory {
  if (!isVatCategory(value)) throw new RangeError(`Unknown VAT category ${value}`);
  return value;
}

/**
 * What keeps an issued document from being valid Peppol BIS 3.0, as EN 16931 and
 * Peppol define it (each with the rule the validator would report). Empty when
 * an EHF can be made.
 *
 * - No Peppol address for the buyer (PEPPOL-EN16931-R010): a private person has
 *   no organisation number, and Peppol's address schemes (PEPPOL-EN16931-CL008)
 *   have none for persons — the e-mail scheme `EM` is in EN 16931's list but not
 *   in Peppol's. A person with a registered PEPPOL id of their own is addressed by it.
 * - Neither buyer reference nor order reference (PEPPOL-EN16931-R003).
 * - VAT category O (not subject to VAT, SAF-T code 7) together with other
 *   categories (BR-O-11…14): EN 16931 allows O only alone on a document — also when
 *   a document-level allowance or charge brings the other category in.
 *
 * @example findEhfProblems(invoiceForPerson) // [{ code: 'ehf.buyer_address_missing', rule: 'PEPPOL-EN16931-R010', … }]
 */
export function findEhfProblems(document: InvoiceDocument): EhfProblem[] {
  const problems: EhfProblem[] = [];
  const endpoint = buyerEndpoint(document);
  if (!endpoint) {
    problems.push({
      path: 'buyer.peppolId',
      code: 'ehf.buyer_address_missing',
      rule: 'PEPPOL-EN16931-R010',
      message:
        'The buyer has no Peppol address (no PEPPOL id and no organisation number); a private person without a PEPPOL id gets the invoice as PDF, not EHF',
    });
  } else {
    // An id stored before the scheme list was checked (e.g. the retired 9908) is caught here, not by the access point.
    const problem = findPeppolIdProblem(`${endpoint.scheme}:${endpoint.id}`);
    if (problem) {
      problems.push({ path: 'buyer.peppolId', code: 'ehf.buyer_address_invalid', rule: problem.rule ?? 'PEPPOL-EN16931-CL008', message: problem.message });
    }
  }
  if (isBlank(document.buyerReference) && isBlank(document.orderReference)) {
    problems.push({
      path: 'buyerReference',
      code: 'ehf.reference_missing',
      rule: 'PEPPOL-EN16931-R003',
      message: "EHF needs the buyer's reference or an order reference, and the document has neither",
    });
  }
  const categories = new Set<string>([
    ...document.vatBreakdown.map((entry) => entry.category),
    ...document.lines.map((line) => line.vatCategory),
    ...document.allowanceCharges.map((entry) => entry.vatCategory),
  ]);
  if (categories.has('O') && categories.size > 1) {
    problems.push({
      path: 'lines',
      code: 'ehf.vat_category_o_mixed',
      rule: 'BR-O-11',
      message:
        'Lines, allowances or charges without VAT treatment (code 7, category O) cannot share a document with other VAT categories in EHF',
    });
  }
  return problems;
}

/**
 * Øre → the decimal amount EHF wants (exactly two decimals, BR-DEC-*).
 *
 * @example formatAmount(-123456) // '-1234.56'
 */
export function formatAmount(minor: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not a whole number of øre`);
  const absolute = Math.abs(minor);
  const cents = absolute % 100;
  return `${minor < 0 ? '-' : ''}${Math.trunc(absolute / 100)}.${cents < 10 ? '0' : ''}${cents}`;
}

function negateDecimal(value: string): string {
  return value.startsWith('-') ? value.slice(1) : `-${value}`;
}

/** Document file name, e.g. `faktura-1042.xml` or `kreditnota-KN-7.xml`. */
export function ehfFileName(document: Pick<InvoiceDocument, 'kind' | 'documentNumber' | 'id'>, extension = 'xml'): string {
  const label = document.kind === 'credit_note' ? 'kreditnota' : 'faktura';
  const number = (document.documentNumber ?? document.id).replace(/[^A-Za-z0-9_-]/g, '_');
  return `${label}-${number}.${extension}`;
}

/** Fixed texts, worded as on the PDF (src/domain/document/labels.ts). */
const TEXT = {
  nb: {
    test: 'Testdokument – ikke gyldig',
    terms: (days: number) => `Betalingsbetingelser: ${days} dager netto`,
    discount: 'Rabatt',
    invoice: 'Faktura',
    creditNote: 'Kreditnota',
  },
  en: {
    test: 'Test document – not valid',
    terms: (days: number) => `Payment terms: ${days} days net`,
    discount: 'Discount',
    invoice: 'Invoice',
    creditNote: 'Credit note',
  },
} as const;

function writeAddress(xml: XmlWriter, element: string, address: Address): void {
  xml.open(element);
  xml.leaf('cbc:StreetName', address.line1);
  xml.leaf('cbc:AdditionalStreetName', address.line2);
  xml.leaf('cbc:CityName', address.city);
  xml.leaf('cbc:PostalZone', address.postalCode);
  xml.open('cac:Country').leaf('cbc:IdentificationCode', address.countryCode).close('cac:Country');
  xml.close(element);
}

function writeTaxScheme(xml: XmlWriter, id: string): void {
  xml.open('cac:TaxScheme').leaf('cbc:ID', id).close('cac:TaxScheme');
}

/**
 * The VAT category of a line (ClassifiedTaxCategory) or of a document-level allowance or
 * charge (TaxCategory): category and rate only. O has no rate (BR-O-05…07); exemption
 * reasons belong to the VAT breakdown alone (UBL-CR-600/601 and UBL-CR-480/481 warn elsewhere).
 */
function writeItemTaxCategory(xml: XmlWriter, element: string, category: VatCategory, ratePercent: string): void {
  xml.open(element);
  xml.leaf('cbc:ID', category);
  if (!hasNoRate(category)) xml.leaf('cbc:Percent', ratePercent);
  writeTaxScheme(xml, 'VAT');
  xml.close(element);
}

/**
 * The issued document as an EHF (Peppol BIS Billing 3.0) UBL Invoice or CreditNote.
 * Throws for a draft. Call `findEhfProblems` first: the XML of a document with
 * problems is written as far as the model allows (a buyer without a Peppol address
 * gets `EndpointID schemeID="EM"` with its e-mail) and will not pass Peppol validation.
 *
 * @example toEhfXml(issuedInvoice, { pdf: { fileName: 'faktura-1.pdf', base64 } }) // '<?xml version="1.0" …<Invoice …'
 */
export function toEhfXml(document: InvoiceDocument, options: EhfOptions = {}): string {
  const seller = document.seller;
  if (document.status === 'draft' || !seller || !document.documentNumber || !document.issueDate) {
    throw new RangeError('Only an issued document has an EHF');
  }
  const isCredit = document.kind === 'credit_note';
  const root = isCredit ? 'CreditNote' : 'Invoice';
  const lineElement = isCredit ? 'cac:CreditNoteLine' : 'cac:InvoiceLine';
  const quantityElement = isCredit ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const currency = { currencyID: document.currency };
  const language = document.buyer.language === 'en' ? 'en' : 'nb';
  const text = TEXT[language];
  const categories = new Set<VatCategory>(document.vatBreakdown.map((entry) => categoryOf(entry.category)));
  // BR-O-02: a document with category O names no VAT identifier, not even a registered seller's.
  const sellerVatId = seller.isVatRegistered && !categories.has('O') ? `NO${seller.orgNumber}MVA` : null;

  const xml = new XmlWriter();
  xml.open(root, { xmlns: isCredit ? NS_CREDIT_NOTE : NS_INVOICE, 'xmlns:cac': NS_CAC, 'xmlns:cbc': NS_CBC });
  xml.leaf('cbc:CustomizationID', EHF_CUSTOMIZATION_ID);
  xml.leaf('cbc:ProfileID', EHF_PROFILE_ID);
  xml.leaf('cbc:ID', document.documentNumber);
  xml.leaf('cbc:IssueDate', document.issueDate);
  if (!isCredit) {
    xml.leaf('cbc:DueDate', document.dueDate);
    xml.leaf('cbc:InvoiceTypeCode', '380');
  } else {
    xml.leaf('cbc:CreditNoteTypeCode', '381');
  }
  // One document note at most (PEPPOL-EN16931-R002).
  const note = [document.isTest ? text.test : null, isCredit ? document.creditReason : document.freeText]
    .filter((part): part is string => !isBlank(part))
    .join('\n');
  xml.leaf('cbc:Note', note);
  xml.leaf('cbc:DocumentCurrencyCode', document.currency);
  // VAT in NOK on a foreign-currency document (bff § 5-1-1 nr. 6; Peppol R054/R005).
  if (document.currency !== 'NOK') xml.leaf('cbc:TaxCurrencyCode', 'NOK');
  xml.leaf('cbc:BuyerReference', document.buyerReference);
  if (document.deliveryPeriod) {
    xml.open('cac:InvoicePeriod');
    xml.leaf('cbc:StartDate', document.deliveryPeriod.start);
    xml.leaf('cbc:EndDate', document.deliveryPeriod.end);
    xml.close('cac:InvoicePeriod');
  }
  if (!isBlank(document.orderReference)) {
    xml.open('cac:OrderReference').leaf('cbc:ID', document.orderReference).close('cac:OrderReference');
  }
  if (isCredit && document.creditedInvoice) {
    xml.open('cac:BillingReference').open('cac:InvoiceDocumentReference');
    xml.leaf('cbc:ID', document.creditedInvoice.documentNumber);
    xml.leaf('cbc:IssueDate', document.creditedInvoice.issueDate);
    xml.close('cac:InvoiceDocumentReference').close('cac:BillingReference');
  }
  if (options.pdf) {
    xml.open('cac:AdditionalDocumentReference');
    xml.leaf('cbc:ID', document.documentNumber);
    xml.leaf('cbc:DocumentDescription', `${isCredit ? text.creditNote : text.invoice} ${document.documentNumber}`);
    xml.open('cac:Attachment');
    xml.leaf('cbc:EmbeddedDocumentBinaryObject', options.pdf.base64, { mimeCode: 'application/pdf', filename: options.pdf.fileName });
    xml.close('cac:Attachment');
    xml.close('cac:AdditionalDocumentReference');
  }

  // Seller (BG-4).
  xml.open('cac:AccountingSupplierParty').open('cac:Party');
  xml.leaf('cbc:EndpointID', seller.orgNumber, { schemeID: SCHEME_ORG_NUMBER });
  xml.open('cac:PartyName').leaf('cbc:Name', seller.legalName).close('cac:PartyName');
  writeAddress(xml, 'cac:PostalAddress', seller.address);
  if (sellerVatId) {
    // NO + organisation number + MVA (NO-R-001; bff § 5-1-1).
    xml.open('cac:PartyTaxScheme').leaf('cbc:CompanyID', sellerVatId);
    writeTaxScheme(xml, 'VAT');
    xml.close('cac:PartyTaxScheme');
  }
  if (seller.isInForetaksregisteret) {
    // foretaksregisterloven § 10-2, as NO-R-002 looks for it.
    xml.open('cac:PartyTaxScheme').leaf('cbc:CompanyID', 'Foretaksregisteret');
    writeTaxScheme(xml, 'TAX');
    xml.close('cac:PartyTaxScheme');
  }
  xml.open('cac:PartyLegalEntity');
  xml.leaf('cbc:RegistrationName', seller.legalName);
  xml.leaf('cbc:CompanyID', seller.orgNumber, { schemeID: SCHEME_ORG_NUMBER });
  xml.close('cac:PartyLegalEntity');
  if (!isBlank(document.ourReference) || !isBlank(seller.phone) || !isBlank(seller.email)) {
    xml.open('cac:Contact');
    xml.leaf('cbc:Name', document.ourReference);
    xml.leaf('cbc:Telephone', seller.phone);
    xml.leaf('cbc:ElectronicMail', seller.email);
    xml.close('cac:Contact');
  }
  xml.close('cac:Party').close('cac:AccountingSupplierParty');

  // Buyer (BG-7).
  const buyer = document.buyer;
  const endpoint = buyerEndpoint(document);
  xml.open('cac:AccountingCustomerParty').open('cac:Party');
  if (endpoint) xml.leaf('cbc:EndpointID', endpoint.id, { schemeID: endpoint.scheme });
  else xml.leaf('cbc:EndpointID', buyer.email, { schemeID: 'EM' });
  xml.open('cac:PartyName').leaf('cbc:Name', buyer.name).close('cac:PartyName');
  writeAddress(xml, 'cac:PostalAddress', buyer.address);
  xml.open('cac:PartyLegalEntity');
  xml.leaf('cbc:RegistrationName', buyer.name);
  xml.leaf('cbc:CompanyID', buyer.orgNumber, { schemeID: SCHEME_ORG_NUMBER });
  xml.close('cac:PartyLegalEntity');
  if (!isBlank(buyer.email)) xml.open('cac:Contact').leaf('cbc:ElectronicMail', buyer.email).close('cac:Contact');
  xml.close('cac:Party').close('cac:AccountingCustomerParty');

  // Delivery (BG-13): date and, when it differs from the buyer's, the address.
  if (document.deliveryDate || document.deliveryAddress) {
    xml.open('cac:Delivery');
    xml.leaf('cbc:ActualDeliveryDate', document.deliveryDate);
    if (document.deliveryAddress) {
      xml.open('cac:DeliveryLocation');
      writeAddress(xml, 'cac:Address', document.deliveryAddress);
      xml.close('cac:DeliveryLocation');
    }
    xml.close('cac:Delivery');
  }

  // Payment (BG-16): credit transfer to the seller's account with the KID. A foreign
  // currency is paid to the IBAN when there is one, NOK to the Norwegian account.
  if (!isCredit) {
    const useIban = Boolean(seller.iban) && (document.currency !== 'NOK' || !seller.bankAccount);
    const account = useIban ? seller.iban : seller.bankAccount;
    if (account) {
      xml.open('cac:PaymentMeans');
      xml.leaf('cbc:PaymentMeansCode', PAYMENT_MEANS_CREDIT_TRANSFER);
      xml.leaf('cbc:PaymentID', document.kid);
      xml.open('cac:PayeeFinancialAccount');
      xml.leaf('cbc:ID', account);
      if (useIban && seller.bic) {
        xml.open('cac:FinancialInstitutionBranch').leaf('cbc:ID', seller.bic).close('cac:FinancialInstitutionBranch');
      }
      xml.close('cac:PayeeFinancialAccount');
      xml.close('cac:PaymentMeans');
    }
    if (document.paymentTermsDays !== null) {
      xml.open('cac:PaymentTerms').leaf('cbc:Note', text.terms(document.paymentTermsDays)).close('cac:PaymentTerms');
    }
  }

  // Document-level allowances and charges (BG-20, BG-21), after PaymentTerms as UBL 2.1 orders them.
  for (const entry of document.allowanceCharges) writeAllowanceCharge(xml, entry, currency);

  // VAT breakdown (BG-23), one entry per stored VAT code, in the document currency …
  xml.open('cac:TaxTotal');
  xml.leaf('cbc:TaxAmount', formatAmount(document.totals.vatMinor), currency);
  for (const entry of document.vatBreakdown) {
    const category = categoryOf(entry.category);
    xml.open('cac:TaxSubtotal');
    xml.leaf('cbc:TaxableAmount', formatAmount(entry.taxableMinor), currency);
    xml.leaf('cbc:TaxAmount', formatAmount(entry.vatMinor), currency);
    xml.open('cac:TaxCategory');
    xml.leaf('cbc:ID', category);
    if (!hasNoRate(category)) xml.leaf('cbc:Percent', entry.ratePercent);
    const reason = exemptionReason(category, entry.vatCode, seller.isVatRegistered, language);
    if (reason) {
      xml.leaf('cbc:TaxExemptionReasonCode', reason.code);
      xml.leaf('cbc:TaxExemptionReason', reason.text);
    }
    writeTaxScheme(xml, 'VAT');
    xml.close('cac:TaxCategory');
    xml.close('cac:TaxSubtotal');
  }
  xml.close('cac:TaxTotal');
  // … and the VAT total in NOK (BT-111).
  if (document.currency !== 'NOK') {
    xml.open('cac:TaxTotal').leaf('cbc:TaxAmount', formatAmount(document.totals.vatNokMinor), { currencyID: 'NOK' }).close('cac:TaxTotal');
  }

  // Totals (BG-22), as stored: lines (BT-106), allowances (BT-107), charges (BT-108), and
  // tax exclusive = lines − allowances + charges (BT-109; BR-CO-10…13).
  const totals = document.totals;
  const hasAllowances = document.allowanceCharges.some((entry) => entry.type === 'allowance');
  const hasCharges = document.allowanceCharges.some((entry) => entry.type === 'charge');
  xml.open('cac:LegalMonetaryTotal');
  xml.leaf('cbc:LineExtensionAmount', formatAmount(totals.lineTotalMinor), currency);
  xml.leaf('cbc:TaxExclusiveAmount', formatAmount(totals.netMinor), currency);
  xml.leaf('cbc:TaxInclusiveAmount', formatAmount(totals.grossMinor), currency);
  if (hasAllowances || totals.allowanceTotalMinor !== 0) {
    xml.leaf('cbc:AllowanceTotalAmount', formatAmount(totals.allowanceTotalMinor), currency);
  }
  if (hasCharges || totals.chargeTotalMinor !== 0) {
    xml.leaf('cbc:ChargeTotalAmount', formatAmount(totals.chargeTotalMinor), currency);
  }
  if (totals.payableMinor !== totals.grossMinor) {
    xml.leaf('cbc:PayableRoundingAmount', formatAmount(totals.payableMinor - totals.grossMinor), currency);
  }
  xml.leaf('cbc:PayableAmount', formatAmount(totals.payableMinor), currency);
  xml.close('cac:LegalMonetaryTotal');

  for (const line of document.lines) writeLine(xml, line, { lineElement, quantityElement, currency, discountReason: text.discount });

  xml.close(root);
  return xml.toString();
}

function writeLine(
  xml: XmlWriter,
  line: InvoiceLine,
  context: { lineElement: string; quantityElement: string; currency: { currencyID: string }; discountReason: string },
): void {
  const category = categoryOf(line.vatCategory);
  const unitPrice = line.unitPrice ?? '0';
  // The item price may not be negative (BR-27): a negative price becomes a negative quantity.
  const flip = unitPrice.startsWith('-');
  const quantity = flip ? negateDecimal(line.quantity) : line.quantity;
  const price = flip ? negateDecimal(unitPrice) : unitPrice;

  xml.open(context.lineElement);
  xml.leaf('cbc:ID', String(line.position));
  xml.leaf(context.quantityElement, quantity, { unitCode: ehfUnitCode(line.unitCode) });
  xml.leaf('cbc:LineExtensionAmount', formatAmount(line.netMinor), context.currency);
  if (percentToBasisPoints(line.discountPercent) !== 0) {
    // The line discount as a line allowance (BG-27): gross = quantity × price rounded once
    // to øre, allowance = gross − the stored net, so PEPPOL-EN16931-R120 and R040 hold.
    const grossMinor = toSafeNumber(
      divideRounded(BigInt(parseDecimalToMicros(line.quantity)!) * BigInt(parseDecimalToMicros(unitPrice)!), 10_000_000_000n),
    );
    xml.open('cac:AllowanceCharge');
    xml.leaf('cbc:ChargeIndicator', 'false');
    xml.leaf('cbc:AllowanceChargeReasonCode', ALLOWANCE_REASON_DISCOUNT);
    xml.leaf('cbc:AllowanceChargeReason', context.discountReason);
    xml.leaf('cbc:MultiplierFactorNumeric', line.discountPercent);
    xml.leaf('cbc:Amount', formatAmount(grossMinor - line.netMinor), context.currency);
    xml.leaf('cbc:BaseAmount', formatAmount(grossMinor), context.currency);
    xml.close('cac:AllowanceCharge');
  }
  const description = (line.description ?? '').trim();
  const newline = description.indexOf('\n');
  xml.open('cac:Item');
  // Item name (BT-153) is one line; a longer text goes to the item description (BT-154).
  if (newline >= 0) xml.leaf('cbc:Description', description);
  xml.leaf('cbc:Name', newline >= 0 ? description.slice(0, newline).trim() : description);
  writeItemTaxCategory(xml, 'cac:ClassifiedTaxCategory', category, line.vatRatePercent);
  xml.close('cac:Item');
  xml.open('cac:Price').leaf('cbc:PriceAmount', price, context.currency).close('cac:Price');
  xml.close(context.lineElement);
}

/**
 * A document-level allowance (BG-20) or charge (BG-21) with its stored, positive amount —
 * on a credit note too, which is itself positive. Percentage and base only together
 * (PEPPOL-EN16931-R041/R042); the stored amount is the base × percentage rounded once,
 * so R040 holds. The reason code is written when there is one; the reason always (BR-33/BR-38).
 */
function writeAllowanceCharge(xml: XmlWriter, entry: AllowanceCharge, currency: { currencyID: string }): void {
  const category = categoryOf(entry.vatCategory);
  const withPercent = entry.percent !== null && entry.baseMinor !== null;
  xml.open('cac:AllowanceCharge');
  xml.leaf('cbc:ChargeIndicator', entry.type === 'charge' ? 'true' : 'false');
  xml.leaf('cbc:AllowanceChargeReasonCode', entry.reasonCode);
  xml.leaf('cbc:AllowanceChargeReason', entry.reason);
  if (withPercent) xml.leaf('cbc:MultiplierFactorNumeric', entry.percent);
  xml.leaf('cbc:Amount', formatAmount(entry.amountMinor), currency);
  if (withPercent) xml.leaf('cbc:BaseAmount', formatAmount(entry.baseMinor!), currency);
  writeItemTaxCategory(xml, 'cac:TaxCategory', category, entry.vatRatePercent);
  xml.close('cac:AllowanceCharge');
}
