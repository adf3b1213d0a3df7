// The 库存 list's filters, kept while the person opens a SKU's detail and comes back.
import { create } from 'zustand';

export interface StockListFilter {
  /** A warehouse code; '' = every warehouse. */
  warehouse: string;
  /** Only rows at or below their low-stock threshold. */
  low: boolean;
  /** Only rows with nothing available. */
  out: boolean;
  /** Only SKUs no platform SKU maps to. */
  unmapped: boolean;
  /** A code, barcode or title fragment. */
  q: string;
}

export const NO_FILTER: StockListFilter = { warehouse: '', low: false, out: false, unmapped: false, q: '' };

interface StockListState {
  filter: StockListFilter;
  setFilter(patch: Partial<StockListFilter>): void;
}

export const useStockList = create<StockListState>((set) => ({
  filter: NO_FILTER,
  setFilter: (patch) => set((s) => ({ filter: { ...s.filter, ...patch } })),
}));
