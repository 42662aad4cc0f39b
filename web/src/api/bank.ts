import { http, uploadWithProgress, type UploadProgress } from './client';

/**
 * Bank files (Nets OCR giro, camt.053, camt.054) and the review queue: the shapes of
 * src/http/routes/bank-imports.routes.ts (BankImport, BankTransaction).
 */

export type BankImportStatus = 'completed' | 'rejected' | 'duplicate_file';
export type BankTransactionStatus = 'booked' | 'review' | 'duplicate' | 'dismissed';

export interface BankFileMessage {
  code: string;
  /** The record (`record 47`) or XML element the message is about. */
  location: string;
  message: string;
}

export interface BankImportSums {
  currency: string;
  creditedMinor: number;
  bookedMinor: number;
  reviewMinor: number;
  duplicateMinor: number;
}

export interface BankReversalSums {
  currency: string;
  reversalMinor: number;
  reversedMinor: number;
  reviewMinor: number;
  duplicateMinor: number;
}

export type BankTransactionKind = 'payment' | 'reversal';

export interface BankImportSummary {
  /** `ocr_giro`, `camt.053`, `camt.054`; null for a rejected file. */
  format: string | null;
  version: string | null;
  transactionCount: number;
  paymentCount: number;
  bookedCount: number;
  reviewCount: number;
  duplicateCount: number;
  /** Neither payments nor reversals of payments: debits, reversed debits, AvtaleGiro notices. */
  ignoredCount: number;
  /** Reversals of incoming payments (the bank took money back), and how many were reversed automatically. */
  reversalCount: number;
  reversedCount: number;
  reversalReviewCount: number;
  reversalDuplicateCount: number;
  /** Per currency, positive: taken back = reversed + waiting + duplicates. */
  reversalSums: BankReversalSums[];
  sums: BankImportSums[];
  /** Booked = credited − waiting for review − duplicates, per currency. */
  reconciles: boolean;
  warnings: BankFileMessage[];
  notes: BankFileMessage[];
}

export interface BankImport {
  id: string;
  fileName: string | null;
  sha256: string;
  byteSize: number;
  status: BankImportStatus;
  error: { code: string; message: string } | null;
  duplicateOfId: string | null;
  summary: BankImportSummary;
  createdAt: string;
}

export interface BankTransaction {
  id: string;
  importId: string;
  position: number;
  /** 'reversal': the bank took back an incoming payment (amountMinor < 0); paymentId is the payment reversed. */
  kind: BankTransactionKind;
  status: BankTransactionStatus;
  bankReference: string | null;
  bookingDate: string | null;
  valueDate: string | null;
  currency: string;
  amountMinor: number;
  kid: string | null;
  texts: string[];
  payerName: string | null;
  payerAccount: string | null;
  location: string;
  matchReason: string | null;
  /** 0–100; booked automatically from 80. */
  confidence: number;
  /** Ids that may be meant, best first: invoices for a payment, payments for a reversal. */
  suggestions: string[];
  /** The matcher's explanation, in English (the UI translates the known ones). */
  explanation: string | null;
  paymentId: string | null;
  resolvedAt: string | null;
  /** Why it was dismissed. */
  resolutionNote: string | null;
}

/** POST /bank-transactions/{id}/match: amounts as decimal strings; the rest is the customer's credit. */
export interface BankMatchInput {
  allocations: Array<{ invoiceId: string; amount: string }>;
  customerId?: string;
}

export const bankApi = {
  /**
   * Uploads a bank file as the raw body, reporting progress. 201 for a new file, 200 for one
   * imported before (`duplicate_file`); a file that cannot be read is a 422 `bank_import.rejected`
   * whose detail names the record or element.
   */
  importFile: (file: Blob, fileName: string, onProgress?: (progress: UploadProgress) => void, signal?: AbortSignal) =>
    uploadWithProgress<BankImport>('/bank-imports', file, {
      query: { fileName },
      contentType: 'application/octet-stream',
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
    }),
  /** Newest first (the latest 200). */
  imports: (signal?: AbortSignal) => http.get<{ items: BankImport[] }>('/bank-imports', undefined, signal),
  get: (id: string) => http.get<BankImport>(`/bank-imports/${encodeURIComponent(id)}`),
  transactions: (query: { importId?: string; status?: BankTransactionStatus }, signal?: AbortSignal) =>
    http.get<{ items: BankTransaction[] }>('/bank-transactions', { ...query }, signal),
  match: (id: string, input: BankMatchInput) => http.post<BankTransaction>(`/bank-transactions/${encodeURIComponent(id)}/match`, input),
  /** A waiting reversal: reverses the chosen payment (same currency and amount, else 422 bank_transaction.amount_mismatch). */
  reverse: (id: string, paymentId: string) => http.post<BankTransaction>(`/bank-transactions/${encodeURIComponent(id)}/reverse`, { paymentId }),
  /** A waiting transaction of either kind, set aside with a reason. */
  dismiss: (id: string, reason: string) => http.post<BankTransaction>(`/bank-transactions/${encodeURIComponent(id)}/dismiss`, { reason }),
};
