import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api/endpoints';
import type { Page, ReferenceData } from './api/types';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: unknown };

/** Loads one thing when `key` changes; `reload` fetches it again. */
export function useLoad<T>(key: string, load: () => Promise<T>): [LoadState<T>, () => void, (data: T) => void] {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    loadRef.current().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const replace = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return [state, reload, replace];
}

export interface PagedList<T, P extends Page<T> = Page<T>> {
  items: T[];
  /** Every page response loaded so far, in order (for extras such as page totals). */
  pages: P[];
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  loadingMore: boolean;
  loadMore(): void;
  reload(): void;
}

/**
 * A keyset-paginated list. `key` identifies the query (search text, filters):
 * when it changes the list starts over and the older request is aborted.
 */
export function usePagedList<T, P extends Page<T> = Page<T>>(
  key: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<P>,
): PagedList<T, P> {
  const [items, setItems] = useState<T[]>([]);
  const [pages, setPages] = useState<P[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [nonce, setNonce] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const generation = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setStatus('loading');
    setError(null);
    fetchRef.current(undefined, controller.signal).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems(page.items);
        setPages([page]);
        setNextCursor(page.nextCursor);
        setStatus('ready');
      },
      (cause: unknown) => {
        if (generation.current !== mine || controller.signal.aborted) return;
        setError(cause);
        setStatus('error');
      },
    );
    return () => controller.abort();
  }, [key, nonce]);

  const loadMore = useCallback(() => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    const controller = new AbortController();
    setLoadingMore(true);
    fetchRef.current(nextCursor, controller.signal).then(
      (page) => {
        if (generation.current !== mine) return;
        setItems((previous) => [...previous, ...page.items]);
        setPages((previous) => [...previous, page]);
        setNextCursor(page.nextCursor);
        setLoadingMore(false);
      },
      (cause: unknown) => {
        if (generation.current !== mine) return;
        setError(cause);
        setLoadingMore(false);
      },
    );
  }, [nextCursor, loadingMore]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { items, pages, nextCursor, status, error, loadingMore, loadMore, reload };
}

/** A value that follows `value` after it has been still for `delay` ms (for search boxes). */
export function useDebounced<T>(value: T, delay = 250): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

let referenceData: Promise<ReferenceData> | null = null;

/** VAT codes and units; fetched once per page load. */
export function useReferenceData(): LoadState<ReferenceData> {
  const [state] = useLoad('reference-data', () => {
    referenceData ??= api.referenceData().catch((error: unknown) => {
      referenceData = null;
      throw error;
    });
    return referenceData;
  });
  return state;
}
