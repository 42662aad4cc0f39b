import { useEffect, useState } from 'react';
import { type BulkOperation, bulkApi } from '../api/bulk';
import { api } from '../api/endpoints';
import { INVOICE_STATUSES, type Customer, type DocumentKind, type Invoice, type InvoicePage, type InvoiceStatus } from '../api/types';
import { BulkProgressPanel } from '../components/bulk-progress';
import { DateField } from '../components/date-field';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import { InvoiceBadges } from '../components/invoice-badges';
import { ListStatus, LoadMore } from '../components/list-footer';
import { SearchPicker } from '../components/search-picker';
import { Button, ConfirmAction, notify, PageHeader } from '../components/ui';
import { formatDate, formatInteger, formatMinor, formatMoney } from '../format';
import { useDebounced, usePagedList } from '../hooks';
import { fill, problemText, useI18n } from '../i18n';
import { Link } from '../router';
import { useCan, useSession } from '../session';
import { LIST_PAGE_SIZE } from './customers';

interface Filters {
  search: string;
  status: '' | InvoiceStatus;
  customer: Pick<Customer, 'id' | 'name' | 'customerNumber'> | null;
  from: string;
  to: string;
  overdue: boolean;
}

const NO_FILTERS: Filters = { search: '', status: '', customer: null, from: '', to: '', overdue: false };

/** The filters of each list (per company) survive a visit to an invoice and back, for this page load. */
const remembered = new Map<string, Filters>();

const CREDIT_NOTE_STATUSES: readonly InvoiceStatus[] = ['issued', 'sent'];

function sumByCurrency(pages: readonly InvoicePage[], pick: (totals: InvoicePage['totals']) => Record<string, number>) {
  const sums = new Map<string, number>();
  for (const page of pages) {
    for (const [currency, amount] of Object.entries(pick(page.totals))) {
      sums.set(currency, (sums.get(currency) ?? 0) + amount);
    }
  }
  return [...sums.entries()].sort(([a], [b]) => (a === 'NOK' ? -1 : b === 'NOK' ? 1 : a.localeCompare(b)));
}

/** "Fakturaer" and "Kreditnotaer": the same list with its own filters. */
export function InvoicesScreen({ kind }: { kind: DocumentKind }) {
  const { t } = useI18n();
  const canWrite = useCan('invoices.write');
  const memoryKey = `${useSession().session.currentCompanyId ?? ''}:${kind}`;
  const [filters, setFilters] = useState<Filters>(() => remembered.get(memoryKey) ?? NO_FILTERS);
  useEffect(() => {
    remembered.set(memoryKey, filters);
  }, [memoryKey, filters]);
  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const q = useDebounced(filters.search.trim());
  const from = useDebounced(filters.from);
  const to = useDebounced(filters.to);
  // Only complete dates filter; half-typed ones wait.
  const fromIso = toIsoOrEmpty(from);
  const toIso = toIsoOrEmpty(to);
  const isCredit = kind === 'credit_note';
  const query = {
    ...(q ? { q } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.customer ? { customerId: filters.customer.id } : {}),
    ...(fromIso ? { from: fromIso } : {}),
    ...(toIso ? { to: toIso } : {}),
    ...(filters.overdue && !isCredit ? { overdue: 'true' as const } : {}),
    limit: LIST_PAGE_SIZE,
  };
  const listKey = JSON.stringify([kind, query]);
  const list = usePagedList<Invoice, InvoicePage>(listKey, (cursor, signal) =>
    (isCredit ? api.creditNotes : api.invoices)({ ...query, ...(cursor ? { cursor } : {}) }, signal),
  );
  const bulk = useBulkSelection(listKey, list.reload);

  const i = t.invoices;
  const filtered = JSON.stringify({ ...filters, search: filters.search.trim() }) !== JSON.stringify(NO_FILTERS);
  const gross = sumByCurrency(list.pages, (totals) => totals.grossMinorByCurrency);
  const open = sumByCurrency(list.pages, (totals) => totals.openMinorByCurrency);
  const statuses = isCredit ? CREDIT_NOTE_STATUSES : INVOICE_STATUSES;

  return (
    <>
      <PageHeader
        title={i.title}
        actions={
          canWrite ? (
            <Link to="/invoices/new" className="btn btn--primary">
              {i.new}
            </Link>
          ) : null
        }
      />
      <nav className="tabs" aria-label={i.kindNav}>
        <Link to="/invoices" className={`tabs__tab${isCredit ? '' : ' tabs__tab--active'}`} aria-current={isCredit ? undefined : 'page'}>
          {i.tabInvoices}
        </Link>
        <Link
          to="/invoices/credit-notes"
          className={`tabs__tab${isCredit ? ' tabs__tab--active' : ''}`}
          aria-current={isCredit ? 'page' : undefined}
        >
          {i.tabCreditNotes}
        </Link>
      </nav>
      <div className="toolbar" role="search">
        <TextField
          className="toolbar__search"
          label={isCredit ? i.searchCreditNotes : i.search}
          type="search"
          value={filters.search}
          onChange={set('search')}
          placeholder={i.searchPlaceholder}
        />
        <SelectField
          label={i.statusFilter}
          value={filters.status}
          onChange={(value) => set('status')((statuses as readonly string[]).includes(value) ? (value as InvoiceStatus) : '')}
          options={[{ value: '', label: t.common.all }, ...statuses.map((status) => ({ value: status, label: i.statuses[status] }))]}
        />
        {filters.customer ? (
          <div className="field">
            <span className="field__label">{i.customerFilter}</span>
            <span className="chip">
              {filters.customer.name}
              <button
                type="button"
                className="chip__remove"
                aria-label={`${i.clearFilters}: ${filters.customer.name}`}
                onClick={() => set('customer')(null)}
              >
                ×
              </button>
            </span>
          </div>
        ) : (
          <SearchPicker<Customer>
            className="toolbar__picker"
            label={i.customerFilter}
            placeholder={t.invoiceForm.customerSearchPlaceholder}
            search={(text, signal) => api.customers({ ...(text ? { q: text } : {}), archived: 'include', limit: 8 }, signal).then((page) => page.items)}
            optionKey={(customer) => customer.id}
            renderOption={(customer) => (
              <>
                <span>{customer.name}</span> <span className="muted small">#{formatInteger(customer.customerNumber)}</span>
              </>
            )}
            onPick={(customer) => set('customer')({ id: customer.id, name: customer.name, customerNumber: customer.customerNumber })}
          />
        )}
        <DateField
          className="toolbar__date"
          label={isCredit ? i.creditFrom : i.from}
          value={filters.from}
          onChange={set('from')}
          error={filters.from && toIsoOrEmpty(filters.from) === '' && filters.from.length >= 8 ? t.invoiceForm.invalidDate : undefined}
        />
        <DateField
          className="toolbar__date"
          label={isCredit ? i.creditTo : i.to}
          value={filters.to}
          onChange={set('to')}
          error={filters.to && toIsoOrEmpty(filters.to) === '' && filters.to.length >= 8 ? t.invoiceForm.invalidDate : undefined}
        />
        {isCredit ? null : (
          <CheckboxField className="toolbar__check" label={i.overdueOnly} checked={filters.overdue} onChange={set('overdue')} />
        )}
        {filtered ? (
          <Button variant="ghost" className="toolbar__clear" onClick={() => setFilters(NO_FILTERS)}>
            {i.clearFilters}
          </Button>
        ) : null}
      </div>
      {bulk.operation ? (
        <BulkProgressPanel
          key={bulk.operation.id}
          initial={bulk.operation}
          onFinished={bulk.finished}
          onClose={() => bulk.setOperation(null)}
        />
      ) : null}
      {bulk.selected.size > 0 ? <BulkActionBar bulk={bulk} isCredit={isCredit} /> : null}
      {list.items.length > 0 ? (
        <div className="table-wrap" aria-busy={list.status === 'loading'}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col" className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={t.bulk.selectAll}
                    checked={list.items.every((invoice) => bulk.selected.has(invoice.id))}
                    onChange={(event) => bulk.toggleAll(list.items, event.target.checked)}
                  />
                </th>
                <th scope="col">{i.number}</th>
                <th scope="col">{i.customer}</th>
                <th scope="col">{isCredit ? i.date : i.issueDate}</th>
                {isCredit ? <th scope="col">{i.credits}</th> : <th scope="col">{i.dueDate}</th>}
                <th scope="col" className="num">
                  {i.total}
                </th>
                {isCredit ? null : (
                  <th scope="col" className="num">
                    {i.open}
                  </th>
                )}
                <th scope="col">{i.status}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((invoice) => (
                <tr key={invoice.id} className={invoice.isOverdue ? 'row--overdue' : undefined}>
                  <td className="select-cell">
                    <input
                      type="checkbox"
                      aria-label={fill(t.bulk.selectRow, { number: invoice.documentNumber ?? `${i.draftNumber} ${invoice.buyer.name}` })}
                      checked={bulk.selected.has(invoice.id)}
                      onChange={(event) => bulk.toggle(invoice, event.target.checked)}
                    />
                  </td>
                  <td className="nowrap">
                    <Link to={`/invoices/${invoice.id}`} className="table__link">
                      {invoice.documentNumber ?? i.draftNumber}
                    </Link>
                  </td>
                  <td>{invoice.buyer.name}</td>
                  <td className="nowrap">{formatDate(invoice.issueDate)}</td>
                  {isCredit ? (
                    <td className="nowrap">
                      {invoice.creditedInvoice ? (
                        <Link to={`/invoices/${invoice.creditedInvoice.id}`}>{invoice.creditedInvoice.documentNumber}</Link>
                      ) : null}
                    </td>
                  ) : (
                    <td className={`nowrap${invoice.isOverdue ? ' overdue' : ''}`}>{formatDate(invoice.dueDate)}</td>
                  )}
                  <td className="num nowrap">
                    {formatMinor(invoice.totals.grossMinor)}
                    {invoice.currency !== 'NOK' ? <span className="muted small"> {invoice.currency}</span> : null}
                  </td>
                  {isCredit ? null : (
                    <td className="num nowrap">{invoice.status === 'draft' ? '' : formatMinor(invoice.openMinor)}</td>
                  )}
                  <td>
                    <InvoiceBadges invoice={invoice} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.items.length > 0 && list.status === 'ready' ? (
        <p className="list-totals">
          <span className="list-totals__label">{fill(i.pageTotals, { count: list.items.length })}:</span>
          <span>
            {isCredit ? i.pageTotalsCredited : i.pageTotalsGross}{' '}
            <strong>{gross.map(([currency, amount]) => formatMoney(amount, currency)).join(' + ') || formatMoney(0)}</strong>
          </span>
          {isCredit ? null : (
            <span>
              {i.pageTotalsOpen} <strong>{open.map(([currency, amount]) => formatMoney(amount, currency)).join(' + ') || formatMoney(0)}</strong>
            </span>
          )}
        </p>
      ) : null}
      <ListStatus list={list} empty={filtered ? t.common.noResults : isCredit ? i.emptyCreditNotes : i.empty} />
      <LoadMore list={list} />
    </>
  );
}

type BulkSelection = ReturnType<typeof useBulkSelection>;

/** The rows ticked on the list (kept while the query stays the same) and the bulk operation started from them. */
function useBulkSelection(listKey: string, reload: () => void) {
  const [selected, setSelected] = useState<ReadonlyMap<string, Invoice>>(new Map());
  const [operation, setOperation] = useState<BulkOperation | null>(null);
  useEffect(() => setSelected(new Map()), [listKey]);
  return {
    selected,
    operation,
    setOperation,
    toggle(invoice: Invoice, on: boolean) {
      setSelected((current) => {
        const next = new Map(current);
        if (on) next.set(invoice.id, invoice);
        else next.delete(invoice.id);
        return next;
      });
    },
    toggleAll(invoices: readonly Invoice[], on: boolean) {
      setSelected(on ? new Map(invoices.map((invoice) => [invoice.id, invoice])) : new Map());
    },
    clear: () => setSelected(new Map()),
    /** Issued invoices change status; the list shows that. */
    finished(done: BulkOperation) {
      if (done.kind === 'issue_and_send') reload();
    },
  };
}

/** What can be done with the ticked rows: drafts can be issued and sent, issued documents downloaded as one ZIP. */
function BulkActionBar({ bulk, isCredit }: { bulk: BulkSelection; isCredit: boolean }) {
  const { t } = useI18n();
  const b = t.bulk;
  const canIssue = useCan('invoices.issue');
  const [busy, setBusy] = useState(false);
  const rows = [...bulk.selected.values()];
  const drafts = rows.filter((invoice) => invoice.status === 'draft').map((invoice) => invoice.id);
  const issued = rows.filter((invoice) => invoice.status !== 'draft').map((invoice) => invoice.id);

  async function start(run: () => Promise<BulkOperation>) {
    setBusy(true);
    try {
      bulk.setOperation(await run());
      bulk.clear();
    } catch (error) {
      notify(problemText(t, error), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="bulk-bar" role="toolbar" aria-label={fill(b.selected, { count: rows.length })}>
      <span className="bulk-bar__count">{fill(b.selected, { count: rows.length })}</span>
      {!isCredit && canIssue && drafts.length > 0 ? (
        <ConfirmAction
          variant="primary"
          label={fill(b.issueAndSendCount, { count: drafts.length })}
          question={fill(b.confirmIssue, { count: drafts.length })}
          confirmLabel={b.confirmIssueAction}
          disabled={busy}
          onConfirm={() => start(() => bulkApi.issueAndSend(drafts))}
        />
      ) : null}
      {issued.length > 0 ? (
        <Button disabled={busy} onClick={() => void start(() => bulkApi.pdfZip(issued))}>
          {fill(b.downloadZipCount, { count: issued.length })}
        </Button>
      ) : null}
      <Button variant="ghost" onClick={bulk.clear} disabled={busy}>
        {b.clearSelection}
      </Button>
    </div>
  );
}

function toIsoOrEmpty(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(trimmed);
  if (!match) return '';
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return '';
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
