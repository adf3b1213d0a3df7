// 缺货: the orders that wait for stock, in paid-time order (orders_stock_short_idx), and the refill
// that hands arriving units to them first-paid first (docs/stock.md#the-缺货-queue). Every command
// that makes units available — receive, count, adjust, transfer in, correction, return, a released
// reservation — calls refillShort for its SKUs in its own transaction.
import type { WriteTx } from '../db/access.ts';
import { Settler, type SettleOptions, type SettleSummary } from './reserve.ts';

/** Retries the short orders that need any of skuIds, first paid first, and reserves what now fits. */
export function refillShort(tx: WriteTx, skuIds: Iterable<string>, now: number, options: SettleOptions = {}): SettleSummary {
  const s = new Settler(tx, now, options);
  s.refill(skuIds);
  return s.finish();
}
