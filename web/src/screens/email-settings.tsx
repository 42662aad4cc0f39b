import { useRef, useState, type FormEvent } from 'react';
import { localValidationError, type FieldIssue } from '../api/client';
import { api } from '../api/endpoints';
import type { EmailSettings, EmailTemplate, SmtpSecurity } from '../api/types';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../components/fields';
import { Alert, Button, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { useLoad } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { useCan } from '../session';
import { orEmpty, orNull } from '../text';

interface Draft {
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  password: string;
  removePassword: boolean;
  fromAddress: string;
  fromName: string;
  replyTo: string;
  templates: { nb: EmailTemplate; en: EmailTemplate };
}

const DEFAULT_PORT: Record<SmtpSecurity, string> = { tls: '465', starttls: '587', none: '25' };

function toDraft(settings: EmailSettings): Draft {
  return {
    host: orEmpty(settings.host),
    port: settings.port === null ? DEFAULT_PORT.starttls : String(settings.port),
    security: settings.security ?? 'starttls',
    username: orEmpty(settings.username),
    password: '',
    removePassword: false,
    fromAddress: orEmpty(settings.fromAddress),
    fromName: orEmpty(settings.fromName),
    replyTo: orEmpty(settings.replyTo),
    templates: { nb: { ...settings.templates.nb }, en: { ...settings.templates.en } },
  };
}

const FIELD_PATHS = [
  'host',
  'port',
  'security',
  'username',
  'password',
  'fromAddress',
  'fromName',
  'replyTo',
  'templates.nb.subject',
  'templates.nb.body',
  'templates.en.subject',
  'templates.en.body',
];

/** /company/email: the company's SMTP server, sender and e-mail templates, and a test message. */
export function EmailSettingsScreen() {
  const { t } = useI18n();
  const canUpdate = useCan('company.update');
  const [state, reload, replace] = useLoad('email-settings', () => api.emailSettings());
  const e = t.email.settings;
  return (
    <>
      <PageHeader title={e.title}>{e.intro}</PageHeader>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' ? (
        <>
          {canUpdate ? null : <Alert kind="info" title={e.readOnly} />}
          {state.data.isConfigured ? null : <Alert kind="warning" title={e.notConfigured} />}
          <SettingsForm key={state.data.updatedAt ?? 'new'} settings={state.data} readOnly={!canUpdate} onSaved={replace} />
          {canUpdate ? <TestMail settings={state.data} /> : null}
        </>
      ) : null}
    </>
  );
}

function SettingsForm({ settings, readOnly, onSaved }: { settings: EmailSettings; readOnly: boolean; onSaved(settings: EmailSettings): void }) {
  const { t } = useI18n();
  const e = t.email.settings;
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setTemplate = (language: 'nb' | 'en', part: keyof EmailTemplate) => (value: string) =>
    setDraft((d) => ({ ...d, templates: { ...d.templates, [language]: { ...d.templates[language], [part]: value } } }));

  function changeSecurity(value: string) {
    const security: SmtpSecurity = value === 'tls' || value === 'none' ? value : 'starttls';
    // A port still at the old mode's usual number follows the mode.
    setDraft((d) => ({ ...d, security, port: d.port === DEFAULT_PORT[d.security] || d.port === '' ? DEFAULT_PORT[security] : d.port }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    const local: FieldIssue[] = [];
    const port = Number(draft.port.trim());
    if (!/^\d{1,5}$/.test(draft.port.trim()) || port < 1 || port > 65535) {
      local.push({ path: 'port', code: 'invalid_type', message: t.errors.fields['invalid_type'] ?? '' });
    }
    if (local.length > 0) {
      errors.setError(localValidationError(local));
      return;
    }
    setBusy(true);
    errors.clear();
    try {
      const username = orNull(draft.username);
      const saved = await api.updateEmailSettings({
        host: draft.host.trim(),
        port,
        security: draft.security,
        username,
        ...(draft.removePassword ? { password: null } : draft.password !== '' ? { password: draft.password } : {}),
        fromAddress: draft.fromAddress.trim(),
        fromName: orNull(draft.fromName),
        replyTo: orNull(draft.replyTo),
        templates: draft.templates,
      });
      notify(e.saved);
      onSaved(saved);
    } catch (error) {
      errors.setError(error);
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page settings-card" aria-label={e.title}>
      <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{e.serverSection}</legend>
        <div className="grid grid--3">
          <TextField label={e.host} value={draft.host} onChange={set('host')} error={errors.field('host')} hint={e.hostHint} autoComplete="off" required />
          <SelectField
            label={e.security}
            value={draft.security}
            onChange={changeSecurity}
            options={[
              { value: 'starttls', label: e.securityStarttls },
              { value: 'tls', label: e.securityTls },
              { value: 'none', label: e.securityNone },
            ]}
            error={errors.field('security')}
          />
          <TextField label={e.port} value={draft.port} onChange={set('port')} error={errors.field('port')} inputMode="numeric" maxLength={5} />
        </div>
        <div className="grid grid--2">
          <TextField
            label={e.username}
            value={draft.username}
            onChange={set('username')}
            error={errors.field('username')}
            hint={e.usernameHint}
            optional={t.common.optional}
            autoComplete="off"
          />
          <TextField
            label={e.password}
            type="password"
            value={draft.password}
            onChange={set('password')}
            error={errors.field('password')}
            hint={settings.hasPassword ? e.passwordStored : e.passwordNone}
            placeholder={settings.hasPassword ? '••••••••' : ''}
            autoComplete="new-password"
            disabled={draft.removePassword}
          />
        </div>
        {settings.hasPassword ? (
          <CheckboxField label={e.removePassword} checked={draft.removePassword} onChange={set('removePassword')} />
        ) : null}
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{e.senderSection}</legend>
        <div className="grid grid--3">
          <TextField label={e.fromAddress} type="email" value={draft.fromAddress} onChange={set('fromAddress')} error={errors.field('fromAddress')} hint={e.fromAddressHint} required />
          <TextField label={e.fromName} value={draft.fromName} onChange={set('fromName')} error={errors.field('fromName')} hint={e.fromNameHint} optional={t.common.optional} />
          <TextField label={e.replyTo} type="email" value={draft.replyTo} onChange={set('replyTo')} error={errors.field('replyTo')} hint={e.replyToHint} optional={t.common.optional} />
        </div>
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{e.templatesSection}</legend>
        <p className="field__hint">{e.templatesIntro}</p>
        <ul className="placeholder-list">
          {settings.placeholders.map((name) => (
            <li key={name}>
              <code>{`{${name}}`}</code> <span className="muted">{e.placeholders[name] ?? ''}</span>
            </li>
          ))}
        </ul>
        {(['nb', 'en'] as const).map((language) => (
          <div className="subsection" key={language}>
            <h3 className="form-section__title">{language === 'nb' ? e.templateNb : e.templateEn}</h3>
            <TextField
              label={`${e.subject} (${language})`}
              value={draft.templates[language].subject}
              onChange={setTemplate(language, 'subject')}
              error={errors.field(`templates.${language}.subject`)}
            />
            <TextAreaField
              label={`${e.body} (${language})`}
              value={draft.templates[language].body}
              onChange={setTemplate(language, 'body')}
              error={errors.field(`templates.${language}.body`)}
              rows={10}
            />
          </div>
        ))}
        {readOnly ? null : (
          <Button onClick={() => set('templates')({ nb: { ...settings.defaultTemplates.nb }, en: { ...settings.defaultTemplates.en } })}>
            {e.resetTemplates}
          </Button>
        )}
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

function TestMail({ settings }: { settings: EmailSettings }) {
  const { t } = useI18n();
  const e = t.email.settings;
  const [to, setTo] = useState(settings.replyTo ?? settings.fromAddress ?? '');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; recipient: string } | { ok: false; error: unknown } | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setResult(null);
    try {
      const sent = await api.sendTestEmail(to.trim());
      setResult({ ok: true, recipient: sent.recipient });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={send} noValidate className="form form--page settings-card" aria-label={e.testSection}>
      <h2 className="form-section__title">{e.testSection}</h2>
      {settings.isConfigured ? null : <p className="field__hint">{e.testNeedsSave}</p>}
      {result?.ok ? <Alert kind="success" title={fill(e.testSent, { recipient: result.recipient })} /> : null}
      {result && !result.ok ? <Alert kind="error" title={problemText(t, result.error)} /> : null}
      <div className="grid grid--2">
        <TextField label={e.testTo} type="email" value={to} onChange={setTo} disabled={!settings.isConfigured} />
      </div>
      <div className="form-actions">
        <Button type="submit" disabled={busy || !settings.isConfigured || to.trim() === ''}>
          {e.testSend}
        </Button>
      </div>
    </form>
  );
}
