import type { DocumentDesign, DocumentFont, OptionalField } from '../../../src/domain/document/template-settings.js';
import { http, requestRaw } from './client';
import type { Language } from './types';

export type { DocumentDesign, DocumentFont, OptionalField };

/** The company's document template as the API returns it (GET/PUT /document-template). */
export interface DocumentTemplate {
  design: DocumentDesign;
  accentColor: string;
  font: DocumentFont;
  headerText: string | null;
  footerText: string | null;
  paymentText: string | null;
  showFields: Record<OptionalField, boolean>;
  logo: { contentType: string; width: number; height: number; sha256: string; byteSize: number } | null;
  version: number;
  updatedAt: string | null;
}

export type DocumentTemplateSettings = Pick<
  DocumentTemplate,
  'design' | 'accentColor' | 'font' | 'headerText' | 'footerText' | 'paymentText' | 'showFields'
>;

export const documentTemplateApi = {
  get: () => http.get<DocumentTemplate>('/document-template'),
  save: (settings: DocumentTemplateSettings) => http.put<DocumentTemplate>('/document-template', settings),
  /** The file's own bytes as the body; the server recognises PNG and JPEG by content. */
  async uploadLogo(file: Blob): Promise<DocumentTemplate> {
    const response = await requestRaw('PUT', '/document-template/logo', { body: file, contentType: file.type || 'application/octet-stream' });
    return (await response.json()) as DocumentTemplate;
  },
  deleteLogo: () => http.delete<DocumentTemplate>('/document-template/logo'),
  /** The sample invoice rendered with unsaved settings: the real PDF bytes. */
  async preview(settings: DocumentTemplateSettings, language: Language, signal?: AbortSignal): Promise<ArrayBuffer> {
    const response = await requestRaw('POST', '/document-template/preview', { json: { settings, language }, ...(signal ? { signal } : {}) });
    return response.arrayBuffer();
  },
};

/** Where an invoice's or credit note's PDF is served (cookie-authenticated GET, so a plain link works). */
export function documentPdfUrl(id: string): string {
  return `/api/v1/invoices/${encodeURIComponent(id)}/pdf`;
}
