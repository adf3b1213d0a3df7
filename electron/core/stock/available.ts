// The three figures of stock, read from committed rows only (docs/stock.md#available):
//   on hand   = Σ stock_movements.delta            (covering index stock_movements_balance_idx)
//   reserved  = Σ held stock_reservations.quantity (covering partial index stock_reservations_held_idx)
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

const statements = new WeakMap<Db['$client'], ReturnType<typeof prepare>>();
function prepare(client: Db['$client']) {
  return {
    onHand: client.prepare<[string, string], { n: number }>(
      'SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ? AND warehouse_id = ?',
    ),
    reserved: client.prepare<[string, string], { n: number }>(
      "SELECT coalesce(sum(quantity), 0) AS n FROM stock_reservations WHERE sku_id = ? AND warehouse_id = ? AND state = 'held'",
    ),
    onHandAll: client.prepare<[string], { n: number }>('SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ?'),
    reservedAll: client.prepare<[string], { n: number }>(
      "SELECT coalesce(sum(quantity), 0) AS n FROM stock_reservations WHERE sku_id = ? AND state = 'held'",
    ),
    safety: client.prepare<[string], { n: number }>('SELECT safety_stock AS n FROM skus WHERE id = ?'),
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
