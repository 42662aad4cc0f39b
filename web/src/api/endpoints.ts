import { http } from './client';
import type {
  ApiKey,
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

  auditEvents: (cursor?: string) =>
    http.get<Page<AuditEvent>>('/audit-events', { limit: 50, ...(cursor ? { cursor } : {}) }),
};
