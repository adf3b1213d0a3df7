// Which tab of the 打印 page is open, and the batch the jobs view is narrowed to (the batch print
// dialog's 查看打印任务 opens it on its batch). UI state only.
import { create } from 'zustand';

export const PRINTING_VIEWS = ['printers', 'jobs', 'accounts'] as const;
export type PrintingView = (typeof PRINTING_VIEWS)[number];

interface PrintingViewState {
  view: PrintingView;
  /** Jobs of this batch only (null = all recent jobs). */
  batchId: string | null;
  open(view: PrintingView, batchId?: string | null): void;
}

export const usePrintingView = create<PrintingViewState>((set) => ({
  view: 'printers',
  batchId: null,
  open: (view, batchId = null) => set({ view, batchId }),
}));
