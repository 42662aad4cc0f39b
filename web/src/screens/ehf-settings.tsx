import { useRef, useState, type FormEvent } from 'react';
import { type AccessPointKind, ehfApi, type EhfSettings } from '../api/ehf';
import { CheckboxField, RadioGroup, TextField } from '../components/fields';
import { Alert, Button, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { useLoad } from '../hooks';
import { problemText, useI18n } from '../i18n';
import { useCan } from '../session';
import { orEmpty, orNull } from '../text';

interface Draft {
  attachPdf: boolean;
  accessPointKind: AccessPointKind;
  accessPointUrl: string;
  token: string;
  removeToken: boolean;
  folderPath: string;
}

function toDraft(settings: EhfSettings): Draft {
  return {
    attachPdf: settings.attachPdf,
    accessPointKind: settings.accessPointKind,
    accessPointUrl: orEmpty(settings.accessPointUrl),
    token: '',
    removeToken: false,
    folderPath: orEmpty(settings.folderPath),
  };
}

const FIELD_PATHS = ['attachPdf', 'accessPointKind', 'accessPointUrl', 'token', 'folderPath'];

/** /company/ehf: whether the EHF carries the PDF, and the access point documents are handed to. */
export function EhfSettingsScreen() {
  const { t } = useI18n();
  const canUpdate = useCan('company.update');
  const [state, reload, replace] = useLoad('ehf-settings', () => ehfApi.settings());
  const e = t.ehf.settings;
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
        </>
      ) : null}
    </>
  );
}

function SettingsForm({ settings, readOnly, onSaved }: { settings: EhfSettings; readOnly: boolean; onSaved(settings: EhfSettings): void }) {
  const { t } = useI18n();
  const e = t.ehf.settings;
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const set = <K extends keyof Draft>(key: K) => (value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    setBusy(true);
    errors.clear();
    try {
      const saved = await ehfApi.saveSettings({
        attachPdf: draft.attachPdf,
        accessPointKind: draft.accessPointKind,
        accessPointUrl: orNull(draft.accessPointUrl),
        folderPath: orNull(draft.folderPath),
        // Write-only: sent only when typed in (or removed on purpose).
        ...(draft.removeToken ? { token: null } : draft.token !== '' ? { token: draft.token } : {}),
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
        <legend className="form-section__title">{e.documentSection}</legend>
        <CheckboxField label={e.attachPdf} checked={draft.attachPdf} onChange={set('attachPdf')} hint={e.attachPdfHint} error={errors.field('attachPdf')} />
      </fieldset>
      <fieldset className="form-section" disabled={readOnly}>
        <legend className="form-section__title">{e.accessPointSection}</legend>
        <RadioGroup
          legend={e.kind}
          name="access-point-kind"
          value={draft.accessPointKind}
          onChange={(value) => set('accessPointKind')(value === 'http' || value === 'folder' ? value : 'none')}
          options={[
            { value: 'none', label: e.kindNone },
            { value: 'http', label: e.kindHttp },
            { value: 'folder', label: e.kindFolder },
          ]}
          error={errors.field('accessPointKind')}
        />
        {draft.accessPointKind === 'http' ? (
          <div className="grid grid--2">
            <TextField
              label={e.url}
              type="url"
              value={draft.accessPointUrl}
              onChange={set('accessPointUrl')}
              error={errors.field('accessPointUrl')}
              hint={e.urlHint}
              autoComplete="off"
              required
            />
            <TextField
              label={e.token}
              type="password"
              value={draft.token}
              onChange={set('token')}
              error={errors.field('token')}
              hint={`${e.tokenHint} ${settings.hasToken ? e.tokenStored : e.tokenNone}`}
              placeholder={settings.hasToken ? '••••••••' : ''}
              autoComplete="new-password"
              disabled={draft.removeToken}
            />
          </div>
        ) : null}
        {draft.accessPointKind === 'http' && settings.hasToken ? (
          <CheckboxField label={e.removeToken} checked={draft.removeToken} onChange={set('removeToken')} />
        ) : null}
        {draft.accessPointKind === 'folder' ? (
          <div className="grid grid--2">
            <TextField
              label={e.folder}
              value={draft.folderPath}
              onChange={set('folderPath')}
              error={errors.field('folderPath')}
              hint={e.folderHint}
              autoComplete="off"
              required
            />
          </div>
        ) : null}
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
