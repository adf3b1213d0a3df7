// The 库存 list's rows, loaded a page at a time as the table scrolls towards the end. Each page
// starts after the last row already shown (keyset paging), so a page deep in 300,000 rows costs
// what the first one does. A change in the database reloads what is shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import { readsOf, type ApiInput, type StockRow } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';
import { useDbChanged } from '../../api/use-db-changed.ts';
import { useReportError } from '../../app/use-report-error.ts';
import type { StockListFilter } from './stock-list-store.ts';

export const STOCK_PAGE_SIZE = 200;
/** The most rows a change in the database reads again at once. */
export const RELOAD_AT_MOST = 5000;

/** The stock.list input for the page after the `loaded` rows under `filter`: it starts after the last of them. */
export function pageInput(filter: StockListFilter, loaded: readonly StockRow[], limit = STOCK_PAGE_SIZE): ApiInput<'stock.list'> {
  const input: ApiInput<'stock.list'> = { limit };
  if (filter.warehouse) input.warehouse = filter.warehouse;
  if (filter.low) input.low = true;
  if (filter.out) input.out = true;
  if (filter.unmapped) input.unmapped = true;
  const q = filter.q.trim();
  if (q) input.q = q;
  const last = loaded[loaded.length - 1];
  if (last) input.after = { sku: last.sku, warehouse: last.warehouse };
  return input;
}

export interface StockPages {
  rows: StockRow[];
  /** True once a page came back shorter than asked: there is nothing after the last row. */
  done: boolean;
  loading: boolean;
  /** Asks for the next page unless one is on its way or the end was reached. */
  more(): void;
}

export function useStockPages(filter: StockListFilter): StockPages {
  const report = useReportError();
  const [state, setState] = useState<{ rows: StockRow[]; done: boolean; loading: boolean }>({ rows: [], done: false, loading: true });
  const key = JSON.stringify(filter);
  // Answers for an older filter (or before a reload) are dropped.
  const ticket = useRef(0);
  const busy = useRef(false);
  const rowsRef = useRef<StockRow[]>([]);
  const doneRef = useRef(false);

  const load = useCallback(
    (fresh: boolean, keep = STOCK_PAGE_SIZE) => {
      const f = JSON.parse(key) as StockListFilter;
      const mine = fresh ? ++ticket.current : ticket.current;
      if (!fresh && (busy.current || doneRef.current)) return;
      busy.current = true;
      const before = fresh ? [] : rowsRef.current;
      setState((s) => ({ ...s, loading: true }));
      api.call('stock.list', pageInput(f, before, fresh ? Math.max(keep, STOCK_PAGE_SIZE) : STOCK_PAGE_SIZE)).then(
        (page) => {
          if (mine !== ticket.current) return;
          busy.current = false;
          const rows = before.concat(page);
          const done = page.length < (fresh ? Math.max(keep, STOCK_PAGE_SIZE) : STOCK_PAGE_SIZE);
          rowsRef.current = rows;
          doneRef.current = done;
          setState({ rows, done, loading: false });
        },
        (err) => {
          if (mine !== ticket.current) return;
          busy.current = false;
          setState((s) => ({ ...s, loading: false }));
          report(err, 'stock.list');
        },
      );
    },
    [key, report],
  );

  useEffect(() => {
    rowsRef.current = [];
    doneRef.current = false;
    load(true);
  }, [load]);
  // A movement or a catalogue change: read again as many rows as are shown, so the scroll stays put
  // — up to RELOAD_AT_MOST, past which a change costs more than a person scrolled that far gains.
  useDbChanged(readsOf('stock.list'), () => load(true, Math.min(rowsRef.current.length, RELOAD_AT_MOST)), 500);
  const more = useCallback(() => load(false), [load]);
  return { ...state, more };
}
