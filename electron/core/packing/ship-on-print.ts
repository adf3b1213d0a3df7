// Ship on print: on a station whose settings say shipOn = 'print', the moment labels are confirmed
// printed is the moment the platform is told "shipped". The print flow calls shipOnPrint with the
// packages it printed; it ships their orders through orders.ship (so the pushes outbox sends them)
// with each package's carrier and waybill, and does nothing on stations that ship otherwise.
import { isCarrierCode, type CarrierCode } from '../../shared/carriers.ts';
import type { BatchResult } from '../../shared/contract.ts';
import type { CoreContext } from '../api/command.ts';
import { shipOrders } from '../orders/ship.ts';
import { readStationSettings } from '../station/settings.ts';
import { ID_CHUNK } from '../waybills/packages.ts';

/** orders.ship takes at most this many items per call (the contract's limit). */
const SHIP_CHUNK = 2000;
const SHIPPABLE_WAYBILL = /^[A-Za-z0-9-]{6,40}$/;

export interface ShipOnPrintResult extends BatchResult {
  /** False: the station does not ship on print, and nothing was done. */
  enabled: boolean;
}

interface PrintedPackage {
  id: string;
  orderId: string;
  carrierCode: string;
  waybillNo: string | null;
  state: string;
}

/**
 * Ship the orders of these printed packages when the station ships on print. An order appears once
 * (its first package listed carries the waybill the platform is told). Skips are per order, with
 * orders.ship's reasons (already shipped, held, refund, ...) plus no_waybill and not_found.
 */
export function shipOnPrint(ctx: CoreContext, packageIds: readonly string[]): ShipOnPrintResult {
  if (readStationSettings(ctx.db).shipOn !== 'print') return { enabled: false, changed: 0, skipped: [] };
  return { enabled: true, ...shipPackages(ctx, packageIds) };
}

/**
 * 批量发货 by hand (orders.shipPrinted): ship each order with the waybill of its first live package
 * that has one — the number already printed on its label. Orders without one skip as no_waybill.
 */
export function shipOrdersWithTheirWaybills(ctx: CoreContext, orderIds: readonly string[]): BatchResult {
  const first = ctx.db.$client.prepare<[string], { id: string }>(
    `SELECT id FROM packages WHERE order_id = ? AND state <> 'cancelled' AND waybill_no IS NOT NULL ORDER BY seq LIMIT 1`,
  );
  const packageIds: string[] = [];
  const skipped: BatchResult['skipped'] = [];
  for (const orderId of new Set(orderIds)) {
    const p = first.get(orderId);
    if (p) packageIds.push(p.id);
    else skipped.push({ id: orderId, reason: 'no_waybill' });
  }
  const r = shipPackages(ctx, packageIds);
  return { changed: r.changed, skipped: [...skipped, ...r.skipped] };
}

/** Ship the orders of these packages with each one's carrier and waybill (an order once, its first package listed). */
function shipPackages(ctx: CoreContext, packageIds: readonly string[]): BatchResult {
  const ids = [...new Set(packageIds)];
  const stmt = ctx.db.$client.prepare<[string], PrintedPackage>(
    `SELECT id, order_id AS orderId, carrier_code AS carrierCode, waybill_no AS waybillNo, state FROM packages WHERE id IN (SELECT value FROM json_each(?))`,
  );
  const byId = new Map<string, PrintedPackage>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const p of stmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) byId.set(p.id, p);
  const skipped: BatchResult['skipped'] = [];
  const items: { id: string; carrierCode: CarrierCode; waybillNo: string }[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const p = byId.get(id);
    if (!p || p.state === 'cancelled') {
      skipped.push({ id, reason: 'not_found' });
      continue;
    }
    if (seen.has(p.orderId)) continue;
    seen.add(p.orderId);
    if (p.waybillNo === null || !SHIPPABLE_WAYBILL.test(p.waybillNo) || !isCarrierCode(p.carrierCode)) {
      skipped.push({ id: p.orderId, reason: 'no_waybill' });
      continue;
    }
    items.push({ id: p.orderId, carrierCode: p.carrierCode, waybillNo: p.waybillNo });
  }
  let changed = 0;
  for (let i = 0; i < items.length; i += SHIP_CHUNK) {
    const r = shipOrders(ctx, { items: items.slice(i, i + SHIP_CHUNK) });
    changed += r.changed;
    skipped.push(...r.skipped);
  }
  return { changed, skipped };
}
