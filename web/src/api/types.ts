// Response shapes are the domain's own types (the API returns them as they are), so the
// browser cannot drift from the server; request shapes and list queries are declared here.
export type {
  Address,
  ApiKey,
  AuditEvent,
  Company,
  Customer,
  Member,
  Product,
  SellerSnapshot as Seller,
  User,
} from '../../../src/domain/party.js';
export type { AllowanceCharge, InvoiceDocument as Invoice, InvoiceLine } from '../../../src/domain/invoice/invoice.js';
export type { JournalEntry } from '../../../src/domain/invoice/journal.js';
import type { InvoiceDocument as Invoice } from '../../../src/domain/invoice/invoice.js';
import type { User } from '../../../src/domain/party.js';

/** Shapes of the API's responses and request bodies (see src/http/schemas.ts and src/app/*.schemas.ts). */

export const ROLES = ['owner', 'admin', 'biller', 'accountant', 'read_only'] as const;
export type Role = (typeof ROLES)[number];
export type Language = 'nb' | 'en';
export type CustomerKind = 'business' | 'person';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CompanySummary {
  id: string;
  legalName: string;
  orgNumber: string;
  role: Role;
}

export interface Session {
  user: User;
  companies: CompanySummary[];
  currentCompanyId: string | null;
  role: Role | null;
  csrfToken: string;
}

export interface VatCode {
  code: string;
  rateBasisPoints: number;
  category: string;
  defaultRevenueAccount: string;
  descriptionNb: string;
  descriptionEn: string;
}

export interface Unit {
  code: string;
  labelNb: string;
  labelEn: string;
}

export interface ReferenceData {
  vatCodes: VatCode[];
  units: Unit[];
}

export interface AddressInput {
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
}

export interface CompanyInput {
  legalName: string;
  orgNumber: string;
  isVatRegistered: boolean;
  isInForetaksregisteret: boolean;
  address: AddressInput;
  bankAccount: string | null;
  email: string | null;
}

export interface CompanyUpdateInput {
  legalName?: string;
  isVatRegistered?: boolean;
  isInForetaksregisteret?: boolean;
  address?: AddressInput;
  bankAccount?: string | null;
  iban?: string | null;
  bic?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  paymentTermsDays?: number;
  defaultLanguage?: Language;
}

export interface OnboardingInput {
  company: CompanyInput;
  owner: { name: string; email: string; password: string; language: Language };
}

export interface CustomerInput {
  kind: CustomerKind;
  name: string;
  orgNumber: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  address: AddressInput;
  deliveryAddress: AddressInput | null;
  language: Language;
  paymentTermsDays: number | null;
  peppolId: string | null;
  /** null: automatic (EHF with a PEPPOL id, else e-mail). */
  deliveryChannel: 'email' | 'ehf' | null;
  notes: string | null;
}

export interface ProductInput {
  productNumber: string;
  name: string;
  description: string | null;
  unitCode: string;
  unitPrice: string;
  vatCode: string;
  revenueAccount: string | null;
}

export interface MemberAddInput {
  email: string;
  role: Role;
  name?: string;
  password?: string;
  language: Language;
}

export type ArchivedFilter = 'exclude' | 'only' | 'include';

export interface CustomerListQuery {
  q?: string;
  kind?: CustomerKind;
  archived?: ArchivedFilter;
  limit?: number;
  cursor?: string;
}

export interface ProductListQuery {
  q?: string;
  vatCode?: string;
  archived?: ArchivedFilter;
  limit?: number;
  cursor?: string;
}

// ---- Invoices, credit notes, journal ----

export const INVOICE_STATUSES = ['draft', 'issued', 'sent', 'partially_paid', 'paid', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export type DocumentKind = 'invoice' | 'credit_note';

export interface VatBreakdownLine {
  vatCode: string;
  category: string;
  ratePercent: string;
  taxableMinor: number;
  vatMinor: number;
  taxableNokMinor: number;
  vatNokMinor: number;
}

export interface InvoiceTotals {
  /** Sum of the item lines (BT-106). */
  lineTotalMinor: number;
  /** Sum of document-level allowances, positive (BT-107). */
  allowanceTotalMinor: number;
  /** Sum of document-level charges (BT-108). */
  chargeTotalMinor: number;
  netMinor: number;
  vatMinor: number;
  grossMinor: number;
  payableMinor: number;
  netNokMinor: number;
  vatNokMinor: number;
  grossNokMinor: number;
}

export interface InvoicePage extends Page<Invoice> {
  totals: {
    count: number;
    grossMinorByCurrency: Record<string, number>;
    openMinorByCurrency: Record<string, number>;
  };
}

export interface InvoiceListQuery {
  status?: InvoiceStatus;
  customerId?: string;
  from?: string;
  to?: string;
  overdue?: 'true' | 'false';
  test?: 'true' | 'false';
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface InvoiceLineInput {
  productId?: string | null;
  description?: string | null;
  quantity?: string;
  unitCode?: string;
  unitPrice?: string | null;
  discountPercent?: string;
  vatCode?: string;
  revenueAccount?: string | null;
}

export interface InvoiceDraftInput {
  customerId: string;
  issueDate: string | null;
  deliveryDate: string | null;
  deliveryPeriod: { start: string; end: string } | null;
  deliveryAddress: AddressInput | null;
  dueDate: string | null;
  paymentTermsDays: number | null;
  buyerReference: string | null;
  orderReference: string | null;
  ourReference: string | null;
  freeText: string | null;
  currency: string;
  exchangeRate: string | null;
  lines: InvoiceLineInput[];
  allowanceCharges?: AllowanceChargeInput[];
}

/** A document-level allowance (rabatt) or charge (tillegg): an amount or a percentage (one of them). */
export interface AllowanceChargeInput {
  type: 'allowance' | 'charge';
  reason: string;
  reasonCode?: string | null;
  amount?: string;
  percent?: string;
  vatCode: string;
  revenueAccount?: string | null;
}

export interface CreditNoteInput {
  lines?: Array<{ invoiceLineId: string; quantity?: string; amount?: string }>;
  reason?: string | null;
}


export type KidMethod = 'mod10' | 'mod11';
export type KidComposition = 'invoice_number' | 'customer_and_invoice';
export type CreditNoteSeries = 'invoice' | 'separate';

export interface InvoiceSettings {
  isTestMode: boolean;
  kid: { method: KidMethod; composition: KidComposition; customerDigits: number; invoiceDigits: number };
  creditNoteSeries: CreditNoteSeries;
  accounts: {
    receivable: string;
    outputVat: Record<string, string>;
    revenueByVatCode: Record<string, string>;
  };
  hasLiveDocuments: boolean;
  nextLiveInvoiceNumber: number;
}

export interface InvoiceSettingsUpdateInput {
  kidMethod?: KidMethod;
  kidComposition?: KidComposition;
  kidCustomerDigits?: number;
  kidInvoiceDigits?: number;
  creditNoteSeries?: CreditNoteSeries;
  accounts?: {
    receivable?: string;
    outputVat?: Record<string, string>;
    revenueByVatCode?: Record<string, string>;
  };
}

export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface EmailTemplate {
  subject: string;
  body: string;
}

export interface EmailSettings {
  isConfigured: boolean;
  host: string | null;
  port: number | null;
  security: SmtpSecurity | null;
  username: string | null;
  hasPassword: boolean;
  fromAddress: string | null;
  fromName: string | null;
  replyTo: string | null;
  templates: { nb: EmailTemplate; en: EmailTemplate };
  defaultTemplates: { nb: EmailTemplate; en: EmailTemplate };
  placeholders: string[];
  updatedAt: string | null;
}

export interface EmailSettingsInput {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  /** Omitted: keep the stored password; null: remove it. */
  password?: string | null;
  fromAddress: string;
  fromName: string | null;
  replyTo: string | null;
  templates: { nb: EmailTemplate; en: EmailTemplate };
}

export type { Delivery, DeliveryStatus } from '../../../src/domain/delivery.js';
