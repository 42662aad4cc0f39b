import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderDesign } from '../../src/domain/document/designs.js';
import { buildInvoiceViewModel } from '../../src/domain/document/invoice-view-model.js';
import { invoiceDocumentFromSpec } from '../../src/domain/document/sample-invoice.js';
import { DEFAULT_TEMPLATE_SETTINGS } from '../../src/domain/document/template-settings.js';
import { invoiceSpec, makePng, manyLines, renderer, SELLER } from './fixtures.js';
import { A4, readPdfA } from './pdfa.js';
import { extractPdf } from './pdf-text.js';

/**
 * The renderer's PDF/A-3b mode (the archive copy): the same page content as the normal PDF
 * (the speed tricks — shared subsets, cached font programs, direct operators — still apply),
 * plus what PDF/A-3 asks for, checked structurally. veraPDF is not available here, so this
 * is not a full conformance check.
 */
describe('PDF/A-3b rendering', () => {
  const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">Kaffe &amp; kake – æøå</Invoice>\n');
  const attachment = { name: 'ehf-1042.xml', bytes: xml, mimeType: 'application/xml', relationship: 'Alternative' as const, description: 'EHF faktura 1042' };

  function drawingFor(legalName: string, lines = invoiceSpec().lines, withLogo = false) {
    const seller = { ...SELLER, legalName };
    const doc = invoiceDocumentFromSpec(invoiceSpec({ seller, lines }));
    const viewModel = buildInvoiceViewModel({
      document: doc,
      seller,
      template: DEFAULT_TEMPLATE_SETTINGS,
      language: 'nb',
      logo: withLogo ? { ref: 'logo', width: 120, height: 40 } : null,
    });
    return { doc, drawing: renderDesign(viewModel, renderer.measurer) };
  }

  it('embeds the file as an associated file, declares PDF/A-3B in well-formed XMP that mirrors the Info dictionary, and stays deterministic', async () => {
    const { doc, drawing } = drawingFor('Fjord & <Fjell> "Kaffe" AS', undefined, true);
    const options = { creationDate: new Date(doc.issuedAt!), documentKey: doc.id, images: { logo: makePng(60, 20, [200, 30, 30]) }, pdfA: { attachments: [attachment] } };
    const bytes = await renderer.render(drawing, options);
    expect(Buffer.compare(bytes, await renderer.render(drawing, options))).toBe(0);
    // The logo's transparency (an SMask) is allowed from PDF/A-2 on.
    expect(bytes.toString('latin1')).toContain('/SMask');

    const report = await readPdfA(bytes);
    expect(report.attachments).toEqual([{ name: 'ehf-1042.xml', bytes: xml }]);
    expect(report.pdfaPart).toBe('3');
    expect(report.pdfaConformance).toBe('B');
    expect(XMLValidator.validate(report.xmp)).toBe(true);
    expect(report.xmp).toContain('Fjord &#38; &#60;Fjell&#62; &#34;Kaffe&#34; AS');
    expect(report.info.Author).toBe('Fjord & <Fjell> "Kaffe" AS');
    expect(report.xmp).toContain(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${report.info.Title as string}</rdf:li>`);
    expect(report.xmp).toContain(`<xmp:CreateDate>${doc.issuedAt!.slice(0, 19)}Z</xmp:CreateDate>`);
    expect(report.info.CreationDate).toBe(`D:${doc.issuedAt!.slice(0, 19).replace(/[-T:]/g, '')}Z`);
    expect(report.xmp).toContain('<pdf:Producer>Fakturaflyt (PDFKit)</pdf:Producer>');
    expect(report.info.PDFFormatVersion).toBe('1.7');
    expect(report.raw).toMatchObject({
      header: '%PDF-1.7',
      hasOutputIntent: true,
      catalogAf: true,
      fileSpecs: 1,
      fileSpecRelationships: ['Alternative'],
      embeddedFileSubtypes: ['application#2Fxml'],
      embeddedFilesWithModDate: 1,
      hasTrailerId: true,
      isEncrypted: false,
    });
    expect(report.raw.fontDescriptors).toBeGreaterThanOrEqual(2);
    expect(report.raw.embeddedFontPrograms).toBe(report.raw.fontDescriptors);
    expect(report.pageSizes).toEqual([A4]);
  });

  it('draws exactly what the normal PDF draws, over several pages', async () => {
    const { doc, drawing } = drawingFor('Fjordkaffe Demo AS', manyLines(60));
    const normal = await renderer.render(drawing, { creationDate: new Date(doc.issuedAt!), documentKey: doc.id });
    const archive = await renderer.render(drawing, { creationDate: new Date(doc.issuedAt!), documentKey: doc.id, pdfA: { attachments: [attachment] } });
    const [normalText, archiveText] = await Promise.all([extractPdf(normal), extractPdf(archive)]);
    expect(archiveText.pages.length).toBeGreaterThan(1);
    expect(archiveText.text).toBe(normalText.text);
    expect(archiveText.text).toContain('Vare nr. 060');
    const report = await readPdfA(archive);
    expect(report.pageSizes.every(([width, height]) => width === A4[0] && height === A4[1])).toBe(true);
    // The normal PDF stays what it was: no XMP, no attachments.
    const plain = await readPdfA(normal);
    expect(plain.attachments).toEqual([]);
    expect(plain.pdfaPart).toBeNull();
    expect(plain.raw.header).toBe('%PDF-1.3');
  });
});
