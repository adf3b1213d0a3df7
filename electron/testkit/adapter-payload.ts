// Test helpers for feeding hand-written platform payloads to an adapter's toOrder: the order with
// the warnings it raised, or the AdapterPayloadError that quarantines it, from an adapter that never
// calls out. Tests only.
import type { PlatformOrder } from '../shared/model.ts';
import { AdapterPayloadError, type AdapterFactory, type PlatformAdapter, type ShopRecord } from '../core/platforms/contract.ts';

/** Map one payload, collecting the warnings the adapter raises while keeping the order. */
export function mapWithWarnings(adapter: PlatformAdapter, payload: unknown): { order: PlatformOrder; warnings: string[] } {
  const warnings: string[] = [];
  const order = adapter.toOrder(payload, (m) => warnings.push(m));
  return { order, warnings };
}

/** The error that quarantines a payload; fails the test when the payload maps (or throws anything else). */
export function refusedBy(adapter: PlatformAdapter, payload: unknown): AdapterPayloadError {
  try {
    adapter.toOrder(payload);
  } catch (e) {
    if (e instanceof AdapterPayloadError) return e;
    throw e;
  }
  throw new Error('the payload was not refused');
}

/** An adapter that only maps payloads: an active shop with these settings, its clock fixed at 2026-11-20. */
export function offlineAdapter(create: AdapterFactory, shop: Pick<ShopRecord, 'id' | 'name' | 'platform'>, settings: Record<string, unknown>): PlatformAdapter {
  return create({ ...shop, state: 'active', settings: JSON.stringify(settings) }, { now: () => Date.UTC(2026, 10, 20) });
}
