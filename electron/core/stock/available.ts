// The three figures of stock, read from committed rows only (docs/stock.md#available):
//   on hand   = Σ stock_movements.delta            (covering index stock_movements_balance_idx)
//   reserved  = Σ held stock_reservations.quantity, read from stock_held_totals (one row per SKU and
//               warehouse, kept by triggers on every reservation write: migration 0022)
//   available = on hand − reserved − safety stock
// Safety stock belongs to the SKU and is counted once, over all warehouses (figuresOf). In one
// warehouse (figuresIn) available is its free units, on hand − reserved there: what it can still
// hand out, the SKU's safety stock being held back from the total rather than from every warehouse.
// Reservation, the stock list, pushes and alerts all read these, so they cannot disagree about a figure.
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';

export interface StockFigures {
  onHand: number;
  reserved: number;
  /** The SKU's safety stock (the same figure in every warehouse; subtracted only from the SKU's total). */
  safety: number;
  /**
   * figuresOf: onHand − reserved − safety, negative when on hand is below what is held plus the safety stock.
   * figuresIn: onHand − reserved in that warehouse (its free units), negative only when it is oversold.
   */
  available: number;
}

/** figuresByWarehouse's reads: one range of a covering index grouped in its order, and the SKU's held totals. */
export const BY_WAREHOUSE_SQL = {
  onHand: 'SELECT warehouse_id AS w, sum(delta) AS n FROM stock_movements WHERE sku_id = ? GROUP BY warehouse_id',
  reserved: 'SELECT warehouse_id AS w, quantity AS n FROM stock_held_totals WHERE sku_id = ?',
} as const;

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return {
    onHand: client.prepare<[string, string], { n: number }>(
      'SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ? AND warehouse_id = ?',
    ),
    reserved: client.prepare<[string, string], { n: number }>(
      'SELECT coalesce(sum(quantity), 0) AS n FROM stock_held_totals WHERE sku_id = ? AND warehouse_id = ?',
    ),
    onHandAll: client.prepare<[string], { n: number }>('SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ?'),
    reservedAll: client.prepare<[string], { n: number }>('SELECT coalesce(sum(quantity), 0) AS n FROM stock_held_totals WHERE sku_id = ?'),
    safety: client.prepare<[string], { n: number }>('SELECT safety_stock AS n FROM skus WHERE id = ?'),
    onHandByWarehouse: client.prepare<[string], { w: string; n: number }>(BY_WAREHOUSE_SQL.onHand),
    reservedByWarehouse: client.prepare<[string], { w: string; n: number }>(BY_WAREHOUSE_SQL.reserved),
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

export function reservedIn(db: ReadDb, skuId: string, warehouseId: string): number {
  return st(db).reserved.get(skuId, warehouseId)!.n;
}

/** One SKU in one warehouse: available is its free units (safety stock is the SKU's, held back once in figuresOf). */
export function figuresIn(db: ReadDb, skuId: string, warehouseId: string): StockFigures {
  const s = st(db);
  const onHand = s.onHand.get(skuId, warehouseId)!.n;
  const reserved = s.reserved.get(skuId, warehouseId)!.n;
  const safety = s.safety.get(skuId)?.n ?? 0;
  return { onHand, reserved, safety, available: onHand - reserved };
}

/** One SKU over every warehouse: what the team has to sell of it (what platforms are told is allocated from this). */
export function figuresOf(db: ReadDb, skuId: string): StockFigures {
  const s = st(db);
  const onHand = s.onHandAll.get(skuId)!.n;
  const reserved = s.reservedAll.get(skuId)!.n;
  const safety = s.safety.get(skuId)?.n ?? 0;
  return { onHand, reserved, safety, available: onHand - reserved - safety };
}

/**
 * figuresIn for every warehouse and figuresOf at once, from the same figures per warehouse: what
 * settling a batch reads once per SKU (two index ranges and the safety stock instead of three reads
 * per warehouse and three for the total). `free`: on hand − reserved per warehouse that has either;
 * a warehouse absent from it has none.
 */
export function figuresByWarehouse(db: ReadDb, skuId: string): { free: Map<string, number>; available: number } {
  const s = st(db);
  const free = new Map<string, number>();
  let available = -(s.safety.get(skuId)?.n ?? 0);
  for (const r of s.onHandByWarehouse.all(skuId)) {
    free.set(r.w, r.n);
    available += r.n;
  }
  for (const r of s.reservedByWarehouse.all(skuId)) {
    free.set(r.w, (free.get(r.w) ?? 0) - r.n);
    available -= r.n;
  }
  return { free, available };
}
