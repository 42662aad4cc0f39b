import crypto from 'node:crypto';
import type { CompanyCreateInput } from '../../src/app/company.schemas.js';
import { companyCreateSchema } from '../../src/app/company.schemas.js';
import { type CustomerCreateInput, customerCreateSchema } from '../../src/app/customer.schemas.js';
import { type ProductCreateInput, productCreateSchema } from '../../src/app/product.schemas.js';
import { orgNumberFromBody } from '../../src/demo.js';

/** A random, checksum-valid organisation number (fictitious). */
export function randomOrgNumber(): string {
  for (;;) {
    const body = `9${crypto.randomInt(0, 10_000_000).toString().padStart(7, '0')}`;
    try {
      return orgNumberFromBody(body);
    } catch {
      // remainder 1: no valid check digit for this body, draw again
    }
  }
}

export function companyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalName: `Testfirma ${crypto.randomBytes(3).toString('hex')} AS`,
    orgNumber: randomOrgNumber(),
    address: { line1: 'Testveien 1', postalCode: '0150', city: 'Oslo', countryCode: 'NO' },
    bankAccount: '86011117947',
    email: 'post@testfirma.example',
    ...overrides,
  };
}

export function makeCompanyInput(overrides: Record<string, unknown> = {}): CompanyCreateInput {
  return companyCreateSchema.parse(companyBody(overrides));
}

export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'business',
    name: `Kunde ${crypto.randomBytes(3).toString('hex')} AS`,
    orgNumber: randomOrgNumber(),
    email: 'faktura@kunde.example',
    address: { line1: 'Kundeveien 2', postalCode: '5003', city: 'Bergen', countryCode: 'NO' },
    ...overrides,
  };
}

export function makeCustomerInput(overrides: Record<string, unknown> = {}): CustomerCreateInput {
  return customerCreateSchema.parse(customerBody(overrides));
}

export function productBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    productNumber: `P-${crypto.randomBytes(3).toString('hex')}`,
    name: 'Rådgivning',
    unitCode: 'HUR',
    unitPrice: '1250.00',
    vatCode: '3',
    ...overrides,
  };
}

export function makeProductInput(overrides: Record<string, unknown> = {}): ProductCreateInput {
  return productCreateSchema.parse(productBody(overrides));
}
