// What the ledger adds up to: on hand per SKU and warehouse (Σ delta over the covering index
// stock_movements_balance_idx, never a stored figure), the stock list (one row per SKU and
// warehouse, with reserved, available and low), and a SKU's ledger timeline with running balances.
import type { ApiParsedInput, MovementReason, MovementView, StockRow } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { skuByCode, warehouseByCode } from './lookup.ts';

/**
 * Units held for paid orders not yet shipped. Reservations are not built yet (docs/stock.md#planned),
 * so nothing is held; the stock list already subtracts it, so adding them changes one place.
 */
export const RESERVED_NONE = 0;

const sums = new WeakMap<Db['$client'], ReturnType<typeof prepareSum>>();

function prepareSum(client: Db['$client']) {
  return client.prepare<[string, string], { n: number }>(
    'SELECT coalesce(sum(delta), 0) AS n FROM stock_movements WHERE sku_id = ? AND warehouse_id = ?',
  );
}

/** On hand of one SKU in one warehouse: the sum of its movements there. */
export function onHandOf(db: ReadDb, skuId: string, warehouseId: string): number {
  let st = sums.get(db.$client);
  if (!st) {
    st = prepareSum(db.$client);
    sums.set(db.$client, st);
  }
  return (st.get(skuId, warehouseId) as { n: number }).n;
}

interface ListRow {
  sku: string;
  title: string;
  spec: string;
  warehouse: string;
  safety: number;
  threshold: number;
  onHand: number;
}

/** available = on hand − reserved − safety stock; low when available ≤ the threshold. */
export function stockRow(r: ListRow, reserved = RESERVED_NONE): StockRow {
  const available = r.onHand - reserved - r.safety;
  return { ...r, reserved, available, low: available <= r.threshold };
}

// CROSS JOIN keeps SQLite's loop order as written: SKUs by outer code (skus_outer_code_uq), then
// warehouses, so the first page is read in order without sorting every pair. The correlated sum is
// one seek in the covering index per row. Filters are spelled only when given: an `? IS NULL OR`
// condition would keep SQLite from seeking the SKU by its code (one SKU's figures must not scan all).
export function listSql(filter: { warehouse: boolean; sku: boolean; low: boolean }): string {
  const where = [filter.warehouse ? 'w.code = :warehouse' : '', filter.sku ? 's.outer_sku_code = :sku' : ''].filter(Boolean);
  const base = `SELECT s.outer_sku_code AS sku, p.title, s.name AS spec, w.code AS warehouse, s.safety_stock AS safety,
      s.low_stock_threshold AS threshold,
      (SELECT coalesce(sum(m.delta), 0) FROM stock_movements m WHERE m.sku_id = s.id AND m.warehouse_id = w.id) AS onHand
    FROM skus s CROSS JOIN warehouses w JOIN products p ON p.id = s.product_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.outer_sku_code, w.code`;
  return filter.low
    ? `SELECT * FROM (${base}) WHERE onHand - :reserved - safety <= threshold LIMIT :limit OFFSET :offset`
    : `${base} LIMIT :limit OFFSET :offset`;
}

const listStatements = new WeakMap<Db['$client'], Map<string, ReturnType<Db['$client']['prepare']>>>();

/** One SKU and warehouse row per pair, by SKU code then warehouse code; `low` keeps only those at or below their threshold. */
export function listStock(db: ReadDb, input: ApiParsedInput<'stock.list'>): StockRow[] {
  if (input.warehouse !== undefined) warehouseByCode(db, input.warehouse);
  if (input.sku !== undefined) skuByCode(db, input.sku);
  const filter = { warehouse: input.warehouse !== undefined, sku: input.sku !== undefined, low: input.low };
  const key = `${+filter.warehouse}${+filter.sku}${+filter.low}`;
  let cache = listStatements.get(db.$client);
  if (!cache) listStatements.set(db.$client, (cache = new Map()));
  let st = cache.get(key);
  if (!st) cache.set(key, (st = db.$client.prepare(listSql(filter))));
  const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
  if (filter.warehouse) params.warehouse = input.warehouse;
  if (filter.sku) params.sku = input.sku;
  if (filter.low) params.reserved = RESERVED_NONE;
  return (st.all(params) as ListRow[]).map((r) => stockRow(r));
}

/** A ledger row as the query selects it: exactly the API's view. */
type MovementRow = MovementView;

// The running balance is per warehouse in ledger order (at, then the UUIDv7 id, which sorts by
// creation): the balance of a row is on hand in that warehouse right after it.
const LEDGER_SQL = `SELECT * FROM (
    SELECT m.id, s.outer_sku_code AS sku, w.code AS warehouse, m.delta, m.reason, m.reference, m.note, m.actor, m.at,
      m.op_id AS opId, m.corrects_id AS correctsId,
      (SELECT c.id FROM stock_movements c WHERE c.corrects_id = m.id) AS correctedBy,
      sum(m.delta) OVER (PARTITION BY m.warehouse_id ORDER BY m.at, m.id ROWS UNBOUNDED PRECEDING) AS balance
    FROM stock_movements m JOIN skus s ON s.id = m.sku_id JOIN warehouses w ON w.id = m.warehouse_id
    WHERE m.sku_id = :skuId AND (:warehouseId IS NULL OR m.warehouse_id = :warehouseId)
  ) ORDER BY at DESC, id DESC LIMIT :limit`;

/** A SKU's movements, newest first, each with its warehouse's balance right after it. */
export function ledgerOf(db: ReadDb, input: ApiParsedInput<'stock.ledger'>): MovementView[] {
  const sku = skuByCode(db, input.sku);
  const warehouseId = input.warehouse === undefined ? null : warehouseByCode(db, input.warehouse).id;
  return db.$client.prepare(LEDGER_SQL).all({ skuId: sku.id, warehouseId, limit: input.limit }) as MovementRow[];
}

/** Movements a command just wrote, each with on hand in its warehouse now (right after the command), in the order given. */
export function movementViews(db: ReadDb, ids: readonly string[]): MovementView[] {
  const one = db.$client.prepare(
    `SELECT m.id, s.outer_sku_code AS sku, w.code AS warehouse, m.delta, m.reason, m.reference, m.note, m.actor, m.at,
       m.op_id AS opId, m.corrects_id AS correctsId, (SELECT c.id FROM stock_movements c WHERE c.corrects_id = m.id) AS correctedBy,
       m.sku_id AS skuId, m.warehouse_id AS warehouseId
     FROM stock_movements m JOIN skus s ON s.id = m.sku_id JOIN warehouses w ON w.id = m.warehouse_id WHERE m.id = ?`,
  );
  return ids.map((id) => {
    const { skuId, warehouseId, ...m } = one.get(id) as Omit<MovementRow, 'balance'> & { skuId: string; warehouseId: string };
    return { ...m, balance: onHandOf(db, skuId, warehouseId) };
  });
}
