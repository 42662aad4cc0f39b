/**
 * ISO 20022 camt.053 (BkToCstmrStmt) and camt.054 (BkToCstmrDbtCdtNtfctn), versions
 * .02 to .10 → ParsedBankFile. Where the data sits and how versions differ:
 * shared/conformance/bank/README.md §2 and §3.
 *
 * The parser is chosen by the root element's namespace
 * `urn:iso:std:iso:20022:tech:xsd:camt.05x.001.nn`, never by the file name; schema
 * validity is not required (real bank files often fail it), well-formedness is. Only
 * `BOOK` entries give transactions: one per TxDtls, or one for an entry without details.
 * Amounts are exact decimal text turned into integer minor units — never floats.
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  type BankFileAccount,
  BankFileError,
  type BankFileFormat,
  type BankFileNote,
  type BankFileWarning,
  BankTotalsBuilder,
  type BankTransaction,
  type CreditorReference,
  decimalToMinor,
  duplicateReferenceWarnings,
  isCurrencyCode,
  isoDatePart,
  kidPassesCheck,
  type ParsedBankFile,
} from '../../domain/bank/bank-file.js';
import type { CalendarDate } from '../../domain/calendar-date.js';

export interface CamtParseOptions {
  fileName?: string | null;
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.(\d{2})$/;
const MIN_VERSION = 2;
const MAX_VERSION = 10;

const MESSAGES: Record<'053' | '054', { format: BankFileFormat; message: string; report: string }> = {
  '053': { format: 'camt.053', message: 'BkToCstmrStmt', report: 'Stmt' },
  '054': { format: 'camt.054', message: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn' },
};

/** Elements that may repeat and are always read as lists. */
const REPEATABLE = new Set(['Stmt', 'Ntfctn', 'Ntry', 'NtryDtls', 'TxDtls', 'Btch', 'Strd', 'Ustrd', 'CdtrRefInf']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  htmlEntities: true,
  jPath: false,
  isArray: (name: string) => REPEATABLE.has(name),
});

// ─── entry point ─────────────────────────────────────────────────────────────

export function parseCamt(bytes: Uint8Array, options: CamtParseOptions = {}): ParsedBankFile {
  const text = decodeXml(bytes);
  const root = readRootElement(text);
  const ns = NAMESPACE.exec(root.namespace ?? '');
  if (!ns) {
    throw new BankFileError(
      'bank_file.unsupported_version',
      root.name,
      root.namespace === null
        ? 'the root element has no namespace; expected urn:iso:std:iso:20022:tech:xsd:camt.053/054.001.nn'
        : `namespace '${root.namespace}' is not an ISO 20022 camt message`,
    );
  }
  const [, message, versionDigits] = ns;
  const version = Number(versionDigits);
  if ((message !== '053' && message !== '054') || version < MIN_VERSION || version > MAX_VERSION) {
    throw new BankFileError(
      'bank_file.unsupported_version',
      root.name,
      `camt.${message}.001.${versionDigits} (namespace '${root.namespace}') is not supported; supported are camt.053 and camt.054, versions .02 to .10`,
    );
  }
  if (root.localName !== 'Document') {
    throw new BankFileError('bank_file.invalid', root.name, `root element is <${root.name}>, expected <Document>`);
  }

  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    throw new BankFileError('bank_file.invalid', `line ${line}, column ${col}`, `not well-formed XML: ${msg}`);
  }

  const spec = MESSAGES[message];
  const parsed = parser.parse(text) as Record<string, unknown>;
  const document = asNode(parsed.Document);
  const body = child(document, spec.message);
  if (body === undefined) {
    const other = Object.keys(document).filter((key) => !key.startsWith('@_'));
    throw new BankFileError(
      'bank_file.invalid',
      `Document/${spec.message}`,
      `missing in the camt.${message}.001.${versionDigits} namespace${other.length ? ` (found ${other.map((key) => `<${key}>`).join(', ')})` : ' (the Document element is empty)'}`,
    );
  }
  const reports = children(body, spec.report);
  if (reports.length === 0) {
    throw new BankFileError('bank_file.invalid', `Document/${spec.message}/${spec.report}`, 'no statement or notification in the message');
  }

  const messageId = text0(child(child(body, 'GrpHdr'), 'MsgId'));
  const state: WalkState = {
    messageId,
    transactions: [],
    warnings: [],
    notes: [],
    accounts: [],
    totals: new BankTotalsBuilder(),
    notBooked: new Map(),
  };
  reports.forEach((report, reportIndex) => {
    walkReport(state, asNode(report), `Document/${spec.message}/${spec.report}[${reportIndex + 1}]`);
  });
  for (const [status, locations] of state.notBooked) {
    state.notes.push({
      code: 'entries_not_booked',
      location: locations[0]!,
      message: `${locations.length} entr${locations.length === 1 ? 'y' : 'ies'} with status ${status} (not BOOK) left out: ${locations.join(', ')}`,
    });
  }
  state.warnings.push(...duplicateReferenceWarnings(state.transactions));

  return {
    format: spec.format,
    version: `001.${versionDigits}`,
    fileName: options.fileName ?? null,
    messageId,
    accounts: state.accounts,
    transactions: state.transactions,
    warnings: state.warnings,
    notes: state.notes,
    totals: state.totals.result(),
    control: null,
  };
}

// ─── bytes → text, root element ──────────────────────────────────────────────

function decodeXml(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const head = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(200, bytes.byteLength - start)).toString('latin1');
    if (!/^\s*</.test(head)) {
      throw new BankFileError('bank_file.not_xml', 'byte 0', `not XML: the file starts with '${printable(head.slice(0, 16))}', not '<'`);
    }
    const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase();
    const singleByte = declared !== undefined && /^(iso-8859-1|iso8859-1|latin-?1|windows-1252|cp1252|us-ascii|ascii)$/.test(declared);
    try {
      text = new TextDecoder(singleByte ? 'windows-1252' : 'utf-8', { fatal: true }).decode(bytes.subarray(start));
    } catch {
      throw new BankFileError('bank_file.invalid', 'XML declaration', `the bytes are not valid ${declared ?? 'UTF-8'} text`);
    }
  }
  if (!/^\s*</.test(text)) {
    throw new BankFileError('bank_file.not_xml', 'byte 0', `not XML: the file starts with '${printable(text.slice(0, 16))}', not '<'`);
  }
  return text;
}

function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '·');
}

interface RootElement {
  name: string;
  localName: string;
  namespace: string | null;
}

/** The first element after the declaration, comments and processing instructions. */
function readRootElement(text: string): RootElement {
  let position = 0;
  for (;;) {
    while (position < text.length && /\s/.test(text[position]!)) position++;
    if (text.startsWith('<?', position)) {
      const end = text.indexOf('?>', position);
      if (end < 0) break;
      position = end + 2;
    } else if (text.startsWith('<!--', position)) {
      const end = text.indexOf('-->', position);
      if (end < 0) break;
      position = end + 3;
    } else if (text.startsWith('<!', position)) {
      throw new BankFileError('bank_file.invalid', 'DOCTYPE', 'a document type declaration is not allowed in a bank file');
    } else {
      break;
    }
  }
  const tag = /^<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?((?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(text.slice(position, position + 4096));
  if (!tag) {
    throw new BankFileError('bank_file.not_xml', `character ${position}`, `not XML: no root element ('${printable(text.slice(position, position + 20))}')`);
  }
  const prefix = tag[2] === undefined ? null : tag[1]!;
  const localName = tag[2] ?? tag[1]!;
  const attributes = new Map<string, string>();
  for (const attribute of tag[3]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes.set(attribute[1]!, (attribute[2] ?? attribute[3])!);
  }
  const namespace = attributes.get(prefix === null ? 'xmlns' : `xmlns:${prefix}`) ?? null;
  return { name: prefix === null ? localName : `${prefix}:${localName}`, localName, namespace: namespace?.trim() ?? null };
}

// ─── tree access ─────────────────────────────────────────────────────────────

type XmlNode = Record<string, unknown>;

function asNode(value: unknown): XmlNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : {};
}

function children(node: unknown, name: string): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as XmlNode)[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function child(node: unknown, name: string): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The element's text (trimmed), or null when absent or empty. */
function text0(node: unknown): string | null {
  let value: unknown = node;
  if (value !== null && typeof value === 'object') value = (value as XmlNode)['#text'];
  if (typeof value !== 'string') return null;
  return value === '' ? null : value;
}

function path(node: unknown, ...names: string[]): unknown {
  let current = node;
  for (const name of names) current = child(current, name);
  return current;
}

function textAt(node: unknown, ...names: string[]): string | null {
  return text0(path(node, ...names));
}

function attribute(node: unknown, name: string): string | null {
  const value = asNode(node)[`@_${name}`];
  return typeof value === 'string' ? value : null;
}

// ─── walking the reports ─────────────────────────────────────────────────────

interface WalkState {
  messageId: string | null;
  transactions: BankTransaction[];
  warnings: BankFileWarning[];
  notes: BankFileNote[];
  accounts: BankFileAccount[];
  totals: BankTotalsBuilder;
  notBooked: Map<string, string[]>;
}

interface Amount {
  minor: number;
  currency: string;
}

/** A required amount (`Ntry/Amt`): anything unreadable rejects the file. */
function requiredAmount(node: unknown, location: string): Amount {
  const value = text0(node);
  const currency = attribute(node, 'Ccy');
  if (value === null) throw new BankFileError('bank_file.invalid', location, 'amount missing');
  if (currency === null || !isCurrencyCode(currency)) {
    throw new BankFileError('bank_file.invalid', location, `currency attribute Ccy is ${currency === null ? 'missing' : `'${currency}'`}`);
  }
  const result = decimalToMinor(value, currency);
  if ('problem' in result) throw new BankFileError('bank_file.invalid', location, result.problem);
  if (result.minor < 0) throw new BankFileError('bank_file.invalid', location, `negative amount '${value}'; the direction belongs in CdtDbtInd`);
  return { minor: result.minor, currency };
}

/** An optional amount (TxDtls): unreadable → null and a warning. */
function optionalAmount(state: WalkState, node: unknown, location: string): Amount | null {
  if (node === undefined) return null;
  const value = text0(node);
  const currency = attribute(node, 'Ccy');
  const result = value === null ? { problem: 'empty amount' } : currency === null || !isCurrencyCode(currency) ? { problem: `currency Ccy '${currency ?? ''}'` } : decimalToMinor(value, currency);
  if ('problem' in result || currency === null || result.minor < 0) {
    state.warnings.push({ code: 'unreadable_value', location, message: `transaction amount not readable (${'problem' in result ? result.problem : `'${value}'`}); left out` });
    return null;
  }
  return { minor: result.minor, currency };
}

function dateOf(state: WalkState, node: unknown, location: string): CalendarDate | null {
  const raw = textAt(node, 'Dt') ?? textAt(node, 'DtTm');
  if (raw === null) return null;
  const date = isoDatePart(raw);
  if (date === undefined) {
    state.warnings.push({ code: 'unreadable_value', location, message: `date '${raw}' is not readable; left out` });
    return null;
  }
  return date;
}

function statusOf(entry: unknown): string | null {
  const status = child(entry, 'Sts');
  return text0(status) ?? textAt(status, 'Cd') ?? textAt(status, 'Prtry');
}

function bankTransactionCode(node: unknown): string | null {
  const code = child(node, 'BkTxCd');
  if (code === undefined) return null;
  const domain = textAt(code, 'Domn', 'Cd');
  if (domain !== null) {
    return [domain, textAt(code, 'Domn', 'Fmly', 'Cd'), textAt(code, 'Domn', 'Fmly', 'SubFmlyCd')].filter((part) => part !== null).join('/');
  }
  return textAt(code, 'Prtry', 'Cd');
}

function partyName(party: unknown): string | null {
  return textAt(party, 'Nm') ?? textAt(party, 'Pty', 'Nm');
}

function accountId(account: unknown): string | null {
  return textAt(account, 'Id', 'IBAN') ?? textAt(account, 'Id', 'Othr', 'Id');
}

function walkReport(state: WalkState, report: XmlNode, location: string): void {
  const account = child(report, 'Acct');
  const servicer = path(account, 'Svcr', 'FinInstnId');
  const accountCurrency = textAt(account, 'Ccy');
  const accountIndex = state.accounts.length;
  state.accounts.push({
    index: accountIndex,
    iban: textAt(account, 'Id', 'IBAN'),
    otherId: textAt(account, 'Id', 'Othr', 'Id'),
    currency: accountCurrency,
    servicerBic: textAt(servicer, 'BIC') ?? textAt(servicer, 'BICFI'),
    servicerName: textAt(servicer, 'Nm'),
    ownerName: partyName(child(account, 'Ownr')),
    reportId: textAt(report, 'Id'),
    location,
  });

  children(report, 'Ntry').forEach((entry, entryIndex) => {
    walkEntry(state, entry, `${location}/Ntry[${entryIndex + 1}]`, accountIndex, accountCurrency);
  });
}

interface Detail {
  node: unknown;
  location: string;
  amount: Amount | null;
}

function walkEntry(state: WalkState, entry: unknown, location: string, accountIndex: number, accountCurrency: string | null): void {
  const status = statusOf(entry);
  if (status !== 'BOOK') {
    const key = status ?? '(none)';
    state.notBooked.set(key, [...(state.notBooked.get(key) ?? []), location]);
    return;
  }
  const amount = requiredAmount(child(entry, 'Amt'), `${location}/Amt`);
  const indicator = textAt(entry, 'CdtDbtInd');
  if (indicator !== 'CRDT' && indicator !== 'DBIT') {
    throw new BankFileError('bank_file.invalid', `${location}/CdtDbtInd`, `is '${indicator ?? ''}', expected CRDT or DBIT`);
  }
  const direction = indicator === 'CRDT' ? 'credit' : 'debit';
  const sign = direction === 'credit' ? 1 : -1;
  const reversalText = textAt(entry, 'RvslInd');
  const isReversal = reversalText === 'true' || reversalText === '1';
  const isPayment = direction === 'credit' && !isReversal;
  /** Credits and reversals are what the receivables care about; plain debits are not checked in detail. */
  const relevant = direction === 'credit' || isReversal;
  const bookingDate = dateOf(state, child(entry, 'BookgDt'), `${location}/BookgDt`);
  const valueDate = dateOf(state, child(entry, 'ValDt'), `${location}/ValDt`);
  const entryServicerRef = textAt(entry, 'AcctSvcrRef');
  const entryRef = textAt(entry, 'NtryRef');
  const entryCode = bankTransactionCode(entry);
  const entryInfo = textAt(entry, 'AddtlNtryInf');

  state.totals.addCamtEntry(amount.currency, sign * amount.minor, isReversal);
  if (accountCurrency !== null && amount.currency !== accountCurrency) {
    state.warnings.push({
      code: 'currency_differs_from_account',
      location: `${location}/Amt`,
      message: `entry in ${amount.currency} on an account in ${accountCurrency}`,
    });
  }

  // Details: every TxDtls of every NtryDtls; the batch count from Btch/NbOfTxs.
  const details: Detail[] = [];
  let batchCount: number | null = null;
  const entryDetails = children(entry, 'NtryDtls');
  for (let groupIndex = 0; groupIndex < entryDetails.length; groupIndex++) {
    const group = entryDetails[groupIndex];
    const groupPath = entryDetails.length > 1 ? `${location}/NtryDtls[${groupIndex + 1}]` : `${location}/NtryDtls`;
    for (const batch of children(group, 'Btch')) {
      const count = textAt(batch, 'NbOfTxs');
      if (count !== null && /^\d+$/.test(count)) batchCount = (batchCount ?? 0) + Number(count);
    }
    const groupDetails = children(group, 'TxDtls');
    for (let detailIndex = 0; detailIndex < groupDetails.length; detailIndex++) {
      const detail = groupDetails[detailIndex];
      const detailPath = `${groupPath}/TxDtls[${detailIndex + 1}]`;
      const direct = child(detail, 'Amt');
      const amountNode = direct ?? path(detail, 'AmtDtls', 'TxAmt', 'Amt');
      details.push({
        node: detail,
        location: detailPath,
        amount: optionalAmount(state, amountNode, `${detailPath}/${direct !== undefined ? 'Amt' : 'AmtDtls/TxAmt/Amt'}`),
      });
    }
  }

  // Do the details agree with the entry? (Trust the entry for the sums either way.)
  let consistent = true;
  if (details.length > 0) {
    const problems: string[] = [];
    const foreign = details.filter((detail) => detail.amount !== null && detail.amount.currency !== amount.currency);
    const missing = details.filter((detail) => detail.amount === null);
    if (foreign.length > 0) {
      problems.push(`${foreign.length} in another currency (${[...new Set(foreign.map((detail) => detail.amount!.currency))].join(', ')})`);
    }
    if (missing.length > 0 && details.length > 1) problems.push(`${missing.length} without an amount`);
    if (foreign.length === 0 && missing.length === 0) {
      const sum = details.reduce((total, detail) => total + detail.amount!.minor, 0);
      if (sum !== amount.minor) problems.push(`they add up to ${sum} minor units, the entry is ${amount.minor}`);
    } else if (foreign.length === 0 && details.length > 1) {
      problems.push('their sum cannot be checked');
    }
    if (problems.length > 0) {
      consistent = false;
      if (relevant) {
        state.warnings.push({
          code: 'amount_details_mismatch',
          location: `${location}/NtryDtls`,
          message: `the ${details.length} TxDtls amounts disagree with the entry amount ${amount.minor} ${amount.currency}: ${problems.join('; ')}; the entry amount is trusted for the sums`,
        });
      }
    }
    if (batchCount !== null && batchCount !== details.length) {
      consistent = false;
      if (relevant) {
        state.warnings.push({
          code: 'batch_count_mismatch',
          location: `${location}/NtryDtls`,
          message: `Btch/NbOfTxs says ${batchCount} transactions, the entry has ${details.length} TxDtls`,
        });
      }
    }
  } else if (batchCount !== null && batchCount > 1 && relevant) {
    state.warnings.push({
      code: 'batch_without_details',
      location,
      message: `batch entry of ${batchCount} transactions without TxDtls: one transaction of ${amount.minor} ${amount.currency} stands for all of them (match from the camt.054 details)`,
    });
  }

  const base = {
    accountIndex,
    direction,
    isReversal,
    isPayment,
    bookingDate,
    valueDate,
  } as const;

  if (details.length === 0) {
    push(state, {
      ...base,
      currency: amount.currency,
      amountMinor: sign * amount.minor,
      kid: null,
      kidValid: false,
      kidZeroFilled: false,
      creditorReferences: [],
      freeText: [],
      payerName: null,
      payerAccount: null,
      bankReference: entryServicerRef ?? entryRef ?? fileBoundReference(state, location),
      endToEndId: null,
      transactionType: entryCode,
      location,
      ocr: null,
      camt: {
        entryLocation: location,
        entryAmountMinor: sign * amount.minor,
        entryCurrency: amount.currency,
        entryAccountServicerReference: entryServicerRef,
        entryReference: entryRef,
        accountServicerReference: null,
        detailsInEntry: 0,
        batchTransactionCount: batchCount,
        detailsConsistent: true,
        detailAmountMinor: null,
        detailCurrency: null,
        ultimateDebtorName: null,
        additionalInfo: entryInfo,
      },
    });
    return;
  }

  // A reference shared by several TxDtls of the entry (often the entry's own) gets `#n`.
  const referenceCounts = new Map<string, number>();
  for (const detail of details) {
    const reference = textAt(detail.node, 'Refs', 'AcctSvcrRef') ?? entryServicerRef ?? entryRef ?? textAt(detail.node, 'Refs', 'TxId');
    if (reference !== null) referenceCounts.set(reference, (referenceCounts.get(reference) ?? 0) + 1);
  }

  details.forEach((detail, detailIndex) => {
    const node = detail.node;
    const detailIndicator = textAt(node, 'CdtDbtInd');
    if (relevant && detailIndicator !== null && detailIndicator !== indicator) {
      state.warnings.push({
        code: 'details_direction_mismatch',
        location: `${detail.location}/CdtDbtInd`,
        message: `TxDtls says ${detailIndicator}, the entry ${indicator}; the entry's direction is used`,
      });
    }
    const references: CreditorReference[] = [];
    const remittance = child(node, 'RmtInf');
    for (const structured of children(remittance, 'Strd')) {
      for (const info of children(structured, 'CdtrRefInf')) {
        const ref = textAt(info, 'Ref');
        if (ref === null) continue;
        const type = path(info, 'Tp', 'CdOrPrtry');
        references.push({ type: textAt(type, 'Cd') ?? textAt(type, 'Prtry'), ref });
      }
    }
    const kid = references.find((reference) => reference.type === 'SCOR')?.ref ?? null;
    const freeText = children(remittance, 'Ustrd').map(text0).filter((value): value is string => value !== null);
    const parties = child(node, 'RltdPties');
    const servicerRef = textAt(node, 'Refs', 'AcctSvcrRef');
    const reference = servicerRef ?? entryServicerRef ?? entryRef ?? textAt(node, 'Refs', 'TxId');
    const bankReference =
      reference === null
        ? fileBoundReference(state, detail.location)
        : (referenceCounts.get(reference) ?? 0) > 1
          ? `${reference}#${detailIndex + 1}`
          : reference;
    const single = details.length === 1;
    push(state, {
      ...base,
      currency: single ? amount.currency : (detail.amount?.currency ?? amount.currency),
      amountMinor: single ? sign * amount.minor : detail.amount === null ? null : sign * detail.amount.minor,
      kid,
      kidValid: kid !== null && kidPassesCheck(kid),
      kidZeroFilled: false,
      creditorReferences: references,
      freeText,
      payerName: partyName(child(parties, 'Dbtr')),
      payerAccount: accountId(child(parties, 'DbtrAcct')),
      bankReference,
      endToEndId: textAt(node, 'Refs', 'EndToEndId'),
      transactionType: bankTransactionCode(node) ?? entryCode,
      location: detail.location,
      ocr: null,
      camt: {
        entryLocation: location,
        entryAmountMinor: sign * amount.minor,
        entryCurrency: amount.currency,
        entryAccountServicerReference: entryServicerRef,
        entryReference: entryRef,
        accountServicerReference: servicerRef,
        detailsInEntry: details.length,
        batchTransactionCount: batchCount,
        detailsConsistent: consistent,
        detailAmountMinor: detail.amount === null ? null : sign * detail.amount.minor,
        detailCurrency: detail.amount?.currency ?? null,
        ultimateDebtorName: partyName(child(parties, 'UltmtDbtr')),
        additionalInfo: textAt(node, 'AddtlTxInf') ?? entryInfo,
      },
    });
  });
}

/**
 * Without any bank reference: the message id and the element path — stable when the same
 * file is imported again, but not across files (a camt.053 and a camt.054 of one booking).
 */
function fileBoundReference(state: WalkState, location: string): string {
  return `${state.messageId ?? 'camt'}:${location.replace(/^Document\/[^/]+\//, '')}`;
}

function push(state: WalkState, transaction: Omit<BankTransaction, 'index'>): void {
  const complete: BankTransaction = { index: state.transactions.length, ...transaction };
  state.transactions.push(complete);
  state.totals.addTransaction(complete);
}
