import { useRef, useState, type FormEvent } from 'react';
import { localValidationError } from '../api/client';
import { api } from '../api/endpoints';
import type { Session } from '../api/types';
import { CheckboxField, TextField } from '../components/fields';
import { Button, FormAlert, useApiErrors, useFocusFirstError } from '../components/ui';
import { useI18n } from '../i18n';
import { orNull } from '../text';
import { AuthLayout } from './auth-layout';

const FIELD_PATHS = [
  'company.legalName',
  'company.orgNumber',
  'company.isVatRegistered',
  'company.isInForetaksregisteret',
  'company.address.line1',
  'company.address.postalCode',
  'company.address.city',
  'company.bankAccount',
  'company.email',
  'owner.name',
  'owner.email',
  'owner.password',
] as const;

/** First run: one form for the company and its owner; success logs the owner in. */
export function Onboarding({ onDone }: { onDone(session: Session): void }) {
  const { t, language } = useI18n();
  const [legalName, setLegalName] = useState('');
  const [orgNumber, setOrgNumber] = useState('');
  const [isVatRegistered, setVatRegistered] = useState(true);
  const [isInForetaksregisteret, setForetaksregisteret] = useState(true);
  const [line1, setLine1] = useState('');
  const [postalCode, setPostalCode] = useState('');
  const [city, setCity] = useState('');
  const [bankAccount, setBankAccount] = useState('');
  const [companyEmail, setCompanyEmail] = useState('');
  const [ownerName, setOwnerName] = useState('');
  const [ownerEmail, setOwnerEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (password.length < 10) {
      // Checked here too so the owner is not sent round for the obvious.
      errors.setError(
        localValidationError([{ path: 'owner.password', code: 'too_small', message: t.errors.passwordTooShort }]),
      );
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      const session = await api.onboard({
        company: {
          legalName: legalName.trim(),
          orgNumber: orgNumber.trim(),
          isVatRegistered,
          isInForetaksregisteret,
          address: { line1: orNull(line1), line2: null, postalCode: orNull(postalCode), city: orNull(city), countryCode: 'NO' },
          bankAccount: orNull(bankAccount),
          email: orNull(companyEmail),
        },
        owner: { name: ownerName.trim(), email: ownerEmail.trim(), password, language },
      });
      onDone(session);
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  const o = t.onboarding;
  return (
    <AuthLayout title={o.title} wide>
      <p className="lead">{o.intro}</p>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
        <fieldset className="form-section">
          <legend className="form-section__title">{o.companySection}</legend>
          <div className="grid grid--2">
            <TextField label={o.legalName} value={legalName} onChange={setLegalName} error={errors.field('company.legalName')} autoComplete="organization" required />
            <TextField label={o.orgNumber} value={orgNumber} onChange={setOrgNumber} error={errors.field('company.orgNumber')} hint={o.orgNumberHint} inputMode="numeric" required />
          </div>
          <CheckboxField label={o.vatRegistered} checked={isVatRegistered} onChange={setVatRegistered} error={errors.field('company.isVatRegistered')} />
          <CheckboxField label={o.foretaksregisteret} checked={isInForetaksregisteret} onChange={setForetaksregisteret} error={errors.field('company.isInForetaksregisteret')} />
          <TextField label={t.address.line1} value={line1} onChange={setLine1} error={errors.field('company.address.line1')} autoComplete="street-address" />
          <div className="grid grid--postal">
            <TextField label={t.address.postalCode} value={postalCode} onChange={setPostalCode} error={errors.field('company.address.postalCode')} autoComplete="postal-code" inputMode="numeric" />
            <TextField label={t.address.city} value={city} onChange={setCity} error={errors.field('company.address.city')} autoComplete="address-level2" />
          </div>
          <div className="grid grid--2">
            <TextField label={o.bankAccount} value={bankAccount} onChange={setBankAccount} error={errors.field('company.bankAccount')} hint={o.bankAccountHint} inputMode="numeric" />
            <TextField label={o.companyEmail} type="email" value={companyEmail} onChange={setCompanyEmail} error={errors.field('company.email')} autoComplete="email" />
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend className="form-section__title">{o.ownerSection}</legend>
          <TextField label={o.ownerName} value={ownerName} onChange={setOwnerName} error={errors.field('owner.name')} autoComplete="name" required />
          <div className="grid grid--2">
            <TextField label={o.ownerEmail} type="email" value={ownerEmail} onChange={setOwnerEmail} error={errors.field('owner.email')} autoComplete="username" required />
            <TextField label={o.password} type="password" value={password} onChange={setPassword} error={errors.field('owner.password')} hint={o.passwordHint} autoComplete="new-password" required />
          </div>
        </fieldset>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? o.submitting : o.submit}
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
