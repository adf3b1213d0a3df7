// Toast messages (errors and batch results); the one place errors reach the user. At most
// MAX_TOASTS show at once (the oldest gives way), the same message again raises a counter on the
// one already shown instead of stacking a copy, and every toast goes away by itself.
import { create } from 'zustand';

export interface Toast {
  id: number;
  kind: 'error' | 'success' | 'info';
  text: string;
  /** Extra lines, e.g. the skipped orders of a batch and why. */
  lines?: string[];
  /** How many times this same message arrived while shown. */
  repeat?: number;
}

/** Toasts on screen at once: more would cover the table a packer is working in. */
export const MAX_TOASTS = 3;
/** How long a toast stays: errors and toasts with details long enough to read them. */
export const toastLifetime = (t: Pick<Toast, 'kind' | 'lines'>): number => (t.kind === 'error' || t.lines?.length ? 8000 : 4000);

const sameMessage = (a: Omit<Toast, 'id'>, b: Omit<Toast, 'id'>) =>
  a.kind === b.kind && a.text === b.text && (a.lines ?? []).join('\n') === (b.lines ?? []).join('\n');

interface ToastState {
  toasts: Toast[];
  push(t: Omit<Toast, 'id' | 'repeat'>): void;
  dismiss(id: number): void;
}

let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const useToasts = create<ToastState>((set, get) => {
  const schedule = (t: Toast) => {
    const old = timers.get(t.id);
    if (old) clearTimeout(old);
    timers.set(t.id, setTimeout(() => get().dismiss(t.id), toastLifetime(t)));
  };
  return {
    toasts: [],
    push: (t) => {
      const shown = get().toasts.find((x) => sameMessage(x, t));
      if (shown) {
        // The same message again (a retry failing the same way, a refresh error each tick): count it
        // and give it its full time again.
        const bumped = { ...shown, repeat: (shown.repeat ?? 1) + 1 };
        set((s) => ({ toasts: s.toasts.map((x) => (x.id === shown.id ? bumped : x)) }));
        schedule(bumped);
        return;
      }
      const toast: Toast = { ...t, id: next++ };
      const all = [...get().toasts, toast];
      const gone = all.slice(0, Math.max(0, all.length - MAX_TOASTS));
      for (const g of gone) {
        clearTimeout(timers.get(g.id));
        timers.delete(g.id);
      }
      set({ toasts: all.slice(-MAX_TOASTS) });
      schedule(toast);
    },
    dismiss: (id) => {
      clearTimeout(timers.get(id));
      timers.delete(id);
      set((s) => ({ toasts: s.toasts.filter((x) => x.id !== id) }));
    },
  };
});
