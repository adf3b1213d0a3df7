// The 验货 screen's UI state: the package on the bench, what the last scan said, the flash and the
// intercept alert. The core decides every verdict (packing.* in the contract); this store only
// remembers the last answer so the screen can show it. Messages are kept as i18n keys + params so a
// language switch re-renders them.
import { create } from 'zustand';
import type { PackingIntercept, PackingScan } from '../../../electron/shared/contract.ts';

export type Tone = 'ok' | 'error' | 'done' | 'info';

export interface Feedback {
  tone: Tone;
  /** An i18n key (packing.*, packingRefusal.*, ...). */
  key: string;
  params?: Record<string, string | number>;
  /** Params that are themselves i18n keys (a skip reason), translated before they are put in. */
  keyParams?: Record<string, string>;
}

export interface InterceptAlert extends PackingIntercept {
  platformOrderId: string;
  waybillNo: string | null;
}

interface PackingState {
  /** The package on the bench (also kept after it is verified, until the next waybill). */
  scan: PackingScan | null;
  /** True while items are being scanned into `scan`; false before a waybill and after complete. */
  active: boolean;
  feedback: Feedback | null;
  /** A full-screen flash; n changes on every flash so the same tone twice restarts the animation. */
  flash: { tone: 'ok' | 'error'; n: number } | null;
  /** The 拦截 alert: stays until dismissed with Esc. */
  intercept: InterceptAlert | null;
  /** The line the last good scan counted, highlighted in the table. */
  lastLineNo: number | null;
  busy: boolean;
  set(patch: Partial<Omit<PackingState, 'set' | 'flashNow'>>): void;
  flashNow(tone: 'ok' | 'error'): void;
}

export const usePacking = create<PackingState>((set, get) => ({
  scan: null,
  active: false,
  feedback: null,
  flash: null,
  intercept: null,
  lastLineNo: null,
  busy: false,
  set: (patch) => set(patch),
  flashNow: (tone) => set({ flash: { tone, n: (get().flash?.n ?? 0) + 1 } }),
}));
