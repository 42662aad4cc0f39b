import type { Language } from '../party.js';
import type { DocumentDesign, DocumentFont } from './template-settings.js';

/**
 * Everything a design prints, already in words: labels translated, amounts and
 * dates formatted. Generic on purpose: an invoice, a credit note and (later) a
 * reminder or an inkassovarsel are all a header, two parties, meta fields, a
 * table, totals, free text blocks and an optional payment box.
 */
export interface DocumentViewModel {
  language: Language;
  /** The big word at the top: "Faktura", "Kreditnota", "Purring". */
  title: string;
  /** The document's printed number, e.g. "1001" or "TEST-3"; null for a draft. */
  number: string | null;
  /** Large marks shown on every page, e.g. TEST or UTKAST, with a short explanation. */
  marks: Array<{ text: string; caption: string }>;
  seller: PartyBlock;
  recipient: PartyBlock;
  /** A second address next to the recipient (delivery address), when shown. */
  secondaryParty: PartyBlock | null;
  /** Number, dates, references: label/value pairs in print order. */
  meta: LabeledValue[];
  /** Text under the title (template header text). */
  headerText: string | null;
  /** Paragraphs before the table, e.g. "Kreditnota for faktura 1001 datert 20.11.2026". */
  intro: TextBlock[];
  table: TableBlock;
  /** Per-rate VAT specification printed beside the totals; null when there is no VAT to show. */
  vatSummary: TableBlock | null;
  totals: TotalRow[];
  /** Paragraphs after the totals: free text, legal notes, exchange rate. */
  notes: TextBlock[];
  payment: PaymentBox | null;
  /** Template footer text, on every page. */
  footerText: string | null;
  /** The seller's contact line(s), on every page. */
  footerLines: string[];
  /** "Side {page} av {pages}". */
  pageLabel: string;
  /** Label of a continued page's header, e.g. "Faktura 1001 (forts.)". */
  continuedTitle: string;
  style: DocumentStyle;
  /** PDF metadata. */
  metadata: { title: string; author: string; subject: string };
}

export interface PartyBlock {
  heading: string;
  name: string;
  lines: string[];
}

export interface LabeledValue {
  label: string;
  value: string;
}

export interface TextBlock {
  heading: string | null;
  text: string;
  emphasis?: boolean;
}

export interface TableColumn {
  id: string;
  label: string;
  align: 'left' | 'right';
  /** The one column that takes the remaining width and wraps its text (the description). */
  grow?: boolean;
}

export interface TableBlock {
  columns: TableColumn[];
  rows: Array<{ cells: string[] }>;
  /** Printed above the table, e.g. "Beløp i EUR". */
  caption: string | null;
}

export interface TotalRow {
  /** Wrapped when it is wider than the room beside the value (a long allowance reason). */
  label: string;
  value: string;
  /** 'strong' for the sum, 'grand' for the amount to pay. */
  emphasis: 'normal' | 'strong' | 'grand';
  /** A smaller second line under the label, e.g. "10 % av 2 000,00 · mva 15 %" for an allowance. */
  detail?: string;
}

export interface PaymentBox {
  heading: string;
  fields: LabeledValue[];
  /** Template payment text. */
  text: string | null;
}

export interface DocumentStyle {
  design: DocumentDesign;
  font: DocumentFont;
  accentColor: string;
  /** The logo by reference with its pixel size (for the aspect ratio); null without a logo. */
  logo: { ref: string; width: number; height: number } | null;
}
