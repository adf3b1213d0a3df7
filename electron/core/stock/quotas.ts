// 离线配额 on the station (docs/team-hub.md#stock-quotas): while a joined station cannot reach its
// hub, it commits — holds for orders, ships — at most its quota of a hot SKU, so two stations
// offline at once cannot both sell the team's last units. What counts as committed offline: held
// reservations and ship movements of ops the hub has not acknowledged yet (the hub knows nothing
// of them), plus what the current transaction takes. Online nothing is limited (the station's ops
// reach the hub within a second or so, and the hub merges every station's ledger).
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { readHubSettings } from '../hub/settings.ts';

/** '' in a quota's warehouse: the SKU over every warehouse together. */
const ALL = '';

/** Whether a joined station has lost its hub: nothing has succeeded since the last failure (as the status area says). */
export function hubUnreachable(db: ReadDb): boolean {
  const s = readHubSettings(db as Db);
  if (s === null) return false;
  const lastOk = Math.max(s.lastPushAt ?? 0, s.lastPullAt ?? 0);
  return lastOk === 0 || (s.lastError !== null && s.lastError.at >= lastOk);
}

/**
 * The quotas this station must keep now, with what it has committed offline; null when nothing is
 * limited (not joined, the hub reachable, or no quota for this station).
 */
export class OfflineQuotas {
  /** `${sku}|${warehouse}` → units still free (quota − committed offline). */
  private readonly left = new Map<string, number>();

  private constructor(
    quotas: { skuId: string; warehouseId: string; quantity: number }[],
    committed: Map<string, number>,
    /** Held reservations already counted as committed offline (their op is not acknowledged). */
    private readonly countedHeld: Set<string>,
  ) {
    for (const q of quotas) this.left.set(`${q.skuId}|${q.warehouseId}`, q.quantity - (committed.get(`${q.skuId}|${q.warehouseId}`) ?? 0));
  }

  static of(db: ReadDb): OfflineQuotas | null {
    const s = readHubSettings(db as Db);
    if (s === null || !hubUnreachable(db)) return null;
    const c = db.$client;
    const quotas = c
      .prepare<[string], { skuId: string; warehouseId: string; quantity: number }>(
        'SELECT sku_id AS skuId, warehouse_id AS warehouseId, quantity FROM stock_quotas WHERE station_id = ?',
      )
      .all(s.stationId);
    if (quotas.length === 0) return null;
    const skus = JSON.stringify([...new Set(quotas.map((q) => q.skuId))]);
    const committed = new Map<string, number>();
    const add = (sku: string, wh: string, n: number) => {
      for (const k of [`${sku}|${wh}`, `${sku}|${ALL}`]) committed.set(k, (committed.get(k) ?? 0) + n);
    };
    // Ops the hub has not acknowledged (ops_hub_idx): their held reservations (found through the
    // effects the op recorded) and their ship movements (which name their op).
    const held = c
      .prepare<[number, string], { id: string; sku: string; wh: string; n: number }>(
        `SELECT r.id, r.sku_id AS sku, r.warehouse_id AS wh, r.quantity AS n
           FROM ops o JOIN op_effects e ON e.op_id = o.id AND e.tbl = 'stock_reservations' AND e.kind = 'i'
           JOIN stock_reservations r ON r.id = json_extract(e.key, '$[0]')
          WHERE o.hub_state = 'pending' AND o.seq > ? AND r.state = 'held' AND r.sku_id IN (SELECT value FROM json_each(?))`,
      )
      .all(s.seqBase, skus);
    const countedHeld = new Set<string>();
    for (const r of held) {
      add(r.sku, r.wh, r.n);
      countedHeld.add(r.id);
    }
    const shipped = c
      .prepare<[number, string], { sku: string; wh: string; n: number }>(
        `SELECT m.sku_id AS sku, m.warehouse_id AS wh, -sum(m.delta) AS n
           FROM ops o JOIN stock_movements m ON m.op_id = o.id
          WHERE o.hub_state = 'pending' AND o.seq > ? AND m.reason = 'ship' AND m.sku_id IN (SELECT value FROM json_each(?))
          GROUP BY m.sku_id, m.warehouse_id`,
      )
      .all(s.seqBase, skus);
    for (const r of shipped) add(r.sku, r.wh, r.n);
    return new OfflineQuotas(quotas, committed, countedHeld);
  }

  /** Units of the SKU the station may still commit from this warehouse (the tighter of its warehouse quota and its all-warehouses quota). */
  freeIn(skuId: string, warehouseId: string): number {
    return Math.min(this.left.get(`${skuId}|${warehouseId}`) ?? Infinity, this.left.get(`${skuId}|${ALL}`) ?? Infinity);
  }

  /** Units of the SKU the station may still commit over every warehouse. */
  freeAll(skuId: string): number {
    return this.left.get(`${skuId}|${ALL}`) ?? Infinity;
  }

  /**
   * Whether shipping the order here keeps within the quotas, counting it when it does. Units it holds
   * under an unacknowledged op are already counted (shipping moves them from held to shipped); units
   * it held while the hub was reachable leave the ledger now, offline, so they count.
   */
  mayShip(db: ReadDb, orderId: string): boolean {
    const rows = db.$client
      .prepare<[string], { id: string; skuId: string; warehouseId: string; quantity: number }>(
        "SELECT id, sku_id AS skuId, warehouse_id AS warehouseId, quantity FROM stock_reservations WHERE order_id = ? AND state = 'held'",
      )
      .all(orderId)
      .filter((r) => !this.countedHeld.has(r.id));
    const want = new Map<string, { skuId: string; warehouseId: string; units: number }>();
    for (const r of rows) {
      const k = `${r.skuId}|${r.warehouseId}`;
      const w = want.get(k) ?? { skuId: r.skuId, warehouseId: r.warehouseId, units: 0 };
      w.units += r.quantity;
      want.set(k, w);
    }
    const bySku = new Map<string, number>();
    for (const w of want.values()) bySku.set(w.skuId, (bySku.get(w.skuId) ?? 0) + w.units);
    for (const w of want.values()) if (this.freeIn(w.skuId, w.warehouseId) < w.units) return false;
    for (const [skuId, units] of bySku) if (this.freeAll(skuId) < units) return false;
    for (const w of want.values()) this.take(w.skuId, w.warehouseId, w.units);
    return true;
  }

  /** Counts units this transaction committed. */
  take(skuId: string, warehouseId: string, units: number): void {
    for (const k of [`${skuId}|${warehouseId}`, `${skuId}|${ALL}`]) {
      const n = this.left.get(k);
      if (n !== undefined) this.left.set(k, n - units);
    }
  }
}
