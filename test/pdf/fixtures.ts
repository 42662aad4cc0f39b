import { createPdfkitRenderer } from '../../src/adapters/pdf/pdfkit-renderer.js';
import { renderDesign } from '../../src/domain/document/designs.js';
import { type DrawnDocument } from '../../src/domain/document/drawing.js';
import { buildInvoiceViewModel } from '../../src/domain/document/invoice-view-model.js';
import { type DocumentSpec, invoiceDocumentFromSpec } from '../../src/domain/document/sample-invoice.js';
import { DEFAULT_TEMPLATE_SETTINGS, type TemplateSettings } from '../../src/domain/document/template-settings.js';
import type { InvoiceDocument } from '../../src/domain/invoice/invoice.js';
import type { Language, SellerSnapshot } from '../../src/domain/party.js';

export const SELLER: SellerSnapshot = {
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

export const BUSINESS_BUYER: Partial<InvoiceDocument['buyer']> = {
  name: 'Nordlys Rør AS',
  kind: 'business',
  orgNumber: '923609016',
  address: { line1: 'Storgata 12', line2: 'Bygg B', postalCode: '0155', city: 'Oslo', countryCode: 'NO' },
  language: 'nb',
};

export const PRIVATE_BUYER: Partial<InvoiceDocument['buyer']> = {
  name: 'Kari Æsøy Ødegård',
  kind: 'person',
  orgNumber: null,
  address: { line1: 'Åsveien 7', line2: null, postalCode: '7030', city: 'Trondheim', countryCode: 'NO' },
  language: 'nb',
};

export function invoiceSpec(overrides: Partial<DocumentSpec> = {}): DocumentSpec {
  return {
    seller: SELLER,
    number: 1042,
    customerNumber: 77,
    kid: '0000770000010425',
    issueDate: '2026-11-20',
    deliveryDate: '2026-11-18',
    dueDate: '2026-12-04',
    buyer: BUSINESS_BUYER,
    lines: [
      { description: 'Rådgivning, november', quantity: '12.5', unitCode: 'HUR', unitPrice: '1250.00' },
      { description: 'Programvarelisens, årlig', quantity: '3', unitCode: 'C62', unitPrice: '4990.00', discountPercent: '10' },
      { description: 'Kaffebønner økologisk', quantity: '4', unitCode: 'KGM', unitPrice: '289.50', vatCode: '31' },
      { description: 'Persontransport Bergen–Voss', quantity: '1', unitCode: 'LS', unitPrice: '1749.00', vatCode: '33' },
    ],
    ...overrides,
  };
}

/** `count` lines with distinct descriptions `Vare nr. 001` … and distinct amounts. */
export function manyLines(count: number): DocumentSpec['lines'] {
  return Array.from({ length: count }, (_, index) => ({
    description: `Vare nr. ${String(index + 1).padStart(3, '0')} – ${index % 7 === 0 ? 'en lengre beskrivelse som går over flere linjer i beskrivelseskolonnen for å prøve linjebryting' : 'standard'}`,
    quantity: String(1 + (index % 5)),
    unitCode: 'C62',
    unitPrice: `${100 + index}.50`,
  }));
}

export const renderer = createPdfkitRenderer();

export interface Rendered {
  doc: InvoiceDocument;
  drawing: DrawnDocument;
  bytes: Buffer;
}

/** Renders a document with the real fonts and pdfkit. */
export async function renderInvoice(
  spec: DocumentSpec,
  options: { template?: Partial<TemplateSettings>; language?: Language; logo?: { bytes: Uint8Array; width: number; height: number } } = {},
): Promise<Rendered> {
  return renderDocument(invoiceDocumentFromSpec(spec), spec.seller, options);
}

/** Renders an existing document (e.g. one made by the services) as the document PDF service does. */
export async function renderDocument(
  doc: InvoiceDocument,
  seller: SellerSnapshot,
  options: { template?: Partial<TemplateSettings>; language?: Language; logo?: { bytes: Uint8Array; width: number; height: number } } = {},
): Promise<Rendered> {
  const template: TemplateSettings = { ...DEFAULT_TEMPLATE_SETTINGS, ...options.template };
  const viewModel = buildInvoiceViewModel({
    document: doc,
    seller,
    template,
    language: options.language ?? doc.buyer.language,
    logo: options.logo ? { ref: 'logo', width: options.logo.width, height: options.logo.height } : null,
  });
  const drawing = renderDesign(viewModel, renderer.measurer);
  const bytes = await renderer.render(drawing, {
    creationDate: new Date(doc.issuedAt ?? '2026-01-01T00:00:00Z'),
    documentKey: doc.id,
    images: options.logo ? { logo: options.logo.bytes } : {},
  });
  return { doc, drawing, bytes };
}

export { jpegHeader, makePng } from './png.js';
