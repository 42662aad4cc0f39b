import { useRef, useState, type FormEvent } from 'react';
import { localValidationError } from '../api/client';
import { api } from '../api/endpoints';
import type { Company, Language } from '../api/types';
import { AddressFields, addressPaths, addressToDraft, draftToAddress, type AddressDraft } from '../components/address-fields';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { Alert, Button, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { formatOrgNumber } from '../format';
import { useLoad } from '../hooks';
import { problemText, useI18n } from '../i18n';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import { intOrNull, orEmpty, orNull } from '../text';
import { InvoiceSettingsSection } from './invoice-settings';

interface CompanyDraft {
  legalName: string;
  isVatRegistered: boolean;
  isInForetaksregisteret: boolean;
  address: AddressDraft;
  email: string;
  phone: string;
  website: string;
  bankAccount: string;
  iban: string;
  bic: string;
  paymentTermsDays: string;
  defaultLanguage: Language;
}

function toDraft(company: Company): CompanyDraft {
  return {
    legalName: company.legalName,
    isVatRegistered: company.isVatRegistered,
    isInForetaksregisteret: company.isInForetaksregisteret,
    address: addressToDraft(company.address),
    email: orEmpty(company.email),
    phone: orEmpty(company.phone),
    website: orEmpty(company.website),
    bankAccount: orEmpty(company.bankAccount),
    iban: orEmpty(company.iban),
    bic: orEmpty(company.bic),
    paymentTermsDays: String(company.paymentTermsDays),
    defaultLanguage: company.defaultLanguage,
  };
}

const FIELD_PATHS = [
  'legalName',
  'isVatRegistered',
  'isInForetaksregisteret',
  ...addressPaths('address'),
  'email',
  'phone',
  'website',
  'bankAccount',
  'iban',
  'bic',
  'paymentTermsDays',
  'defaultLanguage',
];

function CompanyForm({ company, readOnly, onSaved }: { company: Company; readOnly: boolean; onSaved(company: Company): void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CompanyDraft>(() => toDraft(company));
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const c = t.company;
  const set = <K extends keyof CompanyDraft>(key: K) => (value: CompanyDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    const paymentTermsDays = intOrNull(draft.paymentTermsDays);
    if (paymentTermsDays === null || Number.isNaN(paymentTermsDays)) {
      errors.setError(localValidationError([{ path: 'paymentTermsDays', code: 'invalid_type', message: 'Whole number of days' }]));
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      const saved = await api.updateCompany({
        legalName: draft.legalName.trim(),
        isVatRegistered: draft.isVatRegistered,
        isInForetaksregisteret: draft.isInForetaksregisteret,
        address: draftToAddress(draft.address),
        email: orNull(draft.email),
        phone: orNull(draft.phone),
        website: orNull(draft.website),
        bankAccount: orNull(draft.bankAccount),
        iban: orNull(draft.iban),
        bic: orNull(draft.bic),
        paymentTermsDays,
        defaultLanguage: draft.defaultLanguage,
      });
      setDraft(toDraft(saved));
      onSaved(saved);
      notify(c.saved);
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page">
      {readOnly ? <Alert kind="info" title={c.readOnly} /> : null}
      <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
      <fieldset className="form-section" disabled={readOnly}>
        <div className="grid grid--2">
          <TextField label={c.legalName} value={draft.legalName} onChange={set('legalName')} error={errors.field('legalName')} autoComplete="organization" required />
          <TextField label={c.orgNumber} value={formatOrgNumber(company.orgNumber)} onChange={() => undefined} readOnly hint={c.orgNumberFixed} />
        </div>
        <CheckboxField label={c.vatRegistered} checked={draft.isVatRegistered} onChange={set('isVatRegistered')} error={errors.field('isVatRegistered')} />
        <CheckboxField label={c.foretaksregisteret} checked={draft.isInForetaksregisteret} onChange={set('isInForetaksregisteret')} error={errors.field('isInForetaksregisteret')} />
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{t.customers.addressSection}</legend>
        <AddressFields value={draft.address} onChange={set('address')} labels={t.address} prefix="address" error={errors.field} />
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{c.contactSection}</legend>
        <div className="grid grid--3">
          <TextField label={c.email} type="email" value={draft.email} onChange={set('email')} error={errors.field('email')} optional={t.common.optional} />
          <TextField label={c.phone} type="tel" value={draft.phone} onChange={set('phone')} error={errors.field('phone')} optional={t.common.optional} />
          <TextField label={c.website} type="url" value={draft.website} onChange={set('website')} error={errors.field('website')} optional={t.common.optional} />
        </div>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{c.paymentSection}</legend>
        <div className="grid grid--3">
          <TextField label={c.bankAccount} value={draft.bankAccount} onChange={set('bankAccount')} error={errors.field('bankAccount')} hint={t.onboarding.bankAccountHint} inputMode="numeric" />
          <TextField label={c.iban} value={draft.iban} onChange={set('iban')} error={errors.field('iban')} optional={t.common.optional} />
          <TextField label={c.bic} value={draft.bic} onChange={set('bic')} error={errors.field('bic')} optional={t.common.optional} />
        </div>
        <div className="grid grid--3">
          <TextField label={c.paymentTerms} value={draft.paymentTermsDays} onChange={set('paymentTermsDays')} error={errors.field('paymentTermsDays')} inputMode="numeric" />
          <SelectField
            label={c.defaultLanguage}
            value={draft.defaultLanguage}
            onChange={(value) => set('defaultLanguage')(value === 'en' ? 'en' : 'nb')}
            options={[
              { value: 'nb', label: t.common.languageNb },
              { value: 'en', label: t.common.languageEn },
            ]}
            error={errors.field('defaultLanguage')}
          />
        </div>
      </fieldset>
      {readOnly ? null : (
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t.common.saving : t.common.save}
          </Button>
        </div>
      )}
    </form>
  );
}

export function CompanyScreen() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const canUpdate = useCan('company.update');
  const [state, reload, replace] = useLoad('company', () => api.company());

  return (
    <>
      <PageHeader
        title={t.company.title}
        actions={
          <>
            <Link to="/company/document-template">{t.documents.template.link}</Link>
            <Link to="/company/email">{t.email.settings.title}</Link>
            <Link to="/company/ehf">{t.ehf.settings.title}</Link>
          </>
        }
      />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' ? (
        <CompanyForm
          company={state.data}
          readOnly={!canUpdate}
          onSaved={(company) => {
            replace(company);
            // The legal name shows in the company switcher.
            void refresh().catch(() => undefined);
          }}
        />
      ) : null}
      <InvoiceSettingsSection />
    </>
  );
}
