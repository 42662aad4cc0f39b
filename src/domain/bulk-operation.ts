import type { FieldIssue } from './errors.js';

/**
 * A bulk operation is background work over many documents at once, with progress:
 * `issue_and_send` issues drafts and queues each one's e-mail delivery; `pdf_zip` makes
 * sure every document's PDF is archived, after which the archive is downloadable as one ZIP.
 */
export const BULK_KINDS = ['issue_and_send', 'pdf_zip'] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

export const BULK_STATUSES = ['queued', 'running', 'completed', 'completed_with_errors', 'failed'] as const;
export type BulkStatus = (typeof BULK_STATUSES)[number];

export const BULK_ITEM_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type BulkItemStatus = (typeof BULK_ITEM_STATUSES)[number];

/** At most this many documents in one operation. */
export const BULK_MAX_ITEMS = 1000;

export interface BulkItem {
  /** 0-based place in the request; documents are worked on in this order. */
  position: number;
  invoiceId: string;
  status: BulkItemStatus;
  /** The document's number once it is issued (also when sending it failed afterwards). */
  documentNumber: string | null;
  /** Whether the document is issued: an issue-and-send item can fail at sending with its invoice issued. */
  isIssued: boolean;
  /** An error code of the API (`invoice.incomplete`, `delivery.no_recipient`, …), or null. */
  errorCode: string | null;
  errorMessage: string | null;
  /** For `invoice.incomplete`: every missing item of the legal check. */
  missing: FieldIssue[] | null;
  deliveryId: string | null;
  /** The delivery's current status (queued, sending, sent, failed, dead). */
  deliveryStatus: string | null;
  /** pdf_zip: the entry's name in the ZIP and its size in bytes. */
  fileName: string | null;
  byteSize: number | null;
}

export interface BulkOperation {
  id: string;
  kind: BulkKind;
  status: BulkStatus;
  total: number;
  /** Items finished, with or without an error: progress is `done / total`. */
  done: number;
  succeeded: number;
  failed: number;
  /** Why a `failed` operation stopped. */
  error: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** Present when one operation is read; absent in lists. */
  items?: BulkItem[];
}

/** Whether no more work will happen on the operation. */
export function isBulkFinished(status: BulkStatus): boolean {
  return status === 'completed' || status === 'completed_with_errors' || status === 'failed';
}

/**
 * Makes ZIP entry names unique, keeping the first of each as it is and numbering later
 * ones before the extension (case-insensitively, as most file systems compare names).
 *
 * @example uniqueFileNames(['Faktura-1.pdf', 'Faktura-1.pdf']) // ['Faktura-1.pdf', 'Faktura-1-2.pdf']
 */
export function uniqueFileNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${extension}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
