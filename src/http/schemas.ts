import { z } from 'zod';
import { ROLES } from '../domain/roles.js';

/** Response shapes (OpenAPI components). Inputs live in src/app/*.schemas.ts. */

export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ description: 'Stable machine-readable error code, e.g. customer.not_found' }),
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(z.object({ path: z.string(), code: z.string(), message: z.string(), in: z.string().optional() }))
      .optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const addressOutSchema = z
  .object({
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    countryCode: z.string(),
  })
  .meta({ id: 'Address' });

const languageOut = z.enum(['nb', 'en']);
const roleOut = z.enum(ROLES);

export const companyOutSchema = z
  .object({
    id: z.string(),
    legalName: z.string(),
    orgNumber: z.string(),
    isVatRegistered: z.boolean(),
    isInForetaksregisteret: z.boolean(),
    address: addressOutSchema,
    bankAccount: z.string().nullable(),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    paymentTermsDays: z.number().int(),
    timeZone: z.string(),
    defaultLanguage: languageOut,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Company' });

export const companySummarySchema = z
  .object({ id: z.string(), legalName: z.string(), orgNumber: z.string(), role: roleOut })
  .meta({ id: 'CompanySummary' });

export const userOutSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), language: languageOut })
  .meta({ id: 'User' });

export const memberOutSchema = z
  .object({ userId: z.string(), email: z.string(), name: z.string(), role: roleOut, createdAt: z.string() })
  .meta({ id: 'Member' });

export const sessionOutSchema = z
  .object({
    user: userOutSchema,
    companies: z.array(companySummarySchema),
    currentCompanyId: z.string().nullable(),
    role: roleOut.nullable(),
    csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token on every cookie-authenticated write' }),
  })
  .meta({ id: 'Session' });

export const apiKeyOutSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleOut,
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const customerOutSchema = z
  .object({
    id: z.string(),
    customerNumber: z.number().int(),
    kind: z.enum(['business', 'person']),
    name: z.string(),
    orgNumber: z.string().nullable(),
    contactName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    address: addressOutSchema,
    deliveryAddress: addressOutSchema.nullable(),
    language: languageOut,
    paymentTermsDays: z.number().int().nullable(),
    peppolId: z.string().nullable(),
    notes: z.string().nullable(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

export const productOutSchema = z
  .object({
    id: z.string(),
    productNumber: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    unitCode: z.string(),
    unitPrice: z.string().meta({ description: 'Exact decimal string, excluding VAT' }),
    vatCode: z.string(),
    revenueAccount: z.string().nullable(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });

export const auditEventOutSchema = z
  .object({
    id: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    ipAddress: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const idParamSchema = z.strictObject({
  id: z.string().min(1).max(64).regex(/^[0-9a-zA-Z-]+$/),
});

/** Standard error responses every guarded route can return, for the OpenAPI document. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
} as const;
