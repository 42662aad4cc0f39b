import { useRef } from 'react';
import { bankApi, type BankImport, type BankTransaction } from '../api/bank';
import {
  BankFileUpload,
  bankProblemText,
  formatBytes,
  ImportOutcome,
  ImportList,
  ImportStatusBadge,
  ReviewQueue,
  TransactionTable,
} from '../components/bank';
import { Alert, Button, Loading, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { useLoad, type LoadState } from '../hooks';
import { fill, useI18n } from '../i18n';
import { Link } from '../router';
import { useCan } from '../session';

/** The last data a load gave, kept while it loads again (no flicker after an upload or a match). */
function useLastReady<T>(state: LoadState<T>): T | null {
  const last = useRef<T | null>(null);
  if (state.status === 'ready') last.current = state.data;
  return last.current;
}

/** The review queue, shared by the tab count and the queue itself. */
function useReviewQueue() {
  return useLoad('bank-review', () => bankApi.transactions({ status: 'review' }));
}

function BankTabs({ active, reviewCount }: { active: 'imports' | 'review'; reviewCount: number | null }) {
  const { t } = useI18n();
  const tabs = t.bank.tabs;
  return (
    <nav className="tabs" aria-label={tabs.label}>
      <Link to="/bank-imports" className={`tabs__tab${active === 'imports' ? ' tabs__tab--active' : ''}`} aria-current={active === 'imports' ? 'page' : undefined}>
        {tabs.imports}
      </Link>
      <Link
        to="/bank-imports/review"
        className={`tabs__tab${active === 'review' ? ' tabs__tab--active' : ''}`}
        aria-current={active === 'review' ? 'page' : undefined}
      >
        {reviewCount && reviewCount > 0 ? fill(tabs.reviewCount, { count: reviewCount }) : tabs.review}
      </Link>
    </nav>
  );
}

function LoadError({ error, retry }: { error: unknown; retry(): void }) {
  const { t } = useI18n();
  return (
    <Alert kind="error" title={bankProblemText(t, error)}>
      <Button onClick={retry}>{t.app.retry}</Button>
    </Alert>
  );
}

/** "Bankfiler": upload a file (with progress) and see what it did; the earlier imports below. */
export function BankImportsScreen() {
  const { t } = useI18n();
  const b = t.bank;
  const canWrite = useCan('payments.write');
  const [importsState, reloadImports] = useLoad('bank-imports', () => bankApi.imports());
  const [reviewState, reloadReview] = useReviewQueue();
  const imports = useLastReady(importsState);
  const review = useLastReady(reviewState);

  return (
    <>
      <PageHeader title={b.screen.title}>{b.screen.intro}</PageHeader>
      <BankTabs active="imports" reviewCount={review ? review.items.length : null} />
      {canWrite ? (
        <BankFileUpload
          imports={imports?.items ?? []}
          onImported={() => {
            reloadImports();
            reloadReview();
          }}
        />
      ) : null}
      <section className="card card--section" aria-labelledby="bank-imports-title">
        <h2 className="section-title" id="bank-imports-title">
          {b.imports.title}
        </h2>
        {importsState.status === 'error' ? <LoadError error={importsState.error} retry={reloadImports} /> : null}
        {imports ? <ImportList imports={imports.items} /> : importsState.status === 'loading' ? <Loading /> : null}
      </section>
    </>
  );
}

/** "Til kontroll": the payments that wait for a person, matched by hand. */
export function BankReviewScreen() {
  const { t } = useI18n();
  const r = t.bank.review;
  const canWrite = useCan('payments.write');
  const [state, reload, replace] = useReviewQueue();
  const data = useLastReady(state);

  function matched(booked: BankTransaction) {
    if (data) replace({ items: data.items.filter((transaction) => transaction.id !== booked.id) });
  }

  return (
    <>
      <PageHeader title={r.title}>{r.intro}</PageHeader>
      <BankTabs active="review" reviewCount={data ? data.items.length : null} />
      {state.status === 'error' ? <LoadError error={state.error} retry={reload} /> : null}
      {data ? <ReviewQueue transactions={data.items} canWrite={canWrite} onMatched={matched} /> : state.status === 'loading' ? <Loading /> : null}
    </>
  );
}

function EarlierImportOutcome({ entry }: { entry: BankImport }) {
  const [earlier] = useLoad(`bank-import:${entry.duplicateOfId ?? ''}`, () =>
    entry.duplicateOfId ? bankApi.get(entry.duplicateOfId) : Promise.resolve(undefined),
  );
  return <ImportOutcome entry={entry} earlier={earlier.status === 'ready' ? earlier.data : undefined} titleLevel={2} />;
}

/** One import: when, which file, its summary (or why it was rejected) and its payments. */
export function BankImportScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const b = t.bank;
  const [state, reload] = useLoad(`bank-import:${id}`, () => bankApi.get(id));
  const [transactions, reloadTransactions] = useLoad(`bank-import-transactions:${id}`, () => bankApi.transactions({ importId: id }));

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} retry={reload} />;
  const entry = state.data;
  return (
    <>
      <p className="back-link">
        <Link to="/bank-imports">← {b.detail.back}</Link>
      </p>
      <PageHeader title={fill(b.detail.title, { name: entry.fileName ?? b.imports.noName })} actions={<ImportStatusBadge entry={entry} />} />
      <dl className="facts">
        <div className="facts__item">
          <dt>{b.detail.importedAt}</dt>
          <dd>{formatDateTime(entry.createdAt)}</dd>
        </div>
        <div className="facts__item">
          <dt>{b.detail.size}</dt>
          <dd>{formatBytes(entry.byteSize)}</dd>
        </div>
        <div className="facts__item">
          <dt>{b.detail.checksum}</dt>
          <dd className="mono small" title={entry.sha256}>
            {entry.sha256.slice(0, 16)}…
          </dd>
        </div>
      </dl>
      <section className="card card--section">
        <EarlierImportOutcome key={entry.id} entry={entry} />
      </section>
      {entry.status === 'completed' ? (
        <section className="card card--section" aria-labelledby="bank-import-transactions">
          <h2 className="section-title" id="bank-import-transactions">
            {b.detail.transactions}
          </h2>
          {transactions.status === 'loading' ? <Loading /> : null}
          {transactions.status === 'error' ? <LoadError error={transactions.error} retry={reloadTransactions} /> : null}
          {transactions.status === 'ready' && transactions.data.items.length === 0 ? <p className="empty">{b.detail.noTransactions}</p> : null}
          {transactions.status === 'ready' && transactions.data.items.length > 0 ? <TransactionTable transactions={transactions.data.items} /> : null}
        </section>
      ) : null}
    </>
  );
}
