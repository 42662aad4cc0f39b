import { z } from 'zod';
import {
  addressSchema,
  bankAccountSchema,
  bicSchema,
  emailSchema,
  ibanSchema,
  languageSchema,
  optionalText,
  orgNumberSchema,
  paymentTermsSchema,
  passwordSchema,
  text,
  timeZoneSchema,
} from './common.schemas.js';

export const companyCreateSchema = z.strictObject({
  legalName: text(200),
  orgNumber: orgNumberSchema,
  isVatRegistered: z.boolean().default(true),
  isInForetaksregisteret: z.boolean().default(true),
  address: addressSchema.default({ countryCode: 'NO' }),
  bankAccount: bankAccountSchema.nullable().optional(),
  iban: ibanSchema.nullable().optional(),
  bic: bicSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  phone: optionalText(40),
  website: optionalText(200),
  paymentTermsDays: paymentTermsSchema.default(14),
  timeZone: timeZoneSchema.default('Europe/Oslo'),
  defaultLanguage: languageSchema.default('nb'),
});
export type CompanyCreateInput = z.infer<typeof companyCreateSchema>;

export const companyUpdateSchema = z.strictObject({
  legalName: text(200).optional(),
  isVatRegistered: z.boolean().optional(),
  isInForetaksregisteret: z.boolean().optional(),
  address: addressSchema.optional(),
  bankAccount: bankAccountSchema.nullable().optional(),
  iban: ibanSchema.nullable().optional(),
  bic: bicSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  phone: optionalText(40),
  website: optionalText(200),
  paymentTermsDays: paymentTermsSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  defaultLanguage: languageSchema.optional(),
});
export type CompanyUpdateInput = z.infer<typeof companyUpdateSchema>;

export const ownerSchema = z.strictObject({
  name: text(200),
  email: emailSchema,
  password: passwordSchema,
  language: languageSchema.default('nb'),
});

export const onboardingSchema = z.strictObject({
  company: companyCreateSchema,
  owner: ownerSchema,
});
export type OnboardingInput = z.infer<typeof onboardingSchema>;
