// Stock alerts (库存预警, docs/stock.md#alerts): raised and cleared from committed stock, one open row
// per (kind, SKU, warehouse, shop) — the partial unique index stock_alerts_open_uq — so evaluating
// the same SKU again changes nothing unless its figures did. Kinds:
//   low       available ≤ the SKU's 预警库存, or fewer days of cover than its lead time (details.lowBy says which)
//   out       available ≤ 0 while it sells or orders wait for it (held units, orders in 缺货); replaces low
//   oversold  in one warehouse, on hand − reserved < 0: more held or shipped than exists (after a sync)
//   push_failed  the latest push of one of a shop's listings of the SKU was refused or failed; cleared
//             when the shop's listings are confirmed again (a retry in flight leaves it as it is)
// Only SKUs kept in stock raise low/out/oversold: a SKU with no movement, no held unit and no order
// waiting is not managed here (a catalogue imported for mapping alone does not light up).
// A bundle holds no stock of its own: its components carry its alerts.
import { v7 as uuidv7 } from 'uuid';
import type { AlertDetails, AlertKind, LowBy, VelocityDays } from '../../shared/contract.ts';
import { writeTx, type ReadDb, type WriteTx } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import type { EventBus } from '../api/events.ts';
import { figuresIn, figuresOf } from './available.ts';
import { LIVE_PUSH_STATES } from './push-round.ts';
import { daysOfCover, salesPerDayBoth } from './velocity.ts';

export interface EvaluateOptions {
  /** Units per day per SKU over 7 and 30 days, when the caller read them for many SKUs at once. */
  perDay7?: Map<string, number>;
  perDay30?: Map<string, number>;
}

export interface RaisedAlert {
  id: string;
  kind: AlertKind;
  skuId: string;
  warehouseId: string;
  shopId: string;
}

export interface EvaluateResult {
  raised: RaisedAlert[];
  cleared: number;
}

interface OpenRow {
  id: string;
  kind: AlertKind;
  warehouseId: string;
  shopId: string;
  details: string;
}

const keyOf = (kind: string, warehouseId: string, shopId: string): string => `${kind}\u0000${warehouseId}\u0000${shopId}`;

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(c: Db['$client']) {
  return {
    sku: c.prepare<[string], { threshold: number; leadTime: number; bundle: number }>(
      `SELECT low_stock_threshold AS threshold, lead_time_days AS leadTime,
              EXISTS (SELECT 1 FROM bundle_components b WHERE b.bundle_sku_id = skus.id) AS bundle
       FROM skus WHERE id = ?`,
    ),
    kept: c.prepare<[string], { n: number }>('SELECT EXISTS (SELECT 1 FROM stock_movements WHERE sku_id = ?) AS n'),
    // Where the SKU may be oversold: warehouses holding units of it for orders, or whose ledger sums
    // below zero (a sync merged two stations' shipments). Only finds them; figuresIn decides.
    maybeOversold: c.prepare<[string, string], { warehouseId: string }>(
      `SELECT warehouse_id AS warehouseId FROM stock_held_totals WHERE sku_id = ? AND quantity > 0
       UNION SELECT warehouse_id FROM stock_movements WHERE sku_id = ? GROUP BY warehouse_id HAVING sum(delta) < 0`,
    ),
    // An order in 缺货 with a line of this SKU, or of a bundle holding it. Short orders are few
    // (their partial index), so they are the outer loop.
    shortWaiting: c.prepare<[string, string], { n: number }>(
      `SELECT EXISTS (
         SELECT 1 FROM orders o CROSS JOIN order_items i ON i.order_id = o.id
         WHERE o.stock_state = 'short' AND (i.sku_id = ? OR i.sku_id IN (SELECT bundle_sku_id FROM bundle_components WHERE component_sku_id = ?))
       ) AS n`,
    ),
    targets: c.prepare<[string], { shopId: string; platformProductId: string; platformSkuId: string }>(
      'SELECT shop_id AS shopId, platform_product_id AS platformProductId, platform_sku_id AS platformSkuId FROM sku_mappings WHERE sku_id = ?',
    ),
    // The target's newest push that still counts (a superseded row never went out as the latest word),
    // when it is not a confirmed one: live rows come from the live partial index, and a confirmed row
    // after them (the SKU's index, from their time on) means the shop was told and nothing is owed.
    latestPush: c.prepare<
      [string, string, string],
      {
        skuId: string;
        state: string;
        quantity: number;
        lastError: string | null;
        lastErrorCode: string | null;
        lastErrorReason: string | null;
        lockedByPromotion: number;
      }
    >(
      `SELECT sku_id AS skuId, state, quantity, last_error AS lastError, last_error_code AS lastErrorCode,
              last_error_reason AS lastErrorReason, locked_by_promotion AS lockedByPromotion
       FROM stock_pushes p WHERE shop_id = ? AND platform_product_id = ? AND platform_sku_id = ? AND p.${LIVE_PUSH_STATES}
        AND NOT EXISTS (SELECT 1 FROM stock_pushes n WHERE n.sku_id = p.sku_id AND n.created_at >= p.created_at
                          AND n.shop_id = p.shop_id AND n.platform_product_id = p.platform_product_id AND n.platform_sku_id = p.platform_sku_id
                          AND n.state = 'confirmed' AND (n.created_at > p.created_at OR n.id > p.id))
       ORDER BY created_at DESC, id DESC LIMIT 1`,
    ),
    open: c.prepare<[string], OpenRow>(
      `SELECT id, kind, warehouse_id AS warehouseId, shop_id AS shopId, details FROM stock_alerts
       WHERE kind IN ('low', 'out', 'oversold', 'push_failed') AND sku_id = ? AND cleared_at IS NULL`,
    ),
    insert: c.prepare<[string, string, string, string, string, string, number]>(
      'INSERT INTO stock_alerts (id, kind, sku_id, warehouse_id, shop_id, details, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    details: c.prepare<[string, string]>('UPDATE stock_alerts SET details = ? WHERE id = ?'),
    clear: c.prepare<[number, string]>('UPDATE stock_alerts SET cleared_at = ? WHERE id = ? AND cleared_at IS NULL'),
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

/** What one SKU's alerts should be now: key → details, or 'keep' for an open alert left as it is. */
type Wanted = Map<string, { kind: AlertKind; warehouseId: string; shopId: string; details: AlertDetails | 'keep' }>;

function stockAlertsOf(db: ReadDb, skuId: string, perDay7: number, perDay30: number, wanted: Wanted): void {
  const s = st(db);
  const sku = s.sku.get(skuId);
  if (!sku || sku.bundle) return;
  const f = figuresOf(db, skuId);
  const kept = s.kept.get(skuId)!.n === 1;
  // Orders wait for it: units held, or (asked only when it matters) an order in 缺货.
  const waiting = f.reserved > 0 || ((f.available <= 0 || !kept) && s.shortWaiting.get(skuId, skuId)!.n === 1);
  // Not kept in any warehouse and nothing waits for it: not managed as stock.
  if (!kept && !waiting) return;
  // The faster window decides: a SKU that took off this week is judged by this week.
  const window: VelocityDays = perDay7 >= perDay30 ? 7 : 30;
  const perDay = Math.max(perDay7, perDay30);
  const cover = daysOfCover(f.available, perDay);
  const figures = { onHand: f.onHand, reserved: f.reserved, available: f.available, threshold: sku.threshold, perDay: round2(perDay), window, daysOfCover: cover === null ? null : round2(cover), leadTimeDays: sku.leadTime };
  if (f.available <= 0 && (perDay > 0 || waiting)) {
    wanted.set(keyOf('out', '', ''), { kind: 'out', warehouseId: '', shopId: '', details: { ...figures, waiting } });
  } else {
    const lowBy: LowBy[] = [];
    if (f.available <= sku.threshold) lowBy.push('threshold');
    if (cover !== null && cover < sku.leadTime) lowBy.push('cover');
    if (lowBy.length > 0) wanted.set(keyOf('low', '', ''), { kind: 'low', warehouseId: '', shopId: '', details: { ...figures, lowBy } });
  }
  for (const { warehouseId } of s.maybeOversold.all(skuId, skuId)) {
    const w = figuresIn(db, skuId, warehouseId);
    if (w.onHand - w.reserved < 0) {
      wanted.set(keyOf('oversold', warehouseId, ''), { kind: 'oversold', warehouseId, shopId: '', details: { onHand: w.onHand, reserved: w.reserved, available: w.available } });
    }
  }
}

function pushAlertsOf(db: ReadDb, skuId: string, open: Map<string, OpenRow>, wanted: Wanted): void {
  const s = st(db);
  const byShop = new Map<string, { failed: AlertDetails[]; inFlight: boolean }>();
  for (const t of s.targets.all(skuId)) {
    const push = s.latestPush.get(t.shopId, t.platformProductId, t.platformSkuId);
    // Never pushed, or last pushed for another SKU before the listing was mapped again: nothing to say.
    if (!push || push.skuId !== skuId) continue;
    const shop = byShop.get(t.shopId) ?? { failed: [], inFlight: false };
    byShop.set(t.shopId, shop);
    if (push.state === 'refused' || push.state === 'failed') {
      shop.failed.push({
        platformProductId: t.platformProductId,
        platformSkuId: t.platformSkuId,
        pushState: push.state,
        error: push.lastError,
        errorCode: push.lastErrorCode,
        errorReason: push.lastErrorReason,
        lockedByPromotion: push.lockedByPromotion === 1,
        quantity: push.quantity,
      });
    } else if (push.state !== 'confirmed') {
      shop.inFlight = true;
    }
  }
  for (const [shopId, shop] of byShop) {
    const key = keyOf('push_failed', '', shopId);
    if (shop.failed.length > 0) wanted.set(key, { kind: 'push_failed', warehouseId: '', shopId, details: { ...shop.failed[0]!, failedTargets: shop.failed.length } });
    // A retry on its way: the shop has not been told yet, so an open alert stays until it is.
    else if (shop.inFlight && open.has(key)) wanted.set(key, { kind: 'push_failed', warehouseId: '', shopId, details: 'keep' });
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Raises, updates and clears the alerts of these SKUs from committed stock, in the caller's
 * transaction (a push round's, a command's, the periodic evaluation's). Returns the alerts newly
 * raised (for notifications) and how many were cleared. The caller announces stock_alerts in its
 * db.changed when either is non-empty.
 */
export function evaluateAlerts(tx: WriteTx, skuIds: Iterable<string>, now: number, options: EvaluateOptions = {}): EvaluateResult {
  const s = st(tx);
  const ids = [...new Set(skuIds)];
  const rates = options.perDay7 && options.perDay30 ? { perDay7: options.perDay7, perDay30: options.perDay30 } : salesPerDayBoth(tx, ids, now);
  const { perDay7, perDay30 } = rates;
  const result: EvaluateResult = { raised: [], cleared: 0 };
  for (const skuId of ids) {
    const open = new Map(s.open.all(skuId).map((r) => [keyOf(r.kind, r.warehouseId, r.shopId), r]));
    const wanted: Wanted = new Map();
    stockAlertsOf(tx, skuId, perDay7.get(skuId) ?? 0, perDay30.get(skuId) ?? 0, wanted);
    pushAlertsOf(tx, skuId, open, wanted);
    for (const [key, row] of open) {
      if (!wanted.has(key)) {
        s.clear.run(now, row.id);
        result.cleared += 1;
      }
    }
    for (const [key, w] of wanted) {
      if (w.details === 'keep') continue;
      const details = JSON.stringify(w.details);
      const existing = open.get(key);
      if (existing) {
        if (existing.details !== details) s.details.run(details, existing.id);
        continue;
      }
      const id = uuidv7();
      s.insert.run(id, w.kind, skuId, w.warehouseId, w.shopId, details, now);
      result.raised.push({ id, kind: w.kind, skuId, warehouseId: w.warehouseId, shopId: w.shopId });
    }
  }
  return result;
}

/**
 * The SKUs a full evaluation looks at: every SKU kept in a warehouse or held for an order, every SKU
 * with an open alert (so one can clear), and every SKU whose latest pushes may have failed.
 */
export function skusToEvaluate(db: ReadDb): string[] {
  return db.$client
    .prepare<[], { id: string }>(
      `SELECT DISTINCT sku_id AS id FROM stock_movements
       UNION SELECT sku_id FROM stock_held_totals WHERE quantity > 0
       UNION SELECT sku_id FROM stock_alerts WHERE kind IN ('low', 'out', 'oversold', 'push_failed') AND cleared_at IS NULL
       UNION SELECT sku_id FROM stock_pushes WHERE state IN ('refused', 'failed')`,
    )
    .all()
    .map((r) => r.id);
}

/** SKUs per write transaction in a full evaluation: short enough that commands never wait long for the lock. */
const CHUNK = 500;

/** The SKUs marked since their alerts were last evaluated (stock_alert_dirty, markAlertsDirty). */
export function markedForAlerts(db: ReadDb): string[] {
  return db.$client
    .prepare<[], { id: string }>('SELECT sku_id AS id FROM stock_alert_dirty')
    .all()
    .map((r) => r.id);
}

/**
 * Evaluates these SKUs, velocity read once for all of them, in short write transactions of their
 * own; each transaction clears the marks of its SKUs made up to `now` (a mark made after the
 * velocity read stays for the next round).
 */
function evaluateInChunks(db: ReadDb, ids: string[], now: number): { evaluated: number; raised: RaisedAlert[]; cleared: number } {
  const { perDay7, perDay30 } = salesPerDayBoth(db, ids, now);
  const out = { evaluated: ids.length, raised: [] as RaisedAlert[], cleared: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const r = writeTx(db, (tx) => {
      const unmark = tx.$client.prepare<[string, number]>('DELETE FROM stock_alert_dirty WHERE sku_id = ? AND since <= ?');
      for (const id of chunk) unmark.run(id, now);
      return evaluateAlerts(tx, chunk, now, { perDay7, perDay30 });
    });
    out.raised.push(...r.raised);
    out.cleared += r.cleared;
  }
  return out;
}

/**
 * Evaluates every SKU skusToEvaluate names and every marked one (the hourly sweep, alerts.evaluate):
 * velocity read once for all of them (one pass over each window's orders), then the SKUs in short
 * write transactions of their own.
 */
export function evaluateAllAlerts(db: ReadDb, now: number): { evaluated: number; raised: RaisedAlert[]; cleared: number } {
  const ids = [...new Set([...skusToEvaluate(db), ...markedForAlerts(db)])];
  return evaluateInChunks(db, ids, now);
}

/**
 * Evaluates only the SKUs marked since the last evaluation: whatever moved their stock, held or
 * released units, or changed the figures they are judged by.
 */
export function evaluateMarkedAlerts(db: ReadDb, now: number): { evaluated: number; raised: RaisedAlert[]; cleared: number } {
  return evaluateInChunks(db, markedForAlerts(db), now);
}

/** How often the background upkeep evaluates alerts (push rounds evaluate the SKUs they cover in between). */
export const ALERTS_EVERY_MS = 5 * 60_000;
/**
 * How often a round evaluates every stocked SKU rather than the marked ones: days of cover drift as
 * days pass with nothing marked (a sale leaving the 7-day window, a SKU that stopped selling).
 */
export const ALERTS_FULL_EVERY_MS = 60 * 60_000;
/** meta key: when the last full evaluation ran (ms). */
export const ALERTS_FULL_AT_KEY = 'stock.alerts.fullAt';

/**
 * One periodic round: the marked SKUs, or every stocked SKU when the last full evaluation is an hour
 * old (or never ran: the first round after start); then db.changed for stock_alerts when anything
 * was raised or cleared, so the header's count refreshes and the faces claim new notifications.
 */
export function evaluateAlertsRound(db: ReadDb, events: EventBus, now: number): { evaluated: number; raised: number; cleared: number; full: boolean } {
  const last = db.$client.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(ALERTS_FULL_AT_KEY);
  const lastAt = last ? Number(last.value) : NaN;
  // A time ahead of now (the clock was set back) counts as due, so the sweep never stops.
  const full = !(lastAt <= now && now - lastAt < ALERTS_FULL_EVERY_MS);
  const r = full ? evaluateAllAlerts(db, now) : evaluateMarkedAlerts(db, now);
  if (full) {
    writeTx(db, (tx) =>
      tx.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(ALERTS_FULL_AT_KEY, String(now)),
    );
  }
  if (r.raised.length > 0 || r.cleared > 0) events.emit('db.changed', { tables: ['stock_alerts'] });
  return { evaluated: r.evaluated, raised: r.raised.length, cleared: r.cleared, full };
}
