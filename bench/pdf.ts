// npm run bench:pdf — invoice PDFs per second on one core with pdfkit (the production path:
// view model → design layout → pdfkit), and in the same run Chromium's page.pdf() on the same
// invoice as HTML (Debian's /usr/bin/chromium, one warm browser and page, setContent + pdf()).
//
// Settings: BENCH_PDF_COUNT (pdfkit documents, default 3000), BENCH_CHROMIUM_COUNT (default 200),
// BENCH_CHROMIUM=0 to skip Chromium.
import fs from 'node:fs';
import os from 'node:os';
import { createPdfkitRenderer } from '../src/adapters/pdf/pdfkit-renderer.js';
import { renderDesign } from '../src/domain/document/designs.js';
import { buildInvoiceViewModel } from '../src/domain/document/invoice-view-model.js';
import { invoiceDocumentFromSpec } from '../src/domain/document/sample-invoice.js';
import { DEFAULT_TEMPLATE_SETTINGS, type TemplateSettings } from '../src/domain/document/template-settings.js';
import type { DocumentViewModel } from '../src/domain/document/view-model.js';

const PDF_COUNT = Number(process.env.BENCH_PDF_COUNT ?? 3000);
const CHROMIUM_COUNT = Number(process.env.BENCH_CHROMIUM_COUNT ?? 200);
const RUN_CHROMIUM = process.env.BENCH_CHROMIUM !== '0';

const seller = {
  legalName: 'Fjordkaffe Demo AS',
  orgNumber: '974760673',
  isVatRegistered: true,
  isInForetaksregisteret: true,
  address: { line1: 'Bryggen 1', line2: null, postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
  bankAccount: '86011117947',
  iban: null,
  bic: null,
  email: 'post@fjordkaffe.no',
  phone: '+47 55 55 55 55',
  website: 'fjordkaffe.no',
};

const descriptions = [
  'Rådgivning, november',
  'Kaffebønner Etiopia Yirgacheffe, økologisk',
  'Espressomaskin, service og avkalking',
  'Kopper, 25 cl, papir (pakke à 50)',
  'Melk, laktosefri, 1 l',
  'Levering Bergen sentrum',
  'Opplæring av personale i kaffebrygging',
  'Filterpapir nr. 4',
  'Leie av kaffemaskin, desember',
  'Rabatt på avtalekunde',
];

function invoice(number: number) {
  return invoiceDocumentFromSpec({
    id: `00000000-0000-7000-8000-${String(number).padStart(12, '0')}`,
    seller,
    number,
    customerNumber: 1042,
    kid: '0010420000010425',
    issueDate: '2026-11-26',
    deliveryDate: '2026-11-25',
    dueDate: '2026-12-10',
    ourReference: 'Kari Nordmann',
    buyerReference: 'Ola Hansen',
    buyer: {
      name: 'Nordlys Rør AS',
      kind: 'business',
      orgNumber: '923609016',
      address: { line1: 'Storgata 12', line2: null, postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
      language: 'nb',
    },
    lines: descriptions.map((description, index) => ({
      description,
      quantity: String(1 + (index % 4)),
      unitCode: index === 0 ? 'HUR' : 'C62',
      unitPrice: `${(index + 1) * 137}.50`,
      vatCode: index === 4 || index === 1 ? '31' : '3',
      discountPercent: index === 9 ? '5' : '0',
    })),
  });
}

const template: TemplateSettings = { ...DEFAULT_TEMPLATE_SETTINGS, paymentText: 'Husk å bruke KID ved betaling.' };
const renderer = createPdfkitRenderer();

async function renderOne(number: number): Promise<Buffer> {
  const doc = invoice(number);
  const viewModel = buildInvoiceViewModel({ document: doc, seller, template, language: 'nb', logo: null });
  const drawing = renderDesign(viewModel, renderer.measurer);
  return renderer.render(drawing, { creationDate: new Date(doc.issuedAt!), documentKey: doc.id });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function measure(name: string, count: number, warmup: number, run: (i: number) => Promise<Buffer>) {
  let bytes = 0;
  for (let i = 0; i < warmup; i++) await run(i);
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    bytes = (await run(i)).length;
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  times.sort((a, b) => a - b);
  return { name, count, perSecond: count / seconds, perCpuSecond: count / cpuSeconds, p50: percentile(times, 50), p95: percentile(times, 95), bytes };
}

/** The same invoice as HTML for Chromium: same texts, a comparable layout, DejaVu Sans from the system. */
function toHtml(vm: DocumentViewModel): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const party = (block: DocumentViewModel['recipient']) =>
    `<div class="party"><h4>${escape(block.heading)}</h4><strong>${escape(block.name)}</strong>${block.lines.map((line) => `<div>${escape(line)}</div>`).join('')}</div>`;
  const table = (block: DocumentViewModel['table']) =>
    `<table><thead><tr>${block.columns.map((column) => `<th class="${column.align}">${escape(column.label)}</th>`).join('')}</tr></thead><tbody>${block.rows
      .map((row) => `<tr>${row.cells.map((cell, index) => `<td class="${block.columns[index]!.align}">${escape(cell)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><style>
    @page { size: A4; margin: 15mm 17mm; }
    body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; color: #1d1d1f; }
    .bar { height: 4pt; background: ${vm.style.accentColor}; }
    header { display: flex; justify-content: space-between; margin-top: 12pt; }
    h1 { color: ${vm.style.accentColor}; font-size: 24pt; margin: 0; text-align: right; }
    h4 { font-size: 7.5pt; color: #5f6368; margin: 0 0 2pt; text-transform: uppercase; }
    .parties { display: flex; justify-content: space-between; margin: 22pt 0 12pt; }
    .meta div { display: flex; justify-content: space-between; gap: 24pt; }
    table { width: 100%; border-collapse: collapse; margin-top: 8pt; }
    th { color: ${vm.style.accentColor}; border-bottom: 1pt solid ${vm.style.accentColor}; font-size: 8pt; }
    td, th { padding: 3pt 4pt; } td { border-bottom: 0.5pt solid #c9cdd2; }
    .right { text-align: right; } .left { text-align: left; }
    .totals { width: 250pt; margin-left: auto; margin-top: 12pt; }
    .totals div { display: flex; justify-content: space-between; } .grand { font-size: 12pt; font-weight: bold; }
    .payment { border: 1.25pt solid ${vm.style.accentColor}; border-radius: 3pt; padding: 10pt; margin-top: 40pt; display: flex; gap: 30pt; }
    .payment b { display: block; font-size: 10.5pt; } footer { margin-top: 20pt; color: #5f6368; font-size: 7.5pt; }
  </style></head><body><div class="bar"></div>
  <header><strong style="font-size:16pt;color:${vm.style.accentColor}">${escape(vm.seller.name)}</strong><div><h1>${escape(vm.title)}</h1>${[vm.seller.name, ...vm.seller.lines].map((line) => `<div class="right">${escape(line)}</div>`).join('')}</div></header>
  <div class="parties">${party(vm.recipient)}<div class="meta">${vm.meta.map((item) => `<div><span>${escape(item.label)}</span><b>${escape(item.value)}</b></div>`).join('')}</div></div>
  ${table(vm.table)}
  <div style="display:flex;justify-content:space-between">${vm.vatSummary ? table(vm.vatSummary) : ''}<div class="totals">${vm.totals
    .map((row) => `<div class="${row.emphasis === 'grand' ? 'grand' : ''}"><span>${escape(row.label)}</span><span>${escape(row.value)}</span></div>`)
    .join('')}</div></div>
  ${vm.payment ? `<div class="payment">${vm.payment.fields.map((field) => `<div><small>${escape(field.label)}</small><b>${escape(field.value)}</b></div>`).join('')}</div>` : ''}
  <footer>${vm.footerLines.map(escape).join('<br>')}<span style="float:right">Side 1 av 1</span></footer></body></html>`;
}

const results = [];
results.push(await measure('pdfkit, 10-line invoice', PDF_COUNT, 200, (i) => renderOne(1000 + i)));
const sample = await renderOne(1);

let chromium: Awaited<ReturnType<typeof measure>> | null = null;
if (RUN_CHROMIUM && fs.existsSync('/usr/bin/chromium')) {
  const { chromium: launcher } = await import('playwright-core');
  const browser = await launcher.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    chromium = await measure('Chromium page.pdf(), same invoice as HTML', CHROMIUM_COUNT, 20, async (i) => {
      const doc = invoice(1000 + i);
      const vm = buildInvoiceViewModel({ document: doc, seller, template, language: 'nb', logo: null });
      await page.setContent(toHtml(vm));
      return page.pdf({ format: 'A4', printBackground: true });
    });
    results.push(chromium);
  } finally {
    await browser.close();
  }
} else {
  process.stdout.write('Chromium skipped (BENCH_CHROMIUM=0 or /usr/bin/chromium missing)\n');
}

for (const result of results) {
  process.stdout.write(
    `${result.name.padEnd(44)} ${result.perSecond.toFixed(0).padStart(6)} PDFs/s wall  p50 ${result.p50.toFixed(2)} ms  p95 ${result.p95.toFixed(2)} ms  ${(result.bytes / 1024).toFixed(0)} KiB  (n=${result.count})\n`,
  );
}
const pdfkit = results[0]!;
// pdfkit runs in this process on its one JavaScript thread (zlib included), so its CPU time is one core's work;
// on a busy machine the CPU-time rate is the per-core capacity, the wall-clock rate also counts waiting for the core.
process.stdout.write(
  `pdfkit on one core: ${pdfkit.perCpuSecond.toFixed(0)} PDFs per CPU-second (wall ${pdfkit.perSecond.toFixed(0)}/s, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)\n`,
);
process.stdout.write(`target ≥ 250 PDFs/s per core: ${pdfkit.perCpuSecond >= 250 ? 'met' : 'NOT met'}\n`);
if (chromium) {
  const ratio = pdfkit.perSecond / chromium.perSecond;
  process.stdout.write(`pdfkit / Chromium (wall-clock rates, same run): ${ratio.toFixed(1)}× — target ≥ 10×: ${ratio >= 10 ? 'met' : 'NOT met'}\n`);
}
