import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, localValidationError, type FieldIssue } from '../api/client';
import { api } from '../api/endpoints';
import { paymentsApi, type Payment, type PaymentInput } from '../api/payments';
import type { Invoice } from '../api/types';
import { dateToInput, decimalToInput, formatDate, formatMoney, inputToDate, minorToDecimal, todayIso } from '../format';
import { useLoad } from '../hooks';
import { fieldErrorText, fill, problemText, useI18n, type Messages } from '../i18n';
import { parseMicros } from '../invoice-math';
import { navigate } from '../router';
import { useCan } from '../session';
import { orNull } from '../text';
import { DateField } from './date-field';
import { SelectField, TextAreaField, TextField } from './fields';
import { Alert, Badge, Button, Loading, notify, useFocusFirstError } from './ui';

// ---- Texts: the payment dictionary first, then the shared one ----

/** The text for a failing field of a payment form (`field.code`, then `code`, then the shared texts). */
export function paymentFieldText(t: Messages, issue: FieldIssue): string {
  const field = issue.path.split('.').at(-1) ?? '';
  return t.payments.fields[`${field}.${issue.code}`] ?? t.payments.fields[issue.code] ?? fieldErrorText(t, issue);
}

/** The sentence for a failed payment request as a whole. */
export function paymentProblemText(t: Messages, error: unknown): string {
  if (error instanceof ApiError && t.payments.problems[error.code]) return t.payments.problems[error.code]!;
  return problemText(t, error);
}

/**
 * The field errors of the last submit, by the form's own fields: `fields` maps a field to the API
 * paths shown beside it (e.g. the amount shows `amount`, `allocations.0.amount` and `allocations`).
 * Issues on no field are listed in the form's alert.
 */
function useFieldErrors<F extends string>(error: unknown, fields: Record<F, readonly string[]>) {
  const { t } = useI18n();
  const issues = error instanceof ApiError ? error.fieldErrors : [];
  const shown = new Set(Object.values<readonly string[]>(fields).flat());
  return {
    field(name: F): string | undefined {
      const texts = issues.filter((issue) => fields[name].includes(issue.path)).map((issue) => paymentFieldText(t, issue));
      return texts.length > 0 ? [...new Set(texts)].join(' ') : undefined;
    },
    orphaned: issues.filter((issue) => !shown.has(issue.path)),
  };
}

function ErrorAlert({ error, orphaned }: { error: unknown; orphaned: readonly FieldIssue[] }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert kind="error" title={paymentProblemText(t, error)}>
      {orphaned.length > 0 ? (
        <ul className="alert__list">
          {orphaned.map((issue) => (
            <li key={`${issue.path}:${issue.code}`}>{paymentFieldText(t, issue)}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** Typed money text ("1 250,50") in øre; null unless a positive amount with at most two decimals. */
function parseAmountMinor(text: string): number | null {
  const micros = parseMicros(text);
  if (micros === null || micros <= 0n || micros % 10_000n !== 0n) return null;
  return Number(micros / 10_000n);
}

// ---- Status ----

export function PaymentStatusBadge({ payment }: { payment: Payment }) {
  const { t } = useI18n();
  const p = t.payments;
  return (
    <span className="badges">
      <Badge tone={payment.status === 'booked' ? 'success' : 'neutral'}>{p.statuses[payment.status]}</Badge>
      {payment.isTest ? <Badge tone="warning">{p.test}</Badge> : null}
    </span>
  );
}

/** "02.12.2026: Feil kunde" under a reversed payment's status: when and why. */
export function ReversalNote({ payment }: { payment: Payment }) {
  const { t } = useI18n();
  if (payment.status !== 'reversed') return null;
  return (
    <span className="block muted small payment-reversal">
      {fill(t.payments.reversedAt, { date: formatDate(payment.reversedAt), reason: payment.reversalReason ?? '' })}
    </span>
  );
}

/** The content of a cell, struck through when the payment is reversed. */
export function Struck({ payment, children }: { payment: Payment; children: ReactNode }) {
  return payment.status === 'reversed' ? <s>{children}</s> : <>{children}</>;
}

// ---- Reverse ----

/** "Tilbakefør": asks for the reason, then posts the mirror entry. */
export function ReversePaymentForm({
  payment,
  onCancel,
  onDone,
}: {
  payment: Payment;
  onCancel(): void;
  onDone(payment: Payment): void;
}) {
  const { t } = useI18n();
  const r = t.payments.reverse;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const errors = useFieldErrors(error, { reason: ['reason'] });
  const titleId = `reverse-${payment.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (reason.trim() === '') {
      setError(localValidationError([{ path: 'reason', code: 'too_small', message: r.reason }]));
      return;
    }
    setBusy(true);
    try {
      const reversed = await paymentsApi.reverse(payment.id, reason.trim());
      notify(fill(r.done, { voucher: payment.voucher }));
      onDone(reversed);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page payment-form" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(r.title, { voucher: payment.voucher })}
      </h3>
      <p className="muted">{r.intro}</p>
      <ErrorAlert error={error} orphaned={errors.orphaned} />
      <TextField label={r.reason} hint={r.reasonHint} value={reason} onChange={setReason} maxLength={500} error={errors.field('reason')} autoFocus />
      <div className="form-actions">
        <Button type="submit" variant="danger" disabled={busy}>
          {busy ? r.submitting : r.submit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

// ---- Customer credit: apply to another invoice, or pay back ----

/** "Kreditt: 50,00 kr" and the refunds under it, for a booked payment that has (or had) credit. */
export function PaymentCredit({ payment }: { payment: Payment }) {
  const { t } = useI18n();
  const c = t.payments.credit;
  const refunds = payment.refunds;
  if (payment.status !== 'booked' || (payment.unallocatedMinor <= 0 && refunds.length === 0)) return null;
  return (
    <>
      <span className="block nowrap" data-testid="payment-credit">
        {fill(c.label, { amount: formatMoney(payment.unallocatedMinor, payment.currency) })}
      </span>
      {refunds.length > 0 ? (
        <ul className="payment-refunds small muted" aria-label={fill(c.refundsLabel, { voucher: payment.voucher })}>
          {refunds.map((refund) => (
            <li key={refund.id} className="payment-refund" data-refund={refund.voucher}>
              {fill(c.refundLine, { date: formatDate(refund.refundDate), amount: formatMoney(refund.amountMinor, payment.currency), voucher: refund.voucher })}
              {refund.note ? `: ${refund.note}` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

const APPLY_FIELDS = { invoiceId: ['invoiceId'], amount: ['amount'] } as const;

/**
 * "Bruk på faktura": part of a payment's credit onto another open invoice of the same customer
 * (same currency, test or live alike), by default the smaller of the credit and what is open.
 */
export function ApplyCreditForm({ payment, onCancel, onDone }: { payment: Payment; onCancel(): void; onDone(payment: Payment): void }) {
  const { t } = useI18n();
  const c = t.payments.credit;
  const customerId = payment.customerId ?? '';
  const [state] = useLoad(`open-invoices:${customerId}:${payment.id}`, () =>
    api.invoices({ customerId, limit: 100 }).then((page) =>
      page.items.filter(
        (invoice) =>
          invoice.kind === 'invoice' && invoice.status !== 'draft' && invoice.openMinor > 0 && invoice.currency === payment.currency && invoice.isTest === payment.isTest,
      ),
    ),
  );
  const invoices = state.status === 'ready' ? state.data : [];
  const [invoiceId, setInvoiceId] = useState('');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const errors = useFieldErrors(error, APPLY_FIELDS);
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const titleId = `apply-${payment.id}`;

  function choose(id: string) {
    setInvoiceId(id);
    const invoice = invoices.find((item) => item.id === id);
    setAmount(invoice ? decimalToInput(minorToDecimal(Math.min(payment.unallocatedMinor, invoice.openMinor))) : '');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const issues: FieldIssue[] = [];
    const amountMinor = parseAmountMinor(amount);
    if (invoiceId === '') issues.push({ path: 'invoiceId', code: 'required', message: c.invoice });
    if (amountMinor === null) issues.push({ path: 'amount', code: 'amount.invalid', message: c.amount });
    if (issues.length > 0 || amountMinor === null) {
      setError(localValidationError(issues));
      return;
    }
    setBusy(true);
    try {
      const updated = await paymentsApi.applyCredit(payment.id, { invoiceId, amount: minorToDecimal(amountMinor) });
      const invoice = invoices.find((item) => item.id === invoiceId);
      notify(fill(c.applied, { amount: money(amountMinor), number: invoice?.documentNumber ?? '' }));
      onDone(updated);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  const options = [
    { value: '', label: c.choose },
    ...invoices.map((invoice) => ({
      value: invoice.id,
      label: fill(c.invoiceOption, { number: invoice.documentNumber ?? '', open: money(invoice.openMinor) }),
    })),
  ];

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page payment-form" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(c.applyTitle, { voucher: payment.voucher })}
      </h3>
      <p className="muted">{fill(c.applyIntro, { amount: money(payment.unallocatedMinor) })}</p>
      <ErrorAlert error={error} orphaned={errors.orphaned} />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert kind="error" title={paymentProblemText(t, state.error)} /> : null}
      {state.status === 'ready' && invoices.length === 0 ? <p className="muted">{c.noOpenInvoices}</p> : null}
      <div className="grid grid--2">
        <SelectField label={c.invoice} value={invoiceId} options={options} onChange={choose} error={errors.field('invoiceId')} disabled={state.status !== 'ready'} />
        <TextField
          className="field--money"
          label={c.amount}
          hint={fill(c.amountHint, { amount: money(payment.unallocatedMinor) })}
          value={amount}
          onChange={setAmount}
          inputMode="decimal"
          autoComplete="off"
          error={errors.field('amount')}
        />
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? c.applying : c.applySubmit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

const REFUND_FIELDS = { refundDate: ['refundDate'], amount: ['amount'], note: ['note'] } as const;

/** "Tilbakebetal": pays (part of) a payment's credit back to the customer; date today and the whole credit by default. */
export function RefundCreditForm({ payment, onCancel, onDone }: { payment: Payment; onCancel(): void; onDone(payment: Payment): void }) {
  const { t } = useI18n();
  const c = t.payments.credit;
  const [date, setDate] = useState(() => dateToInput(todayIso()));
  const [amount, setAmount] = useState(() => decimalToInput(minorToDecimal(payment.unallocatedMinor)));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const errors = useFieldErrors(error, REFUND_FIELDS);
  const money = (minor: number) => formatMoney(minor, payment.currency);
  const titleId = `refund-${payment.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const issues: FieldIssue[] = [];
    const refundDate = inputToDate(date);
    const amountMinor = parseAmountMinor(amount);
    if (refundDate === null) issues.push({ path: 'refundDate', code: 'required', message: c.refundDate });
    if (refundDate === undefined) issues.push({ path: 'refundDate', code: 'date.invalid', message: c.refundDate });
    if (amountMinor === null) issues.push({ path: 'amount', code: 'amount.invalid', message: c.amount });
    if (issues.length > 0 || !refundDate || amountMinor === null) {
      setError(localValidationError(issues));
      return;
    }
    setBusy(true);
    try {
      const updated = await paymentsApi.refund(payment.id, { refundDate, amount: minorToDecimal(amountMinor), note: orNull(note) });
      const voucher = updated.refunds.at(-1)?.voucher ?? '';
      notify(fill(c.refunded, { amount: money(amountMinor), voucher }));
      onDone(updated);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page payment-form" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(c.refundTitle, { voucher: payment.voucher })}
      </h3>
      <p className="muted">{c.refundIntro}</p>
      <ErrorAlert error={error} orphaned={errors.orphaned} />
      <div className="grid grid--2">
        <DateField label={c.refundDate} value={date} onChange={setDate} error={errors.field('refundDate')} />
        <TextField
          className="field--money"
          label={c.amount}
          hint={fill(c.amountHint, { amount: money(payment.unallocatedMinor) })}
          value={amount}
          onChange={setAmount}
          inputMode="decimal"
          autoComplete="off"
          error={errors.field('amount')}
        />
      </div>
      <TextAreaField label={c.note} optional={t.common.optional} value={note} onChange={setNote} maxLength={500} rows={2} error={errors.field('note')} />
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? c.refunding : c.refundSubmit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

// ---- Register ----

const REGISTER_FIELDS = {
  paymentDate: ['paymentDate'],
  amount: ['amount', 'allocations', 'allocations.0.amount'],
  amountNok: ['amountNok'],
  reference: ['reference'],
  note: ['note'],
} as const;

/**
 * "Registrer betaling" on an issued invoice: one payment allocated to this invoice. More than the
 * open amount is an overpayment: the invoice takes what is open and the rest is the customer's
 * credit (said before saving). A foreign-currency invoice also asks for the NOK that came in.
 */
export function RegisterPaymentForm({
  invoice,
  onCancel,
  onDone,
}: {
  invoice: Invoice;
  onCancel(): void;
  onDone(payment: Payment): void;
}) {
  const { t } = useI18n();
  const f = t.payments.form;
  const foreign = invoice.currency !== 'NOK';
  const open = invoice.openMinor;
  const [date, setDate] = useState(() => dateToInput(todayIso()));
  const [amount, setAmount] = useState(() => decimalToInput(minorToDecimal(open)));
  const [amountNok, setAmountNok] = useState('');
  const [reference, setReference] = useState(invoice.kid ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const errors = useFieldErrors(error, REGISTER_FIELDS);

  const amountMinor = parseAmountMinor(amount);
  const excess = amountMinor !== null && amountMinor > open ? amountMinor - open : 0;
  const money = (minor: number) => formatMoney(minor, invoice.currency);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const issues: FieldIssue[] = [];
    const paymentDate = inputToDate(date);
    if (paymentDate === null) issues.push({ path: 'paymentDate', code: 'required', message: f.date });
    if (paymentDate === undefined) issues.push({ path: 'paymentDate', code: 'date.invalid', message: f.date });
    if (amountMinor === null) issues.push({ path: 'amount', code: 'amount.invalid', message: f.amount });
    else if (foreign && excess > 0) issues.push({ path: 'amount', code: 'payment.foreign_credit', message: f.amount });
    const amountNokMinor = foreign ? parseAmountMinor(amountNok) : null;
    if (foreign && amountNok.trim() === '') issues.push({ path: 'amountNok', code: 'payment.amount_nok_missing', message: f.amountNok });
    else if (foreign && amountNokMinor === null) issues.push({ path: 'amountNok', code: 'amount.invalid', message: f.amountNok });
    if (issues.length > 0 || !paymentDate || amountMinor === null) {
      setError(localValidationError(issues));
      return;
    }
    const input: PaymentInput = {
      paymentDate,
      amount: minorToDecimal(amountMinor),
      currency: invoice.currency,
      ...(foreign && amountNokMinor !== null ? { amountNok: minorToDecimal(amountNokMinor) } : {}),
      reference: orNull(reference),
      note: orNull(note),
      // The invoice takes what is open at most; the rest is the customer's credit.
      allocations: [{ invoiceId: invoice.id, amount: minorToDecimal(Math.min(amountMinor, open)) }],
    };
    setBusy(true);
    try {
      const payment = await paymentsApi.register(input);
      notify(fill(f.registered, { voucher: payment.voucher }));
      onDone(payment);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page payment-form" aria-labelledby="payment-form-title">
      <h3 className="section-title" id="payment-form-title">
        {f.title}
      </h3>
      <p className="muted">{f.intro}</p>
      <ErrorAlert error={error} orphaned={errors.orphaned} />
      <div className="grid grid--2">
        <DateField label={f.date} hint={f.dateHint} value={date} onChange={setDate} error={errors.field('paymentDate')} />
        <TextField
          className="field--money"
          label={foreign ? fill(f.amountIn, { currency: invoice.currency }) : f.amount}
          hint={fill(f.amountHint, { amount: money(open) })}
          value={amount}
          onChange={setAmount}
          inputMode="decimal"
          autoComplete="off"
          error={errors.field('amount')}
        />
        {foreign ? (
          <TextField
            className="field--money"
            label={f.amountNok}
            hint={f.amountNokHint}
            value={amountNok}
            onChange={setAmountNok}
            inputMode="decimal"
            autoComplete="off"
            error={errors.field('amountNok')}
          />
        ) : null}
        <TextField
          label={f.reference}
          hint={f.referenceHint}
          optional={t.common.optional}
          value={reference}
          onChange={setReference}
          maxLength={200}
          error={errors.field('reference')}
        />
      </div>
      <TextAreaField label={f.note} optional={t.common.optional} value={note} onChange={setNote} maxLength={1000} rows={2} error={errors.field('note')} />
      {excess > 0 ? (
        foreign ? (
          <Alert kind="warning" title={fill(f.foreignOverpayment, { currency: invoice.currency, open: money(open) })} />
        ) : (
          <Alert kind="info" title={fill(f.overpayment, { excess: money(excess), open: money(open) })} />
        )
      ) : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? f.submitting : f.submit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

// ---- The section on an issued invoice ----

/**
 * "Betalinger" on an issued invoice: its payments (reversed ones struck through, with the reason),
 * what is paid and open, "Registrer betaling" while something is open, and "Tilbakefør" on a
 * booked payment. After either, the invoice is fetched again so status and open amount follow.
 */
export function InvoicePaymentsSection({ doc, onChange }: { doc: Invoice; onChange(doc: Invoice): void }) {
  const { t } = useI18n();
  const p = t.payments;
  const canWrite = useCan('payments.write');
  const [state, reload] = useLoad(`payments:${doc.id}`, () => paymentsApi.forInvoice(doc.id));
  const [registering, setRegistering] = useState(false);
  const [reversing, setReversing] = useState<Payment | null>(null);

  if (doc.kind !== 'invoice' || doc.status === 'draft') return null;
  const money = (minor: number) => formatMoney(minor, doc.currency);
  const canRegister = canWrite && doc.openMinor > 0;

  async function changed() {
    setRegistering(false);
    setReversing(null);
    reload();
    try {
      onChange(await api.invoice(doc.id));
    } catch (error) {
      notify(problemText(t, error), 'error');
    }
  }

  return (
    <section className="card card--section" aria-labelledby="doc-payments">
      <div className="section-header">
        <h2 className="section-title" id="doc-payments">
          {p.section.title}
        </h2>
        {canRegister && !registering ? (
          <Button variant="primary" onClick={() => setRegistering(true)}>
            {p.section.register}
          </Button>
        ) : null}
      </div>
      <p className="payment-summary">
        <span>
          {p.section.paid}: <strong data-testid="payments-paid">{money(doc.paidMinor)}</strong>
        </span>
        <span>
          {p.section.open}: <strong data-testid="payments-open">{money(doc.openMinor)}</strong>
        </span>
      </p>
      {registering && canRegister ? (
        <RegisterPaymentForm key={doc.openMinor} invoice={doc} onCancel={() => setRegistering(false)} onDone={() => void changed()} />
      ) : null}
      {reversing ? (
        <ReversePaymentForm key={reversing.id} payment={reversing} onCancel={() => setReversing(null)} onDone={() => void changed()} />
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={paymentProblemText(t, state.error)}>
          <Button onClick={reload}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {state.status === 'ready' && state.data.items.length === 0 ? <p className="muted">{p.section.empty}</p> : null}
      {state.status === 'ready' && state.data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="table__caption">{p.table.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{p.table.date}</th>
                <th scope="col">{p.table.voucher}</th>
                <th scope="col" className="num">
                  {p.table.amount}
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
              {state.data.items.map((payment) => {
                const allocation = payment.allocations.find((candidate) => candidate.invoiceId === doc.id);
                // What the invoice keeps: a credit note may have released part of it to the customer's credit.
                const allocated = allocation?.netMinor ?? 0;
                return (
                  <tr key={payment.id} className={payment.status === 'reversed' ? 'row--reversed' : undefined} data-payment={payment.voucher}>
                    <td className="nowrap">
                      <Struck payment={payment}>{formatDate(payment.paymentDate)}</Struck>
                    </td>
                    <td className="nowrap mono">
                      <Struck payment={payment}>{payment.voucher}</Struck>
                    </td>
                    <td className="num nowrap">
                      <Struck payment={payment}>{money(allocated)}</Struck>
                      {payment.amountMinor !== allocated ? (
                        <span className="block muted small">{fill(p.section.ofPayment, { amount: formatMoney(payment.amountMinor, payment.currency) })}</span>
                      ) : null}
                      {(allocation?.releases ?? []).map((release) => (
                        <span key={release.id} className="block muted small" data-testid="payment-released">
                          {fill(p.section.released, { amount: money(release.amountMinor), number: release.creditNoteNumber ?? '' })}
                        </span>
                      ))}
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
                        {payment.status === 'booked' && payment.refunds.length === 0 && reversing?.id !== payment.id ? (
                          <Button
                            variant="ghost"
                            className="btn--danger-text"
                            aria-label={fill(p.reverse.actionLabel, { voucher: payment.voucher })}
                            onClick={() => {
                              setRegistering(false);
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
    </section>
  );
}

/**
 * The customer's balance on their page: open receivables, the credit their payments hold
 * ("Kreditt til gode", with a link to those payments) and the net, in NOK and per currency.
 */
export function CustomerBalanceCard({ customerId, customerName }: { customerId: string; customerName: string }) {
  const { t } = useI18n();
  const b = t.payments.balance;
  const [state] = useLoad(`customer-balance:${customerId}`, () => paymentsApi.customerBalance(customerId));
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <Alert kind="error" title={paymentProblemText(t, state.error)} />;
  const balance = state.data;
  const nok = (minor: number) => formatMoney(minor, 'NOK');
  const foreign = balance.currencies.filter((entry) => entry.currency !== 'NOK');
  return (
    <section className="card card--section" aria-labelledby="customer-balance">
      <h2 className="section-title" id="customer-balance">
        {b.title}
      </h2>
      <p className="payment-summary">
        <span>
          {b.open}: <strong data-testid="customer-open">{nok(balance.openReceivablesNokMinor)}</strong>
        </span>
        <span>
          {b.credit}: <strong data-testid="customer-credit">{nok(balance.unappliedCreditNokMinor)}</strong>
        </span>
        <span>
          {b.net}: <strong data-testid="customer-net">{nok(balance.netBalanceNokMinor)}</strong>
        </span>
      </p>
      {foreign.map((entry) => (
        <p key={entry.currency} className="muted small">
          {entry.currency}: {fill(b.inCurrency, { open: formatMoney(entry.openReceivablesMinor, entry.currency), credit: formatMoney(entry.unappliedCreditMinor, entry.currency) })}
        </p>
      ))}
      {balance.creditPayments.length > 0 ? (
        <p>
          <a
            href={`/payments?customer=${encodeURIComponent(customerId)}&name=${encodeURIComponent(customerName)}`}
            onClick={(event) => {
              if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
              event.preventDefault();
              navigate(`/payments?customer=${encodeURIComponent(customerId)}&name=${encodeURIComponent(customerName)}`);
            }}
          >
            {b.showPayments}
          </a>{' '}
          <span className="muted small">({balance.creditPayments.map((payment) => payment.voucher).join(', ')})</span>
        </p>
      ) : null}
    </section>
  );
}
