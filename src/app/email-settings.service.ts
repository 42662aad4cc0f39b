import type { Db } from '../db/database.js';
import { findCompanyById } from '../db/repositories/company.repository.js';
import { findEmailSettings, upsertEmailSettings } from '../db/repositories/email-settings.repository.js';
import type { EmailSettingsRow } from '../db/schema.js';
import { DEFAULT_EMAIL_TEMPLATES, EMAIL_PLACEHOLDERS, type EmailTemplate, unknownPlaceholders } from '../domain/email-template.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import type { Language } from '../domain/party.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { EmailSettingsUpdateInput, EmailTestInput } from './email-settings.schemas.js';
import { INSECURE_NOT_ALLOWED_MESSAGE, isLoopbackHost, isTransportAllowed, messageIdFor, smtpPasswordContext, smtpTransportOf } from './email-transport.js';
import { type Clock, type IdGenerator, MailError, type Mailer, type SecretBox, type SmtpSecurity } from './ports.js';

export interface EmailSettingsView {
  isConfigured: boolean;
  host: string | null;
  port: number | null;
  security: SmtpSecurity | null;
  username: string | null;
  /** The password itself is never returned. */
  hasPassword: boolean;
  fromAddress: string | null;
  fromName: string | null;
  replyTo: string | null;
  templates: Record<Language, EmailTemplate>;
  defaultTemplates: Record<Language, EmailTemplate>;
  placeholders: string[];
  updatedAt: string | null;
}

export interface EmailSettingsServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  secretBox: SecretBox;
  mailer: Mailer;
  /** SMTP_ALLOW_INSECURE: plain SMTP to hosts other than loopback. */
  allowInsecureSmtp: boolean;
}

export const NOT_CONFIGURED_MESSAGE =
  'E-mail is not set up: an owner or admin must enter the SMTP server (host, port, security, log-in) and the sender address under Settings → E-mail';

export function templatesOf(row: EmailSettingsRow): Record<Language, EmailTemplate> {
  return { nb: { subject: row.subject_nb, body: row.body_nb }, en: { subject: row.subject_en, body: row.body_en } };
}

function viewOf(row: EmailSettingsRow | undefined): EmailSettingsView {
  return {
    isConfigured: row !== undefined,
    host: row?.host ?? null,
    port: row?.port ?? null,
    security: row?.security ?? null,
    username: row?.username ?? null,
    hasPassword: Boolean(row?.password_sealed),
    fromAddress: row?.from_address ?? null,
    fromName: row?.from_name ?? null,
    replyTo: row?.reply_to ?? null,
    templates: row ? templatesOf(row) : DEFAULT_EMAIL_TEMPLATES,
    defaultTemplates: DEFAULT_EMAIL_TEMPLATES,
    placeholders: [...EMAIL_PLACEHOLDERS],
    updatedAt: row?.updated_at ?? null,
  };
}

/** Turns a failed SMTP conversation into the problem the user sees. */
export function mailProblem(error: unknown): AppError {
  if (!(error instanceof MailError)) throw error;
  const details = { smtpCode: error.responseCode, reason: error.message };
  switch (error.kind) {
    case 'auth':
      return new AppError('email.auth_failed', 'The SMTP server refused the user name or password', { details, cause: error });
    case 'tls':
      // Never a reason to fall back to clear text: the send stops here.
      return new AppError('email.tls_failed', error.message, { details, cause: error });
    case 'connection':
    case 'timeout':
      return new AppError('email.connection_failed', `Could not talk to the SMTP server: ${error.message}`, { details, cause: error });
    default:
      return new AppError('email.rejected', `The SMTP server refused the message: ${error.message}`, { details, cause: error });
  }
}

/**
 * SMTP settings and templates per company. The password is sealed with the SecretBox
 * before it reaches the database, is never returned, and a PUT without it keeps it.
 */
export function createEmailSettingsService(deps: EmailSettingsServiceDeps) {
  const { db, clock, ids, secretBox, mailer } = deps;

  return {
    async getSettings(ctx: CompanyContext): Promise<EmailSettingsView> {
      return viewOf(await findEmailSettings(db.kysely, ctx.companyId));
    },

    async updateSettings(ctx: CompanyContext, input: EmailSettingsUpdateInput): Promise<EmailSettingsView> {
      const issues: FieldIssue[] = [];
      if (input.security === 'none' && !deps.allowInsecureSmtp && !isLoopbackHost(input.host)) {
        issues.push({
          path: 'security',
          code: 'security.none_not_allowed',
          message: 'SMTP without TLS is only allowed to a loopback host; choose tls or starttls',
        });
      }
      for (const language of ['nb', 'en'] as const) {
        for (const part of ['subject', 'body'] as const) {
          const unknown = input.templates ? unknownPlaceholders(input.templates[language][part]) : [];
          if (unknown.length > 0) {
            issues.push({
              path: `templates.${language}.${part}`,
              code: 'template.unknown_placeholder',
              message: `Unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; use ${EMAIL_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`,
            });
          }
        }
      }
      if (issues.length > 0) throw validationError(issues);

      const result = await db.kysely.transaction().execute(async (trx) => {
        const current = await findEmailSettings(trx, ctx.companyId);
        const now = clock.now().toISOString();
        const username = input.username ? input.username : null;
        let sealed = current?.password_sealed ?? null;
        if (input.password !== undefined) {
          sealed = input.password === null ? null : secretBox.seal(input.password, smtpPasswordContext(ctx.companyId));
        }
        if (username === null) sealed = null;
        const templates = input.templates ?? (current ? templatesOf(current) : DEFAULT_EMAIL_TEMPLATES);
        const row: EmailSettingsRow = {
          company_id: ctx.companyId,
          host: input.host,
          port: input.port,
          security: input.security,
          username,
          password_sealed: sealed,
          from_address: input.fromAddress,
          from_name: input.fromName ?? null,
          reply_to: input.replyTo ?? null,
          subject_nb: templates.nb.subject,
          body_nb: templates.nb.body,
          subject_en: templates.en.subject,
          body_en: templates.en.body,
          created_at: current?.created_at ?? now,
          updated_at: now,
        };
        await upsertEmailSettings(trx, row);
        const fields = current
          ? (Object.keys(row) as Array<keyof EmailSettingsRow>).filter(
              (key) => key !== 'updated_at' && key !== 'password_sealed' && row[key] !== current[key],
            )
          : ['host', 'port', 'security', 'username', 'from_address'];
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'email_settings.updated',
          entityType: 'company',
          entityId: ctx.companyId,
          // Which fields changed, and whether the password did; never any value of it.
          details: { fields, passwordChanged: sealed !== (current?.password_sealed ?? null) },
        });
        return row;
      });
      mailer.invalidate(ctx.companyId);
      return viewOf(result);
    },

    /** Sends a short test message through the saved settings; SMTP failures become clear problems. */
    async sendTestMail(ctx: CompanyContext, input: EmailTestInput): Promise<{ recipient: string; messageId: string; response: string }> {
      const row = await findEmailSettings(db.kysely, ctx.companyId);
      if (!row) throw new AppError('email.not_configured', NOT_CONFIGURED_MESSAGE);
      if (!isTransportAllowed(row, deps.allowInsecureSmtp)) throw new AppError('email.insecure_not_allowed', INSECURE_NOT_ALLOWED_MESSAGE);
      const company = await findCompanyById(db.kysely, ctx.companyId);
      const language: Language = company?.default_language === 'en' ? 'en' : 'nb';
      const name = company?.legal_name ?? '';
      const messageId = messageIdFor(`test-${ids.newId()}`, row.from_address);
      try {
        const result = await mailer.send(smtpTransportOf(row, secretBox), {
          from: { name: row.from_name, address: row.from_address },
          replyTo: row.reply_to,
          to: input.to,
          subject: language === 'nb' ? `Testmelding fra Fakturaflyt (${name})` : `Test message from Fakturaflyt (${name})`,
          text:
            language === 'nb'
              ? `Dette er en testmelding. E-postinnstillingene for ${name} virker: fakturaer og kreditnotaer kan sendes på e-post.\n`
              : `This is a test message. The e-mail settings of ${name} work: invoices and credit notes can be sent by e-mail.\n`,
          messageId,
          attachments: [],
        });
        await recordCompanyAudit(db.kysely, deps, ctx, {
          action: 'email_settings.test_sent',
          entityType: 'company',
          entityId: ctx.companyId,
          details: { recipient: input.to },
        });
        return { recipient: input.to, messageId: result.messageId, response: result.response };
      } catch (error) {
        throw mailProblem(error);
      }
    },
  };
}

export type EmailSettingsService = ReturnType<typeof createEmailSettingsService>;
