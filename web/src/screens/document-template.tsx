import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import {
  type DocumentDesign,
  type DocumentFont,
  type DocumentTemplate,
  type DocumentTemplateSettings,
  documentTemplateApi,
  type OptionalField,
} from '../api/document-template';
import { ApiError } from '../api/client';
import type { Language } from '../api/types';
import { CheckboxField, RadioGroup, SelectField, TextAreaField, TextField } from '../components/fields';
import { Alert, Button, FormAlert, Loading, notify, PageHeader, useApiErrors } from '../components/ui';
import { useDebounced, useLoad } from '../hooks';
import { fieldErrorText, fill, problemText, useI18n } from '../i18n';
import { renderPdfPage } from '../pdf-render';
import { Link } from '../router';
import { useCan } from '../session';
import { orEmpty, orNull } from '../text';

const DESIGNS: readonly DocumentDesign[] = ['classic', 'modern', 'compact'];
const FONTS: readonly DocumentFont[] = ['sans', 'serif', 'condensed'];
const OPTIONAL_FIELDS: readonly OptionalField[] = [
  'ourReference',
  'buyerReference',
  'orderReference',
  'deliveryAddress',
  'customerNumber',
  'sellerContact',
  'productNumbers',
];
const HEX = /^#[0-9a-fA-F]{6}$/;
const FIELD_PATHS = ['design', 'accentColor', 'font', 'headerText', 'footerText', 'paymentText', 'showFields', 'logo'];

interface Draft {
  design: DocumentDesign;
  accentColor: string;
  /** What is typed in the hex box; becomes `accentColor` when it is a valid colour. */
  accentText: string;
  font: DocumentFont;
  headerText: string;
  footerText: string;
  paymentText: string;
  showFields: Record<OptionalField, boolean>;
}

function toDraft(template: DocumentTemplate): Draft {
  return {
    design: template.design,
    accentColor: template.accentColor,
    accentText: template.accentColor,
    font: template.font,
    headerText: orEmpty(template.headerText),
    footerText: orEmpty(template.footerText),
    paymentText: orEmpty(template.paymentText),
    showFields: { ...template.showFields },
  };
}

function toSettings(draft: Draft): DocumentTemplateSettings {
  return {
    design: draft.design,
    accentColor: draft.accentColor,
    font: draft.font,
    headerText: orNull(draft.headerText),
    footerText: orNull(draft.footerText),
    paymentText: orNull(draft.paymentText),
    showFields: draft.showFields,
  };
}

/** /company/document-template: the template editor with a live preview of the real PDF. */
export function DocumentTemplateScreen() {
  const { t } = useI18n();
  const [state, reload, replace] = useLoad('document-template', () => documentTemplateApi.get());
  const s = t.documents.template;
  return (
    <>
      <PageHeader title={s.title} actions={<Link to="/company">{t.company.title}</Link>}>
        {s.intro}
      </PageHeader>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' ? <TemplateEditor key={state.data.version} template={state.data} onSaved={replace} /> : null}
    </>
  );
}

function TemplateEditor({ template, onSaved }: { template: DocumentTemplate; onSaved(template: DocumentTemplate): void }) {
  const { t, language: uiLanguage } = useI18n();
  const s = t.documents.template;
  const canUpdate = useCan('company.update');
  const [draft, setDraft] = useState<Draft>(() => toDraft(template));
  const [logo, setLogo] = useState(template.logo);
  const [previewLanguage, setPreviewLanguage] = useState<Language>(uiLanguage);
  const [saving, setSaving] = useState(false);
  const [logoBusy, setLogoBusy] = useState(false);
  const [logoError, setLogoError] = useState<string | undefined>(undefined);
  const errors = useApiErrors();
  const fileId = useId();

  const settings = useMemo(() => toSettings(draft), [draft]);
  const dirty = JSON.stringify(settings) !== JSON.stringify(toSettings(toDraft(template)));
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    errors.clear();
    try {
      const saved = await documentTemplateApi.save(settings);
      notify(s.saved);
      onSaved(saved);
    } catch (cause) {
      errors.setError(cause);
    } finally {
      setSaving(false);
    }
  }

  async function uploadLogo(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setLogoBusy(true);
    setLogoError(undefined);
    try {
      const updated = await documentTemplateApi.uploadLogo(file);
      setLogo(updated.logo);
      notify(s.logoUploaded);
    } catch (cause) {
      const issue = cause instanceof ApiError ? cause.fieldErrors[0] : undefined;
      setLogoError(issue ? fieldErrorText(t, issue) : problemText(t, cause));
    } finally {
      setLogoBusy(false);
    }
  }

  async function removeLogo() {
    setLogoBusy(true);
    setLogoError(undefined);
    try {
      const updated = await documentTemplateApi.deleteLogo();
      setLogo(updated.logo);
      notify(s.logoRemoved);
    } catch (cause) {
      setLogoError(problemText(t, cause));
    } finally {
      setLogoBusy(false);
    }
  }

  const fieldError = errors.field;
  const readOnly = !canUpdate;

  return (
    <div className="template-editor">
      <form className="template-editor__form card card--padded" onSubmit={save} noValidate>
        {readOnly ? <Alert kind="info" title={s.readOnly} /> : null}
        <FormAlert error={errors.error} fieldPaths={FIELD_PATHS} />
        <fieldset className="template-editor__section" disabled={readOnly}>
          <legend className="section-title">{s.designSection}</legend>
          <RadioGroup
            legend={s.design}
            name="design"
            value={draft.design}
            options={DESIGNS.map((design) => ({ value: design, label: s.designs[design] }))}
            onChange={(value) => update({ design: value as DocumentDesign })}
            disabled={readOnly}
          />
          <div className="template-editor__color">
            <label className="field__label" htmlFor={`${fileId}-color`}>
              {s.accentColor}
            </label>
            <input
              id={`${fileId}-color`}
              type="color"
              className="template-editor__swatch"
              value={draft.accentColor}
              onChange={(event) => update({ accentColor: event.target.value, accentText: event.target.value })}
            />
            <TextField
              label={s.accentColorHex}
              hint={s.accentColorHint}
              value={draft.accentText}
              maxLength={7}
              error={fieldError('accentColor') ?? (HEX.test(draft.accentText) ? undefined : t.documents.fields['accentColor.invalid_format'])}
              onChange={(value) => update(HEX.test(value) ? { accentText: value, accentColor: value.toLowerCase() } : { accentText: value })}
            />
          </div>
          <SelectField
            label={s.font}
            value={draft.font}
            options={FONTS.map((font) => ({ value: font, label: s.fonts[font] }))}
            onChange={(value) => update({ font: value as DocumentFont })}
          />
        </fieldset>

        <fieldset className="template-editor__section" disabled={readOnly || logoBusy}>
          <legend className="section-title">{s.logo}</legend>
          <p className="muted" data-testid="logo-status">
            {logo ? fill(s.logoStored, { width: logo.width, height: logo.height, type: logo.contentType === 'image/png' ? 'PNG' : 'JPEG' }) : s.logoNone}
          </p>
          <div className="template-editor__logo-actions">
            <label className="btn btn--secondary" htmlFor={fileId}>
              {s.uploadLogo}
            </label>
            <input
              id={fileId}
              className="visually-hidden"
              type="file"
              accept="image/png,image/jpeg"
              onChange={uploadLogo}
              aria-describedby={`${fileId}-hint`}
            />
            {logo ? (
              <Button variant="ghost" onClick={removeLogo}>
                {s.removeLogo}
              </Button>
            ) : null}
          </div>
          <p className="field__hint" id={`${fileId}-hint`}>
            {s.logoHint}
          </p>
          {logoError ? (
            <p className="field__error" role="alert">
              {logoError}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="template-editor__section" disabled={readOnly}>
          <legend className="section-title">{s.textsSection}</legend>
          <TextAreaField label={s.headerText} optional={t.common.optional} value={draft.headerText} maxLength={500} rows={2} error={fieldError('headerText')} onChange={(value) => update({ headerText: value })} />
          <TextAreaField label={s.footerText} optional={t.common.optional} value={draft.footerText} maxLength={500} rows={2} error={fieldError('footerText')} onChange={(value) => update({ footerText: value })} />
          <TextAreaField label={s.paymentText} optional={t.common.optional} value={draft.paymentText} maxLength={300} rows={2} error={fieldError('paymentText')} onChange={(value) => update({ paymentText: value })} />
        </fieldset>

        <fieldset className="template-editor__section" disabled={readOnly}>
          <legend className="section-title">{s.fieldsSection}</legend>
          <p className="field__hint">{s.fieldsHint}</p>
          {OPTIONAL_FIELDS.map((field) => (
            <CheckboxField
              key={field}
              label={s.fields[field]}
              checked={draft.showFields[field]}
              disabled={readOnly}
              onChange={(checked) => update({ showFields: { ...draft.showFields, [field]: checked } })}
            />
          ))}
        </fieldset>

        {readOnly ? null : (
          <div className="form-actions">
            {dirty ? <span className="muted small">{s.unsaved}</span> : null}
            <Button type="submit" variant="primary" disabled={saving || !HEX.test(draft.accentText)}>
              {saving ? t.common.saving : s.save}
            </Button>
          </div>
        )}
      </form>

      <Preview settings={settings} language={previewLanguage} onLanguage={setPreviewLanguage} logoKey={logo?.sha256 ?? ''} />
    </div>
  );
}

/**
 * The real rendering: the server renders the sample invoice with the unsaved
 * settings (debounced), pdf.js draws its first page on a canvas.
 */
function Preview({
  settings,
  language,
  onLanguage,
  logoKey,
}: {
  settings: DocumentTemplateSettings;
  language: Language;
  onLanguage(language: Language): void;
  logoKey: string;
}) {
  const { t } = useI18n();
  const s = t.documents.template;
  const request = useDebounced(JSON.stringify({ settings, language, logoKey }), 300);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [renders, setRenders] = useState(0);
  const [download, setDownload] = useState<string | null>(null);
  const languageId = useId();

  useEffect(() => {
    const controller = new AbortController();
    let current = true;
    const { settings: wanted, language: wantedLanguage } = JSON.parse(request) as { settings: DocumentTemplateSettings; language: Language };
    setStatus('loading');
    (async () => {
      const bytes = await documentTemplateApi.preview(wanted, wantedLanguage, controller.signal);
      const visible = canvasRef.current;
      const { canvas } = await renderPdfPage(bytes, visible?.parentElement?.clientWidth || 480);
      if (!current || !visible) return;
      visible.width = canvas.width;
      visible.height = canvas.height;
      visible.getContext('2d')!.drawImage(canvas, 0, 0);
      setDownload(URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })));
      setRenders((count) => count + 1);
      setStatus('ready');
    })().catch((cause: unknown) => {
      if (!current || (cause instanceof DOMException && cause.name === 'AbortError')) return;
      setStatus('error');
    });
    return () => {
      current = false;
      controller.abort();
    };
  }, [request]);

  // Each new preview replaces the download link; the old object URL is released.
  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download);
    },
    [download],
  );

  return (
    <section className="template-editor__preview card card--padded" aria-labelledby={`${languageId}-title`}>
      <div className="template-editor__preview-head">
        <h2 className="section-title" id={`${languageId}-title`}>
          {s.preview}
        </h2>
        <label className="field__label" htmlFor={languageId}>
          {s.previewLanguage}
        </label>
        <select id={languageId} className="input input--select input--compact" value={language} onChange={(event) => onLanguage(event.target.value as Language)}>
          <option value="nb">{t.common.languageNb}</option>
          <option value="en">{t.common.languageEn}</option>
        </select>
      </div>
      <p className="muted small">{s.previewNote}</p>
      <p className="muted small" role="status" aria-live="polite">
        {status === 'loading' ? s.previewUpdating : status === 'error' ? s.previewFailed : ' '}
      </p>
      <div className="template-editor__paper">
        <canvas
          ref={canvasRef}
          className="template-editor__canvas"
          role="img"
          aria-label={s.previewCanvas}
          aria-busy={status === 'loading'}
          data-renders={renders}
        />
      </div>
      {download ? (
        <a className="btn btn--ghost" href={download} download="fakturamal.pdf">
          {s.downloadPreview}
        </a>
      ) : null}
    </section>
  );
}
