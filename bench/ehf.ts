// npm run bench:ehf — EHF (Peppol BIS 3.0 XML) documents per second for a 10-line invoice on one
// core (one event loop, no workers), beside baselines measured in the same run on the same document:
//   - JSON.stringify of the issued document (the cheapest serialisation there is),
//   - xmlbuilder2 serialising the same UBL tree, already built (what an adapter would cost on top
//     of the mapping; our writer does mapping AND serialisation).
// Also the whole service call (read the issued document and its archived PDF from SQLite, embed
// the PDF, write the XML) and a 150-line document. The invoices are made through the real
// services, so their figures are real.
//
// Environment: BENCH_EHF_SECONDS=1 (time per measurement, after a warm-up of the same length).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import { fixedClock } from '../src/adapters/clock.js';
import { createScryptHasher } from '../src/adapters/password.js';
import type { CompanyContext } from '../src/app/context.js';
import { companyCreateSchema } from '../src/app/company.schemas.js';
import { customerCreateSchema } from '../src/app/customer.schemas.js';
import { invoiceCreateSchema } from '../src/app/invoice.schemas.js';
import { loadConfig } from '../src/config.js';
import { toEhfXml } from '../src/domain/ehf/ehf-document.js';
import { createRuntime } from '../src/main.js';

const SECONDS = Number(process.env.BENCH_EHF_SECONDS ?? 1);
const file = path.join(os.tmpdir(), `fakturaflyt-bench-ehf-${process.pid}.db`);
const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' });
const runtime = await createRuntime(config, { clock: fixedClock('2026-11-26T10:00:00Z'), passwords: createScryptHasher({ logN: 10, r: 8, p: 1 }) });
const { services } = runtime;

const company = await services.companies.createCompany(
  companyCreateSchema.parse({
    legalName: 'Bench Kaffe AS',
    orgNumber: '974760673',
    address: { line1: 'Testveien 1', postalCode: '0150', city: 'Oslo', countryCode: 'NO' },
    bankAccount: '86011117947',
    email: 'faktura@bench.example',
  }),
  { type: 'system', id: null, label: 'bench' },
);
const ctx: CompanyContext = { companyId: company.id, role: 'owner', actor: { type: 'cli', id: null, label: 'bench' }, ipAddress: null };
const customer = await services.customers.createCustomer(
  ctx,
  customerCreateSchema.parse({
    name: 'Kjøper & Sønn AS',
    orgNumber: '923609016',
    email: 'faktura@kjoper.example',
    address: { line1: 'Kundeveien 2', postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
  }),
);

async function issuedInvoice(lineCount: number) {
  const codes = ['3', '31', '33', '3', '5'];
  const draft = await services.invoices.createDraft(
    ctx,
    invoiceCreateSchema.parse({
      customerId: customer.id,
      deliveryDate: '2026-11-20',
      orderReference: 'PO-BENCH',
      lines: Array.from({ length: lineCount }, (_, index) => ({
        description: `Vare nr. ${index + 1} & tilbehør`,
        quantity: `${(index % 5) + 1}.5`,
        unitPrice: `${100 + index * 7}.25`,
        discountPercent: index % 3 === 0 ? '10' : '0',
        vatCode: codes[index % codes.length],
      })),
    }),
  );
  return services.invoices.issueInvoice(ctx, draft.id);
}

const ten = await issuedInvoice(10);
const large = await issuedInvoice(150);

/** Runs `work` repeatedly for SECONDS after an equal warm-up; returns operations per second. */
function measure(work: () => unknown): number {
  const run = (budgetSeconds: number) => {
    let count = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(Math.round(budgetSeconds * 1e9));
    let elapsed = 0n;
    while (elapsed < budget) {
      for (let i = 0; i < 100; i++) work();
      count += 100;
      elapsed = process.hrtime.bigint() - start;
    }
    return count / (Number(elapsed) / 1e9);
  };
  run(SECONDS);
  return run(SECONDS);
}

async function measureAsync(work: () => Promise<unknown>): Promise<number> {
  const run = async (budgetSeconds: number) => {
    let count = 0;
    const start = process.hrtime.bigint();
    const budget = BigInt(Math.round(budgetSeconds * 1e9));
    while (process.hrtime.bigint() - start < budget) {
      await work();
      count += 1;
    }
    return count / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  await run(SECONDS);
  return run(SECONDS);
}

// The same UBL tree as an object, for xmlbuilder2 (built once, outside the measurement).
const tree = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#', parseTagValue: false, ignoreDeclaration: true }).parse(
  toEhfXml(ten),
);
const xmlbuilderOutput = create({ version: '1.0', encoding: 'UTF-8' }, tree).end({ prettyPrint: true });
if (!xmlbuilderOutput.includes('<cbc:PaymentID>')) throw new Error('xmlbuilder2 baseline did not produce the same document');

const results: Array<{ name: string; perSecond: number; bytes: number }> = [];
let sink = 0;
results.push({ name: 'JSON.stringify(document) (baseline)', perSecond: measure(() => (sink += JSON.stringify(ten).length)), bytes: JSON.stringify(ten).length });
results.push({ name: 'EHF toEhfXml, 10 lines', perSecond: measure(() => (sink += toEhfXml(ten).length)), bytes: toEhfXml(ten).length });
results.push({
  name: 'xmlbuilder2, same tree prebuilt',
  perSecond: measure(() => (sink += create({ version: '1.0', encoding: 'UTF-8' }, tree).end({ prettyPrint: true }).length)),
  bytes: xmlbuilderOutput.length,
});
results.push({ name: 'EHF toEhfXml, 150 lines', perSecond: measure(() => (sink += toEhfXml(large).length)), bytes: toEhfXml(large).length });
results.push({
  name: 'EHF service (SQLite + archived PDF + XML)',
  // buildEhf writes the XML each time; exportEhf would serve the archived copy after the first call.
  perSecond: await measureAsync(async () => (sink += (await services.ehf.buildEhf(ctx, ten.id)).xml.length)),
  bytes: (await services.ehf.buildEhf(ctx, ten.id)).xml.length,
});

const baseline = results[0]!.perSecond;
process.stdout.write(`EHF writer benchmark (Node ${process.version}, one core, ${SECONDS}s per measurement)\n`);
for (const result of results) {
  process.stdout.write(
    `${result.name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(8)} docs/s  ${(1e6 / result.perSecond).toFixed(1).padStart(7)} µs/doc  ${(result.perSecond / baseline).toFixed(2).padStart(5)}× baseline  ${String(result.bytes).padStart(7)} bytes\n`,
  );
}
const tenLines = results[1]!.perSecond;
process.stdout.write(`target ≥ 2,000 EHF docs/s for 10 lines: ${tenLines >= 2000 ? 'met' : 'NOT MET'} (${tenLines.toFixed(0)}/s)\n`);
if (sink === 0) process.stdout.write('');

await runtime.close();
for (const extension of ['', '-wal', '-shm']) fs.rmSync(`${file}${extension}`, { force: true });
