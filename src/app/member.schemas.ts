import { z } from 'zod';
import { ROLES } from '../domain/roles.js';
import { emailSchema, languageSchema, passwordSchema, text } from './common.schemas.js';

export const roleSchema = z.enum(ROLES);

export const memberAddSchema = z.strictObject({
  email: emailSchema,
  role: roleSchema,
  /** Needed only when no user with this e-mail exists yet. */
  name: text(200).optional(),
  password: passwordSchema.optional(),
  language: languageSchema.default('nb'),
});
export type MemberAddInput = z.infer<typeof memberAddSchema>;

export const memberUpdateSchema = z.strictObject({ role: roleSchema });
