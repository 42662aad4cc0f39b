import type { Db } from '../db/database.js';
import { findEhfSettings, upsertEhfSettings } from '../db/repositories/ehf-settings.repository.js';
import type { Executor } from '../db/repositories/executor.js';
import type { EhfSettingsRow } from '../db/schema.js';
import { AppError, type FieldIssue, validationError } from '../domain/errors.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { AccessPointKind, EhfSettingsUpdateInput } from './ehf-settings.schemas.js';
import { isLoopbackHost } from './email-transport.js';
import type { AccessPoint, AccessPointTarget, Clock, IdGenerator, SecretBox } from './ports.js';

export interface EhfSettingsView {
  /** An access point is set up: documents can be sent as EHF. */
  isConfigured: boolean;
  attachPdf: boolean;
  accessPointKind: AccessPointKind;
  accessPointUrl: string | null;
  /** The token itself is never returned. */
  hasToken: boolean;
  folderPath: string | null;
  updatedAt: string | null;
}

export interface EhfSettingsServiceDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  secretBox: SecretBox;
  accessPoint: Pick<AccessPoint, 'checkFolder'>;
}

export const ACCESS_POINT_NOT_CONFIGURED_MESSAGE =
  'EHF cannot be sent: no access point is set up. An owner or admin must choose an access point (an HTTP provider URL and token, or a folder) under Settings → EHF / Peppol';

/** Associated data of a sealed access-point token: it opens only for its own company. */
export function accessPointTokenContext(companyId: string): string {
  return `access-point-token:${companyId}`;
}

/** Whether the company's EHF embeds the PDF: on unless switched off. */
export function isAttachPdf(row: Pick<EhfSettingsRow, 'attach_pdf'> | undefined): boolean {
  return row ? row.attach_pdf === 1 : true;
}

/** The configured access point with its token opened, or null when none is set up. */
export function accessPointTargetOf(row: EhfSettingsRow | undefined, secretBox: SecretBox): AccessPointTarget | null {
  if (row?.access_point_kind === 'http' && row.access_point_url && row.access_point_token_sealed) {
    return {
      kind: 'http',
      url: row.access_point_url,
      token: secretBox.open(row.access_point_token_sealed, accessPointTokenContext(row.company_id)),
    };
  }
  if (row?.access_point_kind === 'folder' && row.folder_path) return { kind: 'folder', path: row.folder_path };
  return null;
}

/** The access point, or 422 ehf.access_point_not_configured naming what to set up. */
export async function requireAccessPointSettings(executor: Executor, companyId: string): Promise<EhfSettingsRow> {
  const row = await findEhfSettings(executor, companyId);
  if (!row || row.access_point_kind === 'none') {
    throw new AppError('ehf.access_point_not_configured', ACCESS_POINT_NOT_CONFIGURED_MESSAGE, {
      details: { settingsPath: '/api/v1/ehf-settings', accessPointKinds: ['http', 'folder'] },
    });
  }
  return row;
}

function viewOf(row: EhfSettingsRow | undefined): EhfSettingsView {
  return {
    isConfigured: row !== undefined && row.access_point_kind !== 'none',
    attachPdf: isAttachPdf(row),
    accessPointKind: row?.access_point_kind ?? 'none',
    accessPointUrl: row?.access_point_url ?? null,
    hasToken: Boolean(row?.access_point_token_sealed),
    folderPath: row?.folder_path ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/**
 * EHF settings per company: whether the EHF carries the PDF, and the access point documents
 * are handed to. The token is sealed with the SecretBox before it reaches the database, is
 * never returned or logged, and a PUT without it keeps it.
 */
export function createEhfSettingsService(deps: EhfSettingsServiceDeps) {
  const { db, clock, secretBox, accessPoint } = deps;

  async function check(input: EhfSettingsUpdateInput, storedToken: string | null): Promise<void> {
    const issues: FieldIssue[] = [];
    if (input.accessPointKind === 'http') {
      if (!input.accessPointUrl) {
        issues.push({ path: 'accessPointUrl', code: 'access_point_url.required', message: "The access point's URL is needed for kind http" });
      } else {
        const url = new URL(input.accessPointUrl);
        if (url.username || url.password) {
          issues.push({ path: 'accessPointUrl', code: 'access_point_url.credentials', message: 'Put the credentials in the token, not in the URL' });
        }
        // The token travels in a header: never in clear text across a network.
        if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
          issues.push({ path: 'accessPointUrl', code: 'access_point_url.insecure', message: 'Use https (plain http only to a loopback host)' });
        }
      }
      const token = input.token === undefined ? storedToken : input.token;
      if (!token) issues.push({ path: 'token', code: 'token.required', message: 'The access point needs a token (sent as Authorization: Bearer)' });
    }
    if (input.accessPointKind === 'folder') {
      if (!input.folderPath) {
        issues.push({ path: 'folderPath', code: 'folder_path.required', message: 'A folder is needed for kind folder' });
      } else {
        const problem = await accessPoint.checkFolder(input.folderPath);
        if (problem) issues.push({ path: 'folderPath', ...problem });
      }
    }
    if (issues.length > 0) throw validationError(issues);
  }

  return {
    async getSettings(ctx: CompanyContext): Promise<EhfSettingsView> {
      return viewOf(await findEhfSettings(db.kysely, ctx.companyId));
    },

    async updateSettings(ctx: CompanyContext, input: EhfSettingsUpdateInput): Promise<EhfSettingsView> {
      const before = await findEhfSettings(db.kysely, ctx.companyId);
      // The folder check touches the file system: outside the transaction.
      await check(input, before?.access_point_token_sealed ?? null);
      const saved = await db.kysely.transaction().execute(async (trx) => {
        const current = await findEhfSettings(trx, ctx.companyId);
        const now = clock.now().toISOString();
        let sealed = current?.access_point_token_sealed ?? null;
        if (input.token !== undefined) {
          sealed = input.token === null ? null : secretBox.seal(input.token, accessPointTokenContext(ctx.companyId));
        }
        const row: EhfSettingsRow = {
          company_id: ctx.companyId,
          attach_pdf: input.attachPdf ? 1 : 0,
          access_point_kind: input.accessPointKind,
          access_point_url: input.accessPointUrl ?? null,
          access_point_token_sealed: sealed,
          folder_path: input.folderPath ?? null,
          created_at: current?.created_at ?? now,
          updated_at: now,
        };
        await upsertEhfSettings(trx, row);
        const fields = (['attach_pdf', 'access_point_kind', 'access_point_url', 'folder_path'] as const).filter(
          (key) => !current || row[key] !== current[key],
        );
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'ehf_settings.updated',
          entityType: 'company',
          entityId: ctx.companyId,
          // Which fields changed, and whether the token did; never any value of it.
          details: { fields, accessPointKind: row.access_point_kind, tokenChanged: sealed !== (current?.access_point_token_sealed ?? null) },
        });
        return row;
      });
      return viewOf(saved);
    },
  };
}

export type EhfSettingsService = ReturnType<typeof createEhfSettingsService>;
