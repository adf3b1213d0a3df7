// What the ledger adds up to: on hand per SKU and warehouse (Σ delta over the covering index
// stock_movements_balance_idx, never a stored figure), the stock list (one row per SKU and
// warehouse, with reserved, available, low and days of cover), and a SKU's ledger timeline with
// running balances.
import type { ApiParsedInput, MovementReason, MovementView, StockRow } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import type { Db } from '../db/open.ts';
import { skuByCode, warehouseByCode } from './lookup.ts';
import { daysOfCover, salesPerDay } from './velocity.ts';

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
  skuId: string;
  sku: string;
  title: string;
  spec: string;
  warehouse: string;
  safety: number;
  threshold: number;
  onHand: number;
  reserved: number;
  mapped: 0 | 1;
  bundle: 0 | 1;
  skuAvailable: number;
}

/** Days of cover divide available stock by the units sold per day over this many days. */
export const COVER_WINDOW_DAYS = 30;

/**
 * A warehouse's row: available = its free units (on hand − reserved there), what reservation may take
 * from it; the SKU's safety stock is held back once from skuAvailable (on hand − reserved − safety
 * over every warehouse), which decides low, out, and whether an order can still be filled.
 */
export function stockRow(r: Omit<ListRow, 'skuId' | 'mapped' | 'bundle'>, extra: Pick<StockRow, 'mapped' | 'bundle' | 'perDay' | 'daysOfCover'>): StockRow {
  return { ...r, available: r.onHand - r.reserved, low: r.skuAvailable <= r.threshold, ...extra };
}

export interface ListFilter {
  warehouse: boolean;
  sku: boolean;
  low: boolean;
  out?: boolean;
  unmapped?: boolean;
  q?: boolean;
  after?: boolean;
}

// CROSS JOIN keeps SQLite's loop order as written: SKUs by outer code (skus_outer_code_uq), then
// warehouses, so a page is read in order without sorting every pair. The correlated sums are one
// seek each per row (on hand: the covering stock_movements_balance_idx; reserved: the row of
// stock_held_totals). Filters are spelled only when given: an `? IS NULL OR`
// condition would keep SQLite from seeking the SKU by its code (one SKU's figures must not scan all).
// A page after a row (keyset) starts with `outer_sku_code >= :afterSku`, a range on the same index,
// so the 1,000th page costs what the first does; offset paging stays for scripts that use it.
export function listSql(filter: ListFilter): string {
  const where = [
    filter.warehouse ? 'w.code = :warehouse' : '',
    filter.sku ? 's.outer_sku_code = :sku' : '',
    filter.after ? 's.outer_sku_code >= :afterSku AND (s.outer_sku_code > :afterSku OR w.code > :afterWarehouse)' : '',
    // A code or barcode exactly, or a fragment of a title or (in any case) of a code.
    filter.q
      ? '(s.outer_sku_code = :q OR s.id IN (SELECT sku_id FROM sku_barcodes WHERE barcode = :q) OR instr(p.title, :q) > 0 OR instr(lower(s.outer_sku_code), lower(:q)) > 0)'
      : '',
    filter.unmapped ? 'NOT EXISTS (SELECT 1 FROM sku_mappings sm WHERE sm.sku_id = s.id)' : '',
  ].filter(Boolean);
  const base = `SELECT s.id AS skuId, s.outer_sku_code AS sku, p.title, s.name AS spec, w.code AS warehouse, s.safety_stock AS safety,
      s.low_stock_threshold AS threshold,
      (SELECT coalesce(sum(m.delta), 0) FROM stock_movements m WHERE m.sku_id = s.id AND m.warehouse_id = w.id) AS onHand,
      (SELECT coalesce(sum(r.quantity), 0) FROM stock_held_totals r WHERE r.sku_id = s.id AND r.warehouse_id = w.id) AS reserved,
      EXISTS (SELECT 1 FROM sku_mappings sm WHERE sm.sku_id = s.id) AS mapped,
      EXISTS (SELECT 1 FROM bundle_components b WHERE b.bundle_sku_id = s.id) AS bundle,
      (SELECT coalesce(sum(m.delta), 0) FROM stock_movements m WHERE m.sku_id = s.id)
        - (SELECT coalesce(sum(r.quantity), 0) FROM stock_held_totals r WHERE r.sku_id = s.id) - s.safety_stock AS skuAvailable
    FROM skus s CROSS JOIN warehouses w JOIN products p ON p.id = s.product_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.outer_sku_code, w.code`;
  // A bundle holds nothing of its own: its components are what runs low.
  // Low and out are the SKU's (safety stock counted once), so every warehouse row of a low SKU is kept.
  const figures = [filter.low ? 'skuAvailable <= threshold' : '', filter.out ? 'skuAvailable <= 0' : '', filter.low || filter.out ? 'bundle = 0' : ''].filter(Boolean);
  return figures.length
    ? `SELECT * FROM (${base}) WHERE ${figures.join(' AND ')} LIMIT :limit OFFSET :offset`
    : `${base} LIMIT :limit OFFSET :offset`;
}

const listStatements = new WeakMap<Db['$client'], Map<string, ReturnType<Db['$client']['prepare']>>>();

/**
 * One SKU and warehouse row per pair, by SKU code then warehouse code, after `after` when given;
 * `low` keeps those at or below their threshold, `out` those with nothing available, `unmapped` the
 * SKUs no platform SKU maps to, `q` a code, barcode or title fragment. Each row carries the SKU's
 * sales per day (the last COVER_WINDOW_DAYS days) and days of cover: the SKU's available stock over
 * every warehouse at that rate, so each warehouse's row of a SKU says the same.
 */
export function listStock(db: ReadDb, input: ApiParsedInput<'stock.list'>, now: number): StockRow[] {
  if (input.warehouse !== undefined) warehouseByCode(db, input.warehouse);
  if (input.sku !== undefined) skuByCode(db, input.sku);
  const q = input.q?.trim() || undefined;
  const filter: Required<ListFilter> = {
    warehouse: input.warehouse !== undefined,
    sku: input.sku !== undefined,
    low: input.low,
    out: input.out,
    unmapped: input.unmapped,
    q: q !== undefined,
    after: input.after !== undefined,
  };
  const key = Object.values(filter)
    .map((b) => +b)
    .join('');
  let cache = listStatements.get(db.$client);
  if (!cache) listStatements.set(db.$client, (cache = new Map()));
  let st = cache.get(key);
  if (!st) cache.set(key, (st = db.$client.prepare(listSql(filter))));
  const params: Record<string, unknown> = { limit: input.limit, offset: input.offset };
  if (filter.warehouse) params.warehouse = input.warehouse;
  if (filter.sku) params.sku = input.sku;
  if (filter.q) params.q = q;
  if (input.after) {
    params.afterSku = input.after.sku;
    params.afterWarehouse = input.after.warehouse;
  }
  const rows = st.all(params) as ListRow[];
  const skuIds = [...new Set(rows.map((r) => r.skuId))];
  const perDay = salesPerDay(db, skuIds, COVER_WINDOW_DAYS, now);
  return rows.map(({ skuId, mapped, bundle, ...r }) =>
    stockRow(r, {
      mapped: mapped === 1,
      bundle: bundle === 1,
      perDay: perDay.get(skuId) ?? 0,
      daysOfCover: bundle === 1 ? null : daysOfCover(r.skuAvailable, perDay.get(skuId) ?? 0),
    }),
  );
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
