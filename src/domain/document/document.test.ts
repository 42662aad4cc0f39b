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

describe('document-level allowances and charges', () => {
  const allowanceCharges: DocumentSpec['allowanceCharges'] = [
    { type: 'allowance', reason: 'Fast kunderabatt', amount: '500.00' },
    { type: 'allowance', reason: 'Kvantumsrabatt', percent: '10', vatCode: '31' },
    { type: 'charge', reason: 'Frakt', amount: '250.00', vatCode: '3' },
  ];
  const lines: DocumentSpec['lines'] = [
    { description: 'Rådgivning', quantity: '10', unitPrice: '1250', vatCode: '3' },
    { description: 'Kaffe', quantity: '8', unitPrice: '250', vatCode: '31' },
  ];

  function viewModelOf(documentSpec: DocumentSpec, language: 'nb' | 'en' = 'nb') {
    return buildInvoiceViewModel({
      document: invoiceDocumentFromSpec(documentSpec),
      seller: documentSpec.seller,
      template: DEFAULT_TEMPLATE_SETTINGS,
      language,
      logo: null,
    });
  }

  it('the totals rows: line total, each allowance/charge with reason, percentage of its base and VAT rate, then the usual rows', () => {
    const rows = (language: 'nb' | 'en') =>
      viewModelOf(spec({ lines, allowanceCharges }), language).totals.map((row) => [row.label, row.value, row.detail ?? null]);
    expect(rows('nb')).toEqual([
      ['Sum linjer', `14${NBSP}500,00`, null],
      ['Rabatt: Fast kunderabatt', `${MINUS}500,00`, `mva 25${NBSP}%`],
      ['Rabatt: Kvantumsrabatt', `${MINUS}200,00`, `10${NBSP}% av 2${NBSP}000,00 · mva 15${NBSP}%`],
      ['Tillegg: Frakt', '250,00', `mva 25${NBSP}%`],
      ['Sum eks. mva', `14${NBSP}050,00`, null],
      ['Mva', `3${NBSP}332,50`, null],
      ['Sum inkl. mva', `17${NBSP}382,50`, null],
      ['Å betale', `17${NBSP}382,50 NOK`, null],
    ]);
    expect(rows('en').slice(0, 4).map(([label, , detail]) => [label, detail])).toEqual([
      ['Line total', null],
      ['Allowance: Fast kunderabatt', `VAT 25${NBSP}%`],
      ['Allowance: Kvantumsrabatt', `10${NBSP}% of 2${NBSP}000,00 · VAT 15${NBSP}%`],
      ['Charge: Frakt', `VAT 25${NBSP}%`],
    ]);
  });

  it('without allowances the totals are exactly the usual rows; a seller outside the VAT register prints no VAT rate', () => {
    expect(viewModelOf(spec({ lines })).totals.map((row) => [row.label, row.detail])).toEqual([
      ['Sum eks. mva', undefined],
      ['Mva', undefined],
      ['Sum inkl. mva', undefined],
      ['Å betale', undefined],
    ]);
    const noVat = viewModelOf(spec({ seller: { ...seller, isVatRegistered: false }, lines, allowanceCharges }));
    expect(noVat.totals.map((row) => [row.label, row.value, row.detail ?? null])).toEqual([
      ['Sum linjer', `14${NBSP}500,00`, null],
      ['Rabatt: Fast kunderabatt', `${MINUS}500,00`, null],
      // Without VAT every line has the same code, so the base is all items.
      ['Rabatt: Kvantumsrabatt', `${MINUS}1${NBSP}450,00`, `10${NBSP}% av 14${NBSP}500,00`],
      ['Tillegg: Frakt', '250,00', null],
      ['Sum', `12${NBSP}800,00`, null],
      ['Å betale', `12${NBSP}800,00 NOK`, null],
    ]);
  });

  /** Where each label was drawn (page and baseline); with `column`, only left-aligned text within 6 pt of that x (the totals column). */
  function totalsPlacement(drawing: DrawnDocument, labels: string[], column?: number) {
    return labels.map((label) => {
      const found = drawing.pages.flatMap((page, index) =>
        texts(page)
          .filter((op) => op.text === label && (column === undefined || (op.align === 'left' && Math.abs(op.x - column) <= 6)))
          .map((op) => ({ page: index, y: op.y })),
      );
      expect(found, label).toHaveLength(1);
      return found[0]!;
    });
  }

  /** The x of the totals column: where the (unique) "Sum linjer" row starts. */
  function totalsColumn(drawing: DrawnDocument): number {
    const ops = drawing.pages.flatMap((page) => texts(page).filter((op) => op.text === 'Sum linjer'));
    expect(ops).toHaveLength(1);
    return ops[0]!.x;
  }

  /** No text of the content area runs into the footer: every baseline above the page label's. */
  function expectAboveFooter(drawing: DrawnDocument, what: string) {
    drawing.pages.forEach((page, index) => {
      const pageTexts = texts(page);
      const pageLabel = pageTexts.find((op) => /^Side \d+ av \d+$/.test(op.text))!;
      const footerTop = pageLabel.y - 6 - pageLabel.size * 0.8;
      for (const op of pageTexts) {
        if (op.y >= pageLabel.y - 1) continue; // the footer's own lines
        expect(op.y, `${what} page ${index + 1}: ${op.text}`).toBeLessThan(footerTop);
      }
    });
  }

  it('20 allowances and charges after 1 to 61 lines: the totals block stays together on one page, in order, above the footer', () => {
    const many = Array.from({ length: 20 }, (_, index) => ({
      type: index % 4 === 3 ? ('charge' as const) : ('allowance' as const),
      reason: `Post ${index + 1}`,
      ...(index % 2 === 0 ? { percent: '1' } : { amount: '10.00' }),
    }));
    for (const design of DOCUMENT_DESIGNS) {
      const pagesSeen = new Set<number>();
      for (let count = 1; count <= 61; count += 3) {
        const items = Array.from({ length: count }, (_, index) => ({ description: `Linje ${index + 1}`, quantity: '1', unitPrice: '100' }));
        const documentSpec = spec({ lines: items, allowanceCharges: many });
        const drawing = layout(documentSpec, { design });
        const vm = viewModelOf(documentSpec);
        expect(vm.totals).toHaveLength(1 + 20 + 4);
        const placed = totalsPlacement(drawing, vm.totals.map((row) => row.label), totalsColumn(drawing));
        const what = `${design} ${count} lines`;
        expect(new Set(placed.map((entry) => entry.page)).size, what).toBe(1);
        for (let index = 1; index < placed.length; index++) expect(placed[index]!.y, what).toBeGreaterThan(placed[index - 1]!.y);
        const lastLine = totalsPlacement(drawing, [`Linje ${count}`])[0]!;
        expect(placed[0]!.page > lastLine.page || placed[0]!.y > lastLine.y, what).toBe(true);
        expectAboveFooter(drawing, what);
        pagesSeen.add(drawing.pages.length);
      }
      // The sweep crosses a page break: the block moved to the next page at some line count.
      expect(pagesSeen.size, design).toBeGreaterThan(1);
    }
  });

  it('a totals block taller than a page (100 allowances) continues on the next page instead of running off it', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => ({ type: 'allowance' as const, reason: `Post ${index + 1}`, amount: '1.00' }));
    for (const design of DOCUMENT_DESIGNS) {
      const documentSpec = spec({ allowanceCharges: hundred });
      const drawing = layout(documentSpec, { design });
      const vm = viewModelOf(documentSpec);
      const placed = totalsPlacement(drawing, vm.totals.map((row) => row.label), totalsColumn(drawing));
      expect(placed.at(-1)!.page, design).toBeGreaterThan(placed[0]!.page);
      for (let index = 1; index < placed.length; index++) {
        const [before, after] = [placed[index - 1]!, placed[index]!];
        expect(after.page > before.page || (after.page === before.page && after.y > before.y), `${design} row ${index}`).toBe(true);
      }
      expectAboveFooter(drawing, design);
      expect(texts(drawing.pages.at(-1)!).some((op) => op.text === 'Betalingsinformasjon')).toBe(true);
    }
  });

  it('a long reason wraps inside the totals column and never runs into its amount', () => {
    const reason = 'Avtalt rabatt for kunder som bestiller mer enn hundre kilo kaffe i løpet av et kalenderår';
    for (const design of DOCUMENT_DESIGNS) {
      const drawing = layout(spec({ lines, allowanceCharges: [{ type: 'allowance', reason, amount: '100.00' }] }), { design });
      const ops = texts(drawing.pages[0]!);
      const value = ops.find((op) => op.text === `${MINUS}100,00`)!;
      const valueLeft = value.x - fake.widthOf(value.text, value.font, value.size);
      const pieces = ops.filter((op) => `Rabatt: ${reason}`.includes(op.text) && op.text.length > 3 && op.y >= value.y);
      expect(pieces.length, design).toBeGreaterThan(1);
      expect(pieces.map((op) => op.text).join(' ')).toBe(`Rabatt: ${reason}`);
      for (const piece of pieces) expect(piece.x + fake.widthOf(piece.text, piece.font, piece.size), design).toBeLessThan(valueLeft);
    }
  });
});
