// The receiving and counting sheets, one per screen, kept while the person switches tabs (a sheet
// half scanned is work that must not vanish with a click on another tab).
import { create } from 'zustand';
import { newSheet, type Sheet, type SheetMode } from './scan-sheet.ts';

export interface SheetState {
  warehouse: string;
  /** 送货单号 / 盘点单号: written on every movement of the sheet. */
  reference: string;
  sheet: Sheet;
  busy: boolean;
}

interface ScanSheets {
  sheets: Record<SheetMode, SheetState>;
  update(mode: SheetMode, patch: Partial<SheetState> | ((s: SheetState) => Partial<SheetState>)): void;
  /** A fresh sheet (new request ids); the warehouse stays chosen. */
  reset(mode: SheetMode): void;
}

const sheetId = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
const fresh = (warehouse = ''): SheetState => ({ warehouse, reference: '', sheet: newSheet(sheetId()), busy: false });

export const useScanSheets = create<ScanSheets>((set) => ({
  sheets: { receive: fresh(), count: fresh() },
  update: (mode, patch) => set((s) => ({ sheets: { ...s.sheets, [mode]: { ...s.sheets[mode], ...(typeof patch === 'function' ? patch(s.sheets[mode]) : patch) } } })),
  reset: (mode) => set((s) => ({ sheets: { ...s.sheets, [mode]: fresh(s.sheets[mode].warehouse) } })),
}));
