// Query hooks of the workbench: the paged rows of the current query and the tab counts, both
// refreshed after db.changed touches the order tables.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ApiInput, ApiOutput, OrderCounts, OrderFilter, OrderSort } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { ORDER_TABLES, useDbChanged } from '../../api/use-db-changed.ts';
import { useReportError } from '../../app/use-report-error.ts';
import { PageCache } from './page-cache.ts';
import { keepStillShown } from './selection.ts';
import { queryKey, useOrders } from './store.ts';

const PAGE_SIZE = 200;
const KEEP_CACHES = 6;
/** Recently used queries, newest last, so flipping back to a tab shows rows at once. */
const caches = new Map<string, PageCache>();

function cacheFor(filter: OrderFilter, sort: OrderSort, onError: (e: unknown) => void): PageCache {
  const key = queryKey(filter, sort);
  let cache = caches.get(key);
  if (cache) {
    caches.delete(key);
  } else {
    cache = new PageCache(
      key,
      (offset, limit, withTotal) => api.call('orders.list', { filter, sort, offset, limit, withTotal }),
      PAGE_SIZE,
      (e) => onError(e),
    );
  }
  caches.set(key, cache);
  while (caches.size > KEEP_CACHES) caches.delete(caches.keys().next().value as string);
  return cache;
}

/** The page cache of the current query; re-renders whenever rows or the total arrive. */
export function useOrderRows(filter: OrderFilter, sort: OrderSort): PageCache {
  const report = useReportError();
  const key = queryKey(filter, sort);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const cache = useMemo(() => cacheFor(filter, sort, (e) => report(e, 'orders.list')), [key]);
  useSyncExternalStore(cache.subscribe, cache.getVersion);
  useDbChanged(ORDER_TABLES, () => {
    for (const c of caches.values()) {
      // Other queries' rows are stale now; drop them rather than refetch what is not shown.
      if (c === cache) c.invalidate();
      else caches.delete(c.key);
    }
  });
  return cache;
}

/**
 * A count query over the filter less some of its keys, asked again when the filter or the order
 * tables change. Typing in the search box changes the filter per keystroke upstream; counts wait a
 * moment.
 */
function useFilterCounts<M extends 'orders.counts' | 'orders.shopCounts'>(
  method: M,
  filter: OrderFilter,
  drop: readonly (keyof OrderFilter)[],
): ApiOutput<M> | null {
  const report = useReportError();
  const [counts, setCounts] = useState<ApiOutput<M> | null>(null);
  const [tick, setTick] = useState(0);
  const base = useMemo(() => {
    const rest = { ...filter };
    for (const k of drop) delete rest[k];
    return rest;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter]);
  const key = JSON.stringify(base);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.call(method, { filter: base } as ApiInput<M>).then(
        (c) => live && setCounts(c),
        (e) => live && report(e, method),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  useDbChanged(ORDER_TABLES, () => setTick((n) => n + 1), 400);
  return counts;
}

/** The counts behind the tabs and the abnormal-reason filter, for the filter without its tab. */
export function useCounts(filter: OrderFilter): OrderCounts | null {
  return useFilterCounts('orders.counts', filter, ['queue', 'abnormal']);
}

/**
 * Orders per shop for the shop filter's counts: the current filter (its tab included) with every
 * shop, so each shop shows what picking it would give.
 */
export function useShopCounts(filter: OrderFilter): Record<string, number> | null {
  return useFilterCounts('orders.shopCounts', filter, ['shopIds']);
}

/**
 * Keep the selection to orders the view still shows: after a batch action (or a sync) moves
 * selected orders out of the current filter, they leave the selection too, so "已选 N" and the next
 * action count only what the person can see. Selections of every matching order included.
 */
export function useSelectionFollowsView(): void {
  const report = useReportError();
  useDbChanged(ORDER_TABLES, () => {
    const state = useOrders.getState();
    if (state.selection.ids.size === 0) return;
    const asked = [...state.selection.ids];
    const key = JSON.stringify(state.filter);
    api.call('orders.ids', { filter: state.filter, within: asked }).then((res) => {
      const now = useOrders.getState();
      // The person changed the filter meanwhile: that already reset the selection.
      if (JSON.stringify(now.filter) !== key) return;
      const next = keepStillShown(now.selection, asked, res.ids);
      if (next !== now.selection) now.setSelection(next);
    }, (e) => report(e, 'orders.ids'));
  }, 150);
}
