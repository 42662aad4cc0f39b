import { useState } from 'react';
import { api } from '../api/endpoints';
import type { Product, ReferenceData } from '../api/types';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { ListStatus, LoadMore } from '../components/list-footer';
import { Badge, PageHeader } from '../components/ui';
import { formatDecimal, formatRate } from '../format';
import { useDebounced, usePagedList, useReferenceData } from '../hooks';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useCan } from '../session';
import { LIST_PAGE_SIZE } from './customers';

export function unitLabel(reference: ReferenceData | null, code: string, language: 'nb' | 'en'): string {
  const unit = reference?.units.find((entry) => entry.code === code);
  if (!unit) return code;
  return language === 'en' ? unit.labelEn : unit.labelNb;
}

export function vatLabel(reference: ReferenceData | null, code: string, language: 'nb' | 'en'): string {
  const vat = reference?.vatCodes.find((entry) => entry.code === code);
  if (!vat) return code;
  return `${vat.code} – ${language === 'en' ? vat.descriptionEn : vat.descriptionNb}`;
}

export function ProductsScreen() {
  const { t, language } = useI18n();
  const canWrite = useCan('products.write');
  const reference = useReferenceData();
  const refData = reference.status === 'ready' ? reference.data : null;
  const [search, setSearch] = useState('');
  const [vatCode, setVatCode] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const q = useDebounced(search.trim());

  const list = usePagedList<Product>(JSON.stringify([q, vatCode, showArchived]), (cursor, signal) =>
    api.products(
      {
        ...(q ? { q } : {}),
        ...(vatCode ? { vatCode } : {}),
        archived: showArchived ? 'include' : 'exclude',
        limit: LIST_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      },
      signal,
    ),
  );

  const p = t.products;
  return (
    <>
      <PageHeader
        title={p.title}
        actions={
          canWrite ? (
            <Link to="/products/new" className="btn btn--primary">
              {p.new}
            </Link>
          ) : null
        }
      />
      <div className="toolbar" role="search">
        <TextField className="toolbar__search" label={p.search} type="search" value={search} onChange={setSearch} placeholder={p.searchPlaceholder} />
        <SelectField
          label={p.vatFilter}
          value={vatCode}
          onChange={setVatCode}
          options={[
            { value: '', label: t.common.all },
            ...(refData?.vatCodes ?? []).map((vat) => ({ value: vat.code, label: `${vat.code} (${formatRate(vat.rateBasisPoints)})` })),
          ]}
        />
        <CheckboxField className="toolbar__check" label={p.showArchived} checked={showArchived} onChange={setShowArchived} />
      </div>
      {list.items.length > 0 ? (
        <div className="table-wrap" aria-busy={list.status === 'loading'}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{p.numberShort}</th>
                <th scope="col">{p.name}</th>
                <th scope="col">{p.unit}</th>
                <th scope="col" className="num">
                  {p.unitPriceShort}
                </th>
                <th scope="col">{p.vatCode}</th>
                <th scope="col">{p.status}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((product) => {
                const vat = refData?.vatCodes.find((entry) => entry.code === product.vatCode);
                return (
                  <tr key={product.id} className={product.archivedAt ? 'row--muted' : undefined}>
                    <td className="nowrap">{product.productNumber}</td>
                    <td>
                      <Link to={`/products/${product.id}`} className="table__link">
                        {product.name}
                      </Link>
                    </td>
                    <td>{unitLabel(refData, product.unitCode, language)}</td>
                    <td className="num nowrap">{formatDecimal(product.unitPrice)}</td>
                    <td title={vatLabel(refData, product.vatCode, language)}>
                      {product.vatCode}
                      {vat ? <span className="muted"> ({formatRate(vat.rateBasisPoints)})</span> : null}
                    </td>
                    <td>{product.archivedAt ? <Badge tone="warning">{t.common.archived}</Badge> : <Badge tone="success">{t.common.active}</Badge>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListStatus list={list} empty={q || vatCode ? t.common.noResults : p.empty} />
      <LoadMore list={list} />
    </>
  );
}
