import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import { findDocumentTemplate, findDocumentTemplateSettings, saveDocumentTemplate } from '../db/repositories/document.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import type { DocumentTemplateRow } from '../db/schema.js';
import { readImageInfo } from '../domain/document/image-info.js';
import {
  DEFAULT_SHOW_FIELDS,
  DEFAULT_TEMPLATE_SETTINGS,
  type DocumentDesign,
  type DocumentFont,
  OPTIONAL_FIELDS,
  type OptionalField,
  type TemplateSettings,
} from '../domain/document/template-settings.js';
import { validationError } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import { type DocumentTemplateInput, LOGO_MAX_BYTES, LOGO_MAX_PIXELS } from './document-template.schemas.js';
import type { Clock, IdGenerator } from './ports.js';

export interface LogoInfo {
  contentType: string;
  width: number;
  height: number;
  sha256: string;
  byteSize: number;
}

/** The template as the API shows it: settings plus facts about the logo (not its bytes). */
export interface DocumentTemplateView extends TemplateSettings {
  logo: LogoInfo | null;
  /** Grows with every change (settings or logo). */
  version: number;
  updatedAt: string | null;
}

/** What rendering needs: the settings and the logo's bytes. */
export interface TemplateForRendering {
  settings: TemplateSettings;
  logo: { bytes: Buffer; width: number; height: number; sha256: string } | null;
}

type SettingsColumns = Pick<
  DocumentTemplateRow,
  'design' | 'accent_color' | 'font' | 'header_text' | 'footer_text' | 'payment_text' | 'show_fields_json'
>;

/** A company without a row prints with the defaults. */
export function templateSettingsOf(row: SettingsColumns | undefined): TemplateSettings {
  if (!row) return { ...DEFAULT_TEMPLATE_SETTINGS, showFields: { ...DEFAULT_SHOW_FIELDS } };
  const stored = JSON.parse(row.show_fields_json) as Partial<Record<OptionalField, boolean>>;
  return {
    design: row.design as DocumentDesign,
    accentColor: row.accent_color,
    font: row.font as DocumentFont,
    headerText: row.header_text,
    footerText: row.footer_text,
    paymentText: row.payment_text,
    showFields: Object.fromEntries(OPTIONAL_FIELDS.map((field) => [field, stored[field] ?? DEFAULT_SHOW_FIELDS[field]])) as Record<
      OptionalField,
      boolean
    >,
  };
}

/** Validated input → complete settings (a field left out gets its default). */
export function templateSettingsFromInput(input: DocumentTemplateInput): TemplateSettings {
  return {
    design: input.design,
    accentColor: input.accentColor,
    font: input.font,
    headerText: input.headerText ?? null,
    footerText: input.footerText ?? null,
    paymentText: input.paymentText ?? null,
    showFields: Object.fromEntries(
      OPTIONAL_FIELDS.map((field) => [field, input.showFields[field] ?? DEFAULT_SHOW_FIELDS[field]]),
    ) as Record<OptionalField, boolean>,
  };
}

function settingsColumns(settings: TemplateSettings): SettingsColumns {
  return {
    design: settings.design,
    accent_color: settings.accentColor,
    font: settings.font,
    header_text: settings.headerText,
    footer_text: settings.footerText,
    payment_text: settings.paymentText,
    show_fields_json: JSON.stringify(settings.showFields),
  };
}

/** Loads the template and its logo for rendering (defaults when the company has none). */
export async function loadTemplateForRendering(executor: Executor, companyId: string): Promise<TemplateForRendering> {
  const row = await findDocumentTemplate(executor, companyId);
  return {
    settings: templateSettingsOf(row),
    logo:
      row?.logo && row.logo_sha256 && row.logo_width && row.logo_height
        ? { bytes: Buffer.from(row.logo), width: row.logo_width, height: row.logo_height, sha256: row.logo_sha256 }
        : null,
  };
}

export function createDocumentTemplateService(deps: { db: Db; clock: Clock; ids: IdGenerator }) {
  const { db, clock } = deps;

  async function view(executor: Executor, companyId: string): Promise<DocumentTemplateView> {
    const row = await findDocumentTemplateSettings(executor, companyId);
    return {
      ...templateSettingsOf(row),
      logo:
        row?.logo_sha256 && row.logo_content_type && row.logo_width && row.logo_height
          ? {
              contentType: row.logo_content_type,
              width: row.logo_width,
              height: row.logo_height,
              sha256: row.logo_sha256,
              byteSize: row.logo_size ?? 0,
            }
          : null,
      version: row?.version ?? 0,
      updatedAt: row?.updated_at ?? null,
    };
  }

  /** Writes a new version of the row: `change` gives the columns that differ from the current row. */
  async function saveVersion(
    trx: Executor,
    ctx: CompanyContext,
    change: (current: DocumentTemplateRow | undefined) => Partial<DocumentTemplateRow>,
  ): Promise<void> {
    const current = await findDocumentTemplate(trx, ctx.companyId);
    const base = current ?? {
      company_id: ctx.companyId,
      ...settingsColumns(templateSettingsOf(undefined)),
      logo: null,
      logo_content_type: null,
      logo_sha256: null,
      logo_width: null,
      logo_height: null,
      version: 0,
      updated_at: clock.now().toISOString(),
    };
    await saveDocumentTemplate(trx, {
      ...base,
      ...change(current),
      company_id: ctx.companyId,
      version: base.version + 1,
      updated_at: clock.now().toISOString(),
    });
  }

  return {
    getTemplate: (ctx: CompanyContext) => view(db.kysely, ctx.companyId),

    async updateTemplate(ctx: CompanyContext, input: DocumentTemplateInput): Promise<DocumentTemplateView> {
      return db.kysely.transaction().execute(async (trx) => {
        const before = templateSettingsOf(await findDocumentTemplateSettings(trx, ctx.companyId));
        const after = templateSettingsFromInput(input);
        const changed = (Object.keys(after) as Array<keyof TemplateSettings>).filter(
          (key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]),
        );
        if (changed.length > 0) {
          await saveVersion(trx, ctx, () => settingsColumns(after));
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'document_template.updated',
            entityType: 'company',
            entityId: ctx.companyId,
            details: { fields: changed },
          });
        }
        return view(trx, ctx.companyId);
      });
    },

    /** Stores a PNG or JPEG logo, recognised by its bytes (not by the declared type). SVG is not supported. */
    async setLogo(ctx: CompanyContext, bytes: Buffer): Promise<DocumentTemplateView> {
      if (bytes.length === 0) {
        throw validationError([{ path: 'logo', code: 'logo.empty', message: 'The upload is empty' }]);
      }
      if (bytes.length > LOGO_MAX_BYTES) {
        throw validationError([{ path: 'logo', code: 'logo.too_large', message: `At most ${LOGO_MAX_BYTES} bytes` }]);
      }
      const info = readImageInfo(bytes);
      if (!info) {
        throw validationError([{ path: 'logo', code: 'logo.unsupported_format', message: 'A PNG or JPEG image (SVG is not supported)' }]);
      }
      if (info.width > LOGO_MAX_PIXELS || info.height > LOGO_MAX_PIXELS) {
        throw validationError([{ path: 'logo', code: 'logo.too_large', message: `At most ${LOGO_MAX_PIXELS}×${LOGO_MAX_PIXELS} pixels` }]);
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return db.kysely.transaction().execute(async (trx) => {
        await saveVersion(trx, ctx, () => ({
          logo: bytes,
          logo_content_type: info.format === 'png' ? 'image/png' : 'image/jpeg',
          logo_sha256: sha256,
          logo_width: info.width,
          logo_height: info.height,
        }));
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'document_template.logo_uploaded',
          entityType: 'company',
          entityId: ctx.companyId,
          details: { format: info.format, width: info.width, height: info.height, byteSize: bytes.length, sha256 },
        });
        return view(trx, ctx.companyId);
      });
    },

    async deleteLogo(ctx: CompanyContext): Promise<DocumentTemplateView> {
      return db.kysely.transaction().execute(async (trx) => {
        const current = await findDocumentTemplateSettings(trx, ctx.companyId);
        if (current?.logo_sha256) {
          await saveVersion(trx, ctx, () => ({
            logo: null,
            logo_content_type: null,
            logo_sha256: null,
            logo_width: null,
            logo_height: null,
          }));
          await recordCompanyAudit(trx, deps, ctx, {
            action: 'document_template.logo_removed',
            entityType: 'company',
            entityId: ctx.companyId,
            details: { sha256: current.logo_sha256 },
          });
        }
        return view(trx, ctx.companyId);
      });
    },
  };
}

export type DocumentTemplateService = ReturnType<typeof createDocumentTemplateService>;
