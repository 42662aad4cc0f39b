import type { PagedList } from '../hooks';
import { problemText, useI18n } from '../i18n';
import { Alert, Button, Loading } from './ui';

/** Loading, error and "Vis flere" for a paged list. */
export function ListStatus<T>({ list, empty }: { list: PagedList<T>; empty: string }) {
  const { t } = useI18n();
  if (list.status === 'loading' && list.items.length === 0) return <Loading />;
  if (list.status === 'error') {
    return (
      <Alert kind="error" title={problemText(t, list.error)}>
        <Button onClick={list.reload}>{t.app.retry}</Button>
      </Alert>
    );
  }
  if (list.status === 'ready' && list.items.length === 0) {
    return <p className="empty">{empty}</p>;
  }
  return null;
}

export function LoadMore<T>({ list }: { list: PagedList<T> }) {
  const { t } = useI18n();
  if (!list.nextCursor || list.status !== 'ready') return null;
  return (
    <div className="load-more">
      <Button onClick={list.loadMore} disabled={list.loadingMore}>
        {list.loadingMore ? t.common.loadingMore : t.common.loadMore}
      </Button>
    </div>
  );
}
