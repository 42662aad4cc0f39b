import type { Role } from './roles.js';

export interface Address {
  line1: string | null;
  line2: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
}

export type Language = 'nb' | 'en';

/** A tenant: the business that issues invoices. */
export interface Company {
  id: string;
  legalName: string;
  orgNumber: string;
  isVatRegistered: boolean;
  /** Registered in Foretaksregisteret: documents must then say "Foretaksregisteret". */
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

/** Business or private person: reminder law (inkasso, standard compensation) treats them differently. */
export type CustomerKind = 'business' | 'person';

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
  /** How documents go out when a send names no channel; null: automatic (EHF with a PEPPOL id, else e-mail). */
  deliveryChannel: 'email' | 'ehf' | null;
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
  /** Unit price excluding VAT as an exact decimal string, e.g. "199.50" or "0.1234". */
  unitPrice: string;
  vatCode: string;
  revenueAccount: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  language: Language;
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

/** Seller details frozen onto a document at issue. */
export interface SellerSnapshot {
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
}
