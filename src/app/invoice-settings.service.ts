import type { Db } from '../db/database.js';
import { findCompanyById, updateCompany } from '../db/repositories/company.repository.js';
import { hasLiveDocuments } from '../db/repositories/invoice.repository.js';
import { advanceNumberSeriesPast } from '../db/repositories/number-series.repository.js';
import type { CompanyRowUpdate } from '../db/schema.js';
import { AppError, validationError } from '../domain/errors.js';
import { kidLength } from '../domain/kid.js';
import { recordCompanyAudit } from './audit.js';
import type { CompanyContext } from './context.js';
import type { InvoiceSettingsUpdateInput } from './invoice.schemas.js';
import { invoiceSettingsOf, type InvoiceSettings } from './invoice-settings.js';
import type { Clock, IdGenerator } from './ports.js';

export interface InvoiceSettingsView extends InvoiceSettings {
  hasLiveDocuments: boolean;
  nextLiveInvoiceNumber: number;
}

export function createInvoiceSettingsService(deps: { db: Db; clock: Clock; ids: IdGenerator }) {
  const { db, clock } = deps;

  async function view(executor: Db['kysely'], companyId: string): Promise<InvoiceSettingsView> {
    const company = await findCompanyById(executor, companyId);
    if (!company) throw new AppError('company.not_found', 'Company not found');
    const series = await executor
      .selectFrom('number_series')
      .select('next_value')
      .where('company_id', '=', companyId)
      .where('series', '=', 'invoice')
      .executeTakeFirst();
    return {
      ...invoiceSettingsOf(company),
      hasLiveDocuments: await hasLiveDocuments(executor, companyId),
      nextLiveInvoiceNumber: series ? Number(series.next_value) : 1,
    };
  }

  return {
    getSettings: (ctx: CompanyContext) => view(db.kysely, ctx.companyId),

    async updateSettings(ctx: CompanyContext, input: InvoiceSettingsUpdateInput): Promise<InvoiceSettingsView> {
      return db.kysely.transaction().execute(async (trx) => {
        const current = await view(trx, ctx.companyId);
        const kid = {
          method: input.kidMethod ?? current.kid.method,
          composition: input.kidComposition ?? current.kid.composition,
          customerDigits: input.kidCustomerDigits ?? current.kid.customerDigits,
          invoiceDigits: input.kidInvoiceDigits ?? current.kid.invoiceDigits,
        };
        const length = kidLength(kid);
        if (length < 4 || length > 25) {
          throw validationError([{ path: 'kidInvoiceDigits', code: 'kid.length_invalid', message: 'A KID has 4 to 25 digits including the check digit' }]);
        }
        if (input.creditNoteSeries && input.creditNoteSeries !== current.creditNoteSeries && current.hasLiveDocuments) {
          throw new AppError('company.live_series_started', 'The credit-note series cannot change after the first live document');
        }
        const update: CompanyRowUpdate = {
          kid_method: kid.method,
          kid_composition: kid.composition,
          kid_customer_digits: kid.customerDigits,
          kid_invoice_digits: kid.invoiceDigits,
          credit_note_series: input.creditNoteSeries ?? current.creditNoteSeries,
          updated_at: clock.now().toISOString(),
        };
        if (input.accounts) {
          update.accounts_json = JSON.stringify({
            receivable: input.accounts.receivable ?? current.accounts.receivable,
            outputVat: { ...current.accounts.outputVat, ...input.accounts.outputVat },
            revenueByVatCode: { ...current.accounts.revenueByVatCode, ...input.accounts.revenueByVatCode },
          });
        }
        await updateCompany(trx, ctx.companyId, update);
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'company.invoice_settings_updated',
          entityType: 'company',
          entityId: ctx.companyId,
          details: { fields: Object.keys(input) },
        });
        return view(trx, ctx.companyId);
      });
    },

    /** Test mode: its own series and a TEST mark; only before the first live document. */
    async enableTestMode(ctx: CompanyContext): Promise<InvoiceSettingsView> {
      return db.kysely.transaction().execute(async (trx) => {
        if (await hasLiveDocuments(trx, ctx.companyId)) {
          throw new AppError('company.live_series_started', 'The company has issued live documents; test mode is no longer available');
        }
        await updateCompany(trx, ctx.companyId, { is_test_mode: 1, updated_at: clock.now().toISOString() });
        await recordCompanyAudit(trx, deps, ctx, { action: 'company.test_mode_enabled', entityType: 'company', entityId: ctx.companyId });
        return view(trx, ctx.companyId);
      });
    },

    /**
     * Leaves test mode. The live series starts at 1, or at `startNumber` for a
     * company moving from another system; both only until the first live document.
     */
    async goLive(ctx: CompanyContext, startNumber: number | undefined): Promise<InvoiceSettingsView> {
      return db.kysely.transaction().execute(async (trx) => {
        if (await hasLiveDocuments(trx, ctx.companyId)) {
          throw new AppError('company.live_series_started', 'The live number series has started; its start can no longer change');
        }
        await updateCompany(trx, ctx.companyId, { is_test_mode: 0, updated_at: clock.now().toISOString() });
        await trx
          .deleteFrom('number_series')
          .where('company_id', '=', ctx.companyId)
          .where('series', 'in', ['invoice', 'credit_note'])
          .execute();
        if (startNumber !== undefined && startNumber > 1) {
          await advanceNumberSeriesPast(trx, ctx.companyId, 'invoice', startNumber - 1);
        }
        await recordCompanyAudit(trx, deps, ctx, {
          action: 'company.went_live',
          entityType: 'company',
          entityId: ctx.companyId,
          details: { startNumber: startNumber ?? 1 },
        });
        return view(trx, ctx.companyId);
      });
    },
  };
}

export type InvoiceSettingsService = ReturnType<typeof createInvoiceSettingsService>;
