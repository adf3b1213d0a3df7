// UI state of the order workbench (zustand): applied filter, sort, visible columns, selection,
// focused row, open drawer and dialog. Domain decisions stay in the core.
import { create } from 'zustand';
import type { DateShortcut, FilterPreset, OrderFilter, OrderSort } from '../../../electron/shared/contract.ts';
import { loadColumns, saveColumns, type ColumnId } from './columns.ts';
import { shortcutRange } from './date-range.ts';
import { emptySelection, type Selection } from './selection.ts';

export type BatchDialog = 'tag' | 'flag' | 'hold' | 'close' | 'export' | 'print' | 'pick_list' | 'packing_slip' | null;

export type DateField = 'created' | 'paid';
const FROM = { created: 'createdFrom', paid: 'paidFrom' } as const;
const TO = { created: 'createdTo', paid: 'paidTo' } as const;

interface OrdersState {
  filter: OrderFilter;
  /** Date filters picked as a shortcut ("近7天"): shown by name, and saved in a preset as such. */
  dateShortcuts: Partial<Record<DateField, DateShortcut>>;
  sort: OrderSort;
  columns: ColumnId[];
  selection: Selection;
  focused: number;
  drawerId: string | null;
  dialog: BatchDialog;
  setFilter(patch: Partial<OrderFilter>): void;
  clearFilters(): void;
  /** Set one date filter: days (from/to epoch ms, either open) or a shortcut resolved at `now`. */
  setDateRange(field: DateField, range: { from?: number; to?: number } | DateShortcut, now?: number): void;
  /** Show what a saved preset filters, its relative date ranges counted from `now`. */
  applyPreset(preset: Pick<FilterPreset, 'filter' | 'relative'>, now?: number): void;
  setSort(sort: OrderSort): void;
  setColumns(cols: ColumnId[]): void;
  setSelection(sel: Selection): void;
  setFocused(i: number): void;
  openDrawer(id: string | null): void;
  openDialog(d: BatchDialog): void;
}

/** Drop empty values so the query key (and the core's SQL) only carry real conditions. */
export function normalizeFilter(filter: OrderFilter): OrderFilter {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (k === 'queue' && v === 'all') continue;
    out[k] = v;
  }
  return out as OrderFilter;
}

export const useOrders = create<OrdersState>((set) => ({
  filter: {},
  dateShortcuts: {},
  sort: { field: 'paidAt', dir: 'desc' },
  columns: loadColumns(),
  selection: emptySelection,
  focused: 0,
  drawerId: null,
  dialog: null,
  // A different query shows different rows: the old selection and focus no longer mean anything.
  setFilter: (patch) =>
    set((s) => ({ filter: normalizeFilter({ ...s.filter, ...patch }), selection: emptySelection, focused: 0 })),
  clearFilters: () =>
    set((s) => ({ filter: normalizeFilter({ queue: s.filter.queue }), dateShortcuts: {}, selection: emptySelection, focused: 0 })),
  setDateRange: (field, range, now = Date.now()) =>
    set((s) => {
      const shortcut = typeof range === 'string' ? range : undefined;
      const days = typeof range === 'string' ? shortcutRange(range, now) : range;
      const dateShortcuts = { ...s.dateShortcuts };
      if (shortcut) dateShortcuts[field] = shortcut;
      else delete dateShortcuts[field];
      const filter = normalizeFilter({ ...s.filter, [FROM[field]]: days.from, [TO[field]]: days.to });
      return { filter, dateShortcuts, selection: emptySelection, focused: 0 };
    }),
  applyPreset: (preset, now = Date.now()) =>
    set(() => {
      const filter: OrderFilter = { ...preset.filter };
      const dateShortcuts: OrdersState['dateShortcuts'] = {};
      for (const field of ['created', 'paid'] as const) {
        const shortcut = preset.relative[field];
        if (!shortcut) continue;
        const days = shortcutRange(shortcut, now);
        filter[FROM[field]] = days.from;
        filter[TO[field]] = days.to;
        dateShortcuts[field] = shortcut;
      }
      return { filter: normalizeFilter(filter), dateShortcuts, selection: emptySelection, focused: 0 };
    }),
  setSort: (sort) => set({ sort, focused: 0 }),
  setColumns: (columns) => {
    saveColumns(columns);
    set({ columns });
  },
  setSelection: (selection) => set({ selection }),
  setFocused: (focused) => set({ focused }),
  openDrawer: (drawerId) => set({ drawerId }),
  openDialog: (dialog) => set({ dialog }),
}));

/** The query the table and the batch "filtered" actions run: the applied filter plus sort. */
export function queryKey(filter: OrderFilter, sort: OrderSort): string {
  return JSON.stringify([filter, sort]);
}
