import { http } from './client';
import type { Delivery, EmailSettings, EmailSettingsInput } from './types';
import type {
  ApiKey,
  CreditNoteInput,
  Invoice,
  InvoiceDraftInput,
  InvoiceListQuery,
  InvoicePage,
  InvoiceSettings,
  InvoiceSettingsUpdateInput,
  JournalEntry,
  AuditEvent,
  Company,
  CompanyUpdateInput,
  Customer,
  CustomerInput,
  CustomerListQuery,
  Member,
  MemberAddInput,
  OnboardingInput,
  Page,
  Product,
  ProductInput,
  ProductListQuery,
  ReferenceData,
  Role,
  Session,
} from './types';

/** Typed calls, one per API operation the UI uses. */
export const api = {
  onboardingStatus: () => http.get<{ needed: boolean }>('/onboarding'),
  onboard: (input: OnboardingInput) => http.post<Session>('/onboarding', input),
  referenceData: () => http.get<ReferenceData>('/reference-data'),

  session: () => http.get<Session>('/auth/session'),
  login: (email: string, password: string) => http.post<Session>('/auth/login', { email, password }),
  logout: () => http.post<void>('/auth/logout'),
  switchCompany: (companyId: string) => http.put<Session>('/auth/session', { companyId }),

  company: () => http.get<Company>('/company'),
  updateCompany: (input: CompanyUpdateInput) => http.patch<Company>('/company', input),

  members: () => http.get<{ items: Member[] }>('/users'),
  addMember: (input: MemberAddInput) => http.post<Member>('/users', input),
  changeRole: (userId: string, role: Role) => http.patch<Member>(`/users/${encodeURIComponent(userId)}`, { role }),
  removeMember: (userId: string) => http.delete<void>(`/users/${encodeURIComponent(userId)}`),

  apiKeys: () => http.get<{ items: ApiKey[] }>('/api-keys'),
  createApiKey: (name: string, role: Role) => http.post<{ apiKey: ApiKey; key: string }>('/api-keys', { name, role }),
  revokeApiKey: (id: string) => http.delete<ApiKey>(`/api-keys/${encodeURIComponent(id)}`),

  customers: (query: CustomerListQuery, signal?: AbortSignal) =>
    http.get<Page<Customer>>('/customers', { ...query }, signal),
  customer: (id: string) => http.get<Customer>(`/customers/${encodeURIComponent(id)}`),
  createCustomer: (input: CustomerInput) => http.post<Customer>('/customers', input),
  updateCustomer: (id: string, input: Partial<CustomerInput>) =>
    http.patch<Customer>(`/customers/${encodeURIComponent(id)}`, input),
  archiveCustomer: (id: string) => http.post<Customer>(`/customers/${encodeURIComponent(id)}/archive`),
  unarchiveCustomer: (id: string) => http.post<Customer>(`/customers/${encodeURIComponent(id)}/unarchive`),

  products: (query: ProductListQuery, signal?: AbortSignal) =>
    http.get<Page<Product>>('/products', { ...query }, signal),
  product: (id: string) => http.get<Product>(`/products/${encodeURIComponent(id)}`),
  createProduct: (input: ProductInput) => http.post<Product>('/products', input),
  updateProduct: (id: string, input: Partial<ProductInput>) =>
    http.patch<Product>(`/products/${encodeURIComponent(id)}`, input),
  archiveProduct: (id: string) => http.post<Product>(`/products/${encodeURIComponent(id)}/archive`),
  unarchiveProduct: (id: string) => http.post<Product>(`/products/${encodeURIComponent(id)}/unarchive`),

  invoices: (query: InvoiceListQuery, signal?: AbortSignal) =>
    http.get<InvoicePage>('/invoices', { ...query }, signal),
  creditNotes: (query: InvoiceListQuery, signal?: AbortSignal) =>
    http.get<InvoicePage>('/credit-notes', { ...query }, signal),
  /** Reads an invoice or a credit note. */
  invoice: (id: string) => http.get<Invoice>(`/invoices/${encodeURIComponent(id)}`),
  createInvoice: (input: InvoiceDraftInput) => http.post<Invoice>('/invoices', input),
  updateInvoice: (id: string, input: Partial<InvoiceDraftInput>) =>
    http.patch<Invoice>(`/invoices/${encodeURIComponent(id)}`, input),
  deleteInvoice: (id: string) => http.delete<void>(`/invoices/${encodeURIComponent(id)}`),
  issueInvoice: (id: string) => http.post<Invoice>(`/invoices/${encodeURIComponent(id)}/issue`),
  markInvoiceSent: (id: string) => http.post<Invoice>(`/invoices/${encodeURIComponent(id)}/mark-sent`),
  createCreditNote: (invoiceId: string, input: CreditNoteInput) =>
    http.post<Invoice>(`/invoices/${encodeURIComponent(invoiceId)}/credit-note`, input),
  /** The journal entries (bilag) of one document; test documents included. */
  journalEntriesFor: (sourceId: string) =>
    http.get<Page<JournalEntry>>('/journal-entries', { sourceId, includeTest: 'true', limit: 20 }),

  invoiceSettings: () => http.get<InvoiceSettings>('/company/invoice-settings'),
  updateInvoiceSettings: (input: InvoiceSettingsUpdateInput) =>
    http.patch<InvoiceSettings>('/company/invoice-settings', input),
  enableTestMode: () => http.post<InvoiceSettings>('/company/test-mode', {}),
  goLive: (startNumber?: number) =>
    http.post<InvoiceSettings>('/company/go-live', startNumber === undefined ? {} : { startNumber }),

  auditEvents: (cursor?: string) =>
    http.get<Page<AuditEvent>>('/audit-events', { limit: 50, ...(cursor ? { cursor } : {}) }),

  emailSettings: () => http.get<EmailSettings>('/email-settings'),
  updateEmailSettings: (input: EmailSettingsInput) => http.put<EmailSettings>('/email-settings', input),
  sendTestEmail: (to: string) => http.post<{ recipient: string; messageId: string }>('/email-settings/test', { to }),
  /** Queues an e-mail of an issued invoice or credit note; an existing delivery comes back unchanged. */
  sendInvoice: (id: string, recipient?: string) =>
    http.post<Delivery>(`/invoices/${encodeURIComponent(id)}/send`, { channel: 'email', ...(recipient ? { recipient } : {}) }),
  resendInvoice: (id: string, recipient?: string) =>
    http.post<Delivery>(`/invoices/${encodeURIComponent(id)}/resend`, { channel: 'email', ...(recipient ? { recipient } : {}) }),
  deliveries: (id: string) => http.get<{ items: Delivery[] }>(`/invoices/${encodeURIComponent(id)}/deliveries`),
};
