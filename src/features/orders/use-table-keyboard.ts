// Table keys: ↑/↓ move the focused row, Enter opens it, Space toggles its selection. Ignored while
// typing in a field or when a dialog is open.
import { useEffect } from 'react';
import type { PageCache } from './page-cache.ts';
import { toggle } from './selection.ts';
import { useOrders } from './store.ts';

function isTyping(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

export function useTableKeyboard(cache: PageCache): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      // A checkbox keeps Space for itself; other inputs keep every key.
      const target = e.target as Element | null;
      if (isTyping(target) && !(target instanceof HTMLInputElement && target.type === 'checkbox' && e.key !== ' ')) return;
      if (document.querySelector('[role="dialog"]')) return;
      const s = useOrders.getState();
      const total = cache.total ?? 0;
      if (total === 0) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = Math.max(0, Math.min(total - 1, s.focused + (e.key === 'ArrowDown' ? 1 : -1)));
        s.setFocused(next);
        // With the drawer open, arrows walk through orders.
        const row = cache.rowAt(next);
        if (s.drawerId && row) s.openDrawer(row.id);
      } else if (e.key === 'Enter') {
        const row = cache.rowAt(s.focused);
        if (row) {
          e.preventDefault();
          s.openDrawer(row.id);
        }
      } else if (e.key === ' ') {
        const row = cache.rowAt(s.focused);
        if (row) {
          e.preventDefault();
          s.setSelection(toggle(s.selection, row.id, s.focused));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cache]);
}
