import { useEffect, useState } from 'react';
import { api } from '../api/endpoints';
import { paymentsApi, type Payment } from '../api/payments';
import type { Customer } from '../api/types';
import { ListStatus, LoadMore } from '../components/list-footer';
import { ApplyCreditForm, PaymentCredit, PaymentStatusBadge, RefundCreditForm, ReversalNote, ReversePaymentForm, Struck } from '../components/payments';
import { SearchPicker } from '../components/search-picker';
import { Button, PageHeader } from '../components/ui';
import { formatDate, formatInteger, formatMoney } from '../format';
import { usePagedList } from '../hooks';
import { fill, useI18n } from '../i18n';
import { Link } from '../router';
import { useCan } from '../session';
import { LIST_PAGE_SIZE } from './customers';

type CustomerFilter = Pick<Customer, 'id' | 'name'>;

/** Names of the customers on the rows shown, fetched once each (a failed look-up shows no name). */
function useCustomerNames(ids: readonly string[]): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const missing = [...new Set(ids)].filter((id) => !names.has(id)).sort();
  const key = missing.join(',');
  useEffect(() => {
    if (!key) return undefined;
    let live = true;
    Promise.all(
      key.split(',').map((id) =>
        api.customer(id).then(
          (customer) => [id, customer.name] as const,
          () => [id, ''] as const,
        ),
      ),
    ).then((entries) => {
      if (live) setNames((previous) => new Map([...previous, ...entries]));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

/** "Betalinger": payments received, newest first, a page at a time; by customer if chosen. */
export function PaymentsScreen() {
  const { t } = useI18n();
  const p = t.payments;
  const canWrite = useCan('payments.write');
  // Opened from a customer's page ("Kreditt til gode"): filtered by that customer.
  const [customer, setCustomer] = useState<CustomerFilter | null>(() => {
    const params = new URLSearchParams(window.location.search);
    const id = params.get('customer');
    return id ? { id, name: params.get('name') ?? id } : null;
  });
  const [reversing, setReversing] = useState<Payment | null>(null);
  // One form at a time above the list: reverse, apply the credit to an invoice, or refund it.
  const [crediting, setCrediting] = useState<{ payment: Payment; action: 'apply' | 'refund' } | null>(null);
  const list = usePagedList<Payment>(JSON.stringify([customer?.id ?? null]), (cursor, signal) =>
    paymentsApi.list({ ...(customer ? { customerId: customer.id } : {}), limit: LIST_PAGE_SIZE, ...(cursor ? { cursor } : {}) }, signal),
  );
  const names = useCustomerNames(list.items.flatMap((payment) => (payment.customerId ? [payment.customerId] : [])));

  return (
    <>
      <PageHeader title={p.list.title}>{p.list.intro}</PageHeader>
      <div className="toolbar" role="search">
        {customer ? (
          <div className="field">
            <span className="field__label">{p.list.customerFilter}</span>
            <span className="chip">
              {customer.name}
              <button type="button" className="chip__remove" aria-label={`${p.list.clearFilter}: ${customer.name}`} onClick={() => setCustomer(null)}>
                ×
              </button>
            </span>
          </div>
        ) : (
          <SearchPicker<Customer>
            className="toolbar__picker"
            label={p.list.customerFilter}
            placeholder={p.list.customerSearchPlaceholder}
            search={(text, signal) => api.customers({ ...(text ? { q: text } : {}), archived: 'include', limit: 8 }, signal).then((page) => page.items)}
            optionKey={(item) => item.id}
            renderOption={(item) => (
              <>
                <span>{item.name}</span> <span className="muted small">#{formatInteger(item.customerNumber)}</span>
              </>
            )}
            onPick={(item) => setCustomer({ id: item.id, name: item.name })}
          />
        )}
      </div>
      {reversing ? (
        <ReversePaymentForm
          key={reversing.id}
          payment={reversing}
          onCancel={() => setReversing(null)}
          onDone={() => {
            setReversing(null);
            list.reload();
          }}
        />
      ) : null}
      {crediting?.action === 'apply' ? (
        <ApplyCreditForm
          key={`apply:${crediting.payment.id}`}
          payment={crediting.payment}
          onCancel={() => setCrediting(null)}
          onDone={() => {
            setCrediting(null);
            list.reload();
          }}
        />
      ) : null}
      {crediting?.action === 'refund' ? (
        <RefundCreditForm
          key={`refund:${crediting.payment.id}`}
          payment={crediting.payment}
          onCancel={() => setCrediting(null)}
          onDone={() => {
            setCrediting(null);
            list.reload();
          }}
        />
      ) : null}
      {list.items.length > 0 ? (
        <div className="table-wrap" aria-busy={list.status === 'loading'}>
          <table className="table">
            <caption className="visually-hidden">{p.table.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.table.date}</th>
                <th scope="col">{p.table.voucher}</th>
                <th scope="col">{p.table.payer}</th>
                <th scope="col">{p.table.invoices}</th>
                <th scope="col" className="num">
                  {p.table.amount}
                </th>
                <th scope="col" className="num">
                  {p.table.credit}
                </th>
                <th scope="col">{p.table.reference}</th>
                <th scope="col">{p.table.status}</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">{p.table.actions}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.items.map((payment) => {
                const name = payment.customerId ? names.get(payment.customerId) : undefined;
                return (
                  <tr key={payment.id} className={payment.status === 'reversed' ? 'row--reversed' : undefined} data-payment={payment.voucher}>
                    <td className="nowrap">
                      <Struck payment={payment}>{formatDate(payment.paymentDate)}</Struck>
                    </td>
                    <td className="nowrap mono">
                      <Struck payment={payment}>{payment.voucher}</Struck>
                    </td>
                    <td>
                      {name && payment.customerId ? <Link to={`/customers/${payment.customerId}`}>{name}</Link> : null}
                      {payment.payerName && payment.payerName !== name ? <span className="block muted small">{payment.payerName}</span> : null}
                    </td>
                    <td>
                      {payment.allocations.length === 0 ? <span className="muted small">{p.table.noInvoice}</span> : null}
                      {payment.allocations.map((allocation) => (
                        <span key={allocation.id} className="block nowrap">
                          <Link to={`/invoices/${allocation.invoiceId}`} className="table__link">
                            {fill(t.invoiceView.invoiceTitle, { number: allocation.documentNumber ?? '' })}
                          </Link>{' '}
                          <span className="muted small">
                            <Struck payment={payment}>{formatMoney(allocation.amountMinor, payment.currency)}</Struck>
                          </span>
                        </span>
                      ))}
                    </td>
                    <td className="num nowrap">
                      <Struck payment={payment}>{formatMoney(payment.amountMinor, payment.currency)}</Struck>
                      {payment.currency !== 'NOK' ? (
                        <span className="block muted small">{fill(p.table.nok, { amount: formatMoney(payment.amountNokMinor) })}</span>
                      ) : null}
                    </td>
                    <td className="num">
                      <PaymentCredit payment={payment} />
                    </td>
                    <td>
                      <Struck payment={payment}>{payment.reference ?? ''}</Struck>
                    </td>
                    <td>
                      <PaymentStatusBadge payment={payment} />
                      <ReversalNote payment={payment} />
                    </td>
                    {canWrite ? (
                      <td className="nowrap">
                        {payment.status === 'booked' && payment.unallocatedMinor > 0 && payment.customerId ? (
                          <Button
                            variant="ghost"
                            aria-label={fill(p.credit.applyLabel, { voucher: payment.voucher })}
                            onClick={() => {
                              setReversing(null);
                              setCrediting({ payment, action: 'apply' });
                            }}
                          >
                            {p.credit.apply}
                          </Button>
                        ) : null}
                        {payment.status === 'booked' && payment.unallocatedMinor > 0 ? (
                          <Button
                            variant="ghost"
                            aria-label={fill(p.credit.refundLabel, { voucher: payment.voucher })}
                            onClick={() => {
                              setReversing(null);
                              setCrediting({ payment, action: 'refund' });
                            }}
                          >
                            {p.credit.refund}
                          </Button>
                        ) : null}
                        {payment.status === 'booked' && payment.refunds.length === 0 && reversing?.id !== payment.id ? (
                          <Button
                            variant="ghost"
                            className="btn--danger-text"
                            aria-label={fill(p.reverse.actionLabel, { voucher: payment.voucher })}
                            onClick={() => {
                              setCrediting(null);
                              setReversing(payment);
                            }}
                          >
                            {p.reverse.action}
                          </Button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <ListStatus list={list} empty={customer ? p.list.emptyFiltered : p.list.empty} />
      <LoadMore list={list} />
    </>
  );
}
