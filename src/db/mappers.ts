import { formatMicros } from '../domain/money.js';
import type { ApiKey, AuditEvent, Company, Customer, Language, Member, Product, User } from '../domain/party.js';
import type { Role } from '../domain/roles.js';
import type { MemberRow } from './repositories/user.repository.js';
import type { ApiKeyRow, AuditEventRow, CompanyRow, CustomerRow, ProductRow, UserRow } from './schema.js';

/** Row → domain mapping, one function per table; the only place that knows column names and flags. */

export function companyRowToCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    legalName: row.legal_name,
    orgNumber: row.org_number,
    isVatRegistered: Boolean(row.is_vat_registered),
    isInForetaksregisteret: Boolean(row.is_in_foretaksregisteret),
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      postalCode: row.postal_code,
      city: row.city,
      countryCode: row.country_code,
    },
    bankAccount: row.bank_account,
    iban: row.iban,
    bic: row.bic,
    email: row.email,
    phone: row.phone,
    website: row.website,
    paymentTermsDays: row.payment_terms_days,
    timeZone: row.time_zone,
    defaultLanguage: row.default_language as Language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function customerRowToCustomer(row: CustomerRow): Customer {
  const hasDelivery =
    row.delivery_address_line1 !== null || row.delivery_postal_code !== null || row.delivery_city !== null;
  return {
    id: row.id,
    customerNumber: row.customer_number,
    kind: row.kind as Customer['kind'],
    name: row.name,
    orgNumber: row.org_number,
    contactName: row.contact_name,
    email: row.email,
    phone: row.phone,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      postalCode: row.postal_code,
      city: row.city,
      countryCode: row.country_code,
    },
    deliveryAddress: hasDelivery
      ? {
          line1: row.delivery_address_line1,
          line2: row.delivery_address_line2,
          postalCode: row.delivery_postal_code,
          city: row.delivery_city,
          countryCode: row.delivery_country_code ?? row.country_code,
        }
      : null,
    language: row.language as Language,
    paymentTermsDays: row.payment_terms_days,
    peppolId: row.peppol_id,
    deliveryChannel: row.delivery_channel,
    notes: row.notes,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function productRowToProduct(row: ProductRow): Product {
  return {
    id: row.id,
    productNumber: row.product_number,
    name: row.name,
    description: row.description,
    unitCode: row.unit_code,
    unitPrice: formatMicros(row.unit_price_micros),
    vatCode: row.vat_code,
    revenueAccount: row.revenue_account,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function userRowToUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, language: row.language as Language };
}

export function memberRowToMember(row: MemberRow): Member {
  return { userId: row.user_id, email: row.email, name: row.name, role: row.role as Role, createdAt: row.created_at };
}

export function apiKeyRowToApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function auditEventRowToAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    details: row.details_json ? (JSON.parse(row.details_json) as Record<string, unknown>) : null,
    ipAddress: row.ip_address,
    createdAt: row.created_at,
  };
}
