import type { CustomerBalance, Payment } from '../../../src/domain/payment/payment.js';
import { http } from './client';
import type { Page } from './types';

// The response shape is the domain's own type (the API returns it as it is).
export type { CustomerBalance, Payment };
export type PaymentStatus = Payment['status'];

/** POST /payments (see src/app/payment.schemas.ts): amounts as decimal strings in the payment currency. */
export interface PaymentInput {
  paymentDate: string;
  amount: string;
  currency?: string;
  /** For a foreign-currency payment: what reached the account in NOK. */
  amountNok?: string;
  ledgerAccount?: string;
  customerId?: string;
  reference?: string | null;
  payerName?: string | null;
  payerAccount?: string | null;
  bankReference?: string | null;
  note?: string | null;
  allocations: Array<{ invoiceId: string; amount: string }>;
}

/** POST /payments/{id}/allocations: part of the payment's credit onto another open invoice of the customer. */
export interface PaymentApplyInput {
  invoiceId: string;
  amount: string;
}

/** POST /payments/{id}/refunds: part of the payment's credit paid back (voucher UTB-n). */
export interface PaymentRefundInput {
  refundDate: string;
  amount: string;
  note?: string | null;
}

export interface PaymentListQuery {
  customerId?: string;
  invoiceId?: string;
  limit?: number;
  cursor?: string;
}

export const paymentsApi = {
  /** Newest first, keyset-paginated. */
  list: (query: PaymentListQuery, signal?: AbortSignal) => http.get<Page<Payment>>('/payments', { ...query }, signal),
  get: (id: string) => http.get<Payment>(`/payments/${encodeURIComponent(id)}`),
  register: (input: PaymentInput) => http.post<Payment>('/payments', input),
  reverse: (id: string, reason: string) => http.post<Payment>(`/payments/${encodeURIComponent(id)}/reverse`, { reason }),
  applyCredit: (id: string, input: PaymentApplyInput) => http.post<Payment>(`/payments/${encodeURIComponent(id)}/allocations`, input),
  refund: (id: string, input: PaymentRefundInput) => http.post<Payment>(`/payments/${encodeURIComponent(id)}/refunds`, input),
  /** Every payment of one invoice, newest first, reversed ones included. */
  forInvoice: (invoiceId: string) => http.get<{ items: Payment[] }>(`/invoices/${encodeURIComponent(invoiceId)}/payments`),
  /** A customer's open receivables, the credit their payments hold, and the net (GET /customers/{id}/balance). */
  customerBalance: (customerId: string) => http.get<CustomerBalance>(`/customers/${encodeURIComponent(customerId)}/balance`),
};
