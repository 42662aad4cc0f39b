import { z } from 'zod';
import { ROLES } from '../domain/roles.js';

/** Response shapes (OpenAPI components). Inputs live in src/app/*.schemas.ts. */

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable machine-readable error code, e.g. customer.not_found' }),
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string(), in: z.string().optional() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const addressOutSchema = z
  .object({
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    countryCode: z.string(),
  })
  .meta({ id: 'Address' });

const languageOut = z.enum(['nb', 'en']);
const roleOut = z.enum(ROLES);

export const companyOutSchema = z
  .object({
    id: z.string(),
    legalName: z.string(),
    orgNumber: z.string(),
    isVatRegistered: z.boolean(),
    isInForetaksregisteret: z.boolean(),
    address: addressOutSchema,
    bankAccount: z.string().nullable(),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    paymentTermsDays: z.number().int(),
    timeZone: z.string(),
    defaultLanguage: languageOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Company' });

export const companySummarySchema = z
  .object({ id: z.string(), legalName: z.string(), orgNumber: z.string(), role: roleOut })
  .meta({ id: 'CompanySummary' });

export const userOutSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), language: languageOut })
  .meta({ id: 'User' });

export const memberOutSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: roleOut, createdAt: z.string() })
  .meta({ id: 'Member' });

export const sessionOutSchema = z
  .object({
    user: userOutSchema,
    companies: z.array(companySummarySchema),
    currentCompanyId: z.string().nullable(),
    role: roleOut.nullable(),
    csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on every cookie-authenticated write' }),
  })
  .meta({ id: 'Session' });

export const apiKeyOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleOut,
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const customerOutSchema = z
  .object({
    id: z.string(),
    customerNumber: z.number().int(),
    kind: z.enum(['business', 'person']),
    name: z.string(),
    orgNumber: z.string().nullable(),
    contactName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: addressOutSchema,
    deliveryAddress: addressOutSchema.nullable(),
    language: languageOut,
    paymentTermsDays: z.number().int().nullable(),
    peppolId: z.string().nullable(),
    deliveryChannel: z.enum(['email', 'ehf']).nullable().meta({ description: 'null: automatic (EHF with a PEPPOL id, else e-mail)' }),
    notes: z.string().nullable(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

export const productOutSchema = z
  .object({
    id: z.string(),
    productNumber: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    unitCode: z.string(),
    unitPrice: z.string().meta({ description: 'Exact decimal string, excluding VAT' }),
    vatCode: z.string(),
    revenueAccount: z.string().nullable(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });

export const auditEventOutSchema = z
  .object({
    id: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ipAddress: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const idParamSchema = z.strictObject({
  id: z.string().min(1).max(64).regex(/^[0-9a-zA-Z-]+$/),
});

/** Standard error responses every guarded route can return, for the OpenAPI document. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
} as const;

const invoiceLineOutSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    productId: z.string().nullable(),
    description: z.string().nullable(),
    quantity: z.string(),
    unitCode: z.string(),
    unitPrice: z.string().nullable(),
    discountPercent: z.string(),
    vatCode: z.string(),
    vatCategory: z.string(),
    vatRatePercent: z.string(),
    revenueAccount: z.string().nullable(),
    netMinor: z.number().int(),
    creditedLineId: z.string().nullable(),
  })
  .meta({ id: 'InvoiceLine' });

const allowanceChargeOutSchema = z
  .object({
    id: z.string(),
    position: z.number().int(),
    type: z.enum(['allowance', 'charge']),
    reason: z.string().nullable(),
    reasonCode: z.string().nullable().meta({ description: 'UNCL 5189 (allowance) or UNCL 7161 (charge)' }),
    amountMinor: z.number().int().meta({ description: 'Amount in øre (BT-92 / BT-99); positive on every issued document (a draft may show a percentage of a negative base as negative)' }),
    percent: z.string().nullable().meta({ description: 'Set when given as a percentage of baseMinor (BT-94 / BT-101)' }),
    baseMinor: z.number().int().nullable(),
    vatCode: z.string(),
    vatCategory: z.string(),
    vatRatePercent: z.string(),
    revenueAccount: z.string().nullable(),
    netMinor: z.number().int().meta({ description: 'Signed effect on the taxable amount: negative for an allowance' }),
    creditedLineId: z.string().nullable(),
  })
  .meta({ id: 'AllowanceCharge' });

const sellerOutSchema = z.object({
  legalName: z.string(),
  orgNumber: z.string(),
  isVatRegistered: z.boolean(),
  isInForetaksregisteret: z.boolean(),
  address: addressOutSchema,
  bankAccount: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
});

export const invoiceOutSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['invoice', 'credit_note']),
    status: z.enum(['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited']),
    isTest: z.boolean(),
    number: z.number().int().nullable(),
    documentNumber: z.string().nullable().meta({ description: 'The printed number, e.g. 1001, KN-12 or TEST-3' }),
    customerId: z.string(),
    customerNumber: z.number().int(),
    buyer: z.object({
      name: z.string(),
      kind: z.enum(['business', 'person']),
      orgNumber: z.string().nullable(),
      email: z.string().nullable(),
      address: addressOutSchema,
      peppolId: z.string().nullable(),
      language: languageOut,
    }),
    seller: sellerOutSchema.nullable().meta({ description: 'Frozen at issue; null for drafts' }),
    issueDate: z.string().nullable(),
    deliveryDate: z.string().nullable(),
    deliveryPeriod: z.object({ start: z.string(), end: z.string() }).nullable(),
    deliveryAddress: addressOutSchema.nullable(),
    dueDate: z.string().nullable(),
    paymentTermsDays: z.number().int().nullable(),
    buyerReference: z.string().nullable(),
    orderReference: z.string().nullable(),
    ourReference: z.string().nullable(),
    freeText: z.string().nullable(),
    currency: z.string(),
    exchangeRate: z.string().nullable(),
    kid: z.string().nullable(),
    lines: z.array(invoiceLineOutSchema),
    allowanceCharges: z.array(allowanceChargeOutSchema).meta({ description: 'Document-level allowances and charges (EN 16931 BG-20/BG-21)' }),
    vatBreakdown: z.array(
      z.object({
        vatCode: z.string(),
        category: z.string(),
        ratePercent: z.string(),
        taxableMinor: z.number().int(),
        vatMinor: z.number().int(),
        taxableNokMinor: z.number().int(),
        vatNokMinor: z.number().int(),
      }),
    ),
    totals: z.object({
      lineTotalMinor: z.number().int().meta({ description: 'Sum of the item lines (BT-106)' }),
      allowanceTotalMinor: z.number().int().meta({ description: 'Sum of document-level allowances, positive (BT-107)' }),
      chargeTotalMinor: z.number().int().meta({ description: 'Sum of document-level charges (BT-108)' }),
      netMinor: z.number().int().meta({ description: 'lineTotal − allowances + charges (BT-109)' }),
      vatMinor: z.number().int(),
      grossMinor: z.number().int(),
      payableMinor: z.number().int(),
      netNokMinor: z.number().int(),
      vatNokMinor: z.number().int(),
      grossNokMinor: z.number().int(),
    }),
    paidMinor: z.number().int(),
    creditedMinor: z.number().int(),
    openMinor: z.number().int(),
    isOverdue: z.boolean(),
    creditedInvoice: z
      .object({ id: z.string(), documentNumber: z.string().nullable(), issueDate: z.string().nullable() })
      .nullable(),
    creditReason: z.string().nullable(),
    creditNotes: z.array(
      z.object({ id: z.string(), documentNumber: z.string().nullable(), issueDate: z.string().nullable(), grossMinor: z.number().int() }),
    ),
    journalEntryId: z.string().nullable(),
    issuedAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Invoice', description: 'An invoice or credit note; money in integer øre of `currency`, NOK figures in øre' });

export const invoicePageSchema = z.object({
  items: z.array(invoiceOutSchema),
  nextCursor: z.string().nullable(),
  totals: z.object({
    count: z.number().int(),
    grossMinorByCurrency: z.record(z.string(), z.number().int()),
    openMinorByCurrency: z.record(z.string(), z.number().int()),
  }),
});

export const journalEntryOutSchema = z
  .object({
    id: z.string(),
    voucher: z.string(),
    entryDate: z.string(),
    description: z.string(),
    sourceType: z.string(),
    sourceId: z.string(),
    isTest: z.boolean(),
    lines: z.array(
      z.object({
        lineNumber: z.number().int(),
        account: z.string(),
        debitMinor: z.number().int(),
        creditMinor: z.number().int(),
        vatCode: z.string().nullable(),
        customerId: z.string().nullable(),
        description: z.string(),
      }),
    ),
    currency: z.literal('NOK'),
    createdAt: z.string(),
  })
  .meta({ id: 'JournalEntry' });

export const invoiceSettingsOutSchema = z
  .object({
    isTestMode: z.boolean(),
    kid: z.object({
      method: z.enum(['mod10', 'mod11']),
      composition: z.enum(['invoice_number', 'customer_and_invoice']),
      customerDigits: z.number().int(),
      invoiceDigits: z.number().int(),
    }),
    creditNoteSeries: z.enum(['invoice', 'separate']),
    accounts: z.object({
      receivable: z.string(),
      outputVat: z.record(z.string(), z.string()),
      revenueByVatCode: z.record(z.string(), z.string()),
    }),
    hasLiveDocuments: z.boolean(),
    nextLiveInvoiceNumber: z.number().int(),
  })
  .meta({ id: 'InvoiceSettings' });

const emailTemplateOutSchema = z.object({ subject: z.string(), body: z.string() });

export const emailSettingsOutSchema = z
  .object({
    isConfigured: z.boolean(),
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    security: z.enum(['tls', 'starttls', 'none']).nullable(),
    username: z.string().nullable(),
    hasPassword: z.boolean().meta({ description: 'Whether a password is stored; the password itself is never returned' }),
    fromAddress: z.string().nullable(),
    fromName: z.string().nullable(),
    replyTo: z.string().nullable(),
    templates: z.object({ nb: emailTemplateOutSchema, en: emailTemplateOutSchema }).meta({
      description: 'The templates in use (the defaults until saved); the buyer\'s language picks one',
    }),
    defaultTemplates: z.object({ nb: emailTemplateOutSchema, en: emailTemplateOutSchema }),
    placeholders: z.array(z.string()).meta({ description: 'Names usable as {name} in subject and body' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'EmailSettings' });

export const emailTestOutSchema = z.object({ recipient: z.string(), messageId: z.string(), response: z.string() });

export const deliveryOutSchema = z
  .object({
    id: z.string(),
    invoiceId: z.string(),
    channel: z.string().meta({ description: '`email` or `ehf`' }),
    sequence: z.number().int().meta({ description: '1 for the first send; each resend adds one' }),
    deliveryKey: z.string().meta({ description: 'Unique `{invoiceId}:{channel}:{sequence}`; never delivered twice' }),
    recipient: z.string(),
    status: z.enum(['queued', 'sending', 'sent', 'failed', 'dead']),
    attempts: z.number().int(),
    maxAttempts: z.number().int().nullable(),
    nextAttemptAt: z.string().nullable().meta({ description: 'When a failed delivery is tried again' }),
    messageId: z.string().nullable(),
    lastError: z.string().nullable(),
    requestedBy: z.string(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Delivery' });

export const documentTemplateOutSchema = z
  .object({
    design: z.enum(['classic', 'modern', 'compact']),
    accentColor: z.string().meta({ description: '#rrggbb' }),
    font: z.enum(['sans', 'serif', 'condensed']),
    headerText: z.string().nullable(),
    footerText: z.string().nullable(),
    paymentText: z.string().nullable(),
    showFields: z.object({
      ourReference: z.boolean(),
      buyerReference: z.boolean(),
      orderReference: z.boolean(),
      deliveryAddress: z.boolean(),
      customerNumber: z.boolean(),
      sellerContact: z.boolean(),
      productNumbers: z.boolean(),
    }),
    logo: z
      .object({ contentType: z.string(), width: z.number().int(), height: z.number().int(), sha256: z.string(), byteSize: z.number().int() })
      .nullable(),
    version: z.number().int().meta({ description: 'Grows with every change; 0 while the defaults are in use' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'DocumentTemplate' });

/** A binary PDF response for the OpenAPI document (the body is sent as bytes). */
export const ehfSettingsOutSchema = z
  .object({
    isConfigured: z.boolean().meta({ description: 'An access point is set up, so documents can be sent as EHF' }),
    attachPdf: z.boolean().meta({ description: "Whether the EHF embeds the document's PDF" }),
    accessPointKind: z.enum(['none', 'http', 'folder']),
    accessPointUrl: z.string().nullable(),
    hasToken: z.boolean().meta({ description: 'Whether a token is stored; the token itself is never returned' }),
    folderPath: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'EhfSettings' });

export const pdfResponse = {
  description: 'The PDF (A4)',
  content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
} as const;

export const bulkItemOutSchema = z
  .object({
    position: z.number().int().meta({ description: '0-based place in the request; items are worked on in this order' }),
    invoiceId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    documentNumber: z.string().nullable(),
    isIssued: z.boolean().meta({ description: 'The document is issued (an issue-and-send item may fail at sending after its issue)' }),
    errorCode: z.string().nullable().meta({ description: 'e.g. `invoice.incomplete`, `delivery.no_recipient`, `email.not_configured`' }),
    errorMessage: z.string().nullable(),
    missing: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
      .nullable()
      .meta({ description: 'For `invoice.incomplete`: every missing item of the legal check' }),
    deliveryId: z.string().nullable(),
    deliveryStatus: z.string().nullable().meta({ description: 'The e-mail delivery\'s status now (queued, sending, sent, failed, dead)' }),
    fileName: z.string().nullable().meta({ description: 'pdf_zip: the PDF\'s file name' }),
    byteSize: z.number().int().nullable(),
  })
  .meta({ id: 'BulkItem' });

export const bulkOperationOutSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['issue_and_send', 'pdf_zip']),
    status: z.enum(['queued', 'running', 'completed', 'completed_with_errors', 'failed']),
    total: z.number().int(),
    done: z.number().int().meta({ description: 'Items finished, with or without an error (progress = done / total)' }),
    succeeded: z.number().int(),
    failed: z.number().int(),
    error: z.string().nullable().meta({ description: 'Why a `failed` operation stopped' }),
    createdBy: z.string(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    updatedAt: z.string(),
    items: z.array(bulkItemOutSchema).optional().meta({ description: 'Every item; present when one operation is read' }),
  })
  .meta({ id: 'BulkOperation' });

/** A streamed ZIP response for the OpenAPI document. */
export const zipResponse = {
  description: 'The ZIP of the archived PDFs',
  content: { 'application/zip': { schema: z.string().meta({ format: 'binary' }) } },
} as const;
