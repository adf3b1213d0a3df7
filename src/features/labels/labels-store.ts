// UI state of the 面单模板 page that outlives a page switch: the carrier being edited and what the
// preview shows (the sample or an order, at which DPI, as which printer).
import { create } from 'zustand';
import type { LabelSettingsTarget } from '../../../electron/shared/label-settings.ts';

interface LabelsPageState {
  target: LabelSettingsTarget;
  /** '' = the 样张 sample; otherwise an order id or platform order number. */
  previewOrder: string;
  previewDpi: 203 | 300;
  /** Preview at this printer's DPI and calibration offset (null: none). */
  previewPrinterId: string | null;
  select(target: LabelSettingsTarget): void;
  setPreview(p: Partial<Pick<LabelsPageState, 'previewOrder' | 'previewDpi' | 'previewPrinterId'>>): void;
}

export const useLabelsPage = create<LabelsPageState>((set) => ({
  target: 'default',
  previewOrder: '',
  previewDpi: 203,
  previewPrinterId: null,
  select: (target) => set({ target }),
  setPreview: (p) => set(p),
}));
