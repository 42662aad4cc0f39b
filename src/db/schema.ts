import type { Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types shared by SQLite and PostgreSQL. Conventions: ids are UUIDv7 text,
 * `*_at` are UTC ISO-8601 instants, `*_date` are `YYYY-MM-DD`, `*_minor` and
 * `*_micros` are integers, booleans are 0/1 integers (`is_*`), JSON is text.
 */

type Instant = string;
type Flag = 0 | 1;

export interface CompaniesTable {
  id: string;
  legal_name: string;
  org_number: string;
  is_vat_registered: Flag;
  is_in_foretaksregisteret: Flag;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country_code: string;
  bank_account: string | null;
  iban: string | null;
  bic: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  payment_terms_days: number;
  time_zone: string;
  default_language: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  language: string;
  created_at: Instant;
  updated_at: Instant;
}

export interface MembershipsTable {
  company_id: string;
  user_id: string;
  role: string;
  created_at: Instant;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  company_id: string | null;
  csrf_token: string;
  created_at: Instant;
  expires_at: Instant;
  last_seen_at: Instant;
}

export interface LoginThrottleTable {
  key: string;
  failure_count: number;
  first_failure_at: Instant;
  locked_until: Instant | null;
}

export interface ApiKeysTable {
  id: string;
  company_id: string;
  name: string;
  role: string;
  prefix: string;
  key_hash: string;
  created_by_user_id: string | null;
  created_at: Instant;
  last_used_at: Instant | null;
  revoked_at: Instant | null;
}

export interface NumberSeriesTable {
  company_id: string;
  series: string;
  next_value: number;
}

export interface CustomersTable {
  id: string;
  company_id: string;
  customer_number: number;
  kind: string;
  name: string;
  org_number: string | null;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country_code: string;
  delivery_address_line1: string | null;
  delivery_address_line2: string | null;
  delivery_postal_code: string | null;
  delivery_city: string | null;
  delivery_country_code: string | null;
  language: string;
  payment_terms_days: number | null;
  peppol_id: string | null;
  notes: string | null;
  search_text: string;
  archived_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface ProductsTable {
  id: string;
  company_id: string;
  product_number: string;
  name: string;
  description: string | null;
  unit_code: string;
  unit_price_micros: number;
  vat_code: string;
  revenue_account: string | null;
  search_text: string;
  archived_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface AuditEventsTable {
  id: string;
  company_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details_json: string | null;
  ip_address: string | null;
  created_at: Instant;
}

export interface IdempotencyKeysTable {
  scope: string;
  idempotency_key: string;
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: string | null;
  created_at: Instant;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  api_keys: ApiKeysTable;
  number_series: NumberSeriesTable;
  customers: CustomersTable;
  products: ProductsTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompanyRow = Insertable<CompaniesTable>;
export type CompanyRowUpdate = Updateable<CompaniesTable>;
export type UserRow = Selectable<UsersTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type NewCustomerRow = Insertable<CustomersTable>;
export type CustomerRowUpdate = Updateable<CustomersTable>;
export type ProductRow = Selectable<ProductsTable>;
export type NewProductRow = Insertable<ProductsTable>;
export type ProductRowUpdate = Updateable<ProductsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type MembershipRow = Selectable<MembershipsTable>;

