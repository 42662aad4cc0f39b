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
 *
 * The document is streamed (saxes, a strict SAX parser): no tree is built. A fixed tree of
 * the element paths we read (`PathNode`) says, for each open element, whether it matters;
 * everything else is skipped with a depth counter. Only the current `Ntry` and its `TxDtls`
 * are held, as small plain objects, and become transactions when the entry closes. Elements
 * are matched by local name (any prefix), and a path that does not repeat in the schema
 * takes its first occurrence only, as the tree-based parser did. An error found in an
 * entry is held until the whole document has been checked for well-formedness, so a
 * truncated or broken file is always reported as such first.
 */

import { SaxesParser, type SaxesTagNS } from 'saxes';
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
  /**
   * Streaming: receives the transactions in file order, in batches of about `batchSize`, while
   * the document is read (the result's `transactions` still lists them all). A batch handed
   * over is final. An error found later still throws: whoever consumed the batches must then
   * drop what it did with them (the import does it all in one database transaction).
   */
  onTransactions?: ((batch: BankTransaction[]) => void) | undefined;
  batchSize?: number | undefined;
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.(\d{3})\.001\.(\d{2})$/;
const MIN_VERSION = 2;
const MAX_VERSION = 10;

type MessageKind = '053' | '054';

const MESSAGES: Record<MessageKind, { format: BankFileFormat; message: string; report: string }> = {
  '053': { format: 'camt.053', message: 'BkToCstmrStmt', report: 'Stmt' },
  '054': { format: 'camt.054', message: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn' },
};

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

  const spec = MESSAGES[message];
  const state = newStreamState(`Document/${spec.message}/${spec.report}`);
  if (options.onTransactions) {
    state.sink = options.onTransactions;
    state.batchSize = Math.max(1, options.batchSize ?? 5_000);
  }
  streamDocument(text, pathsOf(message), state);

  if (!state.bodyFound) {
    // As the tree-based reader listed them: child elements, then `#text` when the Document also has text.
    const other = state.documentText && state.documentChildren.length > 0 ? [...state.documentChildren, '#text'] : state.documentChildren;
    throw new BankFileError(
      'bank_file.invalid',
      `Document/${spec.message}`,
      `missing in the camt.${message}.001.${versionDigits} namespace${other.length ? ` (found ${other.map((key) => `<${key}>`).join(', ')})` : ' (the Document element is empty)'}`,
    );
  }
  if (state.reportCount === 0) {
    throw new BankFileError('bank_file.invalid', `Document/${spec.message}/${spec.report}`, 'no statement or notification in the message');
  }
  if (state.failure !== null) throw state.failure;

  for (const transaction of state.fileBound) transaction.bankReference = fileBoundReference(state.messageId, transaction.location);
  flush(state);
  const notes: BankFileNote[] = [];
  for (const [status, locations] of state.notBooked) {
    notes.push({
      code: 'entries_not_booked',
      location: locations[0]!,
      message: `${locations.length} entr${locations.length === 1 ? 'y' : 'ies'} with status ${status} (not BOOK) left out: ${locations.join(', ')}`,
    });
  }
  const warnings = state.warnings;
  warnings.push(...duplicateReferenceWarnings(state.transactions));

  return {
    format: spec.format,
    version: `001.${versionDigits}`,
    fileName: options.fileName ?? null,
    messageId: state.messageId,
    accounts: state.accounts,
    transactions: state.transactions,
    warnings,
    notes,
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

// ─── streaming ───────────────────────────────────────────────────────────────

/** `BkTxCd`, as read (on an entry and on a TxDtls). */
interface CodeFields {
  codeDomain: string | null;
  codeFamily: string | null;
  codeSubFamily: string | null;
  codeProprietary: string | null;
  hasCode: boolean;
}

interface ReportData {
  location: string;
  account: BankFileAccount;
  /** The first `Acct` has been read (or the report has closed without one). */
  accountDone: boolean;
  /** Entries that closed before the account: they need its currency. */
  pending: EntryData[];
  entries: number;
  bic: string | null;
  bicfi: string | null;
  ownerName: string | null;
  ownerPartyName: string | null;
}

/** An `Ntry` as read. `Amt`: present, its text and its `Ccy` attribute (trimmed). */
interface EntryData extends CodeFields {
  location: string;
  accountIndex: number;
  hasAmount: boolean;
  amountText: string | null;
  amountCurrency: string | null;
  indicator: string | null;
  reversal: string | null;
  status: string | null;
  statusCode: string | null;
  statusProprietary: string | null;
  bookingDate: string | null;
  bookingDateTime: string | null;
  valueDate: string | null;
  valueDateTime: string | null;
  servicerRef: string | null;
  entryRef: string | null;
  info: string | null;
  /** NtryDtls seen so far, and TxDtls in the current one. */
  groups: number;
  groupDetails: number;
  batchCount: number | null;
  details: DetailData[];
}

/** A `TxDtls` as read (`Amt` and `AmtDtls/TxAmt/Amt` like the entry's), then its amount and path once the entry closes. */
interface DetailData extends CodeFields {
  /** 1-based NtryDtls and TxDtls (within that NtryDtls) numbers. */
  group: number;
  index: number;
  hasAmount: boolean;
  amountText: string | null;
  amountCurrency: string | null;
  hasTxAmount: boolean;
  txAmountText: string | null;
  txAmountCurrency: string | null;
  indicator: string | null;
  servicerRef: string | null;
  txId: string | null;
  endToEndId: string | null;
  references: CreditorReference[];
  freeText: string[];
  debtorName: string | null;
  debtorPartyName: string | null;
  debtorIban: string | null;
  debtorOtherId: string | null;
  ultimateName: string | null;
  ultimatePartyName: string | null;
  info: string | null;
  /** Set when the entry closes: the element path, and the readable amount (minor units, currency) or -1 / null. */
  location: string;
  minor: number;
  currency: string | null;
}

interface StreamState {
  reportBase: string;
  documentChildren: string[];
  documentText: boolean;
  bodyFound: boolean;
  messageId: string | null;
  reportCount: number;
  report: ReportData | null;
  entry: EntryData | null;
  detail: DetailData | null;
  /** The element whose `BkTxCd` is being read. */
  code: CodeFields | null;
  /** The `CdtrRefInf` being read. */
  referenceRef: string | null;
  referenceCode: string | null;
  referenceProprietary: string | null;
  /** The last BkTxCd text made, kept while the next ones are the same (they usually are). */
  lastCode: { domain: string | null; family: string | null; subFamily: string | null; text: string | null };
  transactions: BankTransaction[];
  warnings: BankFileWarning[];
  accounts: BankFileAccount[];
  totals: BankTotalsBuilder;
  notBooked: Map<string, string[]>;
  /** Transactions without any bank reference: `<MsgId>:<path>`, filled in at the end (MsgId may come late). */
  fileBound: BankTransaction[];
  /** Streaming: where batches go, their size, how many went, and whether to hold them to the end. */
  sink: ((batch: BankTransaction[]) => void) | null;
  batchSize: number;
  flushed: number;
  /** A transaction without a bank reference came before the MsgId: its reference is known only at the end. */
  holdBack: boolean;
  /** The first error found in the content; thrown once the document proved well-formed. */
  failure: BankFileError | null;
  /** Stops reading the content (after a failure); well-formedness is still checked. */
  halt: () => void;
}

function newStreamState(reportBase: string): StreamState {
  return {
    reportBase,
    documentChildren: [],
    documentText: false,
    bodyFound: false,
    messageId: null,
    reportCount: 0,
    report: null,
    entry: null,
    detail: null,
    code: null,
    referenceRef: null,
    referenceCode: null,
    referenceProprietary: null,
    lastCode: { domain: null, family: null, subFamily: null, text: null },
    transactions: [],
    warnings: [],
    accounts: [],
    totals: new BankTotalsBuilder(),
    notBooked: new Map(),
    fileBound: [],
    sink: null,
    batchSize: 5_000,
    flushed: 0,
    holdBack: false,
    failure: null,
    halt: () => {},
  };
}

/**
 * One element path we read. `text`: collect the element's own text (each run between
 * markup trimmed, comments ignored, CDATA kept as it is). Children that do not repeat in
 * the schema count once per parent (the first); `bit` marks them in the parent's frame.
 * Children are found by comparing names in a short list: saxes hands over a new string for
 * every tag, and a scan of a few names costs half of hashing it for a Map.
 */
interface PathNode {
  readonly childNames: readonly string[];
  readonly children: readonly PathNode[];
  readonly repeatable: boolean;
  bit: number;
  readonly text: boolean;
  readonly open: ((state: StreamState, tag: SaxesTagNS) => void) | null;
  readonly close: ((state: StreamState, text: string | null) => void) | null;
}

interface Frame {
  node: PathNode;
  /** Bits of the non-repeating children already seen. */
  seen: number;
  /** Text so far (runs trimmed), and the current run. */
  value: string;
  run: string;
}

/** Named entities the previous (fast-xml-parser) reader decoded besides XML's five: HTML's common ones and currency signs. */
const EXTRA_ENTITIES: Record<string, string> = {
  nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae', trade: '\u2122', mdash: '\u2014', ndash: '\u2013', hellip: '\u2026',
  laquo: '\u00ab', raquo: '\u00bb', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', bull: '\u2022',
  para: '\u00b6', sect: '\u00a7', deg: '\u00b0', frac12: '\u00bd', frac14: '\u00bc', frac34: '\u00be',
  cent: '\u00a2', pound: '\u00a3', curren: '\u00a4', yen: '\u00a5', euro: '\u20ac', dollar: '$', fnof: '\u0192',
  inr: '\u20b9', af: '\u060b', birr: '\u1265\u122d', peso: '\u20b1', rub: '\u20bd', won: '\u20a9', yuan: '\u00a5', cedil: '\u00b8',
};

/**
 * saxes's `on()` adds each handler as a new property with a computed key
 * (`this[name] = handler`). V8 turns an object into a slow dictionary after a handful of
 * such additions — the 7th handler does it to a SaxesParser — and every field read in the
 * parser's per-character loop then costs a hash lookup: the 100 000-TxDtls file took ~11 s
 * instead of ~3 s. Creating saxes 6.0.0's (private) handler slots first, as plain named
 * properties, keeps the parser a fast object however many handlers are set (a slot saxes
 * does not know would just be unused).
 */
function keepFast(parser: SaxesParser<{ xmlns: true }>): void {
  const slots = parser as unknown as Record<string, undefined>;
  slots.xmldeclHandler = undefined;
  slots.textHandler = undefined;
  slots.piHandler = undefined;
  slots.doctypeHandler = undefined;
  slots.commentHandler = undefined;
  slots.openTagStartHandler = undefined;
  slots.attributeHandler = undefined;
  slots.openTagHandler = undefined;
  slots.closeTagHandler = undefined;
  slots.cdataHandler = undefined;
  slots.errorHandler = undefined;
  slots.endHandler = undefined;
  slots.readyHandler = undefined;
}

/**
 * Runs the document through saxes, calling the path tree's handlers. Well-formedness
 * errors throw `bank_file.invalid` naming line and column — except two the previous
 * reader let through and that do no harm here: an undefined named entity (kept as
 * written, `&foo;`) and a character XML does not allow (a control character, kept).
 * A prefix without a namespace declaration is accepted too (elements count by local name).
 */
function streamDocument(text: string, top: PathNode, state: StreamState): void {
  const parser = new SaxesParser({ xmlns: true, resolvePrefix: (prefix: string) => prefix });
  keepFast(parser);
  Object.assign(parser.ENTITIES, EXTRA_ENTITIES);

  const frames: Frame[] = [{ node: top, seen: 0, value: '', run: '' }];
  let depth = 0;
  let current = frames[0]!;
  /** Depth inside an element we do not read (0: not inside one). */
  let skipped = 0;

  const endRun = (frame: Frame): void => {
    frame.value += frame.run.trim();
    frame.run = '';
  };

  parser.on('opentag', (tag) => {
    if (skipped > 0) {
      skipped++;
      return;
    }
    const parent = current;
    if (parent.run !== '') endRun(parent);
    if (depth === 1 && !state.documentChildren.includes(tag.local)) state.documentChildren.push(tag.local);
    const names = parent.node.childNames;
    const local = tag.local;
    let node: PathNode | undefined;
    for (let index = 0; index < names.length; index++) {
      if (names[index] === local) {
        node = parent.node.children[index];
        break;
      }
    }
    if (node === undefined || (parent.seen & node.bit) !== 0) {
      skipped = 1;
      return;
    }
    parent.seen |= node.bit;
    depth++;
    let frame = frames[depth];
    if (frame === undefined) {
      frame = { node, seen: 0, value: '', run: '' };
      frames.push(frame);
    } else {
      frame.node = node;
      frame.seen = 0;
      frame.value = '';
      frame.run = '';
    }
    current = frame;
    if (node.open !== null) node.open(state, tag);
  });

  parser.on('closetag', () => {
    if (skipped > 0) {
      skipped--;
      return;
    }
    const frame = current;
    const node = frame.node;
    let value: string | null = null;
    if (node.text) {
      if (frame.run !== '') endRun(frame);
      if (frame.value !== '') value = frame.value;
    }
    depth--;
    current = frames[depth]!;
    if (node.close !== null) node.close(state, value);
  });

  parser.on('text', (chunk) => {
    if (skipped === 0 && current.node.text) current.run += chunk;
  });
  parser.on('cdata', (chunk) => {
    if (skipped === 0 && current.node.text) {
      if (current.run !== '') endRun(current);
      current.value += chunk;
    }
  });
  parser.on('processinginstruction', (instruction) => {
    if (skipped > 0) return;
    if (current.run !== '') endRun(current);
    // The tree-based reader listed a processing instruction in the Document as `?target`.
    if (depth === 1 && !state.documentChildren.includes(`?${instruction.target}`)) state.documentChildren.push(`?${instruction.target}`);
  });
  parser.on('doctype', () => {
    throw new BankFileError('bank_file.invalid', 'DOCTYPE', 'a document type declaration is not allowed in a bank file');
  });
  parser.on('error', (error) => {
    const message = error.message.replace(/^\d+:\d+: /, '');
    const tolerated = message === 'undefined entity.' || (message === 'disallowed character.' && text.charCodeAt(parser.position - 1) !== 0x3c);
    if (tolerated) return;
    // saxes reads a bare `&` as the start of an entity name up to the next `;`, so it may
    // complain much later ("unclosed tag" at the end): name the `&` itself when there is one.
    const ampersand = bareAmpersand(text, parser.position);
    if (ampersand !== null) {
      throw new BankFileError('bank_file.invalid', `line ${ampersand.line}, column ${ampersand.column}`, "not well-formed XML: '&' that does not start an entity or character reference (it must be written &amp;)");
    }
    throw new BankFileError('bank_file.invalid', `line ${parser.line}, column ${parser.column}`, `not well-formed XML: ${message}`);
  });

  state.halt = () => {
    parser.off('opentag');
    parser.off('closetag');
    parser.off('text');
    parser.off('cdata');
    parser.off('processinginstruction');
  };
  parser.write(text).close();
}

const BARE_AMPERSAND = /&(?![A-Za-z_:][\w.:-]*;|#[0-9]+;|#x[0-9A-Fa-f]+;)/g;

/** The first `&` before `end` that does not start a reference, as line and column (both from 1); only on the error path. */
function bareAmpersand(text: string, end: number): { line: number; column: number } | null {
  BARE_AMPERSAND.lastIndex = 0;
  let match = BARE_AMPERSAND.exec(text);
  while (match !== null && match.index < end && (inside(text, match.index, '<!--', '-->') || inside(text, match.index, '<![CDATA[', ']]>') || inside(text, match.index, '<?', '?>'))) {
    match = BARE_AMPERSAND.exec(text);
  }
  if (match === null || match.index >= end) return null;
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < match.index; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: match.index - lineStart + 1 };
}

function inside(text: string, index: number, open: string, close: string): boolean {
  const start = text.lastIndexOf(open, index);
  return start !== -1 && text.indexOf(close, start + open.length) > index;
}

// ─── the paths we read ───────────────────────────────────────────────────────

type Entry = readonly [name: string, node: PathNode];

interface NodeOptions {
  repeatable?: boolean;
  text?: boolean;
  open?: (state: StreamState, tag: SaxesTagNS) => void;
  close?: (state: StreamState, text: string | null) => void;
}

function element(name: string, options: NodeOptions, ...children: Entry[]): Entry {
  if (children.length > 31) throw new Error(`too many children under ${name}`);
  children.forEach(([, child], index) => {
    // A repeating child is never marked as seen.
    child.bit = child.repeatable ? 0 : 1 << index;
  });
  return [
    name,
    {
      childNames: children.map(([childName]) => childName),
      children: children.map(([, child]) => child),
      repeatable: options.repeatable ?? false,
      bit: 0,
      text: options.text ?? false,
      open: options.open ?? null,
      close: options.close ?? null,
    },
  ];
}

/** An element whose text we keep. */
function leaf(name: string, close: (state: StreamState, text: string | null) => void, repeatable = false): Entry {
  return element(name, { text: true, close, repeatable });
}

function group(name: string, ...children: Entry[]): Entry {
  return element(name, {}, ...children);
}

/** `Amt Ccy="…"`: `open` gets the currency attribute, `close` the text. */
function amountElement(open: (state: StreamState, currency: string | null) => void, close: (state: StreamState, text: string | null) => void): Entry {
  return element('Amt', { text: true, open: (state, tag) => open(state, currencyAttribute(tag)), close });
}

function currencyAttribute(tag: SaxesTagNS): string | null {
  const direct = tag.attributes.Ccy;
  if (direct !== undefined) return direct.value.trim();
  for (const attribute of Object.values(tag.attributes)) {
    if (attribute.local === 'Ccy' && attribute.prefix !== 'xmlns') return attribute.value.trim();
  }
  return null;
}

function bankTransactionCodeElement(target: (state: StreamState) => CodeFields): Entry {
  return element(
    'BkTxCd',
    {
      open: (state) => {
        const fields = target(state);
        fields.hasCode = true;
        state.code = fields;
      },
    },
    group(
      'Domn',
      leaf('Cd', (state, text) => (state.code!.codeDomain = text)),
      group(
        'Fmly',
        leaf('Cd', (state, text) => (state.code!.codeFamily = text)),
        leaf('SubFmlyCd', (state, text) => (state.code!.codeSubFamily = text)),
      ),
    ),
    group(
      'Prtry',
      leaf('Cd', (state, text) => (state.code!.codeProprietary = text)),
    ),
  );
}

function report(state: StreamState): ReportData {
  return state.report!;
}

function entry(state: StreamState): EntryData {
  return state.entry!;
}

function detail(state: StreamState): DetailData {
  return state.detail!;
}

function accountElement(): Entry {
  return element(
    'Acct',
    {
      close: (state) => {
        const data = report(state);
        data.account.servicerBic = data.bic ?? data.bicfi;
        data.account.ownerName = data.ownerName ?? data.ownerPartyName;
        data.accountDone = true;
        settlePending(state, data);
      },
    },
    group(
      'Id',
      leaf('IBAN', (state, text) => (report(state).account.iban = text)),
      group(
        'Othr',
        leaf('Id', (state, text) => (report(state).account.otherId = text)),
      ),
    ),
    leaf('Ccy', (state, text) => (report(state).account.currency = text)),
    group(
      'Svcr',
      group(
        'FinInstnId',
        leaf('BIC', (state, text) => (report(state).bic = text)),
        leaf('BICFI', (state, text) => (report(state).bicfi = text)),
        leaf('Nm', (state, text) => (report(state).account.servicerName = text)),
      ),
    ),
    group(
      'Ownr',
      leaf('Nm', (state, text) => (report(state).ownerName = text)),
      group(
        'Pty',
        leaf('Nm', (state, text) => (report(state).ownerPartyName = text)),
      ),
    ),
  );
}

function detailElement(): Entry {
  return element(
    'TxDtls',
    {
      repeatable: true,
      open: (state) => {
        const owner = entry(state);
        owner.groupDetails++;
        const data: DetailData = {
          codeDomain: null,
          codeFamily: null,
          codeSubFamily: null,
          codeProprietary: null,
          hasCode: false,
          group: owner.groups,
          index: owner.groupDetails,
          hasAmount: false,
          amountText: null,
          amountCurrency: null,
          hasTxAmount: false,
          txAmountText: null,
          txAmountCurrency: null,
          indicator: null,
          servicerRef: null,
          txId: null,
          endToEndId: null,
          references: [],
          freeText: [],
          debtorName: null,
          debtorPartyName: null,
          debtorIban: null,
          debtorOtherId: null,
          ultimateName: null,
          ultimatePartyName: null,
          info: null,
          location: '',
          minor: -1,
          currency: null,
        };
        owner.details.push(data);
        state.detail = data;
      },
      close: (state) => {
        state.detail = null;
      },
    },
    group(
      'Refs',
      leaf('AcctSvcrRef', (state, text) => (detail(state).servicerRef = text)),
      leaf('TxId', (state, text) => (detail(state).txId = text)),
      leaf('EndToEndId', (state, text) => (detail(state).endToEndId = text)),
    ),
    amountElement(
      (state, currency) => {
        const data = detail(state);
        data.hasAmount = true;
        data.amountCurrency = currency;
      },
      (state, text) => (detail(state).amountText = text),
    ),
    group(
      'AmtDtls',
      group(
        'TxAmt',
        amountElement(
          (state, currency) => {
            const data = detail(state);
            data.hasTxAmount = true;
            data.txAmountCurrency = currency;
          },
          (state, text) => (detail(state).txAmountText = text),
        ),
      ),
    ),
    leaf('CdtDbtInd', (state, text) => (detail(state).indicator = text)),
    bankTransactionCodeElement(detail),
    group(
      'RltdPties',
      group(
        'Dbtr',
        leaf('Nm', (state, text) => (detail(state).debtorName = text)),
        group(
          'Pty',
          leaf('Nm', (state, text) => (detail(state).debtorPartyName = text)),
        ),
      ),
      group(
        'DbtrAcct',
        group(
          'Id',
          leaf('IBAN', (state, text) => (detail(state).debtorIban = text)),
          group(
            'Othr',
            leaf('Id', (state, text) => (detail(state).debtorOtherId = text)),
          ),
        ),
      ),
      group(
        'UltmtDbtr',
        leaf('Nm', (state, text) => (detail(state).ultimateName = text)),
        group(
          'Pty',
          leaf('Nm', (state, text) => (detail(state).ultimatePartyName = text)),
        ),
      ),
    ),
    group(
      'RmtInf',
      leaf(
        'Ustrd',
        (state, text) => {
          if (text !== null) detail(state).freeText.push(text);
        },
        true,
      ),
      element(
        'Strd',
        { repeatable: true },
        element(
          'CdtrRefInf',
          {
            repeatable: true,
            open: (state) => {
              state.referenceRef = null;
              state.referenceCode = null;
              state.referenceProprietary = null;
            },
            close: (state) => {
              const ref = state.referenceRef;
              if (ref !== null) detail(state).references.push({ type: state.referenceCode ?? state.referenceProprietary, ref });
            },
          },
          group(
            'Tp',
            group(
              'CdOrPrtry',
              leaf('Cd', (state, text) => (state.referenceCode = text)),
              leaf('Prtry', (state, text) => (state.referenceProprietary = text)),
            ),
          ),
          leaf('Ref', (state, text) => (state.referenceRef = text)),
        ),
      ),
    ),
    leaf('AddtlTxInf', (state, text) => (detail(state).info = text)),
  );
}

function entryElement(): Entry {
  return element(
    'Ntry',
    {
      repeatable: true,
      open: (state) => {
        const owner = report(state);
        owner.entries++;
        state.entry = {
          codeDomain: null,
          codeFamily: null,
          codeSubFamily: null,
          codeProprietary: null,
          hasCode: false,
          location: `${owner.location}/Ntry[${owner.entries}]`,
          accountIndex: owner.account.index,
          hasAmount: false,
          amountText: null,
          amountCurrency: null,
          indicator: null,
          reversal: null,
          status: null,
          statusCode: null,
          statusProprietary: null,
          bookingDate: null,
          bookingDateTime: null,
          valueDate: null,
          valueDateTime: null,
          servicerRef: null,
          entryRef: null,
          info: null,
          groups: 0,
          groupDetails: 0,
          batchCount: null,
          details: [],
        };
      },
      close: (state) => {
        const data = entry(state);
        state.entry = null;
        const owner = report(state);
        if (owner.accountDone) settle(state, data, owner);
        else owner.pending.push(data);
      },
    },
    amountElement(
      (state, currency) => {
        const data = entry(state);
        data.hasAmount = true;
        data.amountCurrency = currency;
      },
      (state, text) => (entry(state).amountText = text),
    ),
    leaf('CdtDbtInd', (state, text) => (entry(state).indicator = text)),
    leaf('RvslInd', (state, text) => (entry(state).reversal = text)),
    element(
      'Sts',
      { text: true, close: (state, text) => (entry(state).status = text) },
      leaf('Cd', (state, text) => (entry(state).statusCode = text)),
      leaf('Prtry', (state, text) => (entry(state).statusProprietary = text)),
    ),
    group(
      'BookgDt',
      leaf('Dt', (state, text) => (entry(state).bookingDate = text)),
      leaf('DtTm', (state, text) => (entry(state).bookingDateTime = text)),
    ),
    group(
      'ValDt',
      leaf('Dt', (state, text) => (entry(state).valueDate = text)),
      leaf('DtTm', (state, text) => (entry(state).valueDateTime = text)),
    ),
    leaf('AcctSvcrRef', (state, text) => (entry(state).servicerRef = text)),
    leaf('NtryRef', (state, text) => (entry(state).entryRef = text)),
    bankTransactionCodeElement(entry),
    leaf('AddtlNtryInf', (state, text) => (entry(state).info = text)),
    element(
      'NtryDtls',
      {
        repeatable: true,
        open: (state) => {
          const owner = entry(state);
          owner.groups++;
          owner.groupDetails = 0;
        },
      },
      element(
        'Btch',
        { repeatable: true },
        leaf('NbOfTxs', (state, text) => {
          if (text !== null && /^\d+$/.test(text)) {
            const owner = entry(state);
            owner.batchCount = (owner.batchCount ?? 0) + Number(text);
          }
        }),
      ),
      detailElement(),
    ),
  );
}

function buildPaths(kind: MessageKind): PathNode {
  const spec = MESSAGES[kind];
  const [, top] = element(
    '',
    {},
    element(
      'Document',
      { text: true, close: (state, text) => (state.documentText = text !== null) },
      element(
        spec.message,
        { open: (state) => (state.bodyFound = true) },
        group(
          'GrpHdr',
          leaf('MsgId', (state, text) => (state.messageId = text)),
        ),
        element(
          spec.report,
          {
            repeatable: true,
            open: (state) => {
              state.reportCount++;
              const location = `${state.reportBase}[${state.reportCount}]`;
              const account: BankFileAccount = {
                index: state.accounts.length,
                iban: null,
                otherId: null,
                currency: null,
                servicerBic: null,
                servicerName: null,
                ownerName: null,
                reportId: null,
                location,
              };
              state.accounts.push(account);
              state.report = { location, account, accountDone: false, pending: [], entries: 0, bic: null, bicfi: null, ownerName: null, ownerPartyName: null };
            },
            close: (state) => {
              const data = report(state);
              data.accountDone = true;
              settlePending(state, data);
              state.report = null;
            },
          },
          leaf('Id', (state, text) => (report(state).account.reportId = text)),
          accountElement(),
          entryElement(),
        ),
      ),
    ),
  );
  return top;
}

const PATHS = new Map<MessageKind, PathNode>();

function pathsOf(kind: MessageKind): PathNode {
  let paths = PATHS.get(kind);
  if (paths === undefined) {
    paths = buildPaths(kind);
    PATHS.set(kind, paths);
  }
  return paths;
}

// ─── an entry, once closed ───────────────────────────────────────────────────

interface Amount {
  minor: number;
  currency: string;
}

/** A required amount (`Ntry/Amt`): anything unreadable rejects the file. */
function requiredAmount(value: string | null, currency: string | null, location: string): Amount {
  if (value === null) throw new BankFileError('bank_file.invalid', location, 'amount missing');
  if (currency === null || !isCurrencyCode(currency)) {
    throw new BankFileError('bank_file.invalid', location, `currency attribute Ccy is ${currency === null ? 'missing' : `'${currency}'`}`);
  }
  const result = decimalToMinor(value, currency);
  if ('problem' in result) throw new BankFileError('bank_file.invalid', location, result.problem);
  if (result.minor < 0) throw new BankFileError('bank_file.invalid', location, `negative amount '${value}'; the direction belongs in CdtDbtInd`);
  return { minor: result.minor, currency };
}

/**
 * A TxDtls amount (`Amt`, else `AmtDtls/TxAmt/Amt`) into `data.minor` / `data.currency`;
 * unreadable → none and a warning; absent → none.
 */
function readDetailAmount(state: StreamState, data: DetailData): void {
  const direct = data.hasAmount;
  if (!direct && !data.hasTxAmount) return;
  const value = direct ? data.amountText : data.txAmountText;
  const currency = direct ? data.amountCurrency : data.txAmountCurrency;
  const result = value === null ? { problem: 'empty amount' } : currency === null || !isCurrencyCode(currency) ? { problem: `currency Ccy '${currency ?? ''}'` } : decimalToMinor(value, currency);
  if ('problem' in result || currency === null || result.minor < 0) {
    state.warnings.push({
      code: 'unreadable_value',
      location: `${data.location}/${direct ? 'Amt' : 'AmtDtls/TxAmt/Amt'}`,
      message: `transaction amount not readable (${'problem' in result ? result.problem : `'${value}'`}); left out`,
    });
    return;
  }
  data.minor = result.minor;
  data.currency = currency;
}

function dateOf(state: StreamState, date: string | null, dateTime: string | null, location: string): CalendarDate | null {
  const raw = date ?? dateTime;
  if (raw === null) return null;
  const result = isoDatePart(raw);
  if (result === undefined) {
    state.warnings.push({ code: 'unreadable_value', location, message: `date '${raw}' is not readable; left out` });
    return null;
  }
  return result;
}

/** `PMNT/RCDT/ESCT` (the parts there are), else the proprietary code; null without BkTxCd. */
function bankTransactionCode(state: StreamState, fields: CodeFields): string | null {
  if (!fields.hasCode) return null;
  const domain = fields.codeDomain;
  if (domain === null) return fields.codeProprietary;
  const last = state.lastCode;
  if (last.domain !== domain || last.family !== fields.codeFamily || last.subFamily !== fields.codeSubFamily) {
    last.domain = domain;
    last.family = fields.codeFamily;
    last.subFamily = fields.codeSubFamily;
    last.text = [domain, fields.codeFamily, fields.codeSubFamily].filter((part) => part !== null).join('/');
  }
  return last.text;
}

function settlePending(state: StreamState, report: ReportData): void {
  if (report.pending.length === 0) return;
  const pending = report.pending;
  report.pending = [];
  for (const data of pending) settle(state, data, report);
}

/** An error in the content is kept (the rest of the document is still checked for well-formedness). */
function settle(state: StreamState, data: EntryData, report: ReportData): void {
  if (state.failure !== null) return;
  try {
    walkEntry(state, data, report.account.currency);
  } catch (error) {
    if (!(error instanceof BankFileError)) throw error;
    state.failure = error;
    state.halt();
  }
}

function walkEntry(state: StreamState, entry: EntryData, accountCurrency: string | null): void {
  const location = entry.location;
  const status = entry.status ?? entry.statusCode ?? entry.statusProprietary;
  if (status !== 'BOOK') {
    const key = status ?? '(none)';
    const list = state.notBooked.get(key);
    if (list === undefined) state.notBooked.set(key, [location]);
    else list.push(location);
    return;
  }
  const amount = requiredAmount(entry.amountText, entry.amountCurrency, `${location}/Amt`);
  const indicator = entry.indicator;
  if (indicator !== 'CRDT' && indicator !== 'DBIT') {
    throw new BankFileError('bank_file.invalid', `${location}/CdtDbtInd`, `is '${indicator ?? ''}', expected CRDT or DBIT`);
  }
  const direction = indicator === 'CRDT' ? 'credit' : 'debit';
  const sign = direction === 'credit' ? 1 : -1;
  const isReversal = entry.reversal === 'true' || entry.reversal === '1';
  const isPayment = direction === 'credit' && !isReversal;
  /** Credits and reversals are what the receivables care about; plain debits are not checked in detail. */
  const relevant = direction === 'credit' || isReversal;
  const bookingDate = dateOf(state, entry.bookingDate, entry.bookingDateTime, `${location}/BookgDt`);
  const valueDate = dateOf(state, entry.valueDate, entry.valueDateTime, `${location}/ValDt`);
  const entryServicerRef = entry.servicerRef;
  const entryRef = entry.entryRef;
  const entryCode = bankTransactionCode(state, entry);
  const entryInfo = entry.info;
  const batchCount = entry.batchCount;
  const accountIndex = entry.accountIndex;
  const entryMinor = sign * amount.minor;

  state.totals.addCamtEntry(amount.currency, entryMinor, isReversal);
  if (accountCurrency !== null && amount.currency !== accountCurrency) {
    state.warnings.push({
      code: 'currency_differs_from_account',
      location: `${location}/Amt`,
      message: `entry in ${amount.currency} on an account in ${accountCurrency}`,
    });
  }

  // Details: every TxDtls of every NtryDtls, in order; their paths and amounts.
  const details = entry.details;
  const groupPrefix = `${location}/NtryDtls`;
  for (const data of details) {
    data.location = `${entry.groups > 1 ? `${groupPrefix}[${data.group}]` : groupPrefix}/TxDtls[${data.index}]`;
    readDetailAmount(state, data);
  }

  // Do the details agree with the entry? (Trust the entry for the sums either way.)
  let consistent = true;
  if (details.length > 0) {
    const problems: string[] = [];
    let foreignCount = 0;
    let missingCount = 0;
    let sum = 0;
    let foreignCurrencies: Set<string> | null = null;
    for (const data of details) {
      if (data.currency === null) missingCount++;
      else if (data.currency !== amount.currency) {
        foreignCount++;
        (foreignCurrencies ??= new Set()).add(data.currency);
      } else sum += data.minor;
    }
    if (foreignCurrencies !== null) problems.push(`${foreignCount} in another currency (${[...foreignCurrencies].join(', ')})`);
    if (missingCount > 0 && details.length > 1) problems.push(`${missingCount} without an amount`);
    if (foreignCount === 0 && missingCount === 0) {
      if (sum !== amount.minor) problems.push(`they add up to ${sum} minor units, the entry is ${amount.minor}`);
    } else if (foreignCount === 0 && details.length > 1) {
      problems.push('their sum cannot be checked');
    }
    if (problems.length > 0) {
      consistent = false;
      if (relevant) {
        state.warnings.push({
          code: 'amount_details_mismatch',
          location: groupPrefix,
          message: `the ${details.length} TxDtls amounts disagree with the entry amount ${amount.minor} ${amount.currency}: ${problems.join('; ')}; the entry amount is trusted for the sums`,
        });
      }
    }
    if (batchCount !== null && batchCount !== details.length) {
      consistent = false;
      if (relevant) {
        state.warnings.push({
          code: 'batch_count_mismatch',
          location: groupPrefix,
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

  if (details.length === 0) {
    const reference = entryServicerRef ?? entryRef;
    push(state, reference === null, {
      index: state.transactions.length,
      accountIndex,
      direction,
      isReversal,
      isPayment,
      bookingDate,
      valueDate,
      currency: amount.currency,
      amountMinor: entryMinor,
      kid: null,
      kidValid: false,
      kidZeroFilled: false,
      creditorReferences: [],
      freeText: [],
      payerName: null,
      payerAccount: null,
      bankReference: reference,
      endToEndId: null,
      transactionType: entryCode,
      location,
      ocr: null,
      camt: {
        entryLocation: location,
        entryAmountMinor: entryMinor,
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
  const shared = entryServicerRef ?? entryRef;
  const referenceCounts = new Map<string, number>();
  for (const data of details) {
    const reference = data.servicerRef ?? shared ?? data.txId;
    if (reference !== null) referenceCounts.set(reference, (referenceCounts.get(reference) ?? 0) + 1);
  }

  const single = details.length === 1;
  const detailCount = details.length;
  for (let detailIndex = 0; detailIndex < detailCount; detailIndex++) {
    const data = details[detailIndex]!;
    const detailIndicator = data.indicator;
    if (relevant && detailIndicator !== null && detailIndicator !== indicator) {
      state.warnings.push({
        code: 'details_direction_mismatch',
        location: `${data.location}/CdtDbtInd`,
        message: `TxDtls says ${detailIndicator}, the entry ${indicator}; the entry's direction is used`,
      });
    }
    const references = data.references;
    let kid: string | null = null;
    for (const reference of references) {
      if (reference.type === 'SCOR') {
        kid = reference.ref;
        break;
      }
    }
    const servicerRef = data.servicerRef;
    const reference = servicerRef ?? shared ?? data.txId;
    const bankReference = reference === null ? null : referenceCounts.get(reference)! > 1 ? `${reference}#${detailIndex + 1}` : reference;
    const hasAmount = data.currency !== null;
    const detailMinor = hasAmount ? sign * data.minor : null;
    push(state, reference === null, {
      index: state.transactions.length,
      accountIndex,
      direction,
      isReversal,
      isPayment,
      bookingDate,
      valueDate,
      currency: single || !hasAmount ? amount.currency : data.currency!,
      amountMinor: single ? entryMinor : detailMinor,
      kid,
      kidValid: kid !== null && kidPassesCheck(kid),
      kidZeroFilled: false,
      creditorReferences: references,
      freeText: data.freeText,
      payerName: data.debtorName ?? data.debtorPartyName,
      payerAccount: data.debtorIban ?? data.debtorOtherId,
      bankReference,
      endToEndId: data.endToEndId,
      transactionType: bankTransactionCode(state, data) ?? entryCode,
      location: data.location,
      ocr: null,
      camt: {
        entryLocation: location,
        entryAmountMinor: entryMinor,
        entryCurrency: amount.currency,
        entryAccountServicerReference: entryServicerRef,
        entryReference: entryRef,
        accountServicerReference: servicerRef,
        detailsInEntry: detailCount,
        batchTransactionCount: batchCount,
        detailsConsistent: consistent,
        detailAmountMinor: detailMinor,
        detailCurrency: data.currency,
        ultimateDebtorName: data.ultimateName ?? data.ultimatePartyName,
        additionalInfo: data.info ?? entryInfo,
      },
    });
  }
}

/**
 * Without any bank reference: the message id and the element path — stable when the same
 * file is imported again, but not across files (a camt.053 and a camt.054 of one booking).
 */
function fileBoundReference(messageId: string | null, location: string): string {
  return `${messageId ?? 'camt'}:${location.replace(/^Document\/[^/]+\//, '')}`;
}

function push(state: StreamState, fileBound: boolean, transaction: BankTransaction): void {
  state.transactions.push(transaction);
  state.totals.addTransaction(transaction);
  if (fileBound) {
    state.fileBound.push(transaction);
    // The reference is final only when the MsgId is known (in a valid file it always comes first).
    if (state.messageId === null) state.holdBack = true;
    else transaction.bankReference = fileBoundReference(state.messageId, transaction.location);
  }
  if (state.sink !== null && !state.holdBack && state.transactions.length - state.flushed >= state.batchSize) flush(state);
}

/** Hands the transactions not yet handed over to the streaming consumer. */
function flush(state: StreamState): void {
  if (state.sink === null || state.flushed === state.transactions.length) return;
  const batch = state.transactions.slice(state.flushed);
  state.flushed = state.transactions.length;
  state.sink(batch);
}
