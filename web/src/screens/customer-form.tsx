import { useRef, useState, type FormEvent } from 'react';
import { localValidationError } from '../api/client';
import { api } from '../api/endpoints';
import type { Customer, CustomerInput, CustomerKind, Language } from '../api/types';
import { AddressFields, addressPaths, addressToDraft, draftToAddress, EMPTY_ADDRESS, type AddressDraft } from '../components/address-fields';
import { CustomerBalanceCard } from '../components/payments';
import { CheckboxField, RadioGroup, SelectField, TextAreaField, TextField } from '../components/fields';
import { Alert, Button, ConfirmAction, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { formatInteger } from '../format';
import { useLoad } from '../hooks';
import { problemText, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { intOrNull, orEmpty, orNull } from '../text';
import { peppolIdErrorText } from './peppol-id-error';

interface CustomerDraft {
  kind: CustomerKind;
  name: string;
  orgNumber: string;
  contactName: string;
  email: string;
  phone: string;
  address: AddressDraft;
  hasDeliveryAddress: boolean;
  deliveryAddress: AddressDraft;
  language: Language;
  paymentTermsDays: string;
  peppolId: string;
  /** '' = automatic. */
  deliveryChannel: '' | 'email' | 'ehf';
  notes: string;
}

const EMPTY: CustomerDraft = {
  kind: 'business',
  name: '',
  orgNumber: '',
  contactName: '',
  email: '',
  phone: '',
  address: EMPTY_ADDRESS,
  hasDeliveryAddress: false,
  deliveryAddress: EMPTY_ADDRESS,
  language: 'nb',
  paymentTermsDays: '',
  peppolId: '',
  deliveryChannel: '',
  notes: '',
};

function toDraft(customer: Customer): CustomerDraft {
  return {
    kind: customer.kind,
    name: customer.name,
    orgNumber: orEmpty(customer.orgNumber),
    contactName: orEmpty(customer.contactName),
    email: orEmpty(customer.email),
    phone: orEmpty(customer.phone),
    address: addressToDraft(customer.address),
    hasDeliveryAddress: customer.deliveryAddress !== null,
    deliveryAddress: addressToDraft(customer.deliveryAddress),
    language: customer.language,
    paymentTermsDays: customer.paymentTermsDays === null ? '' : String(customer.paymentTermsDays),
    peppolId: orEmpty(customer.peppolId),
    deliveryChannel: customer.deliveryChannel ?? '',
    notes: orEmpty(customer.notes),
  };
}

const FIELD_PATHS = [
  'kind',
  'name',
  'orgNumber',
  'contactName',
  'email',
  'phone',
  ...addressPaths('address'),
  'deliveryAddress',
  ...addressPaths('deliveryAddress'),
  'language',
  'paymentTermsDays',
  'peppolId',
  'deliveryChannel',
  'notes',
];

function CustomerFormBody({
  initial,
  readOnly,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: CustomerDraft;
  readOnly: boolean;
  submitLabel: string;
  onSubmit(input: CustomerInput): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<CustomerDraft>(initial);
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  /** The PEPPOL id as last sent, to name its scheme in the error (the field may change since). */
  const submittedPeppolId = useRef('');
  useFocusFirstError(formRef, errors.error);
  const c = t.customers;
  const set = <K extends keyof CustomerDraft>(key: K) => (value: CustomerDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const isBusiness = draft.kind === 'business';
  // EHF needs a Peppol address: a business has one by its organisation number, a private person
  // only with a registered PEPPOL id of their own (a sole trader's, a foreign consumer's).
  const canHaveEhf = isBusiness || draft.peppolId.trim() !== '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    const paymentTermsDays = intOrNull(draft.paymentTermsDays);
    if (Number.isNaN(paymentTermsDays)) {
      errors.setError(localValidationError([{ path: 'paymentTermsDays', code: 'invalid_type', message: 'Whole number of days' }]));
      return;
    }
    setBusy(true);
    errors.clear();
    submittedPeppolId.current = draft.peppolId;
    try {
      await onSubmit({
        kind: draft.kind,
        name: draft.name.trim(),
        orgNumber: isBusiness ? orNull(draft.orgNumber) : null,
        contactName: orNull(draft.contactName),
        email: orNull(draft.email),
        phone: orNull(draft.phone),
        address: draftToAddress(draft.address),
        deliveryAddress: draft.hasDeliveryAddress ? draftToAddress(draft.deliveryAddress) : null,
        language: draft.language,
        paymentTermsDays,
        peppolId: orNull(draft.peppolId),
        // A private person without a PEPPOL id has no Peppol address: EHF is not offered then.
        deliveryChannel: draft.deliveryChannel === '' || (!canHaveEhf && draft.deliveryChannel === 'ehf') ? null : draft.deliveryChannel,
        notes: orNull(draft.notes),
      });
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page">
      <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
      <fieldset className="form-section" disabled={readOnly}>
        <RadioGroup
          legend={c.kind}
          name="kind"
          value={draft.kind}
          onChange={(value) => set('kind')(value === 'person' ? 'person' : 'business')}
          options={[
            { value: 'business', label: c.kindBusiness },
            { value: 'person', label: c.kindPerson },
          ]}
          error={errors.field('kind')}
        />
        <div className="grid grid--2">
          <TextField label={c.name} value={draft.name} onChange={set('name')} error={errors.field('name')} required autoComplete="off" />
          {isBusiness ? (
            <TextField label={c.orgNumber} value={draft.orgNumber} onChange={set('orgNumber')} error={errors.field('orgNumber')} hint={t.onboarding.orgNumberHint} inputMode="numeric" optional={t.common.optional} />
          ) : null}
        </div>
        <div className="grid grid--3">
          <TextField label={c.contactName} value={draft.contactName} onChange={set('contactName')} error={errors.field('contactName')} optional={t.common.optional} />
          <TextField label={c.email} type="email" value={draft.email} onChange={set('email')} error={errors.field('email')} optional={t.common.optional} />
          <TextField label={c.phone} type="tel" value={draft.phone} onChange={set('phone')} error={errors.field('phone')} optional={t.common.optional} />
        </div>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{c.addressSection}</legend>
        <AddressFields value={draft.address} onChange={set('address')} labels={t.address} prefix="address" error={errors.field} />
        <CheckboxField label={c.hasDeliveryAddress} checked={draft.hasDeliveryAddress} onChange={set('hasDeliveryAddress')} error={errors.field('deliveryAddress')} />
        {draft.hasDeliveryAddress ? (
          <div className="subsection">
            <AddressFields
              value={draft.deliveryAddress}
              onChange={set('deliveryAddress')}
              labels={{
                line1: c.deliveryLine1,
                line2: c.deliveryLine2,
                postalCode: c.deliveryPostalCode,
                city: c.deliveryCity,
                countryCode: c.deliveryCountryCode,
                countryHint: t.address.countryHint,
              }}
              prefix="deliveryAddress"
              error={errors.field}
            />
          </div>
        ) : null}
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{c.settingsSection}</legend>
        <div className="grid grid--3">
          <SelectField
            label={c.language}
            value={draft.language}
            onChange={(value) => set('language')(value === 'en' ? 'en' : 'nb')}
            options={[
              { value: 'nb', label: t.common.languageNb },
              { value: 'en', label: t.common.languageEn },
            ]}
            error={errors.field('language')}
          />
          <TextField label={c.paymentTerms} value={draft.paymentTermsDays} onChange={set('paymentTermsDays')} error={errors.field('paymentTermsDays')} hint={c.paymentTermsHint} inputMode="numeric" />
          <TextField label={c.peppolId} value={draft.peppolId} onChange={set('peppolId')} error={peppolIdErrorText(t, errors.error, submittedPeppolId.current)} hint={c.peppolIdHint} optional={t.common.optional} />
          <SelectField
            label={t.ehf.customer.deliveryChannel}
            value={!canHaveEhf && draft.deliveryChannel === 'ehf' ? '' : draft.deliveryChannel}
            onChange={(value) => set('deliveryChannel')(value === 'email' || value === 'ehf' ? value : '')}
            options={[
              { value: '', label: t.ehf.customer.auto },
              { value: 'email', label: t.ehf.customer.email },
              ...(canHaveEhf ? [{ value: 'ehf', label: t.ehf.customer.ehf }] : []),
            ]}
            hint={t.ehf.customer.hint}
            error={errors.field('deliveryChannel')}
          />
        </div>
        <TextAreaField label={c.notes} value={draft.notes} onChange={set('notes')} error={errors.field('notes')} rows={3} optional={t.common.optional} />
      </fieldset>
      <div className="form-actions">
        {readOnly ? null : (
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t.common.saving : submitLabel}
          </Button>
        )}
        <Button variant="ghost" onClick={onCancel}>
          {readOnly ? t.common.back : t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

export function CustomerNewScreen() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t.customers.newTitle} />
      <CustomerFormBody
        initial={EMPTY}
        readOnly={false}
        submitLabel={t.common.create}
        onCancel={() => navigate('/customers')}
        onSubmit={async (input) => {
          await api.createCustomer(input);
          notify(t.customers.created);
          navigate('/customers');
        }}
      />
    </>
  );
}

export function CustomerEditScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const canWrite = useCan('customers.write');
  const [state, , replace] = useLoad(`customer:${id}`, () => api.customer(id));
  const [version, setVersion] = useState(0);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return (
      <>
        <Alert kind="error" title={problemText(t, state.error)} />
        <Link to="/customers">{t.common.back}</Link>
      </>
    );
  }
  const customer = state.data;
  const archived = customer.archivedAt !== null;

  async function toggleArchive() {
    try {
      const updated = archived ? await api.unarchiveCustomer(id) : await api.archiveCustomer(id);
      replace(updated);
      notify(archived ? t.customers.unarchiveDone : t.customers.archiveDone);
    } catch (error) {
      notify(problemText(t, error), 'error');
    }
  }

  return (
    <>
      <PageHeader
        title={
          <>
            {customer.name} <span className="muted">#{formatInteger(customer.customerNumber)}</span>
          </>
        }
        actions={
          canWrite ? (
            archived ? (
              <Button onClick={toggleArchive}>{t.common.unarchive}</Button>
            ) : (
              <ConfirmAction label={t.common.archive} question={`${t.common.archive}: ${customer.name}?`} onConfirm={toggleArchive} variant="secondary" />
            )
          ) : null
        }
      />
      {archived ? <Alert kind="info" title={t.customers.archivedNotice} /> : null}
      <CustomerBalanceCard customerId={customer.id} customerName={customer.name} />
      <CustomerFormBody
        key={`${customer.id}:${version}`}
        initial={toDraft(customer)}
        readOnly={!canWrite}
        submitLabel={t.common.save}
        onCancel={() => navigate('/customers')}
        onSubmit={async (input) => {
          const updated = await api.updateCustomer(id, input);
          replace(updated);
          setVersion((v) => v + 1);
          notify(t.customers.saved);
        }}
      />
    </>
  );
}
