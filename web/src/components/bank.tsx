import { Fragment, useId, useRef, useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { bankApi, type BankFileMessage, type BankImport, type BankImportSummary, type BankTransaction } from '../api/bank';
import { ApiError, localValidationError, type FieldIssue, type UploadProgress } from '../api/client';
import { api } from '../api/endpoints';
import { paymentsApi, type Payment } from '../api/payments';
import type { Invoice, InvoiceStatus } from '../api/types';
import { decimalToInput, formatBankAccount, formatDate, formatDateTime, formatInteger, formatMoney, minorToDecimal } from '../format';
import { useLoad } from '../hooks';
import { fill, problemText, useI18n, type Messages } from '../i18n';
import { parseMicros } from '../invoice-math';
import { Link } from '../router';
import { TextField } from './fields';
import { paymentFieldText } from './payments';
import { SearchPicker } from './search-picker';
import { Alert, Badge, Button, Loading, notify, useFocusFirstError } from './ui';
import './bank.css';

// ---- Texts: the bank dictionary first, then the payment and shared ones ----

/** The text for a failing field of the matching form. */
export function bankFieldText(t: Messages, issue: FieldIssue): string {
  const field = issue.path.split('.').at(-1) ?? '';
  return t.bank.fields[`${field}.${issue.code}`] ?? t.bank.fields[issue.code] ?? paymentFieldText(t, issue);
}

/** The sentence for a failed bank request as a whole. */
export function bankProblemText(t: Messages, error: unknown): string {
  if (error instanceof ApiError && t.bank.problems[error.code]) return t.bank.problems[error.code]!;
  return problemText(t, error);
}

/** The matcher's explanation in the user's language (the API gives it in English). */
export function explanationText(t: Messages, transaction: BankTransaction): string {
  if (transaction.kind === 'reversal' && transaction.explanation) {
    // The reversal matcher's sentence, possibly followed by why the payment could not be reversed.
    const known = t.bank.reversal.explanations;
    return transaction.explanation
      .split(/\.\s+/)
      .map((part) => known[part.replace(/\.$/, '')] ?? part)
      .join('. ')
      .replace(/\.?$/, '.');
  }
  if (transaction.explanation && t.bank.explanations[transaction.explanation]) return t.bank.explanations[transaction.explanation]!;
  if (transaction.explanation) return transaction.explanation;
  return transaction.matchReason ? (t.bank.reasons[transaction.matchReason] ?? transaction.matchReason) : '';
}

export function formatName(t: Messages, format: string | null): string {
  return format ? (t.bank.formats[format] ?? format) : t.common.none;
}

/** The format as a list shows it: "OCR giro", "camt.054". */
function shortFormatName(format: string | null): string {
  return format === 'ocr_giro' ? 'OCR giro' : (format ?? '');
}

const sizeFormat = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 });

/** A file size as "812 B", "14,2 kB", "58,3 MB" (Norwegian format). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatInteger(bytes)}\u00a0B`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)}\u00a0kB`;
  return `${sizeFormat.format(bytes / (1024 * 1024))}\u00a0MB`;
}

/** Typed money text ("1 250,50") in øre; null unless a positive amount with at most two decimals. */
function parseAmountMinor(text: string): number | null {
  const micros = parseMicros(text);
  if (micros === null || micros <= 0n || micros % 10_000n !== 0n) return null;
  return Number(micros / 10_000n);
}

// ---- Status badges ----

const IMPORT_TONES: Record<BankImport['status'], 'success' | 'danger' | 'warning'> = {
  completed: 'success',
  rejected: 'danger',
  duplicate_file: 'warning',
};

export function ImportStatusBadge({ entry }: { entry: BankImport }) {
  const { t } = useI18n();
  return <Badge tone={IMPORT_TONES[entry.status]}>{t.bank.statuses[entry.status]}</Badge>;
}

const TRANSACTION_TONES: Record<BankTransaction['status'], 'success' | 'warning' | 'neutral'> = {
  booked: 'success',
  review: 'warning',
  duplicate: 'neutral',
  dismissed: 'neutral',
};

export function TransactionStatusBadge({ transaction }: { transaction: BankTransaction }) {
  const { t } = useI18n();
  const text = transaction.kind === 'reversal' && transaction.status === 'booked' ? t.bank.reversal.reversedBadge : t.bank.transactionStatuses[transaction.status];
  return <Badge tone={TRANSACTION_TONES[transaction.status]}>{text}</Badge>;
}

/** "Tilbakeføring": marks a reversal from the bank among payments. */
export function ReversalBadge({ transaction }: { transaction: BankTransaction }) {
  const { t } = useI18n();
  if (transaction.kind !== 'reversal') return null;
  return (
    <span className="block">
      <Badge tone="danger">{t.bank.reversal.label}</Badge>
    </span>
  );
}

// ---- The summary of one import ----

function Fact({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <div className="facts__item">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function MessageList({ title, items, kind }: { title: string; items: readonly BankFileMessage[]; kind: 'warning' | 'note' }) {
  const { t } = useI18n();
  if (items.length === 0) return null;
  return (
    <div className={`bank-messages bank-messages--${kind}`}>
      <h3 className="bank-messages__title">{title}</h3>
      <ul className="bank-messages__list">
        {items.map((item, index) => (
          <li key={`${item.code}:${item.location}:${index}`} className="bank-messages__item" data-code={item.code}>
            <strong>{t.bank.messageCodes[item.code] ?? item.code}</strong>
            <span className="block">{item.message}</span>
            <span className="block muted small mono bank-location">{fill(t.bank.summary.location, { location: item.location })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * What an import did: format, counts (payments, booked, for review, duplicates, other
 * transactions), the sums per currency and whether they reconcile, and the file's warnings
 * and notes with where in the file they are.
 */
export function ImportSummary({ summary, titleLevel = 2 }: { summary: BankImportSummary; titleLevel?: 2 | 3 }) {
  const { t } = useI18n();
  const s = t.bank.summary;
  const titleId = useId();
  const Title = titleLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="bank-summary" aria-labelledby={titleId}>
      <Title className="section-title" id={titleId}>
        {s.title}
      </Title>
      <dl className="facts bank-summary__facts">
        <Fact label={s.format} testId="summary-format">
          {formatName(t, summary.format)}
        </Fact>
        <Fact label={s.payments} testId="summary-payments">
          {formatInteger(summary.paymentCount)}
        </Fact>
        <Fact label={s.booked} testId="summary-booked">
          {formatInteger(summary.bookedCount)}
        </Fact>
        <Fact label={s.review} testId="summary-review">
          {formatInteger(summary.reviewCount)}
        </Fact>
        <Fact label={s.duplicates} testId="summary-duplicates">
          {formatInteger(summary.duplicateCount)}
        </Fact>
        <Fact label={s.others} testId="summary-others">
          {formatInteger(summary.ignoredCount)}
        </Fact>
        {summary.reversalCount > 0 ? (
          <>
            <Fact label={s.reversals} testId="summary-reversals">
              {formatInteger(summary.reversalCount)}
            </Fact>
            <Fact label={s.reversed} testId="summary-reversed">
              {formatInteger(summary.reversedCount)}
            </Fact>
            <Fact label={s.reversalReview} testId="summary-reversal-review">
              {formatInteger(summary.reversalReviewCount)}
            </Fact>
          </>
        ) : null}
      </dl>
      {summary.reviewCount > 0 ? (
        <p>
          <Link to="/bank-imports/review">{s.toReview}</Link>
        </p>
      ) : null}
      {summary.reversalReviewCount > 0 ? (
        <p>
          <Link to="/bank-imports/review">{s.toReviewReversals}</Link>
        </p>
      ) : null}
      {summary.sums.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense bank-summary__sums">
            <caption className="table__caption">{s.sumsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{s.currency}</th>
                <th scope="col" className="num">
                  {s.credited}
                </th>
                <th scope="col" className="num">
                  {s.booked}
                </th>
                <th scope="col" className="num">
                  {s.review}
                </th>
                <th scope="col" className="num">
                  {s.duplicates}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.sums.map((sum) => (
                <tr key={sum.currency} data-currency={sum.currency}>
                  <th scope="row">{sum.currency}</th>
                  <td className="num nowrap">{formatMoney(sum.creditedMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.bookedMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.reviewMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.duplicateMinor, sum.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {summary.sums.length > 0 ? (
        summary.reconciles ? (
          <Alert kind="success" title={s.reconciles} />
        ) : (
          <Alert kind="warning" title={s.notReconciles} />
        )
      ) : null}
      {summary.reversalSums.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense bank-summary__reversal-sums">
            <caption className="table__caption">{s.reversalSumsCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{s.currency}</th>
                <th scope="col" className="num">
                  {s.takenBack}
                </th>
                <th scope="col" className="num">
                  {s.reversed}
                </th>
                <th scope="col" className="num">
                  {s.review}
                </th>
                <th scope="col" className="num">
                  {s.duplicates}
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.reversalSums.map((sum) => (
                <tr key={sum.currency} data-currency={sum.currency}>
                  <th scope="row">{sum.currency}</th>
                  <td className="num nowrap">{formatMoney(sum.reversalMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.reversedMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.reviewMinor, sum.currency)}</td>
                  <td className="num nowrap">{formatMoney(sum.duplicateMinor, sum.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <MessageList title={s.warnings} items={summary.warnings} kind="warning" />
      <MessageList title={s.notes} items={summary.notes} kind="note" />
    </section>
  );
}

/** The answer to an upload (or a stored import): success with its summary, a file seen before, or a rejection. */
export function ImportOutcome({ entry, earlier, titleLevel = 3 }: { entry: BankImport; earlier?: BankImport | undefined; titleLevel?: 2 | 3 }) {
  const { t } = useI18n();
  const u = t.bank.upload;
  if (entry.status === 'rejected') {
    return (
      <Alert kind="error" title={u.rejectedTitle}>
        <p className="bank-rejection" data-testid="bank-rejection">
          {entry.error?.message}
        </p>
        <p className="small">{u.rejectedHint}</p>
      </Alert>
    );
  }
  if (entry.status === 'duplicate_file') {
    return (
      <>
        <Alert kind="warning" title={u.duplicateTitle}>
          {entry.duplicateOfId ? (
            <Link to={`/bank-imports/${entry.duplicateOfId}`}>
              {earlier ? fill(u.duplicateLink, { date: formatDateTime(earlier.createdAt) }) : u.duplicateLinkPlain}
            </Link>
          ) : null}
        </Alert>
        <ImportSummary summary={entry.summary} titleLevel={titleLevel} />
      </>
    );
  }
  return <ImportSummary summary={entry.summary} titleLevel={titleLevel} />;
}

// ---- Upload ----

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; size: number; progress: UploadProgress }
  | { phase: 'processing'; name: string; size: number }
  | { phase: 'done'; name: string; result: BankImport }
  | { phase: 'rejected'; name: string; message: string }
  | { phase: 'failed'; name: string; error: unknown }
  | { phase: 'cancelled' };

/**
 * A drop zone and file picker that uploads at once, with the upload's real progress (bytes sent),
 * then the summary of the import: booked, for review, duplicates, sums, warnings; a rejected file
 * shows the API's message, which names the record or element; a file imported before links to
 * the earlier import.
 */
export function BankFileUpload({ imports, onImported }: { imports: readonly BankImport[]; onImported(entry: BankImport | null): void }) {
  const { t } = useI18n();
  const u = t.bank.upload;
  const inputId = useId();
  const hintId = useId();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const [dragging, setDragging] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = state.phase === 'uploading' || state.phase === 'processing';

  async function upload(file: File) {
    if (busy) return;
    const name = file.name;
    const abort = new AbortController();
    controller.current = abort;
    setState({ phase: 'uploading', name, size: file.size, progress: { loaded: 0, total: file.size } });
    try {
      const result = await bankApi.importFile(
        file,
        name,
        (progress) => {
          if (abort.signal.aborted) return;
          setState(
            progress.loaded >= progress.total
              ? { phase: 'processing', name, size: file.size }
              : { phase: 'uploading', name, size: file.size, progress },
          );
        },
        abort.signal,
      );
      setState({ phase: 'done', name, result });
      if (result.status === 'completed') notify(fill(u.completed, { name }));
      onImported(result);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        setState({ phase: 'cancelled' });
      } else if (error instanceof ApiError && error.code === 'bank_import.rejected') {
        setState({ phase: 'rejected', name, message: error.detail });
        onImported(null);
      } else {
        setState({ phase: 'failed', name, error });
      }
    } finally {
      controller.current = null;
      if (inputRef.current) inputRef.current.value = '';
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void upload(file);
  }

  const percent =
    state.phase === 'uploading' ? (state.progress.total > 0 ? Math.min(100, Math.floor((state.progress.loaded / state.progress.total) * 100)) : 0) : 100;

  return (
    <section className="card card--section bank-upload" aria-labelledby="bank-upload-title">
      <h2 className="section-title" id="bank-upload-title">
        {u.title}
      </h2>
      <div
        className={`bank-dropzone${dragging ? ' bank-dropzone--active' : ''}${busy ? ' bank-dropzone--busy' : ''}`}
        onDragEnter={(event) => {
          event.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className="bank-dropzone__text">
          {u.drop}{' '}
          <input
            ref={inputRef}
            id={inputId}
            type="file"
            className="visually-hidden bank-dropzone__input"
            aria-describedby={hintId}
            disabled={busy}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
            }}
          />
          <label htmlFor={inputId} className={`btn btn--primary bank-dropzone__button${busy ? ' bank-dropzone__button--disabled' : ''}`}>
            {u.choose}
          </label>
        </p>
        <p className="field__hint" id={hintId}>
          {u.hint}
        </p>
      </div>

      {state.phase === 'uploading' || state.phase === 'processing' ? (
        <div className="bank-progress" data-phase={state.phase}>
          <p className="bank-progress__label">
            {fill(u.uploading, { name: state.name, size: formatBytes(state.size) })}
            <span className="bank-progress__percent">{percent} %</span>
          </p>
          <div
            className="bank-progress__bar"
            role="progressbar"
            aria-label={u.progressLabel}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${percent} %`}
          >
            <div className={`bank-progress__fill${state.phase === 'processing' ? ' bank-progress__fill--processing' : ''}`} style={{ width: `${percent}%` }} />
          </div>
          {state.phase === 'uploading' ? (
            <p className="muted small">
              {formatBytes(state.progress.loaded)} / {formatBytes(state.progress.total)}{' '}
              <Button variant="ghost" onClick={() => controller.current?.abort()}>
                {u.cancel}
              </Button>
            </p>
          ) : (
            <p className="muted small" role="status">
              <span className="spinner" aria-hidden="true" /> {u.processing}
            </p>
          )}
        </div>
      ) : null}

      {state.phase === 'cancelled' ? <Alert kind="info" title={u.cancelled} /> : null}
      {state.phase === 'rejected' ? (
        <Alert kind="error" title={u.rejectedTitle}>
          <p className="bank-rejection" data-testid="bank-rejection">
            {state.name}: {state.message}
          </p>
          <p className="small">{u.rejectedHint}</p>
        </Alert>
      ) : null}
      {state.phase === 'failed' ? (
        <Alert kind="error" title={u.failedTitle}>
          <p>
            {state.error instanceof ApiError && state.error.fieldErrors.length > 0
              ? state.error.fieldErrors.map((issue) => bankFieldText(t, issue)).join(' ')
              : bankProblemText(t, state.error)}
          </p>
        </Alert>
      ) : null}
      {state.phase === 'done' ? (
        <div className="bank-result" data-import-id={state.result.id} data-status={state.result.status}>
          {state.result.status === 'completed' ? <Alert kind="success" title={fill(u.completed, { name: state.name })} /> : null}
          <ImportOutcome entry={state.result} earlier={imports.find((entry) => entry.id === state.result.duplicateOfId)} />
        </div>
      ) : null}
    </section>
  );
}

// ---- Earlier imports ----

export function ImportList({ imports }: { imports: readonly BankImport[] }) {
  const { t } = useI18n();
  const l = t.bank.imports;
  if (imports.length === 0) return <p className="empty">{l.empty}</p>;
  return (
    <div className="table-wrap">
      <table className="table bank-imports">
        <caption className="visually-hidden">{l.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{l.date}</th>
            <th scope="col">{l.file}</th>
            <th scope="col">{l.format}</th>
            <th scope="col">{l.status}</th>
            <th scope="col" className="num">
              {l.payments}
            </th>
            <th scope="col" className="num">
              {l.booked}
            </th>
            <th scope="col" className="num">
              {l.review}
            </th>
            <th scope="col" className="num">
              {l.duplicates}
            </th>
          </tr>
        </thead>
        <tbody>
          {imports.map((entry) => (
            <tr key={entry.id} data-import={entry.id}>
              <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
              <td>
                <Link to={`/bank-imports/${entry.id}`} className="table__link">
                  {entry.fileName ?? l.noName}
                </Link>
                <span className="block muted small">{formatBytes(entry.byteSize)}</span>
              </td>
              <td className="nowrap">{entry.status === 'rejected' ? '' : shortFormatName(entry.summary.format)}</td>
              <td>
                <ImportStatusBadge entry={entry} />
              </td>
              <td className="num">{entry.status === 'rejected' ? '' : formatInteger(entry.summary.paymentCount)}</td>
              <td className="num">{entry.status === 'rejected' ? '' : formatInteger(entry.summary.bookedCount)}</td>
              <td className="num">{entry.status === 'rejected' ? '' : formatInteger(entry.summary.reviewCount)}</td>
              <td className="num">{entry.status === 'rejected' ? '' : formatInteger(entry.summary.duplicateCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- The transactions of a file ----

function PayerCell({ transaction }: { transaction: BankTransaction }) {
  return (
    <>
      {transaction.payerName ? <span className="block">{transaction.payerName}</span> : null}
      {transaction.payerAccount ? <span className="block muted small mono">{formatBankAccount(transaction.payerAccount)}</span> : null}
    </>
  );
}

function ReferenceCell({ transaction }: { transaction: BankTransaction }) {
  const { t } = useI18n();
  return (
    <>
      {transaction.kid ? <span className="block mono">{fill(t.bank.review.kid, { kid: transaction.kid })}</span> : null}
      {transaction.texts
        .filter((text) => text !== transaction.kid)
        .map((text, index) => (
        <span key={index} className="block small bank-text">
          {text}
        </span>
      ))}
    </>
  );
}

const transactionDate = (transaction: BankTransaction) => transaction.bookingDate ?? transaction.valueDate;

/** Every payment of one file with what became of it. */
export function TransactionTable({ transactions }: { transactions: readonly BankTransaction[] }) {
  const { t } = useI18n();
  const r = t.bank.review;
  return (
    <div className="table-wrap">
      <table className="table table--dense">
        <caption className="visually-hidden">{t.bank.detail.transactions}</caption>
        <thead>
          <tr>
            <th scope="col">{r.date}</th>
            <th scope="col" className="num">
              {r.amount}
            </th>
            <th scope="col">{r.payer}</th>
            <th scope="col">{r.reference}</th>
            <th scope="col">{t.bank.imports.status}</th>
            <th scope="col">{r.explanation}</th>
          </tr>
        </thead>
        <tbody>
          {transactions.map((transaction) => (
            <tr key={transaction.id} data-transaction={transaction.id} data-status={transaction.status}>
              <td className="nowrap">{formatDate(transactionDate(transaction))}</td>
              <td className="num nowrap">{formatMoney(transaction.amountMinor, transaction.currency)}</td>
              <td>
                <PayerCell transaction={transaction} />
              </td>
              <td>
                <ReferenceCell transaction={transaction} />
              </td>
              <td>
                <TransactionStatusBadge transaction={transaction} />
              </td>
              <td>
                <ReversalBadge transaction={transaction} />
                {transaction.matchReason ? <span className="block small">{t.bank.reasons[transaction.matchReason] ?? transaction.matchReason}</span> : null}
                <span className="block muted small">{explanationText(t, transaction)}</span>
                <span className="block muted small mono bank-location">{transaction.location}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- The review queue ----

/**
 * "Til kontroll": the payments and reversals that wait, with the matcher's explanation. "Avstem"
 * opens the matching form under a payment's row, "Tilbakefør" the suggested payments under a
 * reversal's, "Avvis" a reason to set either aside. A resolved row leaves the queue.
 */
export function ReviewQueue({
  transactions,
  canWrite,
  onMatched,
}: {
  transactions: readonly BankTransaction[];
  canWrite: boolean;
  onMatched(transaction: BankTransaction): void;
}) {
  const { t } = useI18n();
  const r = t.bank.review;
  const [opened, setOpened] = useState<{ id: string; mode: 'match' | 'reverse' | 'dismiss' } | null>(null);
  const columns = canWrite ? 6 : 5;
  const close = () => setOpened(null);
  const done = (resolved: BankTransaction) => {
    setOpened(null);
    onMatched(resolved);
  };
  if (transactions.length === 0) return <p className="empty">{r.empty}</p>;
  return (
    <div className="table-wrap">
      <table className="table bank-review">
        <caption className="visually-hidden">{r.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{r.date}</th>
            <th scope="col" className="num">
              {r.amount}
            </th>
            <th scope="col">{r.payer}</th>
            <th scope="col">{r.reference}</th>
            <th scope="col">{r.explanation}</th>
            {canWrite ? (
              <th scope="col">
                <span className="visually-hidden">{r.actions}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {transactions.map((transaction) => {
            const amount = formatMoney(transaction.amountMinor, transaction.currency);
            const open = opened?.id === transaction.id ? opened.mode : null;
            const isReversal = transaction.kind === 'reversal';
            const payer = transaction.payerName ?? r.unknownPayer;
            return (
              <Fragment key={transaction.id}>
                <tr data-transaction={transaction.id} data-kind={transaction.kind} className={open ? 'bank-review__row--open' : undefined}>
                  <td className="nowrap">{formatDate(transactionDate(transaction))}</td>
                  <td className="num nowrap">{amount}</td>
                  <td>
                    <PayerCell transaction={transaction} />
                  </td>
                  <td>
                    <ReferenceCell transaction={transaction} />
                  </td>
                  <td>
                    <ReversalBadge transaction={transaction} />
                    <span className="block">{explanationText(t, transaction)}</span>
                    {transaction.matchReason ? (
                      <span className="block muted small">
                        {t.bank.reasons[transaction.matchReason] ?? transaction.matchReason}
                        {transaction.confidence > 0 ? ` · ${fill(r.confidence, { confidence: transaction.confidence })}` : ''}
                      </span>
                    ) : null}
                  </td>
                  {canWrite ? (
                    <td className="nowrap">
                      {!open ? (
                        <span className="bank-review__actions">
                          {isReversal ? (
                            <Button variant="secondary" aria-label={fill(t.bank.reversal.actionLabel, { amount })} onClick={() => setOpened({ id: transaction.id, mode: 'reverse' })}>
                              {t.bank.reversal.action}
                            </Button>
                          ) : (
                            <Button variant="secondary" aria-label={fill(r.actionLabel, { amount, payer })} onClick={() => setOpened({ id: transaction.id, mode: 'match' })}>
                              {r.action}
                            </Button>
                          )}{' '}
                          <Button variant="ghost" aria-label={fill(t.bank.dismiss.actionLabel, { amount })} onClick={() => setOpened({ id: transaction.id, mode: 'dismiss' })}>
                            {t.bank.dismiss.action}
                          </Button>
                        </span>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
                {open ? (
                  <tr className="bank-review__form-row">
                    <td colSpan={columns}>
                      {open === 'match' ? <MatchForm transaction={transaction} onCancel={close} onDone={done} /> : null}
                      {open === 'reverse' ? <ReverseForm transaction={transaction} onCancel={close} onDone={done} /> : null}
                      {open === 'dismiss' ? <DismissForm transaction={transaction} onCancel={close} onDone={done} /> : null}
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// ---- Matching by hand ----

interface Chosen {
  invoice: Invoice;
  amount: string;
}

const OPEN_STATUSES: readonly InvoiceStatus[] = ['issued', 'sent', 'partially_paid'];

function InvoiceOption({ invoice }: { invoice: Invoice }) {
  const { t } = useI18n();
  const m = t.bank.match;
  return (
    <>
      <span className="nowrap">{fill(m.invoice, { number: invoice.documentNumber ?? '' })}</span> <span>{invoice.buyer.name}</span>{' '}
      <span className="muted small nowrap">
        {fill(m.open, { amount: formatMoney(invoice.openMinor, invoice.currency) })}
        {invoice.dueDate ? ` · ${fill(m.due, { date: formatDate(invoice.dueDate) })}` : null}
      </span>
    </>
  );
}

/**
 * Books a waiting payment with the invoices chosen by hand: the matcher's suggestions first, and a
 * search among open invoices (number or customer). Each invoice takes the smaller of what is left
 * of the payment and its open amount unless changed; what no invoice takes is the customer's
 * credit, said before saving. Server field errors (`allocations.0.amount`, …) show beside the fields.
 */
export function MatchForm({
  transaction,
  onCancel,
  onDone,
}: {
  transaction: BankTransaction;
  onCancel(): void;
  onDone(transaction: BankTransaction): void;
}) {
  const { t } = useI18n();
  const m = t.bank.match;
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, error);
  const titleId = `match-${transaction.id}`;
  const currency = transaction.currency;
  const money = (minor: number) => formatMoney(minor, currency);

  const [suggestions] = useLoad(`bank-suggestions:${transaction.id}`, async () => {
    const found = await Promise.all(transaction.suggestions.map((id) => api.invoice(id).catch(() => null)));
    return found.filter((invoice): invoice is Invoice => invoice !== null && invoice.kind === 'invoice' && invoice.openMinor > 0 && invoice.currency === currency);
  });

  const amounts = chosen.map((entry) => parseAmountMinor(entry.amount));
  const allocatedMinor = amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0);
  const restMinor = transaction.amountMinor - allocatedMinor;

  function choose(invoice: Invoice) {
    if (chosen.some((entry) => entry.invoice.id === invoice.id)) return;
    const left = Math.max(0, transaction.amountMinor - allocatedMinor);
    const amount = Math.min(left, invoice.openMinor);
    setError(null);
    setChosen([...chosen, { invoice, amount: amount > 0 ? decimalToInput(minorToDecimal(amount)) : '' }]);
  }

  function remove(index: number) {
    setError(null);
    setChosen(chosen.filter((_, position) => position !== index));
  }

  async function searchOpen(text: string, signal: AbortSignal): Promise<Invoice[]> {
    const pages = await Promise.all(
      OPEN_STATUSES.map((status) => api.invoices({ status, ...(text ? { q: text } : {}), limit: 10 }, signal)),
    );
    const taken = new Set(chosen.map((entry) => entry.invoice.id));
    return pages
      .flatMap((page) => page.items)
      .filter((invoice) => invoice.openMinor > 0 && invoice.currency === currency && !taken.has(invoice.id))
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, 10);
  }

  const issues = error instanceof ApiError ? error.fieldErrors : [];
  const textsFor = (path: (issue: FieldIssue) => boolean) => {
    const texts = issues.filter(path).map((issue) => bankFieldText(t, issue));
    return texts.length > 0 ? [...new Set(texts)].join(' ') : undefined;
  };
  const amountError = (index: number) => textsFor((issue) => issue.path === `allocations.${index}.amount`);
  const invoiceError = (index: number) => textsFor((issue) => issue.path === `allocations.${index}.invoiceId` || issue.path === `allocations.${index}`);
  const listError = textsFor((issue) => issue.path === 'allocations' || issue.path === 'customerId');
  const shownPath = (path: string) => path === 'allocations' || path === 'customerId' || /^allocations\.\d+(\.amount|\.invoiceId)?$/.test(path);
  const orphaned = issues.filter((issue) => !shownPath(issue.path));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    const local: FieldIssue[] = [];
    if (chosen.length === 0) local.push({ path: 'allocations', code: 'allocation.none', message: m.chosen });
    amounts.forEach((amount, index) => {
      if (amount === null) local.push({ path: `allocations.${index}.amount`, code: 'amount.invalid', message: m.chosen });
    });
    if (local.length === 0 && restMinor < 0) local.push({ path: 'allocations', code: 'allocation.exceeds_payment', message: m.chosen });
    if (local.length > 0) {
      setError(localValidationError(local));
      return;
    }
    setBusy(true);
    try {
      const booked = await bankApi.match(transaction.id, {
        allocations: chosen.map((entry, index) => ({ invoiceId: entry.invoice.id, amount: minorToDecimal(amounts[index]!) })),
      });
      notify(fill(m.done, { amount: money(transaction.amountMinor) }));
      onDone(booked);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  const listId = `${titleId}-chosen`;
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="form form--page payment-form bank-match" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(m.title, { amount: money(transaction.amountMinor) })}
      </h3>
      <p className="muted">{m.intro}</p>
      {error ? (
        <Alert kind="error" title={bankProblemText(t, error)}>
          {orphaned.length > 0 ? (
            <ul className="alert__list">
              {orphaned.map((issue) => (
                <li key={`${issue.path}:${issue.code}`}>{bankFieldText(t, issue)}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}

      <div className="bank-match__pickers">
        <div className="bank-match__suggestions">
          <h4 className="bank-match__subtitle">{m.suggestions}</h4>
          {suggestions.status === 'loading' ? <Loading /> : null}
          {suggestions.status === 'error' ? <p className="muted small">{bankProblemText(t, suggestions.error)}</p> : null}
          {suggestions.status === 'ready' && suggestions.data.length === 0 ? <p className="muted small">{m.noSuggestions}</p> : null}
          {suggestions.status === 'ready' && suggestions.data.length > 0 ? (
            <ul className="bank-match__list">
              {suggestions.data.map((invoice) => {
                const taken = chosen.some((entry) => entry.invoice.id === invoice.id);
                return (
                  <li key={invoice.id} className="bank-match__option" data-invoice-id={invoice.id}>
                    <span>
                      <InvoiceOption invoice={invoice} />
                    </span>
                    <Button
                      variant="secondary"
                      disabled={taken || busy}
                      aria-label={fill(m.pickLabel, { number: invoice.documentNumber ?? '' })}
                      onClick={() => choose(invoice)}
                    >
                      {taken ? m.picked : m.pick}
                    </Button>
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>
        <SearchPicker<Invoice>
          className="bank-match__search"
          label={m.search}
          placeholder={m.searchPlaceholder}
          hint={m.searchHint}
          disabled={busy}
          search={searchOpen}
          optionKey={(invoice) => invoice.id}
          renderOption={(invoice) => <InvoiceOption invoice={invoice} />}
          onPick={choose}
        />
      </div>

      <div className={`bank-match__chosen${listError ? ' field--invalid' : ''}`} role="group" aria-labelledby={listId}>
        <h4 className="bank-match__subtitle" id={listId}>
          {m.chosen}
        </h4>
        {chosen.length === 0 ? <p className="muted small">{m.noneChosen}</p> : null}
        {chosen.map((entry, index) => {
          const number = entry.invoice.documentNumber ?? '';
          const rowError = invoiceError(index);
          return (
            <div key={entry.invoice.id} className="bank-match__allocation" data-invoice-id={entry.invoice.id}>
              <div className="bank-match__invoice">
                <Link to={`/invoices/${entry.invoice.id}`} className="table__link">
                  {fill(m.invoice, { number })}
                </Link>{' '}
                <span>{entry.invoice.buyer.name}</span>
                <span className="block muted small">{fill(m.open, { amount: money(entry.invoice.openMinor) })}</span>
                {rowError ? (
                  <p className="field__error">
                    <span aria-hidden="true" className="field__error-icon">
                      !
                    </span>
                    {rowError}
                  </p>
                ) : null}
              </div>
              <TextField
                className="field--money bank-match__amount"
                label={fill(m.amountFor, { number })}
                value={entry.amount}
                onChange={(value) => setChosen(chosen.map((other, position) => (position === index ? { ...other, amount: value } : other)))}
                inputMode="decimal"
                autoComplete="off"
                disabled={busy}
                error={amountError(index)}
              />
              <Button variant="ghost" className="btn--danger-text" aria-label={fill(m.removeLabel, { number })} disabled={busy} onClick={() => remove(index)}>
                {m.remove}
              </Button>
            </div>
          );
        })}
        {listError ? (
          <p className="field__error">
            <span aria-hidden="true" className="field__error-icon">
              !
            </span>
            {listError}
          </p>
        ) : null}
      </div>

      {chosen.length > 0 ? (
        <div className="bank-match__totals" aria-live="polite">
          <p className="small">{fill(m.allocated, { allocated: money(allocatedMinor), total: money(transaction.amountMinor) })}</p>
          {restMinor > 0 ? <Alert kind="info" title={fill(m.credit, { amount: money(restMinor) })} /> : null}
          {restMinor < 0 ? <Alert kind="warning" title={fill(m.exceeds, { amount: money(-restMinor) })} /> : null}
        </div>
      ) : null}

      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? m.submitting : m.submit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}

// ---- Reversals and dismissals by hand ----

/**
 * A waiting reversal from the bank: the payments the matcher suggests (same amount, best first),
 * each with a button that reverses it. The server checks currency and amount again.
 */
export function ReverseForm({ transaction, onCancel, onDone }: { transaction: BankTransaction; onCancel(): void; onDone(transaction: BankTransaction): void }) {
  const { t } = useI18n();
  const v = t.bank.reversal;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const titleId = `reverse-${transaction.id}`;
  const takenBack = Math.abs(transaction.amountMinor);
  const [suggestions] = useLoad(`bank-reversal-suggestions:${transaction.id}`, async () => {
    const found = await Promise.all(transaction.suggestions.map((id) => paymentsApi.get(id).catch(() => null)));
    return found.filter((payment): payment is Payment => payment !== null && payment.status === 'booked');
  });

  async function reverse(payment: Payment) {
    if (busy) return;
    setError(null);
    setBusy(payment.id);
    try {
      const resolved = await bankApi.reverse(transaction.id, payment.id);
      notify(fill(v.done, { voucher: payment.voucher }));
      onDone(resolved);
    } catch (cause) {
      setError(cause);
      setBusy(null);
    }
  }

  return (
    <section className="form form--page bank-match bank-reverse" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(v.title, { amount: formatMoney(takenBack, transaction.currency) })}
      </h3>
      <p className="muted">{v.intro}</p>
      {error ? <Alert kind="error" title={bankProblemText(t, error)} /> : null}
      <h4 className="bank-match__subtitle">{v.suggestions}</h4>
      {suggestions.status === 'loading' ? <Loading /> : null}
      {suggestions.status === 'error' ? <p className="muted small">{bankProblemText(t, suggestions.error)}</p> : null}
      {suggestions.status === 'ready' && suggestions.data.length === 0 ? <p className="muted small">{v.noSuggestions}</p> : null}
      {suggestions.status === 'ready' && suggestions.data.length > 0 ? (
        <ul className="bank-match__list">
          {suggestions.data.map((payment) => (
            <li key={payment.id} className="bank-match__option" data-payment-id={payment.id}>
              <span>
                <span className="nowrap">{fill(v.payment, { voucher: payment.voucher })}</span>{' '}
                <span className="nowrap">{formatMoney(payment.amountMinor, payment.currency)}</span>{' '}
                {payment.payerName ? <span>{payment.payerName}</span> : null}{' '}
                <span className="muted small nowrap">
                  {fill(v.paidOn, { date: formatDate(payment.paymentDate) })}
                  {payment.reference ? ` · ${payment.reference}` : ''}
                </span>
              </span>
              <Button variant="secondary" disabled={busy !== null} aria-label={fill(v.reverseLabel, { voucher: payment.voucher })} onClick={() => void reverse(payment)}>
                {busy === payment.id ? v.submitting : v.reverse}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel} disabled={busy !== null}>
          {t.common.cancel}
        </Button>
      </div>
    </section>
  );
}

/** Sets a waiting transaction (payment or reversal) aside with a reason; nothing is booked. */
export function DismissForm({ transaction, onCancel, onDone }: { transaction: BankTransaction; onCancel(): void; onDone(transaction: BankTransaction): void }) {
  const { t } = useI18n();
  const d = t.bank.dismiss;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = `dismiss-${transaction.id}`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const dismissed = await bankApi.dismiss(transaction.id, reason.trim());
      notify(d.done);
      onDone(dismissed);
    } catch (cause) {
      setError(cause);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="form form--page bank-dismiss" aria-labelledby={titleId}>
      <h3 className="section-title" id={titleId}>
        {fill(d.title, { amount: formatMoney(transaction.amountMinor, transaction.currency) })}
      </h3>
      <p className="muted">{d.intro}</p>
      {error ? <Alert kind="error" title={bankProblemText(t, error)} /> : null}
      <TextField label={d.reason} hint={d.hint} value={reason} onChange={setReason} disabled={busy} error={missing ? d.reasonMissing : undefined} autoComplete="off" maxLength={500} />
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? d.submitting : d.submit}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy}>
          {t.common.cancel}
        </Button>
      </div>
    </form>
  );
}
