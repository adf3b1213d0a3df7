// SKUs whose available stock moved and whose platforms have not been told yet. Marked in the
// transaction of the change (a movement, a reservation made or settled, a mapping or allocation
// changed), so a crash cannot lose the need to push; the debounced push round reads committed stock
// for the marked SKUs and clears the marks it covered (docs/stock.md#pushes).
import type { ReadDb, WriteTx } from '../db/access.ts';

/**
 * Marks SKUs (bundles follow their components when the push round expands them). Keeps the latest
 * change's time, so clearing up to the time a round read stock never drops a later change.
 */
export function markStockDirty(tx: WriteTx, skuIds: Iterable<string>, now: number): void {
  const st = tx.$client.prepare('INSERT INTO stock_dirty (sku_id, since) VALUES (?, ?) ON CONFLICT(sku_id) DO UPDATE SET since = max(since, excluded.since)');
  const ids = new Set(skuIds);
  for (const id of ids) st.run(id, now);
  // What moves available stock may raise or clear an alert: the periodic evaluation looks at these.
  markAlertsDirty(tx, ids, now);
}

/**
 * Marks SKUs whose alerts may have changed (their stock moved, or the figures alerts judge them by
 * did) for the periodic evaluation, which clears the marks of what it evaluated in its transaction.
 */
export function markAlertsDirty(tx: WriteTx, skuIds: Iterable<string>, now: number): void {
  const st = tx.$client.prepare('INSERT INTO stock_alert_dirty (sku_id, since) VALUES (?, ?) ON CONFLICT(sku_id) DO UPDATE SET since = max(since, excluded.since)');
  for (const id of new Set(skuIds)) st.run(id, now);
}

/** The marked SKUs and their latest change, oldest first. */
export function dirtySkus(db: ReadDb, limit = 100_000): { skuId: string; since: number }[] {
  return db.$client
    .prepare<[number], { skuId: string; since: number }>('SELECT sku_id AS skuId, since FROM stock_dirty ORDER BY since LIMIT ?')
    .all(limit);
}

/** Clears marks made no later than `upTo` (a mark made after the round read stock stays for the next round). */
export function clearStockDirty(tx: WriteTx, skuIds: Iterable<string>, upTo: number): void {
  const st = tx.$client.prepare('DELETE FROM stock_dirty WHERE sku_id = ? AND since <= ?');
  for (const id of skuIds) st.run(id, upTo);
}
