// Live status of each printer (printers.status asks the printer over its own link): fetched when the
// list of printers changes, every 30 s while the page is open, and on demand. One slow printer does
// not hold up the others' answers.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PrinterStatusView } from '../../../electron/shared/contract.ts';
import { api } from '../../api/client.ts';

export type StatusCell = PrinterStatusView | 'checking' | { kind: 'error'; words: string };

export function usePrinterStatus(ids: readonly string[]): { status: Record<string, StatusCell>; refresh(id?: string): void } {
  const [status, setStatus] = useState<Record<string, StatusCell>>({});
  const key = ids.join(',');
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const refresh = useCallback(
    (only?: string) => {
      const targets = only ? [only] : key ? key.split(',') : [];
      for (const id of targets) {
        setStatus((s) => ({ ...s, [id]: 'checking' }));
        api.call('printers.status', { id }).then(
          (v) => alive.current && setStatus((s) => ({ ...s, [id]: v })),
          (err: unknown) => alive.current && setStatus((s) => ({ ...s, [id]: { kind: 'error', words: err instanceof Error ? err.message : String(err) } })),
        );
      }
    },
    [key],
  );
  useEffect(() => {
    refresh();
    const timer = setInterval(() => refresh(), 30_000);
    return () => clearInterval(timer);
  }, [refresh]);
  return { status, refresh };
}

/** The badge for a status cell: tone and the core's words; null words = still asking. */
export function statusBadge(cell: StatusCell | undefined, paused: boolean): { tone: 'success' | 'danger' | 'muted' | 'warning' | 'info'; words: string | null } {
  if (paused) return { tone: 'warning', words: null };
  if (cell === undefined || cell === 'checking') return { tone: 'muted', words: null };
  if (cell.kind === 'status') return { tone: cell.ready ? (cell.printing ? 'info' : 'success') : 'danger', words: cell.words };
  if (cell.kind === 'one_way') return { tone: 'muted', words: cell.words };
  return { tone: 'danger', words: cell.words };
}
