import { useRef, useState, type FormEvent } from 'react';
import { api } from '../api/endpoints';
import type { Product, ProductInput, ReferenceData } from '../api/types';
import { SelectField, TextAreaField, TextField } from '../components/fields';
import { Alert, Button, ConfirmAction, FormAlert, Loading, notify, PageHeader, useApiErrors, useFocusFirstError } from '../components/ui';
import { decimalToInput, formatDecimal, inputToDecimal } from '../format';
import { useLoad, useReferenceData } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { orEmpty, orNull } from '../text';

interface ProductDraft {
  productNumber: string;
  name: string;
  description: string;
  unitCode: string;
  unitPrice: string;
  vatCode: string;
  revenueAccount: string;
}

const EMPTY: ProductDraft = {
  productNumber: '',
  name: '',
  description: '',
  unitCode: 'C62',
  unitPrice: '',
  vatCode: '3',
  revenueAccount: '',
};

function toDraft(product: Product): ProductDraft {
  return {
    productNumber: product.productNumber,
    name: product.name,
    description: orEmpty(product.description),
    unitCode: product.unitCode,
    unitPrice: decimalToInput(product.unitPrice),
    vatCode: product.vatCode,
    revenueAccount: orEmpty(product.revenueAccount),
  };
}

const FIELD_PATHS = ['productNumber', 'name', 'description', 'unitCode', 'unitPrice', 'vatCode', 'revenueAccount'];

function ProductFormBody({
  initial,
  reference,
  readOnly,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: ProductDraft;
  reference: ReferenceData;
  readOnly: boolean;
  submitLabel: string;
  onSubmit(input: ProductInput): Promise<void>;
  onCancel(): void;
}) {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<ProductDraft>(initial);
  const [busy, setBusy] = useState(false);
  const errors = useApiErrors();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors.error);
  const p = t.products;
  const set = (key: keyof ProductDraft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const vat = reference.vatCodes.find((entry) => entry.code === draft.vatCode);
  const defaultAccount = vat?.defaultRevenueAccount ?? '3000';
  const pricePreview = /^\d+(?:[.,]\d{1,6})?$/.test(inputToDecimal(draft.unitPrice))
    ? formatDecimal(inputToDecimal(draft.unitPrice).replace(',', '.'))
    : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || readOnly) return;
    setBusy(true);
    errors.clear();
    try {
      await onSubmit({
        productNumber: draft.productNumber.trim(),
        name: draft.name.trim(),
        description: orNull(draft.description),
        unitCode: draft.unitCode,
        unitPrice: inputToDecimal(draft.unitPrice),
        vatCode: draft.vatCode,
        revenueAccount: orNull(draft.revenueAccount),
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
        <div className="grid grid--number-name">
          <TextField label={p.number} value={draft.productNumber} onChange={set('productNumber')} error={errors.field('productNumber')} required autoComplete="off" />
          <TextField label={p.name} value={draft.name} onChange={set('name')} error={errors.field('name')} required autoComplete="off" />
        </div>
        <TextAreaField label={p.description} value={draft.description} onChange={set('description')} error={errors.field('description')} rows={3} optional={t.common.optional} />
        <div className="grid grid--2">
          <TextField
            label={p.unitPrice}
            value={draft.unitPrice}
            onChange={set('unitPrice')}
            error={errors.field('unitPrice')}
            hint={pricePreview ? `${pricePreview} kr` : p.unitPriceHint}
            inputMode="decimal"
            className="field--money"
            required
          />
          <SelectField
            label={p.unit}
            value={draft.unitCode}
            onChange={set('unitCode')}
            error={errors.field('unitCode')}
            options={reference.units.map((unit) => ({ value: unit.code, label: language === 'en' ? unit.labelEn : unit.labelNb }))}
          />
        </div>
        <div className="grid grid--2">
          <SelectField
            label={p.vatCode}
            value={draft.vatCode}
            onChange={set('vatCode')}
            error={errors.field('vatCode')}
            options={reference.vatCodes.map((entry) => ({
              value: entry.code,
              label: `${entry.code} – ${language === 'en' ? entry.descriptionEn : entry.descriptionNb}`,
            }))}
          />
          <TextField
            label={p.revenueAccount}
            value={draft.revenueAccount}
            onChange={set('revenueAccount')}
            error={errors.field('revenueAccount')}
            hint={fill(p.revenueAccountHint, { account: defaultAccount })}
            placeholder={defaultAccount}
            inputMode="numeric"
            maxLength={4}
            optional={t.common.optional}
          />
        </div>
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

export function ProductNewScreen() {
  const { t } = useI18n();
  const reference = useReferenceData();
  return (
    <>
      <PageHeader title={t.products.newTitle} />
      {reference.status === 'loading' ? <Loading /> : null}
      {reference.status === 'error' ? <Alert kind="error" title={problemText(t, reference.error)} /> : null}
      {reference.status === 'ready' ? (
        <ProductFormBody
          initial={EMPTY}
          reference={reference.data}
          readOnly={false}
          submitLabel={t.common.create}
          onCancel={() => navigate('/products')}
          onSubmit={async (input) => {
            await api.createProduct(input);
            notify(t.products.created);
            navigate('/products');
          }}
        />
      ) : null}
    </>
  );
}

export function ProductEditScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const canWrite = useCan('products.write');
  const reference = useReferenceData();
  const [state, , replace] = useLoad(`product:${id}`, () => api.product(id));
  const [version, setVersion] = useState(0);

  if (state.status === 'loading' || reference.status === 'loading') return <Loading />;
  if (state.status === 'error' || reference.status === 'error') {
    return (
      <>
        <Alert kind="error" title={problemText(t, state.status === 'error' ? state.error : reference.status === 'error' ? reference.error : null)} />
        <Link to="/products">{t.common.back}</Link>
      </>
    );
  }
  const product = state.data;
  const archived = product.archivedAt !== null;

  async function toggleArchive() {
    try {
      const updated = archived ? await api.unarchiveProduct(id) : await api.archiveProduct(id);
      replace(updated);
      notify(archived ? t.products.unarchiveDone : t.products.archiveDone);
    } catch (error) {
      notify(problemText(t, error), 'error');
    }
  }

  return (
    <>
      <PageHeader
        title={
          <>
            {product.name} <span className="muted">{product.productNumber}</span>
          </>
        }
        actions={
          canWrite ? (
            archived ? (
              <Button onClick={toggleArchive}>{t.common.unarchive}</Button>
            ) : (
              <ConfirmAction label={t.common.archive} question={`${t.common.archive}: ${product.name}?`} onConfirm={toggleArchive} variant="secondary" />
            )
          ) : null
        }
      />
      {archived ? <Alert kind="info" title={t.products.archivedNotice} /> : null}
      <ProductFormBody
        key={`${product.id}:${version}`}
        initial={toDraft(product)}
        reference={reference.data}
        readOnly={!canWrite}
        submitLabel={t.common.save}
        onCancel={() => navigate('/products')}
        onSubmit={async (input) => {
          const updated = await api.updateProduct(id, input);
          replace(updated);
          setVersion((v) => v + 1);
          notify(t.products.saved);
        }}
      />
    </>
  );
}
