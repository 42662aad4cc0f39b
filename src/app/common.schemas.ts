import { z } from 'zod';
import {
  isValidBankAccount,
  isValidBic,
  isValidIban,
  isValidOrgNumber,
  normalizeBankAccount,
  normalizeIban,
  normalizeOrgNumber,
} from '../domain/norwegian-identifiers.js';
import { findPeppolIdProblem } from '../domain/peppol-id.js';

/**
 * Field schemas shared by every entry point (HTTP, CLI). Refinements carry a
 * stable `code` in `params`, which becomes the field issue code in problem JSON.
 */

export function text(max: number) {
  return z.string().trim().min(1).max(max);
}

export function optionalText(max: number) {
  return z.string().trim().max(max).nullable().optional();
}

export const orgNumberSchema = z
  .string()
  .max(20)
  .refine(isValidOrgNumber, {
    message: 'Not a valid Norwegian organisation number (9 digits, MOD11)',
    params: { code: 'org_number.invalid' },
  })
  .transform(normalizeOrgNumber)
  .meta({ description: 'Norwegian organisation number, 9 digits (spaces allowed on input)', example: '974760673' });

export const bankAccountSchema = z
  .string()
  .max(20)
  .refine(isValidBankAccount, {
    message: 'Not a valid Norwegian bank account number (11 digits, MOD11)',
    params: { code: 'bank_account.invalid' },
  })
  .transform(normalizeBankAccount)
  .meta({ example: '86011117947' });

export const ibanSchema = z
  .string()
  .max(42)
  .refine(isValidIban, { message: 'Not a valid IBAN', params: { code: 'iban.invalid' } })
  .transform(normalizeIban)
  .meta({ example: 'NO9386011117947' });

export const bicSchema = z
  .string()
  .max(11)
  .refine(isValidBic, { message: 'Not a valid BIC', params: { code: 'bic.invalid' } })
  .transform((value) => value.toUpperCase());

/**
 * PEPPOL participant id, checked as the Peppol validator checks an EndpointID; the
 * field issue names the problem (`peppol_id.format`, `peppol_id.unknown_scheme`,
 * `peppol_id.value_format`, `peppol_id.check_digit`).
 */
export const peppolIdSchema = z
  .string()
  .trim()
  .max(60)
  .superRefine((value, context) => {
    const problem = findPeppolIdProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem.message, params: { code: problem.code } });
  })
  .meta({ example: '0192:974760673' });

export const emailSchema = z.email().max(254).transform((value) => value.toLowerCase());

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, { message: 'ISO 3166-1 alpha-2 country code in capitals' });

export const languageSchema = z.enum(['nb', 'en']);

export const paymentTermsSchema = z.number().int().min(0).max(365);

export const timeZoneSchema = z
  .string()
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Unknown IANA time zone', params: { code: 'time_zone.invalid' } },
  );

export const addressSchema = z.strictObject({
  line1: optionalText(200),
  line2: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  countryCode: countryCodeSchema.default('NO'),
});
export type AddressInput = z.infer<typeof addressSchema>;

export const passwordSchema = z
  .string()
  .min(10, { message: 'At least 10 characters' })
  .max(200);

export const listLimitSchema = z.coerce.number().int().min(1).max(200).default(50);
