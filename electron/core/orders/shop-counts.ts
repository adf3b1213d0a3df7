// Orders per shop under a filter: the numbers beside each shop in the workbench's shop filter.
// Filters the trigger-kept order_counts table can answer never scan orders.
import type { OrderFilter } from '../../shared/contract.ts';
import type { Db } from '../db/open.ts';
import { buildOrderWhere, countsTableCan, countsTableWhere, searchPlanFor } from './query.ts';

/** shop id → orders under the filter; shops with none are left out. */
export function countOrdersByShop(db: Db, filter: OrderFilter): Record<string, number> {
  const client = db.$client;
  let rows: { shop_id: string; n: number }[];
  if (countsTableCan(filter)) {
    const w = countsTableWhere(filter);
    rows = client
      .prepare(`SELECT c.shop_id AS shop_id, sum(c.n) AS n FROM order_counts c WHERE ${w.sql} GROUP BY 1`)
      .all(...w.params) as { shop_id: string; n: number }[];
  } else {
    const w = buildOrderWhere(filter, searchPlanFor(db, filter));
    rows = client
      .prepare(`SELECT o.shop_id AS shop_id, count(*) AS n FROM orders o WHERE ${w.sql} GROUP BY 1`)
      .all(...w.params) as { shop_id: string; n: number }[];
  }
  const out: Record<string, number> = {};
  for (const r of rows) if (r.n > 0) out[r.shop_id] = r.n;
  return out;
}
