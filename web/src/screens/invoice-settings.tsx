import { useRef, useState, type FormEvent } from 'react';
import { ApiError, localValidationError, type FieldIssue } from '../api/client';
import { api } from '../api/endpoints';
import type { CreditNoteSeries, InvoiceSettings, KidComposition, KidMethod, ReferenceData } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { Alert, Button, ConfirmAction, FormAlert, Loading, notify, useApiErrors, useFocusFirstError } from '../components/ui';
import { useLoad, useReferenceData } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { useCan } from '../session';

interface SettingsDraft {
  kidMethod: KidMethod;
  kidComposition: KidComposition;
  kidCustomerDigits: string;
  kidInvoiceDigits: string;
  creditNoteSeries: CreditNoteSeries;
  receivable: string;
  outputVat: Record<string, string>;
  revenueByVatCode: Record<string, string>;
}

function toDraft(settings: InvoiceSettings): SettingsDraft {
  return {
    kidMethod: settings.kid.method,
    kidComposition: settings.kid.composition,
    kidCustomerDigits: String(settings.kid.customerDigits),
    kidInvoiceDigits: String(settings.kid.invoiceDigits),
    creditNoteSeries: settings.creditNoteSeries,
    receivable: settings.accounts.receivable,
    outputVat: { ...settings.accounts.outputVat },
    revenueByVatCode: { ...settings.accounts.revenueByVatCode },
  };
}

const ACCOUNT = /^\d{4}$/;

// KID check digits, as src/domain/kid.ts computes them, for the example under the settings.
function mod10(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const product = Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return String((10 - (sum % 10)) % 10);
}

function mod11(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (2 + (i % 6));
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  return remainder === 1 ? '-' : String(11 - remainder);
}

function kidExample(draft: SettingsDraft, invoiceNumber: number): { kid: string | null; length: number } {
  const customerDigits = Number(draft.kidCustomerDigits);
  const invoiceDigits = Number(draft.kidInvoiceDigits);
  const withCustomer = draft.kidComposition === 'customer_and_invoice';
  const length = (withCustomer ? customerDigits : 0) + invoiceDigits + 1;
  if (!Number.isInteger(customerDigits) || !Number.isInteger(invoiceDigits) || length < 4 || length > 25) return { kid: null, length };
  const invoicePart = String(invoiceNumber).padStart(invoiceDigits, '0');
  const customerPart = withCustomer ? '1'.padStart(customerDigits, '0') : '';
  if (invoicePart.length > invoiceDigits || (withCustomer && customerDigits < 1)) return { kid: null, length };
  const body = customerPart + invoicePart;
  return { kid: body + (draft.kidMethod === 'mod10' ? mod10(body) : mod11(body)), length };
}

/** "Fakturainnstillinger" on the company page: test mode, KID, series and accounts. */
export function InvoiceSettingsSection() {
  const { t } = useI18n();
  const canUpdate = useCan('company.update');
  const [state, reload, replace] = useLoad('invoice-settings', () => api.invoiceSettings());
  const reference = useReferenceData();
  const s = t.invoiceSettings;
  return (
    <section className="settings-section" aria-labelledby="invoice-settings-title">
      <h2 className="section-title settings-section__title" id="invoice-settings-title">
        {s.title}
      </h2>
      {state.status === 'loading' || reference.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' && reference.status === 'ready' ? (
        <>
          {canUpdate ? null : <Alert kind="info" title={s.readOnly} />}
          <ModeCard settings={state.data} readOnly={!canUpdate} onChange={replace} />
          <SettingsForm key={JSON.stringify(state.data)} settings={state.data} reference={reference.data} readOnly={!canUpdate} onSaved={replace} />
        </>
      ) : null}
    </section>
  );
}

function ModeCard({ settings, readOnly, onChange }: { settings: InvoiceSettings; readOnly: boolean; onChange(settings: InvoiceSettings): void }) {
  const { t } = useI18n();
  const s = t.invoiceSettings;
  const [startNumber, setStartNumber] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const locked = settings.hasLiveDocuments;
  const startError =
    startNumber.trim() !== '' && !/^\d{1,9}$/.test(startNumber.trim()) ? t.errors.fields['invalid_type'] : undefined;

  async function run(action: () => Promise<InvoiceSettings>, done: (settings: InvoiceSettings) => string) {
    setBusy(true);
    setError(null);
    try {
      const updated = await action();
      onChange(updated);
      notify(done(updated));
      setStartNumber('');
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="form form--page settings-card">
      <h3 className="form-section__title">{s.modeSection}</h3>
      <p className={settings.isTestMode ? 'mode mode--test' : 'mode'}>
        {settings.isTestMode ? s.testModeOn : fill(s.testModeOff, { number: settings.nextLiveInvoiceNumber })}
      </p>
      {error ? <Alert kind="error" title={problemText(t, error)} /> : null}
      {locked ? (
        <p className="field__hint" id="invoice-mode-locked">
          {s.liveLocked}
        </p>
      ) : null}
      {readOnly ? null : locked ? (
        <div className="mode__actions">
          {settings.isTestMode ? null : (
            <Button disabled aria-describedby="invoice-mode-locked">
              {s.enterTest}
            </Button>
          )}
          <Button disabled aria-describedby="invoice-mode-locked">
            {s.goLive}
          </Button>
        </div>
      ) : (
        <div className="mode__actions">
          <TextField
            className="mode__start"
            label={s.startNumber}
            value={startNumber}
            onChange={setStartNumber}
            inputMode="numeric"
            placeholder="1"
            hint={s.startNumberHint}
            error={startError}
            disabled={busy}
          />
          <div className="mode__buttons">
            <ConfirmAction
              label={s.goLive}
              question={fill(s.goLiveConfirm, { number: startNumber.trim() || '1' })}
              variant="primary"
              disabled={busy || startError !== undefined}
              onConfirm={() =>
                run(
                  () => api.goLive(startNumber.trim() ? Number(startNumber.trim()) : undefined),
                  (updated) => fill(s.wentLive, { number: updated.nextLiveInvoiceNumber }),
                )
              }
            />
            {settings.isTestMode ? null : (
              <Button onClick={() => run(() => api.enableTestMode(), () => s.testEnabled)} disabled={busy}>
                {s.enterTest}
              </Button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function SettingsForm({
  settings,
  reference,
  readOnly,
  onSaved,
}: {
  settings: InvoiceSettings;
  reference: ReferenceData;
  readOnly: boolean;
  onSaved(settings: InvoiceSettings): void;
}) {
  const { t, language } = useI18n();
  const s = t.invoiceSettings;
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(settings));
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const set = <K extends keyof SettingsDraft>(key: K) => (value: SettingsDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const example = kidExample(draft, settings.nextLiveInvoiceNumber);
  // Output VAT accounts matter only for codes that carry VAT.
  const outputVatCodes = reference.vatCodes.filter((vat) => vat.rateBasisPoints > 0).map((vat) => vat.code);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    const local: FieldIssue[] = [];
    const digits = (path: string, text: string, min: number, max: number) => {
      const value = Number(text.trim());
      if (!/^\d{1,2}$/.test(text.trim()) || value < min || value > max) {
        local.push({ path, code: 'invalid_type', message: t.errors.fields['invalid_type'] ?? '' });
      }
      return value;
    };
    const kidCustomerDigits = digits('kidCustomerDigits', draft.kidCustomerDigits, 0, 12);
    const kidInvoiceDigits = digits('kidInvoiceDigits', draft.kidInvoiceDigits, 3, 15);
    const account = (path: string, value: string) => {
      if (!ACCOUNT.test(value.trim())) local.push({ path, code: 'account.invalid', message: s.accountInvalid });
      return value.trim();
    };
    const receivable = account('accounts.receivable', draft.receivable);
    const outputVat = Object.fromEntries(
      outputVatCodes.map((code) => [code, account(`accounts.outputVat.${code}`, draft.outputVat[code] ?? '')]),
    );
    const outputVatChanged = outputVatCodes.some((code) => outputVat[code] !== settings.accounts.outputVat[code]);
    const revenueByVatCode = Object.fromEntries(
      Object.entries(draft.revenueByVatCode).map(([code, value]) => [code, account(`accounts.revenueByVatCode.${code}`, value)]),
    );
    if (local.length > 0) {
      errors.setError(localValidationError(local));
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      const saved = await api.updateInvoiceSettings({
        kidMethod: draft.kidMethod,
        kidComposition: draft.kidComposition,
        kidCustomerDigits,
        kidInvoiceDigits,
        ...(draft.creditNoteSeries !== settings.creditNoteSeries ? { creditNoteSeries: draft.creditNoteSeries } : {}),
        accounts: {
          receivable,
          revenueByVatCode,
          // Merged into the current map by the API; codes without VAT have no output VAT account.
          ...(outputVatChanged ? { outputVat } : {}),
        },
      });
      notify(s.saved);
      onSaved(saved);
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  // Local account errors carry their own message; API ones are translated by code.
  const accountError = (path: string) => {
    const issue = errors.error instanceof ApiError ? errors.error.fieldError(path) : undefined;
    if (!issue) return undefined;
    return issue.code === 'account.invalid' ? issue.message : s.accountInvalid;
  };
  const fieldPaths = [
    'kidMethod',
    'kidComposition',
    'kidCustomerDigits',
    'kidInvoiceDigits',
    'creditNoteSeries',
    'accounts.receivable',
    ...outputVatCodes.map((code) => `accounts.outputVat.${code}`),
    ...Object.keys(draft.revenueByVatCode).map((code) => `accounts.revenueByVatCode.${code}`),
  ];

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page settings-card">
      <FormAlert error={errors.error} fieldPaths={fieldPaths} />
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{s.kidSection}</legend>
        <div className="grid grid--2">
          <SelectField
            label={s.kidMethod}
            value={draft.kidMethod}
            onChange={(value) => set('kidMethod')(value === 'mod11' ? 'mod11' : 'mod10')}
            options={[
              { value: 'mod10', label: s.kidMod10 },
              { value: 'mod11', label: s.kidMod11 },
            ]}
            error={errors.field('kidMethod')}
          />
          <SelectField
            label={s.kidComposition}
            value={draft.kidComposition}
            onChange={(value) => set('kidComposition')(value === 'invoice_number' ? 'invoice_number' : 'customer_and_invoice')}
            options={[
              { value: 'invoice_number', label: s.kidInvoiceOnly },
              { value: 'customer_and_invoice', label: s.kidCustomerAndInvoice },
            ]}
            error={errors.field('kidComposition')}
          />
        </div>
        <div className="grid grid--2">
          {draft.kidComposition === 'customer_and_invoice' ? (
            <TextField
              label={s.kidCustomerDigits}
              value={draft.kidCustomerDigits}
              onChange={set('kidCustomerDigits')}
              inputMode="numeric"
              error={errors.field('kidCustomerDigits')}
            />
          ) : null}
          <TextField
            label={s.kidInvoiceDigits}
            value={draft.kidInvoiceDigits}
            onChange={set('kidInvoiceDigits')}
            inputMode="numeric"
            error={errors.field('kidInvoiceDigits')}
          />
        </div>
        <p className="field__hint" aria-live="polite">
          {example.kid
            ? fill(s.kidExample, { invoice: settings.nextLiveInvoiceNumber, kid: example.kid, length: example.length })
            : fill(s.kidExampleInvalid, { length: example.length })}
        </p>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{s.seriesSection}</legend>
        <div className="grid grid--2">
          <SelectField
            label={s.creditNoteSeries}
            value={draft.creditNoteSeries}
            onChange={(value) => set('creditNoteSeries')(value === 'separate' ? 'separate' : 'invoice')}
            options={[
              { value: 'invoice', label: s.seriesInvoice },
              { value: 'separate', label: s.seriesSeparate },
            ]}
            disabled={settings.hasLiveDocuments}
            hint={settings.hasLiveDocuments ? s.seriesLocked : undefined}
            error={errors.field('creditNoteSeries')}
          />
        </div>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{s.accountsSection}</legend>
        <div className="grid grid--3">
          <TextField
            label={s.receivable}
            value={draft.receivable}
            onChange={set('receivable')}
            inputMode="numeric"
            maxLength={4}
            error={accountError('accounts.receivable')}
          />
        </div>
        <div className="table-wrap">
          <table className="table table--dense accounts-table">
            <thead>
              <tr>
                <th scope="col">{s.vatCode}</th>
                <th scope="col">{s.outputVat}</th>
                <th scope="col">{s.revenue}</th>
              </tr>
            </thead>
            <tbody>
              {reference.vatCodes.map((vat) => {
                const outputPath = `accounts.outputVat.${vat.code}`;
                const revenuePath = `accounts.revenueByVatCode.${vat.code}`;
                return (
                  <tr key={vat.code}>
                    <th scope="row" className="accounts-table__code">
                      {vat.code} <span className="muted small">{language === 'en' ? vat.descriptionEn : vat.descriptionNb}</span>
                    </th>
                    <td>
                      {outputVatCodes.includes(vat.code) ? (
                        <AccountInput
                          label={fill(s.outputVatFor, { code: vat.code })}
                          value={draft.outputVat[vat.code] ?? ''}
                          onChange={(value) => set('outputVat')({ ...draft.outputVat, [vat.code]: value })}
                          error={accountError(outputPath)}
                        />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <AccountInput
                        label={fill(s.revenueFor, { code: vat.code })}
                        value={draft.revenueByVatCode[vat.code] ?? vat.defaultRevenueAccount}
                        onChange={(value) => set('revenueByVatCode')({ ...draft.revenueByVatCode, [vat.code]: value })}
                        error={accountError(revenuePath)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>
      {readOnly ? null : (
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t.common.saving : s.save}
          </Button>
        </div>
      )}
    </form>
  );
}

/** A four-digit account in a table cell: the label is for screen readers, the column header says it for the eye. */
function AccountInput({ label, value, onChange, error }: { label: string; value: string; onChange(value: string): void; error: string | undefined }) {
  return (
    <div className={`account-input${error ? ' field--invalid' : ''}`}>
      <input
        className="input input--compact input--account mono"
        aria-label={label}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        inputMode="numeric"
        maxLength={4}
        aria-invalid={error ? true : undefined}
        title={error}
      />
      {error ? <p className="field__error small">{error}</p> : null}
    </div>
  );
}
