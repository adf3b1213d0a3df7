// Refresh-on-commit: call `fn` (debounced) after db.changed events that touch any of `tables`.
import { useEffect, useRef } from 'react';
import { ANY_TABLE, ORDER_READS } from '../../electron/shared/contract.ts';
import { api } from './client.ts';

export function useDbChanged(tables: readonly string[], fn: () => void, debounceMs = 250): void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const key = tables.join(',');
  useEffect(() => {
    // Watching nothing: not even the reconnect's "every table" refresh applies.
    if (key === '') return;
    const watched = new Set(key.split(','));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('db.changed', (payload) => {
      // A bulk sync commits many times a second; one refresh per burst is enough.
      if (!payload.tables.some((t) => t === ANY_TABLE || watched.has(t))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fnRef.current();
      }, debounceMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [key, debounceMs]);
}

/** Tables an order row, the counts or the drawer read (what orders.list, orders.counts and orders.get declare). */
export const ORDER_TABLES = ORDER_READS;
