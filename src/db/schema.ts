import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { LineType } from '../domain/invoice/invoice.js';

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
  is_test_mode: Generated<Flag>;
  kid_method: Generated<string>;
  kid_composition: Generated<string>;
  kid_customer_digits: Generated<number>;
  kid_invoice_digits: Generated<number>;
  credit_note_series: Generated<string>;
  accounts_json: string | null;
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
  /** `email`, `ehf`, or null = automatic (EHF when the customer has a PEPPOL id). */
  delivery_channel: 'email' | 'ehf' | null;
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

export interface InvoicesTable {
  id: string;
  company_id: string;
  kind: 'invoice' | 'credit_note';
  state: 'draft' | 'issued';
  is_test: Flag;
  series: string | null;
  number: number | null;
  document_number: string | null;
  customer_id: string;
  customer_number: number;
  buyer_name: string;
  buyer_kind: string;
  buyer_org_number: string | null;
  buyer_email: string | null;
  buyer_address_line1: string | null;
  buyer_address_line2: string | null;
  buyer_postal_code: string | null;
  buyer_city: string | null;
  buyer_country_code: string;
  buyer_peppol_id: string | null;
  buyer_language: string;
  seller_json: string | null;
  issue_date: string | null;
  delivery_date: string | null;
  delivery_period_start: string | null;
  delivery_period_end: string | null;
  delivery_address_json: string | null;
  due_date: string | null;
  payment_terms_days: number | null;
  buyer_reference: string | null;
  order_reference: string | null;
  our_reference: string | null;
  free_text: string | null;
  currency: string;
  exchange_rate_micros: number;
  kid: string | null;
  net_total_minor: number;
  vat_total_minor: number;
  gross_total_minor: number;
  payable_minor: number;
  net_total_nok_minor: number;
  vat_total_nok_minor: number;
  gross_total_nok_minor: number;
  credited_invoice_id: string | null;
  credited_invoice_number: string | null;
  credited_invoice_date: string | null;
  credit_reason: string | null;
  journal_entry_id: string | null;
  issued_at: Instant | null;
  sent_at: Instant | null;
  paid_minor: number;
  credited_minor: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface InvoiceLinesTable {
  id: string;
  invoice_id: string;
  company_id: string;
  position: number;
  product_id: string | null;
  description: string | null;
  quantity_micros: number;
  unit_code: string;
  unit_price_micros: number | null;
  discount_bp: number;
  vat_code: string;
  vat_category: string;
  vat_rate_bp: number;
  revenue_account: string | null;
  net_minor: number;
  credited_line_id: string | null;
  /** 'item', or a document-level 'allowance' / 'charge' (EN 16931 BG-20/BG-21). */
  line_type: LineType;
  /** UNCL 5189 (allowance) or UNCL 7161 (charge) reason code. */
  reason_code: string | null;
  /** An allowance or charge given as a percentage (hundredths of a percent) of base_minor. */
  percent_bp: number | null;
  base_minor: number | null;
}

export interface InvoiceVatTotalsTable {
  invoice_id: string;
  company_id: string;
  vat_code: string;
  vat_category: string;
  vat_rate_bp: number;
  taxable_minor: number;
  vat_minor: number;
  taxable_nok_minor: number;
  vat_nok_minor: number;
}

export interface JournalEntriesTable {
  id: string;
  company_id: string;
  voucher: string;
  entry_date: string;
  description: string;
  source_type: string;
  source_id: string;
  is_test: Flag;
  created_at: Instant;
}

export interface JournalLinesTable {
  id: string;
  entry_id: string;
  company_id: string;
  line_number: number;
  entry_date: string;
  account: string;
  debit_minor: number;
  credit_minor: number;
  vat_code: string | null;
  customer_id: string | null;
  description: string;
}

export interface EmailSettingsTable {
  company_id: string;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  /** SecretBox output (`v1.…`), never the password itself. */
  password_sealed: string | null;
  from_address: string;
  from_name: string | null;
  reply_to: string | null;
  subject_nb: string;
  body_nb: string;
  subject_en: string;
  body_en: string;
  created_at: Instant;
  updated_at: Instant;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';

export interface JobsTable {
  id: string;
  company_id: string | null;
  type: string;
  payload_json: string;
  unique_key: string | null;
  status: JobStatus;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: Instant;
  lease_owner: string | null;
  lease_expires_at: Instant | null;
  last_error: string | null;
  created_at: Instant;
  updated_at: Instant;
  finished_at: Instant | null;
}

export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'dead';

export interface DeliveriesTable {
  id: string;
  company_id: string;
  invoice_id: string;
  channel: string;
  sequence: number;
  delivery_key: string;
  recipient: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  message_id: string | null;
  server_response: string | null;
  last_error: string | null;
  job_id: string | null;
  requested_by: string;
  sent_at: Instant | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface BulkOperationsTable {
  id: string;
  company_id: string;
  kind: 'issue_and_send' | 'pdf_zip';
  status: 'queued' | 'running' | 'completed' | 'completed_with_errors' | 'failed';
  total: number;
  done_count: Generated<number>;
  failed_count: Generated<number>;
  chunk_size: number;
  error: string | null;
  created_by: string;
  actor_type: 'user' | 'api_key' | 'cli' | 'system';
  actor_id: string | null;
  actor_role: string;
  ip_address: string | null;
  created_at: Instant;
  started_at: Instant | null;
  finished_at: Instant | null;
  updated_at: Instant;
}

export interface BulkOperationItemsTable {
  operation_id: string;
  position: number;
  company_id: string;
  invoice_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  document_number: string | null;
  error_code: string | null;
  error_message: string | null;
  details_json: string | null;
  delivery_id: string | null;
  file_name: string | null;
  byte_size: number | null;
  updated_at: Instant;
}

export interface DocumentTemplatesTable {
  company_id: string;
  design: string;
  accent_color: string;
  font: string;
  header_text: string | null;
  footer_text: string | null;
  payment_text: string | null;
  show_fields_json: string;
  logo: Buffer | null;
  logo_content_type: string | null;
  logo_sha256: string | null;
  logo_width: number | null;
  logo_height: number | null;
  version: number;
  updated_at: Instant;
}

/** Archived renderings of issued documents (append-only). */
export interface DocumentFilesTable {
  id: string;
  company_id: string;
  invoice_id: string;
  /** `pdf` (the printed document), `ehf` (the EHF XML as first made), `archive_pdf` (PDF/A-3 with the EHF inside). */
  kind: DocumentFileKind;
  bytes: Buffer;
  byte_size: number;
  sha256: string;
  created_at: Instant;
}

export type DocumentFileKind = 'pdf' | 'archive_pdf' | 'ehf';

/** EHF settings per company; the access point token is sealed by the SecretBox. */
export interface EhfSettingsTable {
  company_id: string;
  /** 0/1: embed the document's PDF in the EHF. */
  attach_pdf: number;
  access_point_kind: 'none' | 'http' | 'folder';
  access_point_url: string | null;
  /** SecretBox output (`v1.…`), never the token itself. */
  access_point_token_sealed: string | null;
  folder_path: string | null;
  created_at: Instant;
  updated_at: Instant;
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
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_vat_totals: InvoiceVatTotalsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  document_templates: DocumentTemplatesTable;
  document_files: DocumentFilesTable;
  ehf_settings: EhfSettingsTable;
  email_settings: EmailSettingsTable;
  jobs: JobsTable;
  deliveries: DeliveriesTable;
  bulk_operations: BulkOperationsTable;
  bulk_operation_items: BulkOperationItemsTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  payment_refunds: PaymentRefundsTable;
  payment_allocation_releases: PaymentAllocationReleasesTable;
  bank_imports: BankImportsTable;
  bank_transactions: BankTransactionsTable;
}

export interface PaymentsTable {
  id: string;
  company_id: string;
  customer_id: string | null;
  payment_date: string;
  currency: string;
  amount_minor: number;
  amount_nok_minor: number;
  exchange_rate_micros: number;
  ledger_account: string;
  reference: string | null;
  payer_name: string | null;
  payer_account: string | null;
  bank_reference: string | null;
  note: string | null;
  source: 'manual' | 'bank_import';
  is_test: Flag;
  voucher: string;
  journal_entry_id: string;
  reversed_at: Instant | null;
  reversal_reason: string | null;
  reversal_journal_entry_id: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface PaymentAllocationsTable {
  id: string;
  company_id: string;
  payment_id: string;
  invoice_id: string;
  amount_minor: number;
  amount_nok_minor: number;
  /** Foreign-currency credit applied to an invoice: the NOK of the credit it used (null otherwise). */
  credit_nok_minor: number | null;
  created_at: Instant;
}

/** What a credit note released from an allocation back to the payment (the customer's credit). */
export interface PaymentAllocationReleasesTable {
  id: string;
  company_id: string;
  payment_id: string;
  invoice_id: string;
  allocation_id: string;
  credit_note_id: string;
  amount_minor: number;
  amount_nok_minor: number;
  created_at: Instant;
}

export interface BankImportsTable {
  id: string;
  company_id: string;
  file_name: string | null;
  sha256: string;
  byte_size: number;
  format: string | null;
  version: string | null;
  status: 'completed' | 'rejected' | 'duplicate_file';
  error_code: string | null;
  error_message: string | null;
  duplicate_of_id: string | null;
  summary_json: string;
  created_by: string;
  created_at: Instant;
}

export interface BankTransactionsTable {
  id: string;
  company_id: string;
  import_id: string;
  position: number;
  /** 'reversal': the bank took back an incoming payment (payment_id: the payment reversed). */
  kind: Generated<'payment' | 'reversal'>;
  bank_reference: string | null;
  booking_date: string | null;
  value_date: string | null;
  currency: string;
  amount_minor: number;
  kid: string | null;
  texts_json: string;
  payer_name: string | null;
  payer_account: string | null;
  location: string;
  status: 'booked' | 'review' | 'duplicate' | 'dismissed';
  match_reason: string | null;
  confidence: number;
  suggestions_json: string;
  explanation: string | null;
  payment_id: string | null;
  created_at: Instant;
  resolved_at: Instant | null;
  /** Why a person dismissed the transaction. */
  resolution_note: string | null;
}

export type BankImportRow = Selectable<BankImportsTable>;
/** `kind` and `resolution_note` are optional so that a row built for insertion may leave them to the column defaults ('payment', null). */
export type BankTransactionRow = Omit<Selectable<BankTransactionsTable>, 'kind' | 'resolution_note'> & { kind?: BankTransactionKind; resolution_note?: string | null };
export type BankTransactionKind = 'payment' | 'reversal';
export interface PaymentRefundsTable {
  id: string;
  company_id: string;
  payment_id: string;
  refund_date: string;
  amount_minor: number;
  /** Foreign-currency credit paid back: its NOK on 1500 (null in NOK). */
  amount_nok_minor: number | null;
  note: string | null;
  voucher: string;
  journal_entry_id: string;
  created_at: Instant;
}

export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentAllocationRow = Selectable<PaymentAllocationsTable>;
export type PaymentAllocationReleaseRow = Selectable<PaymentAllocationReleasesTable>;

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

export type InvoiceRow = Selectable<InvoicesTable>;
export type NewInvoiceRow = Insertable<InvoicesTable>;
export type InvoiceRowUpdate = Updateable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;
export type InvoiceVatTotalRow = Selectable<InvoiceVatTotalsTable>;
export type JournalEntryRow = Selectable<JournalEntriesTable>;
export type JournalLineRow = Selectable<JournalLinesTable>;
export type EmailSettingsRow = Selectable<EmailSettingsTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type EhfSettingsRow = Selectable<EhfSettingsTable>;
export type NewDeliveryRow = Insertable<DeliveriesTable>;
export type DeliveryRowUpdate = Updateable<DeliveriesTable>;
export type BulkOperationRow = Selectable<BulkOperationsTable>;
export type BulkOperationItemRow = Selectable<BulkOperationItemsTable>;
export type BulkOperationItemRowUpdate = Updateable<BulkOperationItemsTable>;
export type DocumentTemplateRow = Selectable<DocumentTemplatesTable>;
export type DocumentFileRow = Selectable<DocumentFilesTable>;
