import { useEffect, useRef, useState } from 'react';
import { type BulkItem, type BulkOperation, type BulkStatus, bulkApi, bulkDownloadUrl, isBulkFinished } from '../api/bulk';
import { fill, problemText, useI18n } from '../i18n';
import { Link } from '../router';
import { Alert, Badge, Button } from './ui';
import './bulk-progress.css';

const POLL_MS = 1000;

const TONES: Record<BulkStatus, 'neutral' | 'accent' | 'success' | 'warning' | 'danger'> = {
  queued: 'neutral',
  running: 'accent',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'danger',
};

/**
 * A bulk operation's progress: a bar, the counts, every failed document with its reason
 * (and, for a draft failing the legal check, the missing items), and the ZIP's download
 * button once it is ready. Polls the operation until it has finished; `onFinished` runs once.
 */
export function BulkProgressPanel({
  initial,
  onFinished,
  onClose,
}: {
  initial: BulkOperation;
  onFinished(operation: BulkOperation): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const b = t.bulk;
  const [operation, setOperation] = useState(initial);
  const [error, setError] = useState<unknown>(null);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const finished = isBulkFinished(operation.status);

  useEffect(() => {
    if (finished) {
      finishedRef.current(operation);
      return undefined;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      bulkApi.operation(operation.id).then(
        (next) => {
          if (!live) return;
          setError(null);
          setOperation(next);
        },
        (cause: unknown) => {
          if (!live) return;
          setError(cause);
          // Try again: a lost connection must not stop the progress for good.
          setOperation((current) => ({ ...current }));
        },
      );
    }, POLL_MS);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // `operation` changes after every poll, which schedules the next one.
  }, [operation, finished]);

  const percent = operation.total === 0 ? 100 : Math.round((operation.done / operation.total) * 100);
  const failedItems = (operation.items ?? []).filter((item) => item.status === 'failed');
  const titleId = `bulk-${operation.id}`;

  return (
    <section className="card card--section bulk-progress" aria-labelledby={titleId} data-bulk-status={operation.status}>
      <div className="section-header">
        <h2 className="section-title" id={titleId}>
          {b.panelTitle[operation.kind]}
        </h2>
        <Badge tone={TONES[operation.status]}>{b.statuses[operation.status]}</Badge>
      </div>
      <div
        className="bulk-progress__bar"
        role="progressbar"
        aria-label={b.progressLabel}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} %`}
      >
        <div className={`bulk-progress__fill bulk-progress__fill--${operation.status}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="bulk-progress__counts">
        <span>{fill(b.progress, { done: operation.done, total: operation.total })}</span>
        <span className="bulk-progress__percent">{percent} %</span>
        {operation.done > 0 ? <span className="muted">{fill(b.summary, { succeeded: operation.succeeded, failed: operation.failed })}</span> : null}
      </p>
      {error ? <Alert kind="warning" title={problemText(t, error)} /> : null}
      {operation.error ? <Alert kind="error" title={operation.error} /> : null}
      {failedItems.length > 0 ? (
        <div className="bulk-progress__errors">
          <h3 className="bulk-progress__errors-title">{b.errorsTitle}</h3>
          <ul className="bulk-progress__list">
            {failedItems.map((item) => (
              <FailedItem key={item.position} item={item} />
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form-actions">
        {operation.kind === 'pdf_zip' && finished && operation.status !== 'failed' ? (
          <a className="btn btn--primary" href={bulkDownloadUrl(operation.id)} download>
            {b.download}
          </a>
        ) : null}
        {finished ? (
          <Button variant="ghost" onClick={onClose}>
            {b.close}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function FailedItem({ item }: { item: BulkItem }) {
  const { t } = useI18n();
  const b = t.bulk;
  const reason = (item.errorCode && b.itemErrors[item.errorCode]) ?? item.errorMessage ?? item.errorCode ?? '';
  return (
    <li className="bulk-progress__item" data-invoice-id={item.invoiceId}>
      <Link to={`/invoices/${item.invoiceId}`}>{item.documentNumber ?? t.invoices.draftNumber}</Link>{' '}
      <span>{item.isIssued && item.documentNumber ? fill(b.itemIssuedNotSent, { number: item.documentNumber }) : b.itemNotIssued}</span>{' '}
      <span className="bulk-progress__reason">{reason}</span>
      {item.missing && item.missing.length > 0 ? (
        <span className="block small">
          {b.missing} {item.missing.map((issue) => issue.message).join(' · ')}
        </span>
      ) : null}
    </li>
  );
}
