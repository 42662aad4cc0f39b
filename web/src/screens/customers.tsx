import { useState } from 'react';
import { api } from '../api/endpoints';
import type { Customer, CustomerKind } from '../api/types';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { ListStatus, LoadMore } from '../components/list-footer';
import { Badge, PageHeader } from '../components/ui';
import { formatInteger, formatOrgNumber } from '../format';
import { useDebounced, usePagedList } from '../hooks';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { useCan } from '../session';

export const LIST_PAGE_SIZE = 25;

export function CustomersScreen() {
  const { t } = useI18n();
  const canWrite = useCan('customers.write');
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<'' | CustomerKind>('');
  const [showArchived, setShowArchived] = useState(false);
  const q = useDebounced(search.trim());

  const list = usePagedList<Customer>(JSON.stringify([q, kind, showArchived]), (cursor, signal) =>
    api.customers(
      {
        ...(q ? { q } : {}),
        ...(kind ? { kind } : {}),
        archived: showArchived ? 'include' : 'exclude',
        limit: LIST_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      },
      signal,
    ),
  );

  const c = t.customers;
  const filtered = q !== '' || kind !== '';
  return (
    <>
      <PageHeader
        title={c.title}
        actions={
          canWrite ? (
            <Link to="/customers/new" className="btn btn--primary">
              {c.new}
            </Link>
          ) : null
        }
      />
      <div className="toolbar" role="search">
        <TextField
          className="toolbar__search"
          label={c.search}
          type="search"
          value={search}
          onChange={setSearch}
          placeholder={c.searchPlaceholder}
        />
        <SelectField
          label={c.kindFilter}
          value={kind}
          onChange={(value) => setKind(value === 'business' || value === 'person' ? value : '')}
          options={[
            { value: '', label: t.common.all },
            { value: 'business', label: c.kindBusiness },
            { value: 'person', label: c.kindPerson },
          ]}
        />
        <CheckboxField className="toolbar__check" label={c.showArchived} checked={showArchived} onChange={setShowArchived} />
      </div>
      {list.items.length > 0 ? (
        <div className="table-wrap" aria-busy={list.status === 'loading'}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  {c.number}
                </th>
                <th scope="col">{c.name}</th>
                <th scope="col">{c.kind}</th>
                <th scope="col">{c.orgNumberShort}</th>
                <th scope="col">{c.email}</th>
                <th scope="col">{c.city}</th>
                <th scope="col">{c.status}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((customer) => (
                <tr key={customer.id} className={customer.archivedAt ? 'row--muted' : undefined}>
                  <td className="num">{formatInteger(customer.customerNumber)}</td>
                  <td>
                    <Link to={`/customers/${customer.id}`} className="table__link">
                      {customer.name}
                    </Link>
                  </td>
                  <td>{customer.kind === 'business' ? c.kindBusiness : c.kindPerson}</td>
                  <td className="nowrap">{formatOrgNumber(customer.orgNumber)}</td>
                  <td>{customer.email ?? ''}</td>
                  <td>{customer.address.city ?? ''}</td>
                  <td>{customer.archivedAt ? <Badge tone="warning">{t.common.archived}</Badge> : <Badge tone="success">{t.common.active}</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListStatus list={list} empty={filtered ? t.common.noResults : c.empty} />
      <LoadMore list={list} />
    </>
  );
}
