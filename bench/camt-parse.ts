// npx tsx bench/camt-parse.ts — how long a plain parse of a big camt.054 takes (not wired into
// `npm run bench` yet). The payments issue's target is ≤ 3 s for import + matching of such a file
// and ≤ 2× a plain parse; this measures the plain parse.
//
// The file is made in memory: a camt.054.001.02 notification with BENCH_CAMT_TXS (100 000) KID
// payments in batch entries of BENCH_CAMT_BATCH (10 000) TxDtls each — every TxDtls with
// references, amount, bank transaction code, payer name and BBAN, and a SCOR KID, the shape
// Norwegian banks use for OCR settlements. Each step is timed BENCH_CAMT_RUNS (3) times; the
// best run is reported beside the others. Steps: well-formedness check (XMLValidator), the XML
// tree (XMLParser, same options), and parseCamt as a whole (decode + check + tree + mapping).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseCamt } from '../src/adapters/bank/camt.js';
import { createKid } from '../src/domain/kid.js';

const TRANSACTIONS = Number(process.env.BENCH_CAMT_TXS ?? 100_000);
const BATCH = Number(process.env.BENCH_CAMT_BATCH ?? 10_000);
const RUNS = Number(process.env.BENCH_CAMT_RUNS ?? 3);

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
      const minor = 10_000 + ((i * 7919) % 990_000);
      entryMinor += minor;
      const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
      const kid = createKid({ method: 'mod10', composition: 'customer_and_invoice', customerDigits: 6, invoiceDigits: 8 }, { customerNumber: i % 50_000, invoiceNumber: 10_000_000 + i });
      details.push(
        `<TxDtls><Refs><AcctSvcrRef>TX${String(i).padStart(10, '0')}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>` +
          `<AmtDtls><TxAmt><Amt Ccy="NOK">${amount}</Amt></TxAmt></AmtDtls>` +
          '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>' +
          `<RltdPties><Dbtr><Nm>Kunde ${i} AS</Nm></Dbtr><DbtrAcct><Id><Othr><Id>1234${String(i).padStart(7, '0')}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct></RltdPties>` +
          `<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${kid}</Ref></CdtrRefInf></Strd></RmtInf>` +
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

/** Wall-clock seconds per run, and the process's CPU seconds of the best run (the cores here are shared). */
function time<T>(label: string, run: () => T): T {
  const timings: Array<{ wall: number; cpu: number }> = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = run();
    const used = process.cpuUsage(cpu);
    timings.push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
  }
  const best = timings.reduce((a, b) => (b.wall < a.wall ? b : a));
  console.log(
    `${label.padEnd(44)} best ${best.wall.toFixed(2)} s (cpu ${best.cpu.toFixed(2)} s)   runs ${timings.map((t) => t.wall.toFixed(2)).join(' / ')} s`,
  );
  return result;
}

const { xml, totalMinor } = buildCamt054(TRANSACTIONS, BATCH);
const bytes = Buffer.from(xml, 'utf8');
console.log(`camt.054.001.02: ${TRANSACTIONS.toLocaleString('en')} TxDtls in ${Math.ceil(TRANSACTIONS / BATCH)} batch entries, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MiB`);

time('well-formedness check (XMLValidator)', () => XMLValidator.validate(xml));
const treeParser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, removeNSPrefix: true, htmlEntities: true, jPath: false });
time('XML tree only (XMLParser)', () => treeParser.parse(xml));
const result = time('parseCamt (decode + check + tree + mapping)', () => parseCamt(bytes));

const nok = result.totals.find((totals) => totals.currency === 'NOK');
if (result.transactions.length !== TRANSACTIONS || nok?.creditedMinor !== totalMinor || nok.paymentSumMinor !== totalMinor) {
  throw new Error(`unexpected result: ${result.transactions.length} transactions, totals ${JSON.stringify(result.totals)}`);
}
console.log(`checked: ${result.transactions.length} payments, ${result.transactions.filter((t) => t.kidValid).length} valid KIDs, ${result.warnings.length} warnings, NOK ${totalMinor} minor units`);
