import type { CompanyRow } from '../db/schema.js';
import { type AccountSettings, DEFAULT_ACCOUNT_SETTINGS } from '../domain/invoice/journal.js';
import type { KidSettings } from '../domain/kid.js';
import type { SellerSnapshot } from '../domain/party.js';

/** A company's invoicing settings, read from its row (defaults where unset). */
export interface InvoiceSettings {
  isTestMode: boolean;
  kid: KidSettings;
  creditNoteSeries: 'invoice' | 'separate';
  accounts: AccountSettings;
}

export function invoiceSettingsOf(company: CompanyRow): InvoiceSettings {
  const stored = company.accounts_json ? (JSON.parse(company.accounts_json) as Partial<AccountSettings>) : {};
  return {
    isTestMode: Boolean(company.is_test_mode),
    kid: {
      method: company.kid_method as KidSettings['method'],
      composition: company.kid_composition as KidSettings['composition'],
      customerDigits: company.kid_customer_digits,
      invoiceDigits: company.kid_invoice_digits,
    },
    creditNoteSeries: company.credit_note_series as InvoiceSettings['creditNoteSeries'],
    accounts: {
      receivable: stored.receivable ?? DEFAULT_ACCOUNT_SETTINGS.receivable,
      outputVat: { ...DEFAULT_ACCOUNT_SETTINGS.outputVat, ...stored.outputVat },
      revenueByVatCode: { ...DEFAULT_ACCOUNT_SETTINGS.revenueByVatCode, ...stored.revenueByVatCode },
    },
  };
}

export function sellerSnapshotOf(company: CompanyRow): SellerSnapshot {
  return {
    legalName: company.legal_name,
    orgNumber: company.org_number,
    isVatRegistered: Boolean(company.is_vat_registered),
    isInForetaksregisteret: Boolean(company.is_in_foretaksregisteret),
    address: {
      line1: company.address_line1,
      line2: company.address_line2,
      postalCode: company.postal_code,
      city: company.city,
      countryCode: company.country_code,
    },
    bankAccount: company.bank_account,
    iban: company.iban,
    bic: company.bic,
    email: company.email,
    phone: company.phone,
    website: company.website,
  };
}

/** Number series key and printed number of a document. */
export function seriesFor(kind: 'invoice' | 'credit_note', isTest: boolean, settings: InvoiceSettings): string {
  const base = kind === 'credit_note' && settings.creditNoteSeries === 'separate' ? 'credit_note' : 'invoice';
  return isTest ? `test_${base}` : base;
}

export function documentNumberFor(series: string, number: number): string {
  const prefix = series.startsWith('test_') ? 'TEST-' : '';
  const credit = series.endsWith('credit_note') ? 'KN-' : '';
  return `${prefix}${credit}${number}`;
}
