import type { InvoiceDocument } from '../invoice/invoice.js';
import type { Address, Language, SellerSnapshot } from '../party.js';
import { UNITS } from '../units.js';
import type { VatCategory } from '../vat.js';
import {
  formatBankAccountForPrint,
  formatDate,
  formatDecimal,
  formatIbanForPrint,
  formatMinor,
  formatOrgNumberForPrint,
  formatPercent,
  formatQuantity,
} from './format.js';
import { type DocumentLabels, documentLabels, fillLabel } from './labels.js';
import type { TemplateSettings } from './template-settings.js';
import type { DocumentViewModel, LabeledValue, PartyBlock, TableBlock, TableColumn, TextBlock, TotalRow } from './view-model.js';

export interface InvoiceViewModelInput {
  document: InvoiceDocument;
  /** The seller as printed: the snapshot frozen at issue, or the company today for a draft. */
  seller: SellerSnapshot;
  template: TemplateSettings;
  language: Language;
  logo: { ref: string; width: number; height: number } | null;
  /** Product numbers by product id, for the optional "Varenr." column. */
  productNumbers?: ReadonlyMap<string, string>;
}

const UNIT_BY_CODE = new Map(UNITS.map((unit) => [unit.code, unit]));

function unitLabel(code: string, language: Language): string {
  const unit = UNIT_BY_CODE.get(code);
  if (!unit) return code;
  return language === 'nb' ? unit.labelNb : unit.labelEn;
}

function addressLines(address: Address): string[] {
  const place = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.line1, address.line2, place || null, address.countryCode !== 'NO' ? address.countryCode : null].filter(
    (line): line is string => Boolean(line),
  );
}

function orgNumberLine(labels: DocumentLabels, orgNumber: string, vatRegistered: boolean): string {
  // bff § 5-1-1: a VAT-registered seller's org. number is followed by the letters "MVA".
  return `${labels.orgNumber} ${formatOrgNumberForPrint(orgNumber)}${vatRegistered ? ` ${labels.vatRegisteredSuffix}` : ''}`;
}

function rateLabel(labels: DocumentLabels, ratePercent: string, category: string): string {
  const rate = formatPercent(ratePercent);
  if (category === 'S') return rate;
  const word = labels.vatCategory[category as Exclude<VatCategory, 'S'>];
  return word ? `${rate} (${word})` : rate;
}

/**
 * The printed form of an invoice or credit note: every mandatory item of
 * bokføringsforskriften §§ 5-1-1 and 5-1-2 (seller with org. no. + "MVA" and
 * "Foretaksregisteret", buyer, number and dates, delivery, lines, VAT per rate,
 * totals, due date, payment details; credit note reference; VAT in NOK on a
 * foreign-currency document), the TEST/draft marks, and the template's texts.
 */
export function buildInvoiceViewModel(input: InvoiceViewModelInput): DocumentViewModel {
  const { document: doc, seller, template, language } = input;
  const labels = documentLabels(language);
  const show = template.showFields;
  const isCredit = doc.kind === 'credit_note';
  const isDraft = doc.status === 'draft' || doc.documentNumber === null;
  const isForeign = doc.currency !== 'NOK';
  const title = isCredit ? labels.creditNote : labels.invoice;
  const number = isDraft ? null : doc.documentNumber;

  const marks: DocumentViewModel['marks'] = [];
  if (doc.isTest) marks.push({ text: labels.testMark, caption: labels.testMarkText });
  if (isDraft) marks.push({ text: labels.draftMark, caption: labels.draftMarkText });

  const sellerLines = [...addressLines(seller.address), orgNumberLine(labels, seller.orgNumber, seller.isVatRegistered)];
  // foretaksregisterloven § 10-2: AS, ASA and NUF print "Foretaksregisteret".
  if (seller.isInForetaksregisteret) sellerLines.push(labels.foretaksregisteret);
  const sellerBlock: PartyBlock = { heading: labels.seller, name: seller.legalName, lines: sellerLines };

  const recipientLines = addressLines(doc.buyer.address);
  if (doc.buyer.kind === 'business' && doc.buyer.orgNumber) {
    recipientLines.push(orgNumberLine(labels, doc.buyer.orgNumber, false));
  }
  const recipient: PartyBlock = { heading: labels.billTo, name: doc.buyer.name, lines: recipientLines };
  const secondaryParty: PartyBlock | null =
    show.deliveryAddress && doc.deliveryAddress
      ? { heading: labels.deliveryAddress, name: doc.buyer.name, lines: addressLines(doc.deliveryAddress) }
      : null;

  const meta: LabeledValue[] = [];
  if (number) meta.push({ label: isCredit ? labels.creditNoteNumber : labels.invoiceNumber, value: number });
  if (doc.issueDate) meta.push({ label: isCredit ? labels.creditNoteDate : labels.issueDate, value: formatDate(doc.issueDate) });
  if (doc.deliveryPeriod) {
    meta.push({
      label: labels.deliveryPeriod,
      value: `${formatDate(doc.deliveryPeriod.start)}–${formatDate(doc.deliveryPeriod.end)}`,
    });
  } else if (doc.deliveryDate) {
    meta.push({ label: labels.deliveryDate, value: formatDate(doc.deliveryDate) });
  }
  if (!isCredit && doc.dueDate) meta.push({ label: labels.dueDate, value: formatDate(doc.dueDate) });
  if (show.customerNumber) meta.push({ label: labels.customerNumber, value: String(doc.customerNumber) });
  if (show.ourReference && doc.ourReference) meta.push({ label: labels.ourReference, value: doc.ourReference });
  if (show.buyerReference && doc.buyerReference) meta.push({ label: labels.buyerReference, value: doc.buyerReference });
  if (show.orderReference && doc.orderReference) meta.push({ label: labels.orderReference, value: doc.orderReference });
  if (isForeign) {
    meta.push({ label: labels.currency, value: doc.currency });
    if (doc.exchangeRate) {
      meta.push({
        label: labels.exchangeRate,
        value: fillLabel(labels.exchangeRateText, { currency: doc.currency, rate: formatDecimal(doc.exchangeRate) }),
      });
    }
  }

  const intro: TextBlock[] = [];
  if (isCredit && doc.creditedInvoice) {
    // bff § 5-2-8: a credit note refers to the invoice it corrects.
    intro.push({
      heading: null,
      emphasis: true,
      text: fillLabel(labels.creditNoteFor, {
        number: doc.creditedInvoice.documentNumber ?? '',
        date: doc.creditedInvoice.issueDate ? formatDate(doc.creditedInvoice.issueDate) : '',
      }),
    });
  }
  if (isCredit && doc.creditReason) intro.push({ heading: labels.creditReason, text: doc.creditReason });

  const showProductNumbers = show.productNumbers && doc.lines.some((line) => line.productId && input.productNumbers?.has(line.productId));
  const showDiscount = doc.lines.some((line) => Number(line.discountPercent) !== 0);
  const showVat = seller.isVatRegistered;
  const columns: TableColumn[] = [];
  if (showProductNumbers) columns.push({ id: 'productNumber', label: labels.columns.productNumber, align: 'left' });
  columns.push({ id: 'description', label: labels.columns.description, align: 'left', grow: true });
  columns.push({ id: 'quantity', label: labels.columns.quantity, align: 'right' });
  columns.push({ id: 'unit', label: labels.columns.unit, align: 'left' });
  columns.push({ id: 'unitPrice', label: labels.columns.unitPrice, align: 'right' });
  if (showDiscount) columns.push({ id: 'discount', label: labels.columns.discount, align: 'right' });
  if (showVat) columns.push({ id: 'vatRate', label: labels.columns.vatRate, align: 'right' });
  columns.push({ id: 'amount', label: labels.columns.amount, align: 'right' });

  const table: TableBlock = {
    columns,
    caption: isForeign ? fillLabel(labels.amountsIn, { currency: doc.currency }) : null,
    rows: doc.lines.map((line) => {
      const cells: string[] = [];
      if (showProductNumbers) cells.push((line.productId && input.productNumbers?.get(line.productId)) || '');
      cells.push(line.description ?? '');
      cells.push(formatQuantity(line.quantity));
      cells.push(unitLabel(line.unitCode, language));
      cells.push(line.unitPrice === null ? '' : formatDecimal(line.unitPrice));
      if (showDiscount) cells.push(Number(line.discountPercent) === 0 ? '' : formatPercent(line.discountPercent));
      if (showVat) cells.push(formatPercent(line.vatRatePercent));
      cells.push(formatMinor(line.netMinor));
      return { cells };
    }),
  };

  let vatSummary: TableBlock | null = null;
  if (showVat && doc.vatBreakdown.length > 0) {
    const summaryColumns: TableColumn[] = [
      { id: 'rate', label: labels.vatSummaryColumns.rate, align: 'left' },
      { id: 'taxable', label: labels.vatSummaryColumns.taxable, align: 'right' },
      { id: 'vat', label: labels.vatSummaryColumns.vat, align: 'right' },
    ];
    if (isForeign) {
      summaryColumns.push({ id: 'taxableNok', label: labels.vatSummaryColumns.taxableNok, align: 'right' });
      summaryColumns.push({ id: 'vatNok', label: labels.vatSummaryColumns.vatNok, align: 'right' });
    }
    vatSummary = {
      caption: labels.vatSummary,
      columns: summaryColumns,
      rows: doc.vatBreakdown.map((entry) => {
        const cells = [rateLabel(labels, entry.ratePercent, entry.category), formatMinor(entry.taxableMinor), formatMinor(entry.vatMinor)];
        if (isForeign) cells.push(formatMinor(entry.taxableNokMinor), formatMinor(entry.vatNokMinor));
        return { cells };
      }),
    };
  }

  const totals: TotalRow[] = [];
  if (doc.allowanceCharges.length > 0) {
    // Document-level allowances and charges (BG-20/21) between the lines' sum and the net
    // total, as Norwegian invoices print them: the reason as given, the percentage and its
    // base, the VAT rate. Signed as on the document: an allowance lowers the sum (also on a
    // credit note, whose amounts are positive like the invoice's).
    totals.push({ label: labels.lineTotal, value: formatMinor(doc.totals.lineTotalMinor), emphasis: 'normal' });
    for (const entry of doc.allowanceCharges) {
      const word = entry.type === 'allowance' ? labels.allowance : labels.charge;
      const reason = entry.reason?.trim();
      const details: string[] = [];
      if (entry.percent !== null) {
        const percent = formatPercent(entry.percent);
        details.push(entry.baseMinor !== null ? fillLabel(labels.percentOfBase, { percent, base: formatMinor(entry.baseMinor) }) : percent);
      }
      if (showVat) details.push(fillLabel(labels.vatRateOf, { rate: rateLabel(labels, entry.vatRatePercent, entry.vatCategory) }));
      totals.push({
        label: reason ? `${word}: ${reason}` : word,
        value: formatMinor(entry.netMinor),
        emphasis: 'normal',
        ...(details.length > 0 ? { detail: details.join(' · ') } : {}),
      });
    }
  }
  if (showVat) {
    totals.push({ label: labels.netTotal, value: formatMinor(doc.totals.netMinor), emphasis: 'normal' });
    totals.push({ label: labels.vatTotal, value: formatMinor(doc.totals.vatMinor), emphasis: 'normal' });
    // bff § 5-1-1 nr. 6: the VAT amount in NOK, also on a foreign-currency document.
    if (isForeign) totals.push({ label: labels.vatInNok, value: `${formatMinor(doc.totals.vatNokMinor)} NOK`, emphasis: 'normal' });
  }
  totals.push({ label: showVat ? labels.grossTotal : labels.total, value: formatMinor(doc.totals.grossMinor), emphasis: 'strong' });
  if (doc.totals.payableMinor !== doc.totals.grossMinor) {
    totals.push({ label: labels.rounding, value: formatMinor(doc.totals.payableMinor - doc.totals.grossMinor), emphasis: 'normal' });
  }
  totals.push({
    label: isCredit ? labels.creditTotal : labels.payable,
    value: `${formatMinor(doc.totals.payableMinor)} ${doc.currency}`,
    emphasis: 'grand',
  });

  const notes: TextBlock[] = [];
  if (seller.isVatRegistered && [...doc.lines, ...doc.allowanceCharges].some((entry) => entry.vatCode === '51')) {
    // mval § 11-1 (2)/(3): the reverse-charge wording.
    notes.push({ heading: null, text: labels.reverseCharge, emphasis: true });
  }
  if (!seller.isVatRegistered) notes.push({ heading: null, text: labels.notVatRegistered });
  if (doc.freeText) notes.push({ heading: labels.notes, text: doc.freeText });

  let payment: DocumentViewModel['payment'] = null;
  if (!isCredit) {
    const fields: LabeledValue[] = [];
    if (seller.bankAccount) fields.push({ label: labels.accountNumber, value: formatBankAccountForPrint(seller.bankAccount) });
    if (seller.iban) fields.push({ label: labels.iban, value: formatIbanForPrint(seller.iban) });
    if (seller.iban && seller.bic) fields.push({ label: labels.bic, value: seller.bic });
    if (doc.kid) fields.push({ label: labels.kid, value: doc.kid });
    fields.push({ label: labels.amount, value: `${formatMinor(doc.totals.payableMinor)} ${doc.currency}` });
    if (doc.dueDate) fields.push({ label: labels.dueDate, value: formatDate(doc.dueDate) });
    payment = { heading: labels.payment, fields, text: template.paymentText };
  }

  const footerLines: string[] = [];
  const sellerPlace = addressLines(seller.address).join(', ');
  footerLines.push(
    [seller.legalName, sellerPlace, orgNumberLine(labels, seller.orgNumber, seller.isVatRegistered)].filter(Boolean).join(' · '),
  );
  if (show.sellerContact) {
    const contact = [
      seller.email ? `${labels.email}: ${seller.email}` : null,
      seller.phone ? `${labels.phone}: ${seller.phone}` : null,
      seller.website ? `${labels.website}: ${seller.website}` : null,
    ].filter(Boolean);
    if (contact.length > 0) footerLines.push(contact.join(' · '));
  }

  const heading = number ? `${title} ${number}` : title;
  return {
    language,
    title,
    number,
    marks,
    seller: sellerBlock,
    recipient,
    secondaryParty,
    meta,
    headerText: template.headerText,
    intro,
    table,
    vatSummary,
    totals,
    notes,
    payment,
    footerText: template.footerText,
    footerLines,
    pageLabel: labels.page,
    continuedTitle: `${heading} (${labels.continued})`,
    style: { design: template.design, font: template.font, accentColor: template.accentColor.toLowerCase(), logo: input.logo },
    metadata: { title: heading, author: seller.legalName, subject: `${heading} – ${doc.buyer.name}` },
  };
}
