// 缺货: the orders that wait for stock, in paid-time order (orders_stock_short_idx), and the refill
// that hands arriving units to them first-paid first (docs/stock.md#the-缺货-queue). Every command
// that makes units available — receive, count, adjust, transfer in, correction, return, a released
// reservation — calls refillShort for its SKUs in its own transaction.
import type { ApiParsedInput, ShortOrderView } from '../../shared/contract.ts';
import type { ReadDb, WriteTx } from '../db/access.ts';
import { figuresIn, figuresOf } from './available.ts';
import { componentCache } from './components.ts';
import { Settler, type SettleOptions, type SettleSummary } from './reserve.ts';

/** Retries the short orders that need any of skuIds, first paid first, and reserves what now fits. */
export function refillShort(tx: WriteTx, skuIds: Iterable<string>, now: number, options: SettleOptions = {}): SettleSummary {
  const s = new Settler(tx, now, options);
  s.refill(skuIds);
  return s.finish();
}

/** 缺货 as a list: short orders first paid first (orders_stock_short_idx), each with the SKUs it lacks. */
/** `shops`: a scoped person's shops as JSON (scope.ts shopsJson), null for every shop. */
export function shortQueue(db: ReadDb, input: ApiParsedInput<'stock.short'>, shops: string | null = null): ShortOrderView[] {
  const c = db.$client;
  const rows = c
    .prepare(
      `SELECT o.id, o.platform_order_id AS platformOrderId, o.shop_id AS shopId, coalesce(s.name, o.shop_id) AS shopName, o.platform,
              o.paid_at AS paidAt, o.stock_short_reason AS reason
         FROM orders o INDEXED BY orders_stock_short_idx LEFT JOIN shops s ON s.id = o.shop_id
        WHERE o.stock_state = 'short' AND (? IS NULL OR o.shop_id IN (SELECT value FROM json_each(?))) ORDER BY o.paid_at, o.seq LIMIT ? OFFSET ?`,
    )
    .all(shops, shops, input.limit, input.offset) as Omit<ShortOrderView, 'missing'>[];
  const lines = c.prepare<[string], { skuId: string; quantity: number }>('SELECT sku_id AS skuId, quantity FROM order_items WHERE order_id = ? AND sku_id IS NOT NULL');
  const warehouses = c.prepare('SELECT id FROM warehouses').pluck().all() as string[];
  const code = c.prepare('SELECT outer_sku_code FROM skus WHERE id = ?').pluck();
  const components = componentCache(db);
  const availableOf = new Map<string, number>();
  // As warehouse choice counts it: each warehouse's free units, none below zero, and never more than
  // the SKU's available total (safety stock held back once).
  const available = (skuId: string): number => {
    let n = availableOf.get(skuId);
    if (n === undefined) {
      const free = warehouses.reduce((t, w) => t + Math.max(0, figuresIn(db, skuId, w).available), 0);
      availableOf.set(skuId, (n = Math.max(0, Math.min(free, figuresOf(db, skuId).available))));
    }
    return n;
  };
  return rows.map((r) => {
    const need = new Map<string, number>();
    for (const l of lines.all(r.id)) for (const comp of components(l.skuId)) need.set(comp.skuId, (need.get(comp.skuId) ?? 0) + comp.perUnit * l.quantity);
    const missing = [...need]
      .filter(([sku, q]) => available(sku) < q)
      .map(([sku, q]) => ({ sku: code.get(sku) as string, need: q, available: available(sku) }))
      .sort((a, b) => (a.sku < b.sku ? -1 : 1));
    return { ...r, missing };
  });
}
