import type { CompanyContext } from './context.js';
import type { DocumentPdfService, RenderedPdf } from './document-pdf.service.js';
import type { EhfService } from './ehf.service.js';

/** `ehf-1001.xml`, `ehf-KN-4.xml`: the embedded file's name inside the archive PDF. */
export function embeddedEhfName(documentNumber: string): string {
  return `ehf-${documentNumber.replace(/[^A-Za-z0-9_-]/g, '_')}.xml`;
}

/**
 * The archive copy of an issued invoice or credit note: one PDF/A-3b file that a person reads
 * (the printed document) and a machine reads (the EHF XML embedded as an associated file,
 * relationship `Alternative`, byte-identical to GET …/ehf). The EHF inside is the archived
 * EHF, which itself embeds the normal PDF (when the company attaches PDFs) — never this
 * archive copy, so nothing recurses.
 */
export function createArchivePdfService(deps: { ehf: Pick<EhfService, 'exportEhf'>; pdfs: Pick<DocumentPdfService, 'getArchivePdf'> }) {
  return {
    async getArchivePdf(ctx: CompanyContext, id: string, kind?: 'invoice' | 'credit_note'): Promise<RenderedPdf> {
      return deps.pdfs.getArchivePdf(ctx, id, {
        ...(kind ? { kind } : {}),
        attachments: async () => {
          // Refuses what EHF cannot express (422 ehf.not_representable): the archive copy is the PDF with its EHF.
          const ehf = await deps.ehf.exportEhf(ctx, id, kind);
          const number = ehf.document.documentNumber ?? ehf.document.id;
          const word = ehf.document.kind === 'credit_note' ? 'kreditnota' : 'faktura';
          return [
            {
              name: embeddedEhfName(number),
              bytes: Buffer.from(ehf.xml, 'utf8'),
              mimeType: 'application/xml',
              relationship: 'Alternative',
              description: `EHF (Peppol BIS Billing 3.0) ${word} ${number}`,
            },
          ];
        },
      });
    },
  };
}

export type ArchivePdfService = ReturnType<typeof createArchivePdfService>;
