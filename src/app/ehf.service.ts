import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { findDocumentFile, insertDocumentFileIfAbsent } from '../db/repositories/document.repository.js';
import { findEhfSettings } from '../db/repositories/ehf-settings.repository.js';
import { ehfFileName, findEhfProblems, toEhfXml, type EhfAttachment } from '../domain/ehf/ehf-document.js';
import { AppError } from '../domain/errors.js';
import type { InvoiceDocument } from '../domain/invoice/invoice.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { isAttachPdf } from './ehf-settings.service.js';
import type { InvoiceService } from './invoice.service.js';
import type { Clock, IdGenerator } from './ports.js';

/** The archived PDF of an issued document (src/app/document-pdf.service.ts provides it). */
export interface DocumentPdfSource {
  getDocumentPdf(
    ctx: CompanyContext,
    invoiceId: string,
    options?: { kind?: 'invoice' | 'credit_note' },
  ): Promise<{ bytes: Uint8Array; filename: string }>;
}

export interface EhfServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  invoices: Pick<InvoiceService, 'getInvoice'>;
  /**
   * Where the document's PDF comes from, embedded in the EHF (BG-24, "additional supporting
   * document") unless the company switched it off (`ehf_settings.attach_pdf`): the same
   * archived bytes that GET …/pdf serves and e-mail attaches. Without it no PDF is embedded.
   */
  pdfs?: DocumentPdfSource;
}

export interface EhfExport {
  xml: string;
  fileName: string;
  sha256: string;
  document: InvoiceDocument;
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * EHF (Peppol BIS Billing 3.0) for issued invoices and credit notes. The XML is a pure
 * function of the issued document (src/domain/ehf/), built from the same stored figures as
 * the PDF and the journal entry. It is archived like the PDF: made once, at the first
 * request (or delivery), stored in `document_files` (kind `ehf`), and served byte-identical
 * from then on — what an access point received, what GET …/ehf answers and what the PDF/A-3
 * archive copy embeds are the same bytes, even if the company later switches the embedded
 * PDF off or on.
 */
export function createEhfService(deps: EhfServiceDeps) {
  const { db, clock, ids, pdfs } = deps;

  /** The issued document, or the problem that keeps it from being an EHF. */
  async function loadExportable(ctx: CompanyContext, id: string, kind: 'invoice' | 'credit_note' | undefined): Promise<InvoiceDocument> {
    const document = await deps.invoices.getInvoice(ctx, id, kind);
    if (document.status === 'draft') {
      throw new AppError('invoice.not_issued', 'Only an issued invoice or credit note has an EHF');
    }
    const problems = findEhfProblems(document);
    if (problems.length > 0) {
      throw new AppError('ehf.not_representable', 'This document cannot be expressed as a valid EHF (Peppol BIS Billing 3.0)', {
        issues: problems.map((problem) => ({ path: problem.path, code: problem.code, message: `${problem.message} (${problem.rule})` })),
      });
    }
    return document;
  }

  async function write(ctx: CompanyContext, document: InvoiceDocument): Promise<string> {
    let pdf: EhfAttachment | null = null;
    if (pdfs && isAttachPdf(await findEhfSettings(db.kysely, ctx.companyId))) {
      const rendered = await pdfs.getDocumentPdf(ctx, document.id, { kind: document.kind });
      pdf = { fileName: rendered.filename, base64: Buffer.from(rendered.bytes).toString('base64') };
    }
    return toEhfXml(document, { pdf });
  }

  return {
    /**
     * The EHF of an issued document, archived at the first call (`kind` narrows it to one
     * kind; another kind is not found). A draft answers invoice.not_issued; a document EHF
     * cannot express answers ehf.not_representable with every reason and the Peppol rule
     * behind it.
     */
    async exportEhf(ctx: CompanyContext, id: string, kind?: 'invoice' | 'credit_note'): Promise<EhfExport> {
      const document = await loadExportable(ctx, id, kind);
      const fileName = ehfFileName(document);
      const stored = await findDocumentFile(db.kysely, ctx.companyId, document.id, 'ehf');
      if (stored) return { xml: Buffer.from(stored.bytes).toString('utf8'), fileName, sha256: stored.sha256, document };

      const bytes = Buffer.from(await write(ctx, document), 'utf8');
      const sha256 = sha256Of(bytes);
      await db.kysely.transaction().execute(async (trx) => {
        const inserted = await insertDocumentFileIfAbsent(trx, {
          id: ids.newId(),
          company_id: ctx.companyId,
          invoice_id: document.id,
          kind: 'ehf',
          bytes,
          byte_size: bytes.length,
          sha256,
          created_at: clock.now().toISOString(),
        });
        if (inserted) {
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'document.ehf_archived',
            entityType: 'invoice',
            entityId: document.id,
            details: { documentNumber: document.documentNumber, sha256, byteSize: bytes.length },
          });
        }
      });
      // Two first requests at once both wrote an EHF; the one inserted first is the EHF.
      const archived = await findDocumentFile(db.kysely, ctx.companyId, document.id, 'ehf');
      if (!archived) throw new Error(`document_files row (ehf) for ${document.id} vanished`);
      return { xml: Buffer.from(archived.bytes).toString('utf8'), fileName, sha256: archived.sha256, document };
    },

    /** The EHF written now, not archived (benchmarks; what exportEhf stores at the first call). */
    async buildEhf(ctx: CompanyContext, id: string, kind?: 'invoice' | 'credit_note'): Promise<Omit<EhfExport, 'sha256'>> {
      const document = await loadExportable(ctx, id, kind);
      return { xml: await write(ctx, document), fileName: ehfFileName(document), document };
    },
  };
}

export type EhfService = ReturnType<typeof createEhfService>;
