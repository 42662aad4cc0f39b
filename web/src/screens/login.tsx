import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { Session } from '../api/types';
import { TextField } from '../components/fields';
import { Button, FormAlert, useApiErrors, useFocusFirstError } from '../components/ui';
import { useI18n } from '../i18n';
import { AuthLayout } from './auth-layout';

const FIELD_PATHS = ['email', 'password'] as const;

export function Login({ onDone }: { onDone(session: Session): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.clear();
    try {
      onDone(await api.login(email.trim(), password));
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  return (
    <AuthLayout title={t.login.title}>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
        <TextField
          label={t.login.email}
          type="email"
          value={email}
          onChange={setEmail}
          error={errors.field('email')}
          autoComplete="username"
          autoFocus
          required
        />
        <TextField
          label={t.login.password}
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.field('password')}
          autoComplete="current-password"
          required
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy} className="btn--block">
            {busy ? t.login.submitting : t.login.submit}
          </Button>
        </div>
      </form>
    </AuthLayout>
  );
}
