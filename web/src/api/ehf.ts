import type { DeliveryChannel } from '../../../src/domain/delivery.js';
import { http } from './client';
import type { Delivery } from './types';

export type { DeliveryChannel };
export type AccessPointKind = 'none' | 'http' | 'folder';

/** The company's EHF settings as the API returns them (GET/PUT /ehf-settings); the token is never returned. */
export interface EhfSettings {
  isConfigured: boolean;
  attachPdf: boolean;
  accessPointKind: AccessPointKind;
  accessPointUrl: string | null;
  hasToken: boolean;
  folderPath: string | null;
  updatedAt: string | null;
}

export interface EhfSettingsInput {
  attachPdf: boolean;
  accessPointKind: AccessPointKind;
  accessPointUrl: string | null;
  /** Omitted: keep the stored token; null: remove it. */
  token?: string | null;
  folderPath: string | null;
}

export const ehfApi = {
  settings: () => http.get<EhfSettings>('/ehf-settings'),
  saveSettings: (input: EhfSettingsInput) => http.put<EhfSettings>('/ehf-settings', input),
  /** Queues a delivery through `channel`; an existing delivery comes back unchanged. */
  send: (id: string, channel: DeliveryChannel, recipient?: string) =>
    http.post<Delivery>(`/invoices/${encodeURIComponent(id)}/send`, { channel, ...(recipient ? { recipient } : {}) }),
  resend: (id: string, channel: DeliveryChannel, recipient?: string) =>
    http.post<Delivery>(`/invoices/${encodeURIComponent(id)}/resend`, { channel, ...(recipient ? { recipient } : {}) }),
};

/** The EHF XML of an issued invoice or credit note (cookie-authenticated GET, so a plain link works). */
export function ehfUrl(id: string): string {
  return `/api/v1/invoices/${encodeURIComponent(id)}/ehf`;
}

/** The PDF/A-3 archive copy with the EHF embedded. */
export function archivePdfUrl(id: string): string {
  return `/api/v1/invoices/${encodeURIComponent(id)}/archive-pdf`;
}
