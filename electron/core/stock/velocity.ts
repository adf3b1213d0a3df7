// Sales velocity (docs/stock.md#alerts): how many units of a SKU leave per day, read from the order
// lines of paid orders over the last 7 or 30 days by paid time. A bundle line (组合装) sells its
// components, so a component's figure counts its own lines plus every bundle line × the bundle's
// quantity of it (componentsOf's rows, read backwards through bundle_components_component_idx).
// Gift lines count too: they take stock like any other line. Closed orders (cancelled, refunded
// before shipping, closed here) and unpaid ones sell nothing.
//
// Two plans, chosen by how many SKUs are asked for, both over existing indexes:
// - a page of SKUs (the 库存 list, one SKU's detail, an alert evaluation): each SKU's lines through
//   order_items_sku_idx, then their orders by orders_id_uq, keeping those paid inside the window —
//   cost grows with the SKUs' lines, not with the team's orders;
// - many SKUs (a whole-catalogue restock list, the periodic alert evaluation): one pass over the
//   window's orders through orders_paid_idx and their lines, summed per SKU — cost grows with the
//   window's orders, once, instead of once per SKU.
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export const VELOCITY_WINDOWS = [7, 30] as const;
export type VelocityWindow = (typeof VELOCITY_WINDOWS)[number];

const DAY_MS = 86_400_000;
/** Above this many SKUs (after adding the bundles that hold them) one pass over the window is cheaper. */
export const WINDOW_PLAN_ABOVE = 256;

// Closed covers cancelled and refunded-before-shipping on every platform's mapping (docs/platforms/common.md).
const SOLD = "o.status NOT IN ('unpaid', 'closed') AND o.paid_at IS NOT NULL AND o.paid_at > ? AND o.paid_at <= ?";

// CROSS JOIN fixes the outer loop (SQLite keeps the left table outside): the SKU's lines in the
// first, the window's orders in the second, whatever the planner would guess without statistics.
/** A page of SKUs: one SKU's lines (?1), kept when their order sold inside the window (?2, ?3). */
export const ONE_SKU_SQL = `SELECT coalesce(sum(i.quantity), 0) AS n FROM order_items i CROSS JOIN orders o ON o.id = i.order_id
  WHERE i.sku_id = ? AND ${SOLD}`;
/** Many SKUs: the window's orders (?1, ?2) and their lines, summed per SKU. */
export const WINDOW_SQL = `SELECT i.sku_id AS skuId, sum(i.quantity) AS n FROM orders o CROSS JOIN order_items i ON i.order_id = o.id
  WHERE ${SOLD} AND i.sku_id IS NOT NULL GROUP BY i.sku_id`;

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return {
    oneSku: client.prepare<[string, number, number], { n: number }>(ONE_SKU_SQL),
    window: client.prepare<[number, number], { skuId: string; n: number }>(WINDOW_SQL),
    bundlesHolding: client.prepare<[string], { bundleSkuId: string; perUnit: number }>(
      'SELECT bundle_sku_id AS bundleSkuId, quantity AS perUnit FROM bundle_components WHERE component_sku_id = ?',
    ),
  };
}
function st(db: ReadDb) {
  let s = statements.get(db.$client);
  if (!s) {
    s = prepare(db.$client);
    statements.set(db.$client, s);
  }
  return s;
}

/**
 * Units sold per SKU over the window (now − days, now], bundles counted into their components. A
 * bundle SKU asked for itself gets its own lines' units (how many bundles sold). Every SKU asked for
 * has an entry (0 when nothing sold).
 */
export function unitsSold(db: ReadDb, skuIds: Iterable<string>, days: VelocityWindow, now: number): Map<string, number> {
  const s = st(db);
  const from = now - days * DAY_MS;
  const asked = [...new Set(skuIds)];
  // The SKUs whose own lines are needed: those asked for, and every bundle holding one of them.
  const holders = new Map<string, { bundleSkuId: string; perUnit: number }[]>();
  const direct = new Set(asked);
  for (const id of asked) {
    const rows = s.bundlesHolding.all(id);
    if (rows.length > 0) holders.set(id, rows);
    for (const r of rows) direct.add(r.bundleSkuId);
  }
  const own = new Map<string, number>();
  if (direct.size > WINDOW_PLAN_ABOVE) {
    for (const r of s.window.all(from, now)) if (direct.has(r.skuId)) own.set(r.skuId, r.n);
  } else {
    for (const id of direct) own.set(id, s.oneSku.get(id, from, now)!.n);
  }
  const out = new Map<string, number>();
  for (const id of asked) {
    let n = own.get(id) ?? 0;
    for (const b of holders.get(id) ?? []) n += (own.get(b.bundleSkuId) ?? 0) * b.perUnit;
    out.set(id, n);
  }
  return out;
}

/** Units per day per SKU over the last `days` days (units sold ÷ days). */
export function salesPerDay(db: ReadDb, skuIds: Iterable<string>, days: VelocityWindow, now: number): Map<string, number> {
  const sold = unitsSold(db, skuIds, days, now);
  const out = new Map<string, number>();
  for (const [id, n] of sold) out.set(id, n / days);
  return out;
}

/**
 * Days the available stock lasts at this rate: null when nothing sells (it never runs out by
 * selling), 0 when nothing is available. Not rounded: callers compare it with a lead time and
 * format it for people.
 */
export function daysOfCover(available: number, perDay: number): number | null {
  if (!(perDay > 0)) return null;
  if (available <= 0) return 0;
  return available / perDay;
}
