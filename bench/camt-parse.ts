// npx tsx bench/camt-parse.ts — how long parsing a big camt.054 (and a big OCR giro file) takes
// (not wired into `npm run bench` yet). The payments issue's target is ≤ 3 s for import + matching
// of such a file and ≤ 2× a plain parse.
//
// The camt file is made in memory: a camt.054.001.02 notification with BENCH_CAMT_TXS (100 000) KID
// payments in batch entries of BENCH_CAMT_BATCH (10 000) TxDtls each — every TxDtls with
// references, amount, bank transaction code, payer name and BBAN, and a SCOR KID, the shape
// Norwegian banks use for OCR settlements. Steps, each timed BENCH_CAMT_RUNS (3) times (the best
// run is reported beside the others; CPU seconds too, since the cores here are shared):
//   (a) a plain saxes pass over the text, no handlers (same options as parseCamt: namespaces on)
//       — the "plain parse" baseline;
//   (b) parseCamt as a whole (bytes → decode → root check → stream → transactions);
//   (c) fast-xml-parser's XMLParser (the tree the previous camt parser built), BENCH_CAMT_FXP_RUNS
//       (1) times — it builds an ~850 MB tree; BENCH_CAMT_FXP_RUNS=0 leaves it out.
// Then an OCR giro file of BENCH_OCR_TXS (100 000) transactions (records 30 + 31 each, one
// assignment) through parseOcrGiro.
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { parseCamt } from '../src/adapters/bank/camt.js';
import { parseOcrGiro } from '../src/adapters/bank/ocr-giro.js';
import { createKid } from '../src/domain/kid.js';

const TRANSACTIONS = Number(process.env.BENCH_CAMT_TXS ?? 100_000);
const BATCH = Number(process.env.BENCH_CAMT_BATCH ?? 10_000);
const RUNS = Number(process.env.BENCH_CAMT_RUNS ?? 3);
const FXP_RUNS = Number(process.env.BENCH_CAMT_FXP_RUNS ?? 1);
const OCR_TRANSACTIONS = Number(process.env.BENCH_OCR_TXS ?? 100_000);

const kidOf = (i: number) =>
  createKid({ method: 'mod10', composition: 'customer_and_invoice', customerDigits: 6, invoiceDigits: 8 }, { customerNumber: i % 50_000, invoiceNumber: 10_000_000 + i });
const minorOf = (i: number) => 10_000 + ((i * 7919) % 990_000);

function buildCamt054(transactions: number, batchSize: number): { xml: string; totalMinor: number } {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '<BkToCstmrDbtCdtNtfctn>',
    '<GrpHdr><MsgId>BENCH-054-1</MsgId><CreDtTm>2026-11-27T06:00:00+01:00</CreDtTm></GrpHdr>',
    '<Ntfctn>',
    '<Id>BENCH-N-1</Id><CreDtTm>2026-11-27T06:00:00+01:00</CreDtTm>',
    '<Acct><Id><Othr><Id>86011117947</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy><Svcr><FinInstnId><BIC>DNBANOKK</BIC></FinInstnId></Svcr></Acct>',
  ];
  let totalMinor = 0;
  for (let first = 0, entry = 1; first < transactions; first += batchSize, entry++) {
    const count = Math.min(batchSize, transactions - first);
    const details: string[] = [];
    let entryMinor = 0;
    for (let i = first; i < first + count; i++) {
      const minor = minorOf(i);
      entryMinor += minor;
      const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
      details.push(
        `<TxDtls><Refs><AcctSvcrRef>TX${String(i).padStart(10, '0')}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>` +
          `<AmtDtls><TxAmt><Amt Ccy="NOK">${amount}</Amt></TxAmt></AmtDtls>` +
          '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>' +
          `<RltdPties><Dbtr><Nm>Kunde ${i} AS</Nm></Dbtr><DbtrAcct><Id><Othr><Id>1234${String(i).padStart(7, '0')}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct></RltdPties>` +
          `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${kidOf(i)}</Ref></CdtrRefInf></Strd></RmtInf>` +
          '<RltdDts><AccptncDtTm>2026-11-26T13:35:18</AccptncDtTm></RltdDts></TxDtls>',
      );
    }
    totalMinor += entryMinor;
    const entryAmount = `${Math.floor(entryMinor / 100)}.${String(entryMinor % 100).padStart(2, '0')}`;
    parts.push(
      `<Ntry><NtryRef>${entry}</NtryRef><Amt Ccy="NOK">${entryAmount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>` +
        '<BookgDt><Dt>2026-11-27</Dt></BookgDt><ValDt><Dt>2026-11-27</Dt></ValDt>' +
        `<AcctSvcrRef>OCR-SETTLEMENT-${entry}</AcctSvcrRef>` +
        '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>' +
        `<NtryDtls><Btch><NbOfTxs>${count}</NbOfTxs></Btch>`,
      ...details,
      '</NtryDtls></Ntry>',
    );
  }
  parts.push('</Ntfctn>', '</BkToCstmrDbtCdtNtfctn>', '</Document>');
  return { xml: parts.join('\n'), totalMinor };
}

/** A Nets OCR giro file: one service-09 assignment, records 30 + 31 per transaction, control records that match. */
function buildOcr(transactions: number): { text: string; totalMinor: number } {
  const digits = (value: number | string, width: number) => String(value).padStart(width, '0');
  const record = (content: string) => content.padEnd(80, '0');
  const lines = [record('NY000010000080800170031000102000'), record('NY090020001008566000000299991042764')];
  let totalMinor = 0;
  for (let i = 0; i < transactions; i++) {
    const number = digits(i + 1, 7);
    const minor = minorOf(i);
    totalMinor += minor;
    lines.push(
      record(`NY091030${number}20119213201014640${digits(minor, 17)}${kidOf(i).padStart(25, ' ')}`),
      record(`NY091031${number}96368271940990385620000000161192${digits(12_340_000_000 + i, 11)}`),
    );
  }
  const assignmentRecords = transactions * 2 + 2;
  lines.push(
    record(`NY090088${digits(transactions, 8)}${digits(assignmentRecords, 8)}${digits(totalMinor, 17)}201192201192201192`),
    record(`NY000089${digits(transactions, 8)}${digits(assignmentRecords + 2, 8)}${digits(totalMinor, 17)}201192`),
  );
  return { text: lines.join('\n'), totalMinor };
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall-clock seconds per run, and the process's CPU seconds of the best run (the cores here are shared). */
function time<T>(label: string, runs: number, run: () => T): { result: T; best: Timing } {
  const timings: Timing[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = run();
    const used = process.cpuUsage(cpu);
    timings.push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
  }
  const best = timings.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `${label.padEnd(52)} best ${best.wall.toFixed(2)} s (cpu ${best.cpu.toFixed(2)} s)   runs ${timings.map((t) => t.wall.toFixed(2)).join(' / ')} s`,
  );
  return { result, best };
}

const ratio = (value: Timing, base: Timing) => `${(value.wall / base.wall).toFixed(2)}× (cpu ${(value.cpu / base.cpu).toFixed(2)}×)`;

const { xml, totalMinor } = buildCamt054(TRANSACTIONS, BATCH);
const bytes = Buffer.from(xml, 'utf8');
console.log(`camt.054.001.02: ${TRANSACTIONS.toLocaleString('en')} TxDtls in ${Math.ceil(TRANSACTIONS / BATCH)} batch entries, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB`);

const plain = time('(a) plain saxes pass, no handlers', RUNS, () => new SaxesParser({ xmlns: true }).write(xml).close());
const camt = time('(b) parseCamt (bytes → transactions)', RUNS, () => parseCamt(bytes));
const treeParser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true, htmlEntities: true, jPath: false });
const tree = FXP_RUNS > 0 ? time('(c) fast-xml-parser XMLParser (tree only)', FXP_RUNS, () => void treeParser.parse(xml)) : null;
console.log(`parseCamt / plain pass: ${ratio(camt.best, plain.best)}${tree ? `; XMLParser / plain pass: ${ratio(tree.best, plain.best)}` : ''}`);

const result = camt.result;
const nok = result.totals.find((totals) => totals.currency === 'NOK');
if (result.transactions.length !== TRANSACTIONS || nok?.creditedMinor !== totalMinor || nok.paymentSumMinor !== totalMinor) {
  throw new Error(`unexpected result: ${result.transactions.length} transactions, totals ${JSON.stringify(result.totals)}`);
}
console.log(`checked: ${result.transactions.length} payments, ${result.transactions.filter((t) => t.kidValid).length} valid KIDs, ${result.warnings.length} warnings, NOK ${totalMinor} minor units`);

if (OCR_TRANSACTIONS > 0) {
  const ocr = buildOcr(OCR_TRANSACTIONS);
  const ocrBytes = Buffer.from(ocr.text, 'latin1');
  console.log(`OCR giro: ${OCR_TRANSACTIONS.toLocaleString('en')} transactions, ${(ocrBytes.byteLength / 1024 / 1024).toFixed(1)} MiB`);
  const parsed = time('parseOcrGiro (bytes → transactions)', RUNS, () => parseOcrGiro(ocrBytes)).result;
  const ocrTotals = parsed.totals.find((totals) => totals.currency === 'NOK');
  if (parsed.transactions.length !== OCR_TRANSACTIONS || ocrTotals?.creditedMinor !== ocr.totalMinor) {
    throw new Error(`unexpected OCR result: ${parsed.transactions.length} transactions, totals ${JSON.stringify(parsed.totals)}`);
  }
  console.log(`checked: ${parsed.transactions.length} payments, ${parsed.transactions.filter((t) => t.kidValid).length} valid KIDs, ${parsed.warnings.length} warnings`);
}
