import { describe, expect, it } from 'vitest';
import type { SellerSnapshot } from '../party.js';
import { renderDesign } from './designs.js';
import { A4, type DrawnDocument, fitText, type FontSpec, type TextMeasurer, type TextOp, wrapText } from './drawing.js';
import { formatDate, formatDecimal, formatMinor, formatPercent, formatQuantity, MINUS, NBSP } from './format.js';
import { readImageInfo } from './image-info.js';
import { buildInvoiceViewModel } from './invoice-view-model.js';
import { type DocumentSpec, invoiceDocumentFromSpec } from './sample-invoice.js';
import { contrastingText, DEFAULT_TEMPLATE_SETTINGS, DOCUMENT_DESIGNS, type TemplateSettings, tint } from './template-settings.js';

/** Pure tests: formats, the view model, and layout/page breaking with a fake measurer (every glyph 0.5 em wide). */
const fake: TextMeasurer = {
  widthOf: (text: string, font: FontSpec, size: number) => text.length * size * (font.bold ? 0.55 : 0.5),
  ascent: (_font: FontSpec, size: number) => size * 0.8,
  descent: (_font: FontSpec, size: number) => size * 0.2,
};

const seller: SellerSnapshot = {
  legalName: 'Fjordkaffe AS',
  orgNumber: '974760673',
  isVatRegistered: true,
  isInForetaksregisteret: true,
  address: { line1: 'Bryggen 1', line2: null, postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
  bankAccount: '86011117947',
  iban: null,
  bic: null,
  email: null,
  phone: null,
  website: null,
};

function spec(overrides: Partial<DocumentSpec> = {}): DocumentSpec {
  return {
    seller,
    number: 12,
    kid: '12345',
    issueDate: '2026-11-20',
    deliveryDate: '2026-11-19',
    dueDate: '2026-12-04',
    buyer: { name: 'Kunde AS', address: { line1: 'Gate 1', line2: null, postalCode: '0150', city: 'Oslo', countryCode: 'NO' } },
    lines: [{ description: 'Arbeid', quantity: '2', unitPrice: '1000' }],
    ...overrides,
  };
}

function layout(documentSpec: DocumentSpec, template: Partial<TemplateSettings> = {}): DrawnDocument {
  const document = invoiceDocumentFromSpec(documentSpec);
  const viewModel = buildInvoiceViewModel({
    document,
    seller: documentSpec.seller,
    template: { ...DEFAULT_TEMPLATE_SETTINGS, ...template },
    language: 'nb',
    logo: null,
  });
  return renderDesign(viewModel, fake);
}

function texts(page: DrawnDocument['pages'][number]): TextOp[] {
  return page.ops.filter((op): op is TextOp => op.kind === 'text');
}

describe('Norwegian formats', () => {
  it('groups thousands with U+00A0 and writes minus as U+2212', () => {
    expect(formatMinor(123450)).toBe(`1${NBSP}234,50`);
    expect(formatMinor(-5)).toBe(`${MINUS}0,05`);
    expect(formatMinor(100000000)).toBe(`1${NBSP}000${NBSP}000,00`);
    expect(formatDecimal('1250.5')).toBe(`1${NBSP}250,50`);
    expect(formatDecimal('0.1234')).toBe('0,1234');
    expect(formatDecimal('-0.00')).toBe('0,00');
    expect(formatQuantity('2.50')).toBe('2,5');
    expect(formatQuantity('-1')).toBe(`${MINUS}1`);
    expect(formatPercent('11.11')).toBe(`11,11${NBSP}%`);
    expect(formatDate('2026-11-26')).toBe('26.11.2026');
  });

  it('picks readable text on the accent colour and tints it', () => {
    expect(contrastingText('#1f4e79')).toBe('#ffffff');
    expect(contrastingText('#ffe066')).toBe('#1a1a1a');
    expect(tint('#000000', 0.5)).toBe('#808080');
  });
});

describe('logo recognition by bytes', () => {
  it('reads PNG and JPEG sizes and refuses anything else', () => {
    const png = new Uint8Array(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 44, 0, 0, 0, 50]);
    expect(readImageInfo(png)).toEqual({ format: 'png', width: 300, height: 50 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 100, 1, 44, 3]);
    expect(readImageInfo(jpeg)).toEqual({ format: 'jpeg', width: 300, height: 100 });
    expect(readImageInfo(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(readImageInfo(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(readImageInfo(new Uint8Array())).toBeUndefined();
  });
});

describe('wrapText', () => {
  it('breaks at spaces, keeps explicit line breaks and cuts words longer than a line', () => {
    const font: FontSpec = { family: 'sans', bold: false };
    // 10 pt, 5 pt per character: 40 pt holds 8 characters.
    expect(wrapText('aaa bbb ccc', 40, font, 10, fake)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('one\ntwo', 400, font, 10, fake)).toEqual(['one', 'two']);
    expect(wrapText('abcdefghijkl', 40, font, 10, fake)).toEqual(['abcdefgh', 'ijkl']);
  });

  it('fitText shortens with an ellipsis only when needed', () => {
    const font: FontSpec = { family: 'sans', bold: false };
    expect(fitText('abc', 30, font, 10, fake)).toBe('abc');
    expect(fitText('abcdefghij', 30, font, 10, fake)).toBe('abcde…');
  });
});

describe('invoice view model', () => {
  it('credit note: title, reference to the invoice, no payment box, "Til gode"', () => {
    const viewModel = buildInvoiceViewModel({
      document: invoiceDocumentFromSpec(
        spec({ kind: 'credit_note', documentNumber: 'KN-3', kid: null, dueDate: null, creditedInvoice: { id: 'i', documentNumber: '12', issueDate: '2026-11-01' } }),
      ),
      seller,
      template: DEFAULT_TEMPLATE_SETTINGS,
      language: 'nb',
      logo: null,
    });
    expect(viewModel.title).toBe('Kreditnota');
    expect(viewModel.intro[0]!.text).toBe('Kreditnota for faktura 12 datert 01.11.2026');
    expect(viewModel.payment).toBeNull();
    expect(viewModel.totals.at(-1)!.label).toBe('Til gode');
  });

  it('optional fields follow the template; mandatory ones do not', () => {
    const document = invoiceDocumentFromSpec(spec({ ourReference: 'Kari', customerNumber: 7 }));
    const shown = buildInvoiceViewModel({ document, seller, template: DEFAULT_TEMPLATE_SETTINGS, language: 'nb', logo: null });
    expect(shown.meta.map((item) => item.label)).toEqual(expect.arrayContaining(['Kundenr.', 'Vår referanse']));
    const hidden = buildInvoiceViewModel({
      document,
      seller,
      template: { ...DEFAULT_TEMPLATE_SETTINGS, showFields: { ...DEFAULT_TEMPLATE_SETTINGS.showFields, customerNumber: false, ourReference: false } },
      language: 'nb',
      logo: null,
    });
    const labels = hidden.meta.map((item) => item.label);
    expect(labels).not.toContain('Kundenr.');
    expect(labels).not.toContain('Vår referanse');
    expect(labels).toEqual(expect.arrayContaining(['Fakturanr.', 'Fakturadato', 'Leveringsdato', 'Forfallsdato']));
  });
});

describe('layout and page breaking (fake measurer)', () => {
  it('one page for a short invoice, every operation inside the page', () => {
    for (const design of DOCUMENT_DESIGNS) {
      const drawing = layout(spec(), { design });
      expect(drawing.pages, design).toHaveLength(1);
      for (const op of drawing.pages[0]!.ops) {
        const [x, y] = op.kind === 'line' ? [op.x1, op.y1] : [op.x, op.y];
        expect(x, `${design} ${op.kind}`).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(A4.width);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(A4.height);
      }
      expect(texts(drawing.pages[0]!).some((op) => op.text === 'Side 1 av 1')).toBe(true);
    }
  });

  it('150 lines: several pages, the table header on each page with rows, every line once, then totals and the payment box', () => {
    const lines = Array.from({ length: 150 }, (_, index) => ({ description: `Linje ${index + 1}`, quantity: '1', unitPrice: '10' }));
    for (const design of DOCUMENT_DESIGNS) {
      const drawing = layout(spec({ lines }), { design });
      const count = drawing.pages.length;
      expect(count, design).toBeGreaterThan(2);
      const seen: string[] = [];
      drawing.pages.forEach((page, index) => {
        const pageTexts = texts(page);
        expect(pageTexts.some((op) => op.text === `Side ${index + 1} av ${count}`)).toBe(true);
        const rows = pageTexts.filter((op) => /^Linje \d+$/.test(op.text));
        seen.push(...rows.map((op) => op.text));
        // Every page with table rows repeats the header above them (a last page may hold only the totals).
        if (index < count - 1) expect(rows.length, `${design} page ${index + 1}`).toBeGreaterThan(0);
        if (rows.length > 0) {
          const headers = pageTexts.filter((op) => op.text === 'Beskrivelse');
          expect(headers, `${design} page ${index + 1}`).toHaveLength(1);
          for (const row of rows) expect(row.y).toBeGreaterThan(headers[0]!.y);
        }
        if (index > 0) expect(pageTexts.some((op) => op.text === 'Faktura 12 (forts.)')).toBe(true);
      });
      expect(seen).toEqual(lines.map((line) => line.description));
      // Totals after the last row (same page below it, or a later page); the payment box on the last page.
      const where = (text: string) => {
        const page = drawing.pages.findIndex((candidate) => texts(candidate).some((op) => op.text === text));
        return { page, y: texts(drawing.pages[page]!).find((op) => op.text === text)!.y };
      };
      const lastRow = where('Linje 150');
      const payable = where('Å betale');
      expect(payable.page > lastRow.page || (payable.page === lastRow.page && payable.y > lastRow.y), design).toBe(true);
      expect(where('Betalingsinformasjon').page).toBe(count - 1);
    }
  });

  it('a description taller than a page is split over pages instead of overflowing', () => {
    const long = Array.from({ length: 400 }, (_, index) => `ord${index}`).join(' ');
    const drawing = layout(spec({ lines: [{ description: long, quantity: '1', unitPrice: '10' }] }));
    expect(drawing.pages.length).toBeGreaterThan(1);
    const words = drawing.pages.flatMap((page) => texts(page).filter((op) => op.text.startsWith('ord')).flatMap((op) => op.text.split(' ')));
    expect(words).toEqual(long.split(' '));
  });

  it('test mode and drafts carry their marks on every page', () => {
    const lines = Array.from({ length: 90 }, (_, index) => ({ description: `Linje ${index + 1}`, quantity: '1', unitPrice: '10' }));
    const drawing = layout(spec({ lines, isTest: true, status: 'draft', number: null, documentNumber: null }));
    expect(drawing.pages.length).toBeGreaterThan(1);
    for (const page of drawing.pages) {
      const pageTexts = texts(page).map((op) => op.text);
      expect(pageTexts).toContain('TEST');
      expect(pageTexts).toContain('UTKAST');
    }
  });
});
