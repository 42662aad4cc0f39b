/**
 * Nets OCR giro files (80-character `NY` records, ISO-8859-1) → ParsedBankFile.
 * Layouts and quirks: shared/conformance/bank/README.md §1 and §3.
 *
 * Transmission 10 … 89 holds assignments 20 … 88; a service-09 assignment holds
 * transactions of records 30 + 31 (+ 32 with free text). Service 21 (AvtaleGiro
 * agreements, claims, deletions) is recognised, control-checked and skipped: it
 * carries no payments. Control records 88/89 are checked for transaction count,
 * record count and total (gross — every item added — or net — negative items
 * deducted); any mismatch, a missing start/end record or a malformed field rejects
 * the file with a BankFileError naming the record.
 */

import {
  BankFileError,
  type BankFileAccount,
  type BankFileNote,
  type BankFileWarning,
  BankTotalsBuilder,
  type BankTransaction,
  duplicateReferenceWarnings,
  kidPassesCheck,
  type OcrAssignmentControl,
  type OcrControlCheck,
  ocrDate,
  ocrTotalConvention,
  type ParsedBankFile,
} from '../../domain/bank/bank-file.js';
import type { CalendarDate } from '../../domain/calendar-date.js';

export interface OcrParseOptions {
  fileName?: string | null;
  /** Two-digit years below this are 20YY, others 19YY (default 70). */
  datePivot?: number;
}

const RECORD_LENGTH = 80;
const TRANSACTION_TYPE_NAMES: Record<string, string> = {
  '10': 'giro debited to an account',
  '11': 'standing order',
  '12': 'direct remittance',
  '13': 'business terminal giro',
  '14': 'counter giro',
  '15': 'AvtaleGiro',
  '16': 'telegiro',
  '17': 'giro paid in cash',
  '18': 'reversal with KID',
  '19': 'purchase with KID',
  '20': 'reversal with free text',
  '21': 'purchase with free text',
};

/** Positions 5–6 hold an OCR giro transaction type, 10–21 (18 and 20 are the reversals). */
function isPaymentType(record: string): boolean {
  const tens = record.charCodeAt(4);
  const units = record.charCodeAt(5);
  return (tens === 0x31 && units >= 0x30 && units <= 0x39) || (tens === 0x32 && (units === 0x30 || units === 0x31));
}

/** Decodes ISO-8859-1 bytes and parses them. */
export function parseOcrGiro(bytes: Uint8Array, options: OcrParseOptions = {}): ParsedBankFile {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + bom, bytes.byteLength - bom).toString('latin1');
  return parseOcrGiroText(text, options);
}

interface OcrRecord {
  /** 1-based position in the file. */
  number: number;
  text: string;
}

/** Splits into 80-character records: LF or CRLF, no final newline, or no newlines at all. */
export function splitOcrRecords(text: string): OcrRecord[] {
  const { offsets, count } = recordOffsets(text);
  const records: OcrRecord[] = [];
  for (let index = 0; index < count; index++) records.push(recordAt(text, offsets, index));
  return records;
}

const TRAILING = /[\s\x1a]/;

/**
 * Where each record starts (the same checks as splitOcrRecords, without making the
 * records: a 100 000-transaction file has 200 000 of them, made one at a time instead).
 */
function recordOffsets(text: string): { offsets: Int32Array; count: number } {
  let end = text.length;
  while (end > 0 && TRAILING.test(text[end - 1]!)) end--;
  const offsets = new Int32Array(Math.floor(end / RECORD_LENGTH) + 1);
  let count = 0;
  const severalLines = end > 0 && text.lastIndexOf('\n', end - 1) !== -1;
  for (let lineStart = 0, lineIndex = 0; ; lineIndex++) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 || newline >= end ? end : newline;
    const length = (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd) - lineStart;
    if (length === 0 || length % RECORD_LENGTH !== 0) {
      const where = severalLines ? ` (line ${lineIndex + 1})` : '';
      const whole = Math.floor(length / RECORD_LENGTH);
      throw new BankFileError(
        'bank_file.invalid',
        `record ${count + 1 + whole}`,
        whole === 0
          ? `${length} characters${where}; OCR records are exactly ${RECORD_LENGTH} characters`
          : `${length % RECORD_LENGTH} characters left after ${whole} whole records${where}; OCR records are exactly ${RECORD_LENGTH} characters`,
      );
    }
    for (let offset = 0; offset < length; offset += RECORD_LENGTH) offsets[count++] = lineStart + offset;
    if (lineEnd === end) break;
    lineStart = lineEnd + 1;
  }
  return { offsets, count };
}

function recordAt(text: string, offsets: Int32Array, index: number): OcrRecord {
  const start = offsets[index]!;
  return { number: index + 1, text: text.slice(start, start + RECORD_LENGTH) };
}

interface PendingTransaction {
  record30: OcrRecord;
  transaction: BankTransaction;
  hasRecord31: boolean;
  hasRecord32: boolean;
}

interface OpenAssignment {
  start: OcrRecord;
  serviceCode: string;
  assignmentType: string;
  agreementId: string;
  assignmentNumber: string;
  account: string;
  accountIndex: number;
  records: number;
  transactions: number;
  grossMinor: number;
  netMinor: number;
  pending: PendingTransaction | null;
  /** Service 21: items seen. */
  nonPaymentItems: number;
}

export function parseOcrGiroText(text: string, options: OcrParseOptions = {}): ParsedBankFile {
  const pivot = options.datePivot ?? 70;
  const { offsets, count: recordCount } = recordOffsets(text);
  const nth = (index: number) => recordAt(text, offsets, index);
  const transactions: BankTransaction[] = [];
  const warnings: BankFileWarning[] = [];
  const notes: BankFileNote[] = [];
  const accounts: BankFileAccount[] = [];
  const assignmentControls: OcrAssignmentControl[] = [];
  const totals = new BankTotalsBuilder();

  const at = (record: OcrRecord) => `record ${record.number}`;
  function fail(record: OcrRecord, message: string): never {
    throw new BankFileError('bank_file.invalid', at(record), `${message} (${record.text.slice(0, 8)})`);
  }
  const digits = (record: OcrRecord, from: number, to: number, field: string): string => {
    const value = record.text.slice(from - 1, to);
    if (!/^\d+$/.test(value)) fail(record, `${field} (positions ${from}–${to}) is '${value}', not digits`);
    return value;
  };
  const number = (record: OcrRecord, from: number, to: number, field: string): number =>
    Number(digits(record, from, to, field));
  // A file has few distinct dates: each is checked once.
  const dates = new Map<string, CalendarDate | null | undefined>();
  const date = (record: OcrRecord, from: number, to: number, field: string): CalendarDate | null => {
    const raw = record.text.slice(from - 1, to);
    let value = dates.get(raw);
    if (value === undefined && !dates.has(raw)) {
      value = ocrDate(raw, pivot);
      dates.set(raw, value);
    }
    if (value === undefined) fail(record, `${field} (positions ${from}–${to}) '${raw}' is not a DDMMYY date`);
    return value ?? null;
  };

  // Transmission start.
  const first = nth(0);
  if (!first.text.startsWith('NY000010')) {
    fail(first, 'expected the transmission start record NY000010 first');
  }
  for (let index = 0; index < recordCount; index++) {
    if (!text.startsWith('NY', offsets[index])) fail(nth(index), 'does not start with the format code NY');
  }
  const dataTransmitter = digits(first, 9, 16, 'data transmitter');
  const transmissionNumber = digits(first, 17, 23, 'transmission number');
  const dataRecipient = digits(first, 24, 31, 'data recipient');

  let assignment: OpenAssignment | null = null;
  let transmissionEnd: OcrControlCheck | null = null;
  let fileGross = 0;
  let fileNet = 0;
  let fileTransactions = 0;

  const finishPending = (open: OpenAssignment, next: OcrRecord) => {
    const pending = open.pending;
    if (pending && !pending.hasRecord31) {
      fail(next, `amount item 1 of transaction ${pending.transaction.ocr!.transactionNumber} (${at(pending.record30)}) is not followed by its amount item 2 (record type 31)`);
    }
    open.pending = null;
  };

  for (let i = 1; i < recordCount; i++) {
    const record = nth(i);
    const serviceCode = record.text.slice(2, 4);
    const transactionType = record.text.slice(4, 6);
    const recordType = record.text.slice(6, 8);
    if (transmissionEnd) {
      fail(record, `record after the transmission end (${transmissionEnd.location})`);
    }

    if (recordType === '10') fail(record, 'a second transmission start record');

    if (recordType === '20') {
      if (assignment) {
        fail(record, `assignment start while the assignment of ${at(assignment.start)} has no end record 88`);
      }
      if (serviceCode !== '09' && serviceCode !== '21') {
        fail(record, `service code '${serviceCode}' is neither OCR giro (09) nor AvtaleGiro (21)`);
      }
      const account = digits(record, 25, 35, 'assignment account');
      const assignmentNumber = digits(record, 18, 24, 'assignment number');
      accounts.push({
        index: accounts.length,
        iban: null,
        otherId: account,
        currency: 'NOK',
        servicerBic: null,
        servicerName: null,
        ownerName: null,
        reportId: assignmentNumber,
        location: at(record),
      });
      assignment = {
        start: record,
        serviceCode,
        assignmentType: transactionType,
        agreementId: digits(record, 9, 17, 'agreement id'),
        assignmentNumber,
        account,
        accountIndex: accounts.length - 1,
        records: 1,
        transactions: 0,
        grossMinor: 0,
        netMinor: 0,
        pending: null,
        nonPaymentItems: 0,
      };
      continue;
    }

    if (recordType === '89') {
      if (serviceCode !== '00') fail(record, `transmission end with service code '${serviceCode}', expected 00`);
      if (assignment) {
        fail(record, `transmission end while the assignment of ${at(assignment.start)} has no end record 88`);
      }
      if (i !== recordCount - 1) fail(nth(i + 1), `record after the transmission end (${at(record)})`);
      const declaredTransactions = number(record, 9, 16, 'number of transactions');
      const declaredRecords = number(record, 17, 24, 'number of records');
      const declaredTotal = number(record, 25, 41, 'total amount');
      date(record, 42, 47, 'Nets date');
      checkCount(record, 'transactions', declaredTransactions, fileTransactions, 'the file holds');
      checkCount(record, 'records', declaredRecords, recordCount, 'the file has');
      const convention = ocrTotalConvention(declaredTotal, fileGross, fileNet);
      if (convention === null) {
        throw new BankFileError(
          'bank_file.control_mismatch',
          at(record),
          `transmission end declares a total of ${declaredTotal} øre, which matches neither the gross sum (${fileGross}) nor the net sum (${fileNet}) of the file`,
        );
      }
      transmissionEnd = {
        location: at(record),
        transactions: declaredTransactions,
        records: declaredRecords,
        totalMinor: declaredTotal,
        convention,
      };
      continue;
    }

    if (!assignment) {
      fail(record, `${recordType === '88' ? 'assignment end' : 'transaction record'} outside an assignment (no assignment start record 20 before it)`);
    }
    const open = assignment!;
    if (serviceCode !== open.serviceCode) {
      fail(record, `service code '${serviceCode}' inside the service-${open.serviceCode} assignment of ${at(open.start)}`);
    }
    open.records += 1;

    if (recordType === '88') {
      finishPending(open, record);
      const declaredTransactions = number(record, 9, 16, 'number of transactions');
      const declaredRecords = number(record, 17, 24, 'number of records');
      const declaredTotal = number(record, 25, 41, 'total amount');
      date(record, 42, 47, 'Nets date');
      date(record, 48, 53, 'earliest Nets date');
      date(record, 54, 59, 'latest Nets date');
      checkCount(record, 'transactions', declaredTransactions, open.transactions, 'the assignment holds');
      checkCount(record, 'records', declaredRecords, open.records, 'the assignment has');
      const convention = ocrTotalConvention(declaredTotal, open.grossMinor, open.netMinor);
      if (convention === null) {
        throw new BankFileError(
          'bank_file.control_mismatch',
          at(record),
          `assignment end declares a total of ${declaredTotal} øre, which matches neither the gross sum (${open.grossMinor}) nor the net sum (${open.netMinor}) of the assignment started at ${at(open.start)}`,
        );
      }
      assignmentControls.push({
        location: at(record),
        transactions: declaredTransactions,
        records: declaredRecords,
        totalMinor: declaredTotal,
        convention,
        serviceCode: open.serviceCode,
        assignmentType: open.assignmentType,
        agreementId: open.agreementId,
        assignmentNumber: open.assignmentNumber,
        account: open.account,
      });
      if (open.serviceCode === '21') {
        notes.push({
          code: 'avtalegiro_no_payments',
          location: `${at(open.start)}–${at(record)}`,
          message: `AvtaleGiro assignment (service 21, assignment type ${open.assignmentType}) with ${open.nonPaymentItems} agreement/claim items: AvtaleGiro carries no payments, nothing to book`,
        });
      }
      fileGross += open.grossMinor;
      fileNet += open.netMinor;
      fileTransactions += open.transactions;
      assignment = null;
      continue;
    }

    if (open.serviceCode === '21') {
      // AvtaleGiro: agreements (70), claims and deletions (30/31/49). Counted for the control records only.
      if (recordType === '30' || recordType === '70') {
        open.transactions += 1;
        open.nonPaymentItems += 1;
      }
      if (recordType === '30') {
        const amount = number(record, 33, 49, 'amount');
        open.grossMinor += amount;
        open.netMinor += amount;
      }
      continue;
    }

    // Service 09: OCR giro payments.
    if (!isPaymentType(record.text)) {
      fail(record, `transaction type '${transactionType}' is not an OCR giro type (10–21)`);
    }
    const transactionNumber = digits(record, 9, 15, 'transaction number');

    if (recordType === '30') {
      finishPending(open, record);
      const sign = record.text[31];
      if (sign !== '0' && sign !== '-') fail(record, `sign (position 32) is '${sign}', expected 0 or -`);
      const amount = number(record, 33, 49, 'amount');
      const isReversal = transactionType === '18' || transactionType === '20';
      const negative = sign === '-' || isReversal;
      const amountMinor = negative ? -amount : amount;
      const netsDate = date(record, 16, 21, 'Nets date');
      const kidField = record.text.slice(49, 74);
      const trimmed = kidField.trim();
      const zeroFilled = !kidField.includes(' ') && kidField.startsWith('0');
      const kid = trimmed === '' || (zeroFilled && /^0+$/.test(trimmed)) ? null : trimmed;
      if (zeroFilled) {
        warnings.push({
          code: 'kid_zero_filled',
          location: at(record),
          message: kid === null
            ? 'the KID field is all zeros: no KID'
            : `the KID field is zero-filled ('${kid}'); match on this exact value first, a comparison without leading zeros ('${kid.replace(/^0+/, '')}') only as a flagged fallback`,
        });
      }
      const serialNumber = record.text.slice(26, 31);
      const transaction: BankTransaction = {
        index: transactions.length,
        accountIndex: open.accountIndex,
        direction: amountMinor < 0 ? 'debit' : 'credit',
        isReversal,
        isPayment: !isReversal,
        currency: 'NOK',
        amountMinor,
        bookingDate: netsDate,
        valueDate: netsDate,
        kid,
        kidValid: kid !== null && kidPassesCheck(kid),
        kidZeroFilled: zeroFilled,
        creditorReferences: [],
        freeText: [],
        payerName: null,
        payerAccount: null,
        // Joined rather than a template: one flat string, which the duplicate check hashes at once.
        bankReference: ['OCR', open.agreementId, open.assignmentNumber, record.text.slice(15, 21), serialNumber, transactionNumber].join(':'),
        endToEndId: null,
        transactionType,
        location: at(record),
        camt: null,
        ocr: {
          transactionNumber,
          sign,
          netsDate,
          bankDate: null,
          centreId: record.text.slice(21, 23),
          dayCode: record.text.slice(23, 25),
          partialSettlementNumber: record.text.slice(25, 26),
          serialNumber,
          formNumber: '',
          archiveReference: '',
          agreementId: open.agreementId,
          assignmentNumber: open.assignmentNumber,
          assignmentAccount: open.account,
        },
      };
      open.pending = { record30: record, transaction, hasRecord31: false, hasRecord32: false };
      open.transactions += 1;
      open.grossMinor += amount;
      open.netMinor += amountMinor;
      transactions.push(transaction);
      totals.addTransaction(transaction);
      totals.addOcrItem('NOK', amountMinor, isReversal);
      continue;
    }

    if (recordType === '31' || recordType === '32') {
      const pending = open.pending;
      const ocr = pending?.transaction.ocr;
      if (!pending || !ocr || ocr.transactionNumber !== transactionNumber || pending.transaction.transactionType !== transactionType) {
        fail(record, `amount item ${recordType === '31' ? 2 : 3} of transaction ${transactionNumber} (type ${transactionType}) does not follow its amount item 1 (record type 30)`);
      }
      if (recordType === '31') {
        if (pending!.hasRecord31) fail(record, `second amount item 2 for transaction ${transactionNumber}`);
        pending!.hasRecord31 = true;
        ocr!.formNumber = record.text.slice(15, 25);
        ocr!.archiveReference = record.text.slice(25, 34);
        ocr!.bankDate = date(record, 42, 47, 'bank date');
        const debitAccount = record.text.slice(47, 58).trim();
        pending!.transaction.payerAccount = /^0*$/.test(debitAccount) ? null : debitAccount;
      } else {
        if (!pending!.hasRecord31 || pending!.hasRecord32) {
          fail(record, `amount item 3 of transaction ${transactionNumber} out of order (expected after one amount item 2)`);
        }
        pending!.hasRecord32 = true;
        const freeText = record.text.slice(15, 55).trim();
        if (freeText !== '') pending!.transaction.freeText.push(freeText);
      }
      continue;
    }

    fail(record, `record type '${recordType}' is not part of an OCR giro assignment (20, 30, 31, 32, 88)`);
  }

  if (assignment) {
    throw new BankFileError(
      'bank_file.invalid',
      `after record ${recordCount}`,
      `file ends inside the assignment of ${at(assignment.start)}: assignment end record 88 and transmission end record 89 are missing`,
    );
  }
  if (!transmissionEnd) {
    throw new BankFileError(
      'bank_file.invalid',
      `after record ${recordCount}`,
      `transmission end record 89 is missing: the file ends after record ${recordCount}`,
    );
  }

  warnings.push(...duplicateReferenceWarnings(transactions));
  return {
    format: 'ocr_giro',
    version: null,
    fileName: options.fileName ?? null,
    messageId: transmissionNumber,
    accounts,
    transactions,
    warnings,
    notes,
    totals: totals.result(),
    control: {
      dataTransmitter,
      transmissionNumber,
      dataRecipient,
      convention: transmissionEnd.convention,
      transmission: transmissionEnd,
      assignments: assignmentControls,
    },
  };
}

function checkCount(record: OcrRecord, what: string, declared: number, actual: number, holds: string): void {
  if (declared !== actual) {
    throw new BankFileError(
      'bank_file.control_mismatch',
      `record ${record.number}`,
      `${record.text.slice(6, 8) === '88' ? 'assignment end' : 'transmission end'} declares ${declared} ${what}, ${holds} ${actual}`,
    );
  }
}

/** Human name of a service-09 transaction type, e.g. for import reports. */
export function ocrTransactionTypeName(code: string): string | null {
  return TRANSACTION_TYPE_NAMES[code] ?? null;
}
