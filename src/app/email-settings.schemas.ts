import { z } from 'zod';
import { emailSchema, optionalText } from './common.schemas.js';

const HOST = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/;

const subjectSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((value) => !/[\r\n]/.test(value), { message: 'A subject is one line', params: { code: 'subject.multiline' } });

export const emailTemplateSchema = z.strictObject({
  subject: subjectSchema,
  body: z.string().min(1).max(20_000),
});

export const emailSettingsUpdateSchema = z
  .strictObject({
    host: z.string().trim().regex(HOST, { message: 'A host name or IP address' }).meta({ example: 'smtp.example.no' }),
    port: z.number().int().min(1).max(65535).meta({ example: 587 }),
    security: z.enum(['tls', 'starttls', 'none']).meta({
      description: '`tls`: TLS from the first byte (usually port 465); `starttls`: upgrade required (usually 587); `none`: only to a loopback host',
    }),
    username: optionalText(320).meta({ description: 'SMTP log-in; null or empty: no authentication' }),
    password: z
      .string()
      .min(1)
      .max(1024)
      .nullable()
      .optional()
      .meta({ description: 'Write-only. Omit to keep the stored password, null to remove it' }),
    fromAddress: emailSchema.meta({ description: 'Sender address (From); also names the Message-ID domain' }),
    fromName: optionalText(200),
    replyTo: emailSchema.nullable().optional(),
    templates: z
      .strictObject({ nb: emailTemplateSchema, en: emailTemplateSchema })
      .optional()
      .meta({ description: 'Subject and body per language, with placeholders such as {documentNumber}; omit to keep' }),
  });
export type EmailSettingsUpdateInput = z.infer<typeof emailSettingsUpdateSchema>;

export const emailTestSchema = z.strictObject({ to: emailSchema });
export type EmailTestInput = z.infer<typeof emailTestSchema>;
