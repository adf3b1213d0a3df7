// Which tab of the 打印 page is open, and what the jobs view is narrowed to: the batch print dialog's
// 查看打印任务 opens it on its batch, a held printer's badge on that printer's held jobs. UI state only.
import { create } from 'zustand';
import type { PrintJobState } from '../../../electron/shared/contract.ts';

export const PRINTING_VIEWS = ['printers', 'jobs', 'accounts'] as const;
export type PrintingView = (typeof PRINTING_VIEWS)[number];

export interface JobsNarrowing {
  /** Jobs of this batch only (null = all recent jobs). */
  batchId: string | null;
  /** '' = every printer. */
  printerId: string;
  /** '' = every state; 'held' = failed and uncertain, the jobs that stop a printer. */
  state: PrintJobState | '' | 'held';
}

const ALL: JobsNarrowing = { batchId: null, printerId: '', state: '' };

interface PrintingViewState extends JobsNarrowing {
  view: PrintingView;
  /** Opens a tab; the jobs view starts from `narrow` (everything not given is cleared). */
  open(view: PrintingView, narrow?: Partial<JobsNarrowing>): void;
  narrow(patch: Partial<JobsNarrowing>): void;
}

export const usePrintingView = create<PrintingViewState>((set) => ({
  view: 'printers',
  ...ALL,
  open: (view, narrow = {}) => set({ view, ...ALL, ...narrow }),
  narrow: (patch) => set(patch),
}));
