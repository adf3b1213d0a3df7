// Sales velocity (docs/stock.md#alerts): how many units of a SKU leave per day, read from the order
// lines of paid orders over the last 7 or 30 days by paid time. A bundle line (组合装) sells its
// components, so a component's figure counts its own lines plus every bundle line × the bundle's
// quantity of it (componentsOf's rows, read backwards through bundle_components_component_idx).
// Gift lines count too: they take stock like any other line. Closed orders (cancelled, refunded
// before shipping, closed here) and unpaid ones sell nothing.
//
// Two plans over existing indexes, whichever reads fewer rows (velocityPlan):
// - per SKU (a page of the 库存 list, one SKU's detail, a push round's few SKUs): each SKU's lines
//   through order_items_sku_idx (sku_id, order_id, quantity), then their orders by
//   orders_id_sales_idx (id, status, paid_at), keeping those paid inside the window — index reads
//   alone, cost growing with the SKUs' lines over their whole history;
// - the window (many SKUs: a whole-catalogue restock list, the periodic alert evaluation; or SKUs
//   whose lines outnumber the window's orders): one pass over the window's orders through
//   orders_paid_idx and their lines, summed per SKU — cost grows with the window's orders, once.
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export const VELOCITY_WINDOWS = [7, 30] as const;
export type VelocityWindow = (typeof VELOCITY_WINDOWS)[number];

const DAY_MS = 86_400_000;
/** Above this many SKUs (after adding the bundles that hold them) one pass over the window is cheaper. */
export const WINDOW_PLAN_ABOVE = 256;
/** At most this many lines in all, the SKUs' own lines are read without weighing the window. */
export const FEW_LINES = 2000;

// Closed covers cancelled and refunded-before-shipping on every platform's mapping (docs/platforms/common.md).
// @from the window's start (exclusive), @now, @split where the short window starts: each plan sums
// the long window and, in the same pass, the short one inside it.
const SOLD = "o.status NOT IN ('unpaid', 'closed') AND o.paid_at IS NOT NULL AND o.paid_at > @from AND o.paid_at <= @now";
const SUMS = 'coalesce(sum(i.quantity), 0) AS long, coalesce(sum(CASE WHEN o.paid_at > @split THEN i.quantity ELSE 0 END), 0) AS short';

// CROSS JOIN fixes the outer loop (SQLite keeps the left table outside): the SKU's lines in the
// first, the window's orders in the second, whatever the planner would guess.
/** A page of SKUs: one SKU's lines (@sku), kept when their order sold inside the window. */
// Both indexes cover what the plan reads (the line's order and quantity; the order's status and paid
// time), so no table row is read; the planner would pick the unique orders_id_uq and read each order's row.
export const ONE_SKU_SQL = `SELECT ${SUMS} FROM order_items i CROSS JOIN orders o INDEXED BY orders_id_sales_idx ON o.id = i.order_id
  WHERE i.sku_id = @sku AND ${SOLD}`;
/** Many SKUs: the window's orders and their lines, summed per SKU. */
export const WINDOW_SQL = `SELECT i.sku_id AS skuId, ${SUMS} FROM orders o CROSS JOIN order_items i ON i.order_id = o.id
  WHERE ${SOLD} AND i.sku_id IS NOT NULL GROUP BY i.sku_id`;

interface Window {
  from: number;
  now: number;
  split: number;
}

interface Sums {
  long: number;
  short: number;
}

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return {
    oneSku: client.prepare<[Window & { sku: string }], Sums>(ONE_SKU_SQL),
    window: client.prepare<[Window], Sums & { skuId: string }>(WINDOW_SQL),
    bundlesHolding: client.prepare<[string], { bundleSkuId: string; perUnit: number }>(
      'SELECT bundle_sku_id AS bundleSkuId, quantity AS perUnit FROM bundle_components WHERE component_sku_id = ?',
    ),
    // Both counts read an index alone (no table rows), so weighing the plans costs little beside either.
    linesOf: client.prepare<[string], { n: number }>('SELECT count(*) AS n FROM order_items WHERE sku_id = ?'),
    // Counted only up to the lines it is weighed against: a long window is not walked to the end.
    ordersIn: client.prepare<[number, number, number], { n: number }>(
      'SELECT count(*) AS n FROM (SELECT 1 FROM orders WHERE paid_at > ? AND paid_at <= ? LIMIT ?)',
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
 * Which plan reads fewer rows: a SKU's lines are read over its whole history, the window's orders
 * only inside the window, so a SKU that has sold for years (or a page of them) is cheaper through
 * the window once its lines outnumber the window's orders (each order costs about as much as a
 * line: an index seek and a row).
 */
export function velocityPlan(db: ReadDb, direct: ReadonlySet<string>, from: number, now: number): 'per-sku' | 'window' {
  if (direct.size > WINDOW_PLAN_ABOVE) return 'window';
  const s = st(db);
  let lines = 0;
  for (const id of direct) lines += s.linesOf.get(id)!.n;
  // A few thousand lines take a few milliseconds either way: not worth counting the window.
  if (lines <= FEW_LINES) return 'per-sku';
  return s.ordersIn.get(from, now, lines)!.n < lines ? 'window' : 'per-sku';
}

/**
 * Units sold per SKU over (now − longDays, now] and, in the same pass, over the last shortDays of
 * it; bundles counted into their components. A bundle SKU asked for itself gets its own lines' units
 * (how many bundles sold). Every SKU asked for has an entry (0 when nothing sold).
 */
function sold(db: ReadDb, skuIds: Iterable<string>, longDays: VelocityWindow, shortDays: VelocityWindow, now: number): Map<string, Sums> {
  const s = st(db);
  const from = now - longDays * DAY_MS;
  const split = now - shortDays * DAY_MS;
  const asked = [...new Set(skuIds)];
  // The SKUs whose own lines are needed: those asked for, and every bundle holding one of them.
  const holders = new Map<string, { bundleSkuId: string; perUnit: number }[]>();
  const direct = new Set(asked);
  for (const id of asked) {
    const rows = s.bundlesHolding.all(id);
    if (rows.length > 0) holders.set(id, rows);
    for (const r of rows) direct.add(r.bundleSkuId);
  }
  const own = new Map<string, Sums>();
  if (velocityPlan(db, direct, from, now) === 'window') {
    for (const r of s.window.all({ from, now, split })) if (direct.has(r.skuId)) own.set(r.skuId, r);
  } else {
    for (const id of direct) own.set(id, s.oneSku.get({ from, now, split, sku: id })!);
  }
  const out = new Map<string, Sums>();
  for (const id of asked) {
    const n = { ...(own.get(id) ?? { long: 0, short: 0 }) };
    for (const b of holders.get(id) ?? []) {
      const o = own.get(b.bundleSkuId);
      if (!o) continue;
      n.long += o.long * b.perUnit;
      n.short += o.short * b.perUnit;
    }
    out.set(id, { long: n.long, short: n.short });
  }
  return out;
}

/** Units sold per SKU over the window (now − days, now], bundles counted into their components. */
export function unitsSold(db: ReadDb, skuIds: Iterable<string>, days: VelocityWindow, now: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of sold(db, skuIds, days, days, now)) out.set(id, n.long);
  return out;
}

/** Units per day per SKU over the last `days` days (units sold ÷ days). */
export function salesPerDay(db: ReadDb, skuIds: Iterable<string>, days: VelocityWindow, now: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, n] of sold(db, skuIds, days, days, now)) out.set(id, n.long / days);
  return out;
}

/** Units per day over 7 and over 30 days, read in one pass (what alerts compare). */
export function salesPerDayBoth(db: ReadDb, skuIds: Iterable<string>, now: number): { perDay7: Map<string, number>; perDay30: Map<string, number> } {
  const perDay7 = new Map<string, number>();
  const perDay30 = new Map<string, number>();
  for (const [id, n] of sold(db, skuIds, 30, 7, now)) {
    perDay7.set(id, n.short / 7);
    perDay30.set(id, n.long / 30);
  }
  return { perDay7, perDay30 };
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
