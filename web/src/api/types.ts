/** Shapes of the API's responses and request bodies (see src/http/schemas.ts and src/app/*.schemas.ts). */

export const ROLES = ['owner', 'admin', 'biller', 'accountant', 'read_only'] as const;
export type Role = (typeof ROLES)[number];
export type Language = 'nb' | 'en';
export type CustomerKind = 'business' | 'person';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  language: Language;
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

export interface Company {
  id: string;
  legalName: string;
  orgNumber: string;
  isVatRegistered: boolean;
  isInForetaksregisteret: boolean;
  address: Address;
  bankAccount: string | null;
  iban: string | null;
  bic: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  paymentTermsDays: number;
  timeZone: string;
  defaultLanguage: Language;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Customer {
  id: string;
  customerNumber: number;
  kind: CustomerKind;
  name: string;
  orgNumber: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  address: Address;
  deliveryAddress: Address | null;
  language: Language;
  paymentTermsDays: number | null;
  peppolId: string | null;
  notes: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Product {
  id: string;
  productNumber: string;
  name: string;
  description: string | null;
  unitCode: string;
  unitPrice: string;
  vatCode: string;
  revenueAccount: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  id: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown> | null;
  ipAddress: string | null;
  createdAt: string;
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
