import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { invoiceRowToDocument } from '../db/invoice-mappers.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findDocumentFile, findProductNumbers, insertDocumentFileIfAbsent } from '../db/repositories/document.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import { findInvoice, listInvoiceLines, listVatTotals } from '../db/repositories/invoice.repository.js';
import type { CompanyRow, DocumentFileKind, InvoiceRow } from '../db/schema.js';
import { renderDesign } from '../domain/document/designs.js';
import type { DrawnDocument, TextMeasurer } from '../domain/document/drawing.js';
import { buildInvoiceViewModel } from '../domain/document/invoice-view-model.js';
import { sampleInvoiceDocument } from '../domain/document/sample-invoice.js';
import { AppError } from '../domain/errors.js';
import type { InvoiceDocument } from '../domain/invoice/invoice.js';
import type { Language } from '../domain/party.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { DocumentPreviewInput } from './document-template.schemas.js';
import { loadTemplateForRendering, type TemplateForRendering, templateSettingsFromInput } from './document-template.service.js';
import { sellerSnapshotOf } from './invoice-settings.js';
import type { Clock, IdGenerator } from './ports.js';

/** Draws a laid-out document as PDF bytes (src/adapters/pdf implements it with pdfkit). */
export interface DocumentRenderer {
  /** Metrics of the same fonts the renderer embeds, for the pure layout. */
  measurer: TextMeasurer;
  render(
    drawing: DrawnDocument,
    options: {
      creationDate: Date;
      documentKey: string;
      images?: Readonly<Record<string, Uint8Array>>;
      /** PDF/A-3b with these files embedded as associated files. */
      pdfA?: { attachments: ReadonlyArray<ArchiveAttachment> };
    },
  ): Promise<Buffer>;
}

/** A file embedded in the PDF/A-3 archive copy (e.g. the EHF XML). */
export interface ArchiveAttachment {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
  relationship: 'Source' | 'Data' | 'Alternative' | 'Supplement' | 'Unspecified';
  description?: string;
}

export interface RenderedPdf {
  bytes: Buffer;
  filename: string;
  sha256: string;
  /** True for an issued document (the stored copy); false for a draft or a preview, rendered live. */
  archived: boolean;
}

const LOGO_REF = 'logo';

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `Faktura-1001.pdf`, `Kreditnota-KN-4.pdf`, `Invoice-TEST-3.pdf`; ASCII only, safe in a header. */
export function pdfFilename(doc: Pick<InvoiceDocument, 'kind' | 'documentNumber'>, language: Language): string {
  const word =
    doc.kind === 'credit_note' ? (language === 'nb' ? 'Kreditnota' : 'Credit-note') : language === 'nb' ? 'Faktura' : 'Invoice';
  const number = doc.documentNumber ? doc.documentNumber.replace(/[^0-9A-Za-z-]/g, '') : language === 'nb' ? 'utkast' : 'draft';
  return `${word}-${number}.pdf`;
}

/** `Faktura-1001-arkiv.pdf`, `Credit-note-KN-4-archive.pdf`: the PDF/A-3 archive copy. */
export function archivePdfFilename(doc: Pick<InvoiceDocument, 'kind' | 'documentNumber'>, language: Language): string {
  return pdfFilename(doc, language).replace(/\.pdf$/, language === 'nb' ? '-arkiv.pdf' : '-archive.pdf');
}

export function createDocumentPdfService(deps: { db: Db; clock: Clock; ids: IdGenerator; renderer: DocumentRenderer }) {
  const { db, clock, ids, renderer } = deps;

  async function requireCompany(executor: Executor, ctx: CompanyContext): Promise<CompanyRow> {
    const company = await findCompanyById(executor, ctx.companyId);
    if (!company) throw new AppError('company.not_found', 'Company not found');
    return company;
  }

  async function findRow(ctx: CompanyContext, id: string, kind: 'invoice' | 'credit_note' | undefined): Promise<InvoiceRow> {
    const row = await findInvoice(db.kysely, ctx.companyId, id);
    if (!row || (kind && row.kind !== kind)) throw new AppError('invoice.not_found', 'Invoice not found');
    return row;
  }

  async function loadDocument(ctx: CompanyContext, row: InvoiceRow) {
    const company = await requireCompany(db.kysely, ctx);
    const [lines, vatTotals] = await Promise.all([listInvoiceLines(db.kysely, [row.id]), listVatTotals(db.kysely, [row.id])]);
    // Credit notes issued later are not part of the invoice's printed content.
    const doc = invoiceRowToDocument(row, { lines, vatTotals, creditNotes: [], now: clock.now(), timeZone: company.time_zone });
    return { doc, company };
  }

  async function render(
    doc: InvoiceDocument,
    company: CompanyRow,
    template: TemplateForRendering,
    language: Language,
    options: {
      creationDate: Date;
      documentKey: string;
      productNumbers?: ReadonlyMap<string, string>;
      pdfA?: { attachments: ReadonlyArray<ArchiveAttachment> };
    },
  ): Promise<Buffer> {
    const viewModel = buildInvoiceViewModel({
      document: doc,
      // Issued documents print the seller frozen at issue; a draft prints the company as it is now.
      seller: doc.seller ?? sellerSnapshotOf(company),
      template: template.settings,
      language,
      logo: template.logo ? { ref: LOGO_REF, width: template.logo.width, height: template.logo.height } : null,
      ...(options.productNumbers ? { productNumbers: options.productNumbers } : {}),
    });
    const drawing = renderDesign(viewModel, renderer.measurer);
    return renderer.render(drawing, {
      creationDate: options.creationDate,
      documentKey: options.documentKey,
      images: template.logo ? { [LOGO_REF]: template.logo.bytes } : {},
      ...(options.pdfA ? { pdfA: options.pdfA } : {}),
    });
  }

  /**
   * Stores a rendering of an issued document unless one of this kind exists, and answers with
   * the stored one: whoever inserted first decided the archived bytes.
   */
  async function archive(
    ctx: CompanyContext,
    doc: InvoiceDocument,
    kind: Extract<DocumentFileKind, 'pdf' | 'archive_pdf'>,
    bytes: Buffer,
    sha256: string,
  ): Promise<Omit<RenderedPdf, 'filename'>> {
    await db.kysely.transaction().execute(async (trx) => {
      const inserted = await insertDocumentFileIfAbsent(trx, {
        id: ids.newId(),
        company_id: ctx.companyId,
        invoice_id: doc.id,
        kind,
        bytes,
        byte_size: bytes.length,
        sha256,
        created_at: clock.now().toISOString(),
      });
      if (inserted) {
        await recordCompanyAudit(trx, deps, ctx, {
          action: kind === 'pdf' ? 'document.pdf_archived' : 'document.archive_pdf_archived',
          entityType: 'invoice',
          entityId: doc.id,
          details: { documentNumber: doc.documentNumber, sha256, byteSize: bytes.length },
        });
      }
    });
    const archived = await findDocumentFile(db.kysely, ctx.companyId, doc.id, kind);
    if (!archived) throw new Error(`document_files row (${kind}) for ${doc.id} vanished`);
    return { bytes: Buffer.from(archived.bytes), sha256: archived.sha256, archived: true };
  }

  async function productNumbersFor(ctx: CompanyContext, doc: InvoiceDocument, template: TemplateForRendering) {
    if (!template.settings.showFields.productNumbers) return undefined;
    const productIds = doc.lines.map((line) => line.productId).filter((id): id is string => Boolean(id));
    return findProductNumbers(db.kysely, ctx.companyId, productIds);
  }

  return {
    /**
     * The PDF of an invoice or credit note. An issued document is rendered once, at
     * its first request, and archived: every later request (and the e-mail that
     * sends it) gets exactly those bytes, even after the template changes. Two first
     * requests at once both render, but the unique (invoice_id, kind) key keeps one
     * file and both answer with it. A draft is rendered live with the UTKAST mark
     * and never stored.
     */
    async getDocumentPdf(
      ctx: CompanyContext,
      invoiceId: string,
      options: { kind?: 'invoice' | 'credit_note' } = {},
    ): Promise<RenderedPdf> {
      const row = await findRow(ctx, invoiceId, options.kind);
      const language = row.buyer_language as Language;
      const filename = pdfFilename({ kind: row.kind, documentNumber: row.document_number }, language);
      if (row.state === 'issued') {
        const stored = await findDocumentFile(db.kysely, ctx.companyId, row.id, 'pdf');
        if (stored) return { bytes: Buffer.from(stored.bytes), filename, sha256: stored.sha256, archived: true };
      }
      const { doc, company } = await loadDocument(ctx, row);
      const template = await loadTemplateForRendering(db.kysely, ctx.companyId);
      const productNumbers = await productNumbersFor(ctx, doc, template);
      const bytes = await render(doc, company, template, language, {
        creationDate: new Date(doc.issuedAt ?? doc.updatedAt),
        documentKey: doc.status === 'draft' ? `${doc.id}:${doc.updatedAt}` : doc.id,
        ...(productNumbers ? { productNumbers } : {}),
      });
      const sha256 = sha256Of(bytes);
      if (doc.status === 'draft') return { bytes, filename, sha256, archived: false };

      return { ...(await archive(ctx, doc, 'pdf', bytes, sha256)), filename };
    },

    /**
     * The PDF/A-3b archive copy of an issued invoice or credit note: the same printed document,
     * rendered as PDF/A-3 with `attachments` (the EHF XML) embedded as associated files, so
     * one file serves a human and a machine. Archived like the PDF (kind `archive_pdf`) at
     * the first request and served byte-identical after.
     */
    async getArchivePdf(
      ctx: CompanyContext,
      invoiceId: string,
      options: { kind?: 'invoice' | 'credit_note'; attachments: () => Promise<ReadonlyArray<ArchiveAttachment>> },
    ): Promise<RenderedPdf> {
      const row = await findRow(ctx, invoiceId, options.kind);
      if (row.state !== 'issued') throw new AppError('invoice.not_issued', 'Only an issued invoice or credit note has an archive copy');
      const language = row.buyer_language as Language;
      const filename = archivePdfFilename({ kind: row.kind, documentNumber: row.document_number }, language);
      const stored = await findDocumentFile(db.kysely, ctx.companyId, row.id, 'archive_pdf');
      if (stored) return { bytes: Buffer.from(stored.bytes), filename, sha256: stored.sha256, archived: true };
      const attachments = await options.attachments();
      const { doc, company } = await loadDocument(ctx, row);
      const template = await loadTemplateForRendering(db.kysely, ctx.companyId);
      const productNumbers = await productNumbersFor(ctx, doc, template);
      const bytes = await render(doc, company, template, language, {
        creationDate: new Date(doc.issuedAt ?? doc.updatedAt),
        documentKey: `${doc.id}:archive`,
        ...(productNumbers ? { productNumbers } : {}),
        pdfA: { attachments },
      });
      return { ...(await archive(ctx, doc, 'archive_pdf', bytes, sha256Of(bytes))), filename };
    },

    /** The built-in sample invoice with unsaved settings (and the saved logo): what the template editor shows. */
    async previewPdf(ctx: CompanyContext, input: DocumentPreviewInput): Promise<RenderedPdf> {
      const company = await requireCompany(db.kysely, ctx);
      const saved = await loadTemplateForRendering(db.kysely, ctx.companyId);
      const template: TemplateForRendering = {
        settings: input.settings ? templateSettingsFromInput(input.settings) : saved.settings,
        logo: saved.logo,
      };
      const language = input.language ?? (company.default_language as Language);
      const sample = sampleInvoiceDocument(sellerSnapshotOf(company), language);
      const bytes = await render(sample, company, template, language, {
        creationDate: new Date(sample.issuedAt!),
        documentKey: `preview:${ctx.companyId}`,
      });
      return {
        bytes,
        filename: language === 'nb' ? 'Eksempelfaktura.pdf' : 'Sample-invoice.pdf',
        sha256: sha256Of(bytes),
        archived: false,
      };
    },
  };
}

export type DocumentPdfService = ReturnType<typeof createDocumentPdfService>;
