// What a scanned code means at the 验货 bench, in order: with no package on the bench it is a
// waybill (or order) number; with one being scanned it is an item. When the last item completes the
// package, packing.complete runs by itself. Scans are handled one at a time in arrival order (a
// scanner can send the next code before the core answered the last one).
import type { PackingScan, PackingScanItemResult } from '../../../electron/shared/contract.ts';
import type { ApiClient } from '../../api/client.ts';
import { beep } from './beep.ts';
import { usePacking, type Feedback } from './packing-store.ts';

export interface ScanFlowDeps {
  api: Pick<ApiClient, 'call'>;
  /** Errors the core raised (forbidden, offline web host, ...): shown as a toast. */
  report: (err: unknown, method: string) => void;
}

const store = () => usePacking.getState();

function say(feedback: Feedback, sound: 'ok' | 'error' | null, flash: 'ok' | 'error' | null): void {
  store().set({ feedback });
  if (flash) store().flashNow(flash);
  if (sound) beep(sound);
}

function showIntercept(scan: PackingScan): void {
  if (!scan.intercept) return;
  store().set({
    scan,
    active: false,
    intercept: { ...scan.intercept, platformOrderId: scan.package.platformOrderId, waybillNo: scan.package.waybillNo },
    feedback: { tone: 'error', key: `packingIntercept.${scan.intercept.reason}` },
  });
  store().flashNow('error');
  beep('intercept');
}

const lineTitle = (scan: PackingScan, lineNo: number | null): string => scan.lines.find((l) => l.lineNo === lineNo)?.title ?? '';

async function complete(deps: ScanFlowDeps, scan: PackingScan): Promise<void> {
  const r = await deps.api.call('packing.complete', { packageId: scan.package.packageId });
  if (r.outcome === 'refused') {
    if (r.reason === 'intercepted') return showIntercept(r.scan);
    store().set({ scan: r.scan });
    return say({ tone: 'error', key: 'packing.incomplete' }, 'error', 'error');
  }
  store().set({ scan: r.scan, active: false, lastLineNo: null });
  if (r.shipSkipped !== null) {
    return say({ tone: 'error', key: 'packing.shipSkipped', keyParams: { reason: `packingShipSkip.${r.shipSkipped}` } }, 'error', 'error');
  }
  say({ tone: 'done', key: r.shipped ? 'packing.verifiedShipped' : 'packing.verified' }, 'ok', 'ok');
}

async function scanItem(deps: ScanFlowDeps, scan: PackingScan, code: string): Promise<void> {
  const r: PackingScanItemResult = await deps.api.call('packing.scanItem', { packageId: scan.package.packageId, code });
  if (r.outcome === 'matched') {
    store().set({ scan: r.scan, lastLineNo: r.lineNo });
    say({ tone: 'ok', key: 'packing.matched', params: { title: lineTitle(r.scan, r.lineNo) } }, 'ok', 'ok');
    if (r.scan.complete) await complete(deps, r.scan);
    return;
  }
  if (r.reason === 'intercepted') return showIntercept(r.scan);
  store().set({ scan: r.scan, active: r.reason !== 'already_verified' });
  const title = r.itemTitle ?? lineTitle(r.scan, r.lineNo);
  say({ tone: 'error', key: `packingRefusal.${r.reason}`, params: { title, code } }, 'error', 'error');
}

async function scanWaybill(deps: ScanFlowDeps, code: string, keyed: boolean): Promise<void> {
  const r = await deps.api.call('packing.scanWaybill', { code, ...(keyed ? { keyed } : {}) });
  if (r.kind === 'not_found') return say({ tone: 'error', key: 'packing.notFound', params: { code } }, 'error', 'error');
  if (r.kind === 'no_package') return say({ tone: 'error', key: 'packing.noPackage', params: { id: r.platformOrderId } }, 'error', 'error');
  const { scan } = r;
  store().set({ lastLineNo: null });
  if (scan.intercept) return showIntercept(scan);
  if (scan.package.verifiedAt !== null) {
    // A parcel verified before is on the bench again: worth a second look (packed twice?).
    store().set({ scan, active: false });
    return say({ tone: 'info', key: 'packing.alreadyVerified', params: { by: scan.package.verifiedBy ?? '' } }, 'error', null);
  }
  store().set({ scan, active: true });
  // A typed number proves no label (keyed.ts): say so, so a scanner misread as typing is noticed.
  say({ tone: 'info', key: keyed ? 'packing.scanItemHintKeyed' : 'packing.scanItemHint' }, 'ok', null);
  // A session resumed after every item was already scanned (the complete call was lost).
  if (scan.complete) await complete(deps, scan);
}

/**
 * One scanned code: an item when a package is being scanned, else a waybill. Swallowed while the 拦截
 * alert is up. `keyed`: typed or pasted rather than scanned (keyed.ts) — such a waybill proves no label.
 */
export async function handleCode(deps: ScanFlowDeps, code: string, keyed = false): Promise<void> {
  const s = store();
  if (s.intercept) {
    beep('error');
    return;
  }
  store().set({ busy: true });
  try {
    if (s.scan && s.active) await scanItem(deps, s.scan, code);
    else await scanWaybill(deps, code, keyed);
  } catch (err) {
    deps.report(err, s.scan && s.active ? 'packing.scanItem' : 'packing.scanWaybill');
    store().set({ feedback: null });
    store().flashNow('error');
    beep('error');
  } finally {
    store().set({ busy: false });
  }
}

/** Esc: dismiss the 拦截 alert (the parcel is off the line), or abandon the package being scanned. */
export function escape(): void {
  const s = store();
  if (s.intercept) {
    store().set({ intercept: null, scan: null, active: false, lastLineNo: null, feedback: { tone: 'info', key: 'packing.waiting' } });
  } else if (s.active) {
    store().set({ scan: null, active: false, lastLineNo: null, feedback: { tone: 'info', key: 'packing.abandoned' } });
  }
}

/** A queue of scans handled strictly one after another. */
export function createScanQueue(deps: ScanFlowDeps): (code: string, keyed?: boolean) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (code, keyed = false) => {
    chain = chain.then(() => handleCode(deps, code, keyed));
    return chain;
  };
}
