import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { defaultDeliveryChannel } from '../../../src/domain/delivery.js';
import { findEhfProblems } from '../../../src/domain/ehf/ehf-document.js';
import { ehfApi, type DeliveryChannel, type EhfSettings } from '../api/ehf';
import { api } from '../api/endpoints';
import type { Delivery, DeliveryStatus, EmailSettings, Invoice } from '../api/types';
import { formatDateTime } from '../format';
import { fill, problemText, useI18n } from '../i18n';
import { Link } from '../router';
import { useCan } from '../session';
import { RadioGroup, TextField } from './fields';
import { Alert, Badge, Button, Loading, notify } from './ui';

const TONES: Record<DeliveryStatus, 'neutral' | 'accent' | 'success' | 'warning' | 'danger'> = {
  queued: 'neutral',
  sending: 'accent',
  sent: 'success',
  failed: 'warning',
  dead: 'danger',
};

/** Statuses the worker has not finished with; the list refreshes itself while one is showing. */
const IN_FLIGHT: ReadonlySet<DeliveryStatus> = new Set(['queued', 'sending']);
const POLL_MS = 1500;
const RETRY_POLL_MS = 10_000;
const CHANNELS: readonly DeliveryChannel[] = ['email', 'ehf'];

type Loaded = { deliveries: Delivery[]; email: EmailSettings; ehf: EhfSettings; customerChannel: DeliveryChannel };
/** `send` for the first delivery through a channel, `resend` after a finished one, null while one is under way. */
type Mode = 'send' | 'resend' | null;

function modeOf(latest: Delivery | undefined): Mode {
  if (latest === undefined) return 'send';
  return latest.status === 'sent' || latest.status === 'dead' ? 'resend' : null;
}

/**
 * "Utsendelser" on an issued invoice or credit note: send by e-mail or as EHF (the customer's
 * channel chosen first), send again, and every delivery with its channel, status, attempts
 * and last error.
 */
export function InvoiceDeliverySection({ doc, onChange }: { doc: Invoice; onChange(doc: Invoice): void }) {
  const { t } = useI18n();
  const d = t.email.delivery;
  const x = t.ehf.delivery;
  const canSend = useCan('invoices.send');
  const [state, setState] = useState<{ status: 'loading' } | { status: 'error'; error: unknown } | ({ status: 'ready' } & Loaded)>({ status: 'loading' });
  const [formChannel, setFormChannel] = useState<DeliveryChannel | null>(null);
  const docRef = useRef(doc);
  docRef.current = doc;

  const load = useCallback(async () => {
    try {
      const [deliveries, email, ehf, customer] = await Promise.all([
        api.deliveries(doc.id),
        api.emailSettings(),
        ehfApi.settings(),
        api.customer(doc.customerId).catch(() => null),
      ]);
      const customerChannel = customer ? defaultDeliveryChannel(customer) : 'email';
      setState({ status: 'ready', deliveries: deliveries.items, email, ehf, customerChannel });
      // The worker marks the document sent together with the delivery: show it.
      if (docRef.current.sentAt === null && deliveries.items.some((delivery) => delivery.status === 'sent')) {
        onChange(await api.invoice(doc.id));
      }
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [doc.id, doc.customerId, onChange]);

  useEffect(() => {
    void load();
  }, [load]);

  // Fast while the worker is on it; slowly while a failed delivery waits for its next attempt.
  const statuses = state.status === 'ready' ? state.deliveries.map((delivery) => delivery.status) : [];
  const pollMs = statuses.some((status) => IN_FLIGHT.has(status)) ? POLL_MS : statuses.includes('failed') ? RETRY_POLL_MS : null;
  useEffect(() => {
    if (pollMs === null) return undefined;
    const timer = window.setInterval(() => void load(), pollMs);
    return () => window.clearInterval(timer);
  }, [pollMs, load]);

  if (doc.status === 'draft') return null;
  const ready = state.status === 'ready' ? state : null;
  const deliveries = ready?.deliveries ?? [];
  const latestOf = (channel: DeliveryChannel) => deliveries.filter((delivery) => delivery.channel === channel).at(-1);
  const ehfProblems = findEhfProblems(doc);
  const isConfigured = (channel: DeliveryChannel) => (channel === 'email' ? ready?.email.isConfigured : ready?.ehf.isConfigured) ?? false;
  const isAvailable = (channel: DeliveryChannel) => isConfigured(channel) && (channel === 'email' || ehfProblems.length === 0);
  const available = CHANNELS.filter(isAvailable);
  const customerChannel = ready?.customerChannel ?? 'email';
  // The customer's channel first; the other one when that cannot be used.
  const preferred = [customerChannel, ...CHANNELS.filter((channel) => channel !== customerChannel)].find(
    (channel) => isAvailable(channel) && modeOf(latestOf(channel)) !== null,
  );
  const preferredMode = preferred ? modeOf(latestOf(preferred)) : null;

  return (
    <section className="card card--section" aria-labelledby="doc-deliveries">
      <div className="section-header">
        <h2 className="section-title" id="doc-deliveries">
          {d.title}
        </h2>
        {canSend && ready && formChannel === null && preferred ? (
          <Button variant={preferredMode === 'send' ? 'primary' : 'secondary'} onClick={() => setFormChannel(preferred)}>
            {preferredMode === 'resend' ? d.resend : preferred === 'email' ? d.send : x.sendEhf}
          </Button>
        ) : null}
      </div>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? (
        <Alert kind="error" title={problemText(t, state.error)}>
          <Button onClick={() => void load()}>{t.app.retry}</Button>
        </Alert>
      ) : null}
      {ready && !isConfigured(customerChannel) ? (
        customerChannel === 'email' ? (
          <Alert kind="warning" title={d.notConfigured}>
            <p>{d.notConfiguredWho}</p>
            <p>
              <Link to="/company/email">{d.settingsLink}</Link>
            </p>
          </Alert>
        ) : (
          <Alert kind="warning" title={x.notConfigured}>
            <p>{x.notConfiguredWho}</p>
            <p>
              <Link to="/company/ehf">{x.settingsLink}</Link>
            </p>
          </Alert>
        )
      ) : null}
      {ready && customerChannel === 'ehf' && ehfProblems.length > 0 ? (
        <Alert kind="warning" title={fill(x.notRepresentable, { reasons: ehfProblems.map((problem) => x.reasons[problem.code] ?? problem.rule).join('; ') })} />
      ) : null}
      {formChannel !== null && ready ? (
        <SendForm
          doc={doc}
          channel={formChannel}
          channels={available.length > 0 ? available : [formChannel]}
          customerChannel={customerChannel}
          modeFor={(channel) => modeOf(latestOf(channel))}
          previousRecipient={latestOf('email')?.recipient ?? null}
          email={ready.email}
          onChannel={setFormChannel}
          onCancel={() => setFormChannel(null)}
          onDone={() => {
            setFormChannel(null);
            void load();
          }}
        />
      ) : null}
      {ready && deliveries.length === 0 ? <p className="muted">{d.none}</p> : null}
      {deliveries.length > 0 ? <DeliveryTable deliveries={deliveries} isTest={doc.isTest} /> : null}
    </section>
  );
}

function SendForm({
  doc,
  channel,
  channels,
  customerChannel,
  modeFor,
  previousRecipient,
  email,
  onChannel,
  onCancel,
  onDone,
}: {
  doc: Invoice;
  channel: DeliveryChannel;
  channels: readonly DeliveryChannel[];
  customerChannel: DeliveryChannel;
  modeFor(channel: DeliveryChannel): Mode;
  previousRecipient: string | null;
  email: EmailSettings;
  onChannel(channel: DeliveryChannel): void;
  onCancel(): void;
  onDone(): void;
}) {
  const { t } = useI18n();
  const d = t.email.delivery;
  const x = t.ehf.delivery;
  const mode = modeFor(channel);
  const ownAddress = email.replyTo ?? email.fromAddress ?? '';
  const [recipient, setRecipient] = useState(doc.isTest ? ownAddress : modeFor('email') === 'resend' ? (previousRecipient ?? '') : (doc.buyer.email ?? ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submitLabel = mode === 'resend' ? d.resend : channel === 'email' ? d.send : x.sendEhf;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || mode === null) return;
    setBusy(true);
    setError(null);
    try {
      const to = channel === 'email' ? recipient.trim() || undefined : undefined;
      const delivery = mode === 'send' ? await ehfApi.send(doc.id, channel, to) : await ehfApi.resend(doc.id, channel, to);
      const isNew = delivery.status === 'queued' || delivery.status === 'sending';
      notify(isNew ? d.queued : channel === 'email' ? d.alreadySent : x.alreadySent);
      onDone();
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form className="form delivery-form" onSubmit={submit} noValidate aria-label={submitLabel}>
      {error ? <Alert kind="error" title={problemText(t, error)} /> : null}
      <RadioGroup
        legend={x.channel}
        name="delivery-channel"
        value={channel}
        onChange={(value) => onChannel(value === 'ehf' ? 'ehf' : 'email')}
        options={channels.map((option) => ({ value: option, label: x.channels[option] ?? option }))}
        disabled={busy}
      />
      <p className="field__hint">{fill(x.customerChannel, { channel: x.channels[customerChannel] ?? customerChannel })}</p>
      {channel === 'email' ? (
        <div className="grid grid--2">
          <TextField
            label={d.recipient}
            type="email"
            value={recipient}
            onChange={setRecipient}
            hint={doc.isTest ? d.testRecipientHint : d.recipientHint}
            autoComplete="email"
          />
        </div>
      ) : (
        <p className="field__hint">{doc.isTest ? x.testNotSent : x.ehfRecipientHint}</p>
      )}
      {mode === null ? <p className="field__hint">{x.inProgress}</p> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy || mode === null}>
          {submitLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

function DeliveryTable({ deliveries, isTest }: { deliveries: Delivery[]; isTest: boolean }) {
  const { t } = useI18n();
  const d = t.email.delivery;
  const x = t.ehf.delivery;
  return (
    <div className="table-wrap">
      <table className="table table--dense deliveries">
        <thead>
          <tr>
            <th scope="col">{d.sequence}</th>
            <th scope="col">{x.channel}</th>
            <th scope="col">{d.recipient}</th>
            <th scope="col">{d.status}</th>
            <th scope="col" className="num">
              {d.attempts}
            </th>
            <th scope="col">{d.time}</th>
            <th scope="col">{d.details}</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-delivery-status={delivery.status} data-delivery-channel={delivery.channel}>
              <td>{delivery.sequence}</td>
              <td>{x.channels[delivery.channel] ?? delivery.channel}</td>
              <td>{delivery.recipient}</td>
              <td>
                <Badge tone={TONES[delivery.status]}>{d.statuses[delivery.status] ?? delivery.status}</Badge>
              </td>
              <td className="num">
                {delivery.attempts}
                {delivery.maxAttempts ? <span className="muted small"> / {delivery.maxAttempts}</span> : null}
              </td>
              <td className="nowrap">{formatDateTime(delivery.sentAt ?? delivery.updatedAt)}</td>
              <td>
                {delivery.lastError ? <span className="block delivery-error">{delivery.lastError}</span> : null}
                {delivery.nextAttemptAt ? (
                  <span className="block muted small">{fill(d.nextAttempt, { time: formatDateTime(delivery.nextAttemptAt) })}</span>
                ) : null}
                {delivery.channel === 'ehf' && delivery.status === 'sent' && isTest ? <span className="block muted small">{x.testNotSent}</span> : null}
                {delivery.channel === 'ehf' && delivery.messageId ? (
                  <span className="block muted small">{fill(x.messageId, { id: delivery.messageId })}</span>
                ) : null}
                <span className="block muted small">{fill(d.requestedBy, { who: delivery.requestedBy })}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
