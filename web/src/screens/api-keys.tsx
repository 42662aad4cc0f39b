import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { ApiKey, Role } from '../api/types';
import { ROLES } from '../api/types';
import { SelectField, TextField } from '../components/fields';
import { Alert, Badge, Button, ConfirmAction, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { formatDate, formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { assignableRoles } from '../permissions';
import { useSession } from '../session';

/** The new key, shown once. Leaving it (Ferdig) forgets it for good. */
function NewKeyBox({ name, secret, onDone }: { name: string; secret: string; onDone(): void }) {
  const { t } = useI18n();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const a = t.apiKeys;

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopyState('copied');
    } catch {
      inputRef.current?.select();
      setCopyState(document.execCommand?.('copy') ? 'copied' : 'failed');
    }
  }

  return (
    <section className="secret-box" aria-labelledby={`${id}-title`}>
      <h2 className="section-title" id={`${id}-title`}>
        {fill(a.newKeyTitle, { name })}
      </h2>
      <Alert kind="warning" title={a.newKeyWarning} />
      <label htmlFor={id} className="field__label">
        {a.newKeyLabel}
      </label>
      <div className="secret-box__row">
        <input
          ref={inputRef}
          id={id}
          className="input input--mono"
          value={secret}
          readOnly
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button variant="primary" onClick={copy}>
          {copyState === 'copied' ? a.copied : a.copy}
        </Button>
      </div>
      {copyState === 'failed' ? <p className="field__hint">{a.copyFailed}</p> : null}
      <div className="form-actions">
        <Button onClick={onDone}>{t.common.done}</Button>
      </div>
    </section>
  );
}

const CREATE_PATHS = ['name', 'role'];

function CreateKeyForm({ onCreated }: { onCreated(apiKey: ApiKey, secret: string): void }) {
  const { t } = useI18n();
  const { role } = useSession();
  const choices = assignableRoles(role);
  const [name, setName] = useState('');
  const [keyRole, setKeyRole] = useState<Role>('biller');
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const a = t.apiKeys;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    errors.clear();
    try {
      const created = await api.createApiKey(name.trim(), keyRole);
      setName('');
      onCreated(created.apiKey, created.key);
    } catch (error) {
      errors.setError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card card--padded" aria-labelledby="create-key-title">
      <h2 className="section-title" id="create-key-title">
        {a.createTitle}
      </h2>
      <form ref={formRef} onSubmit={submit} noValidate className="form">
        <FormAlert error={errors.error} fieldPaths={CREATE_PATHS} />
        <div className="grid grid--2">
          <TextField label={a.name} value={name} onChange={setName} error={errors.field('name')} autoComplete="off" required />
          <SelectField
            label={a.role}
            value={keyRole}
            onChange={(value) => setKeyRole((ROLES as readonly string[]).includes(value) ? (value as Role) : 'biller')}
            options={choices.map((choice) => ({ value: choice, label: t.roles[choice] }))}
            error={errors.field('role')}
          />
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? t.common.saving : a.createSubmit}
          </Button>
        </div>
      </form>
    </section>
  );
}

export function ApiKeysScreen() {
  const { t } = useI18n();
  const [state, reload, replace] = useLoad('api-keys', () => api.apiKeys());
  const [fresh, setFresh] = useState<{ name: string; secret: string } | null>(null);
  const a = t.apiKeys;
  const keys = state.status === 'ready' ? state.data.items : [];

  return (
    <>
      <PageHeader title={a.title}>{a.intro}</PageHeader>
      {fresh ? <NewKeyBox name={fresh.name} secret={fresh.secret} onDone={() => setFresh(null)} /> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' && keys.length === 0 ? <p className="empty">{a.empty}</p> : null}
      {keys.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{a.name}</th>
                <th scope="col">{a.role}</th>
                <th scope="col">{a.prefix}</th>
                <th scope="col">{a.created}</th>
                <th scope="col">{a.lastUsed}</th>
                <th scope="col">{a.status}</th>
                <th scope="col">
                  <span className="visually-hidden">{a.revoke}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className={key.revokedAt ? 'row--muted' : undefined}>
                  <td>{key.name}</td>
                  <td>{t.roles[key.role]}</td>
                  <td>
                    <code>ffk_{key.prefix}_…</code>
                  </td>
                  <td className="nowrap">{formatDate(key.createdAt)}</td>
                  <td className="nowrap">{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : a.never}</td>
                  <td>
                    {key.revokedAt ? (
                      <Badge tone="danger">{fill(a.revoked, { date: formatDate(key.revokedAt) })}</Badge>
                    ) : (
                      <Badge tone="success">{a.active}</Badge>
                    )}
                  </td>
                  <td className="actions">
                    {key.revokedAt ? null : (
                      <ConfirmAction
                        label={a.revoke}
                        question={fill(a.revokeConfirm, { name: key.name })}
                        onConfirm={async () => {
                          try {
                            const revoked = await api.revokeApiKey(key.id);
                            replace({ items: keys.map((entry) => (entry.id === revoked.id ? revoked : entry)) });
                            notify(fill(a.revokedDone, { name: key.name }));
                          } catch (error) {
                            notify(problemText(t, error), 'error');
                          }
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateKeyForm
        onCreated={(apiKey, secret) => {
          replace({ items: [apiKey, ...keys] });
          setFresh({ name: apiKey.name, secret });
          window.scrollTo(0, 0);
        }}
      />
    </>
  );
}
