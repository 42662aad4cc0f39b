/**
 * Incoming bank payment files (Nets OCR giro, ISO 20022 camt.053 / camt.054):
 * the one result every parser returns, its error, and the pure checks the
 * parsers share (exact decimals → minor units, DDMMYY dates, KID facts, totals).
 * The parsers themselves (bytes → ParsedBankFile) live in src/adapters/bank/.
 */

import { type CalendarDate, isValidCalendarDate } from '../calendar-date.js';
import { isValidKid } from '../kid.js';

export type BankFileFormat = 'ocr_giro' | 'camt.053' | 'camt.054';

// ─── errors ──────────────────────────────────────────────────────────────────

export type BankFileErrorCode =
  /** Structure broken: missing start/end records, record out of place, bad field, truncated XML, wrong root … */
  | 'bank_file.invalid'
  /** The bytes are not XML at all (handed to the camt parser). */
  | 'bank_file.not_xml'
  /** XML, but not a camt.053/camt.054 namespace of a supported version (.02–.10). */
  | 'bank_file.unsupported_version'
  /** Neither XML nor Nets OCR records (the format detector). */
  | 'bank_file.unknown_format'
  /** OCR control records 88/89: counts or totals do not match the file. */
  | 'bank_file.control_mismatch';

/**
 * A file the importer must reject. `location` names the record (`record 47`) or the
 * element (`Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt`) that is wrong, and the
 * message starts with it.
 */
export class BankFileError extends Error {
  readonly code: BankFileErrorCode;
  readonly location: string | null;

  constructor(code: BankFileErrorCode, location: string | null, message: string) {
    super(location === null ? message : `${location}: ${message}`);
    this.name = 'BankFileError';
    this.code = code;
    this.location = location;
  }
}

export function isBankFileError(error: unknown, code?: BankFileErrorCode): error is BankFileError {
  return error instanceof BankFileError && (code === undefined || error.code === code);
}

// ─── the parsed file ─────────────────────────────────────────────────────────

export type BankFileWarningCode =
  /** OCR: the KID field is filled with zeros instead of blanks; the exact value is kept, a zero-stripped match is only a flagged fallback. */
  | 'kid_zero_filled'
  /** camt: the TxDtls amounts of an entry do not add up to the entry amount (or one is missing or in another currency); the entry amount is trusted for the sums. */
  | 'amount_details_mismatch'
  /** camt: Btch/NbOfTxs differs from the number of TxDtls. */
  | 'batch_count_mismatch'
  /** camt: a batch entry (NbOfTxs > 1) without TxDtls: one transaction stands for several payments. */
  | 'batch_without_details'
  /** camt: an entry in another currency than its account. */
  | 'currency_differs_from_account'
  /** camt: TxDtls/CdtDbtInd contradicts the entry's CdtDbtInd (the entry's is used). */
  | 'details_direction_mismatch'
  /** A TxDtls amount or a date could not be read; the value is null. */
  | 'unreadable_value'
  /** Two transactions of the file share a bank reference. */
  | 'duplicate_bank_reference';

export interface BankFileWarning {
  code: BankFileWarningCode;
  /** Record or element, as in BankFileError. */
  location: string;
  message: string;
}

export type BankFileNoteCode =
  /** OCR service 21 (AvtaleGiro agreements, claims, deletions): recognised, carries no payments. */
  | 'avtalegiro_no_payments'
  /** camt entries with another status than BOOK (PDNG, INFO): not booked, left out. */
  | 'entries_not_booked';

/** Information, not a problem: the file is fine, but parts of it produce no transactions. */
export interface BankFileNote {
  code: BankFileNoteCode;
  location: string;
  message: string;
}

/** An account the file reports on: a camt Stmt/Ntfctn, an OCR assignment. */
export interface BankFileAccount {
  index: number;
  iban: string | null;
  /** `Othr/Id` (often the 11-digit BBAN); OCR: the assignment account. */
  otherId: string | null;
  currency: string | null;
  servicerBic: string | null;
  servicerName: string | null;
  ownerName: string | null;
  /** Stmt/Id or Ntfctn/Id; OCR: the assignment number. */
  reportId: string | null;
  location: string;
}

export interface CreditorReference {
  /** `SCOR`, another code, a proprietary type (`ISR Reference`), or null when untyped. */
  type: string | null;
  ref: string;
}

export interface BankTransaction {
  /** 0-based, in file order. */
  index: number;
  /** Into ParsedBankFile.accounts. */
  accountIndex: number | null;
  direction: 'credit' | 'debit';
  /** camt RvslInd=true; OCR transaction types 18 and 20. Never a new payment. */
  isReversal: boolean;
  /**
   * An incoming payment to match: camt — a booked credit that is not a reversal;
   * OCR — every service-09 item except the reversal types 18/20 (a `-` item is a negative payment).
   */
  isPayment: boolean;
  currency: string;
  /**
   * Signed minor units (credit > 0, debit < 0). camt: the entry amount when the entry has
   * at most one TxDtls, else this TxDtls's amount — null when that TxDtls has none.
   */
  amountMinor: number | null;
  bookingDate: CalendarDate | null;
  valueDate: CalendarDate | null;
  /** OCR: the KID field; camt: the first SCOR `CdtrRefInf/Ref`. Exact: leading zeros kept. */
  kid: string | null;
  /** The KID passes the MOD10 or the MOD11 check. */
  kidValid: boolean;
  /** OCR: the KID field was zero-filled (see the warning). */
  kidZeroFilled: boolean;
  /** camt: every CdtrRefInf/Ref of the transaction (SCOR and others), in order; OCR: none. */
  creditorReferences: CreditorReference[];
  /** camt: each RmtInf/Ustrd; OCR: the free text of amount item 3. */
  freeText: string[];
  payerName: string | null;
  payerAccount: string | null;
  /**
   * Stable and unique per transaction, for duplicate detection. camt: TxDtls AcctSvcrRef,
   * else the entry's AcctSvcrRef / NtryRef, else TxDtls TxId (with `#n` for the n-th TxDtls
   * when several share it), else `<MsgId>:<element path>` (stable only for the same file);
   * OCR: `OCR:<agreement>:<assignment>:<nets date>:<serial>:<transaction number>`.
   */
  bankReference: string | null;
  endToEndId: string | null;
  /** OCR transaction type (`10`…`21`); camt BkTxCd `PMNT/RCDT/ESCT`, else the proprietary code. */
  transactionType: string | null;
  /** `record 3` (OCR amount item 1) or the XML path of the TxDtls / Ntry. */
  location: string;
  camt: CamtTransactionDetails | null;
  ocr: OcrTransactionDetails | null;
}

export interface CamtTransactionDetails {
  entryLocation: string;
  /** Signed, in entryCurrency. */
  entryAmountMinor: number;
  entryCurrency: string;
  entryAccountServicerReference: string | null;
  entryReference: string | null;
  /** TxDtls/Refs/AcctSvcrRef. */
  accountServicerReference: string | null;
  /** Number of TxDtls in the entry (0: the transaction is the entry itself). */
  detailsInEntry: number;
  /** Btch/NbOfTxs (summed over NtryDtls), or null without a Btch. */
  batchTransactionCount: number | null;
  /** The entry's TxDtls agree with it (amounts, currency, count). */
  detailsConsistent: boolean;
  /** This TxDtls's own amount (signed like the entry), and its currency; null when absent. */
  detailAmountMinor: number | null;
  detailCurrency: string | null;
  ultimateDebtorName: string | null;
  additionalInfo: string | null;
}

export interface OcrTransactionDetails {
  transactionNumber: string;
  /** Sign position 32: `0` or `-`. */
  sign: '0' | '-';
  netsDate: CalendarDate | null;
  /** The payer's bank date (amount item 2). */
  bankDate: CalendarDate | null;
  centreId: string;
  dayCode: string;
  partialSettlementNumber: string;
  serialNumber: string;
  formNumber: string;
  /** Agreement id or archive reference (types 18–21: BAX number + session number). */
  archiveReference: string;
  agreementId: string;
  assignmentNumber: string;
  assignmentAccount: string;
}

/** Per currency. All sums are positive except paymentSumMinor (signed). */
export interface BankFileTotals {
  currency: string;
  transactionCount: number;
  paymentCount: number;
  /** Signed sum of the payments' amountMinor (camt: from the details). */
  paymentSumMinor: number;
  /** camt: booked, non-reversed CRDT entries (entry amounts — what reached the account); OCR: the positive items. */
  creditedMinor: number;
  /** camt: booked, non-reversed DBIT entries; OCR: the negative items (`-` and types 18/20), as a positive number. */
  debitedMinor: number;
  /** camt: booked entries with RvslInd; OCR: types 18/20 — positive numbers. */
  reversedMinor: number;
}

/** Which total-amount convention the OCR control record used. */
export type OcrTotalConvention = 'gross' | 'net' | 'gross_equals_net';

export interface OcrControlCheck {
  /** The control record: `record 47`. */
  location: string;
  transactions: number;
  records: number;
  totalMinor: number;
  convention: OcrTotalConvention;
}

export interface OcrAssignmentControl extends OcrControlCheck {
  serviceCode: string;
  assignmentType: string;
  agreementId: string;
  assignmentNumber: string;
  account: string;
}

export interface OcrControl {
  dataTransmitter: string;
  transmissionNumber: string;
  dataRecipient: string;
  /** The convention of the transmission end record 89. */
  convention: OcrTotalConvention;
  transmission: OcrControlCheck;
  assignments: OcrAssignmentControl[];
}

export interface ParsedBankFile {
  format: BankFileFormat;
  /** camt: `001.02` … `001.10`; OCR: null (one record layout). */
  version: string | null;
  fileName: string | null;
  /** camt GrpHdr/MsgId; OCR transmission number. */
  messageId: string | null;
  accounts: BankFileAccount[];
  transactions: BankTransaction[];
  warnings: BankFileWarning[];
  notes: BankFileNote[];
  totals: BankFileTotals[];
  /** OCR control records; null for camt. */
  control: OcrControl | null;
}

// ─── pure checks ─────────────────────────────────────────────────────────────

const MINOR_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function isCurrencyCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value);
}

/** ISO 4217 minor unit digits: 2 unless listed (JPY 0, KWD 3 …). */
export function currencyMinorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/**
 * Exact decimal text → integer minor units, without floating point: `8.850` EUR → 885,
 * `200000` → 20000000, `2700` JPY → 2700. Extra decimals must be zeros. Returns an
 * explanation instead of a number when the text is not such an amount.
 */
export function decimalToMinor(text: string, currency: string): { minor: number } | { problem: string } {
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return { problem: `'${text}' is not a decimal amount` };
  const [, sign, whole, fraction = ''] = match;
  const digits = currencyMinorDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  if (/[^0]/.test(fraction.slice(digits))) {
    return { problem: `'${text}' has more decimals than ${currency} has minor units (${digits})` };
  }
  const minor = Number(`${whole!.replace(/^0+(?=\d)/, '')}${kept}`);
  if (!Number.isSafeInteger(minor)) return { problem: `'${text}' is too large` };
  return { minor: sign === '-' && minor !== 0 ? -minor : minor };
}

/**
 * OCR `DDMMYY`: `000000` is no date (null); a two-digit year below `pivot` is 20YY,
 * otherwise 19YY (the specification's samples are from 1992, real files from the 2000s).
 * Returns undefined for anything that is not a real date.
 */
export function ocrDate(ddmmyy: string, pivot = 70): CalendarDate | null | undefined {
  if (ddmmyy === '000000') return null;
  if (!/^\d{6}$/.test(ddmmyy)) return undefined;
  const yy = Number(ddmmyy.slice(4, 6));
  const year = yy < pivot ? 2000 + yy : 1900 + yy;
  const date = `${year}-${ddmmyy.slice(2, 4)}-${ddmmyy.slice(0, 2)}`;
  return isValidCalendarDate(date) ? date : undefined;
}

/** `YYYY-MM-DD` from an ISO date or date-time as written (the offset's calendar date), or undefined. */
export function isoDatePart(value: string): CalendarDate | undefined {
  const date = value.trim().slice(0, 10);
  return isValidCalendarDate(date) ? date : undefined;
}

/** MOD10 (Luhn) or MOD11 (a check digit of 10 written `-`); leading zeros are part of the KID. */
export function kidPassesCheck(kid: string): boolean {
  return isValidKid(kid);
}

/** Which convention a declared OCR total follows, or null when it matches neither. */
export function ocrTotalConvention(declared: number, gross: number, net: number): OcrTotalConvention | null {
  if (declared === gross && declared === net) return 'gross_equals_net';
  if (declared === gross) return 'gross';
  if (declared === net) return 'net';
  return null;
}

/** Collects the per-currency totals while a parser walks the file. */
export class BankTotalsBuilder {
  private readonly byCurrency = new Map<string, BankFileTotals>();

  private of(currency: string): BankFileTotals {
    let totals = this.byCurrency.get(currency);
    if (!totals) {
      totals = { currency, transactionCount: 0, paymentCount: 0, paymentSumMinor: 0, creditedMinor: 0, debitedMinor: 0, reversedMinor: 0 };
      this.byCurrency.set(currency, totals);
    }
    return totals;
  }

  addTransaction(transaction: Pick<BankTransaction, 'currency' | 'isPayment' | 'amountMinor'>): void {
    const totals = this.of(transaction.currency);
    totals.transactionCount += 1;
    if (transaction.isPayment) {
      totals.paymentCount += 1;
      totals.paymentSumMinor += transaction.amountMinor ?? 0;
    }
  }

  /** An OCR item (signed): positive → credited, negative → debited; types 18/20 also count as reversed. */
  addOcrItem(currency: string, amountMinor: number, isReversal: boolean): void {
    const totals = this.of(currency);
    if (amountMinor > 0) totals.creditedMinor += amountMinor;
    else totals.debitedMinor -= amountMinor;
    if (isReversal) totals.reversedMinor += Math.abs(amountMinor);
  }

  /** A booked camt entry (signed), once per entry: a reversal is neither credited nor debited, only reversed. */
  addCamtEntry(currency: string, amountMinor: number, isReversal: boolean): void {
    const totals = this.of(currency);
    if (isReversal) totals.reversedMinor += Math.abs(amountMinor);
    else if (amountMinor > 0) totals.creditedMinor += amountMinor;
    else totals.debitedMinor -= amountMinor;
  }

  result(): BankFileTotals[] {
    return [...this.byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  }
}

/** One warning per bank reference that occurs more than once (naming every place it occurs). */
export function duplicateReferenceWarnings(transactions: readonly BankTransaction[]): BankFileWarning[] {
  // The first place as a string, a list only once a reference repeats (100 000 references, few repeated).
  const places = new Map<string, string | string[]>();
  for (const transaction of transactions) {
    if (transaction.bankReference === null) continue;
    const seen = places.get(transaction.bankReference);
    if (seen === undefined) places.set(transaction.bankReference, transaction.location);
    else if (typeof seen === 'string') places.set(transaction.bankReference, [seen, transaction.location]);
    else seen.push(transaction.location);
  }
  const warnings: BankFileWarning[] = [];
  for (const [reference, locations] of places) {
    if (typeof locations === 'string') continue;
    warnings.push({
      code: 'duplicate_bank_reference',
      location: locations[0]!,
      message: `bank reference '${reference}' occurs ${locations.length} times (${locations.join(', ')})`,
    });
  }
  return warnings;
}
