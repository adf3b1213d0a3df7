// Where a SKU's stock went: its reservations newest first — held for an order, shipped (turned into
// the ship movement named), or released (cancelled, refunded before shipping, closed) — each with
// its order as people know it. Reads stock_reservations_sku_created_idx, so one SKU's history never
// scans the table.
import type { ApiParsedInput, ReservationView } from '../../shared/contract.ts';
import type { ReadDb } from '../db/access.ts';
import { skuByCode } from './lookup.ts';

const SQL = `SELECT r.id, r.order_id AS orderId, o.platform_order_id AS platformOrderId, sh.name AS shopName, r.line_no AS lineNo,
    w.code AS warehouse, r.quantity, r.state, r.created_at AS createdAt, r.settled_at AS settledAt, r.movement_id AS movementId
  FROM stock_reservations r
  JOIN warehouses w ON w.id = r.warehouse_id
  LEFT JOIN orders o ON o.id = r.order_id
  LEFT JOIN shops sh ON sh.id = o.shop_id
  WHERE r.sku_id = :skuId AND (:state IS NULL OR r.state = :state)
    AND (:shops IS NULL OR o.shop_id IN (SELECT value FROM json_each(:shops)))
  ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`;

/** `shops`: a scoped person's shops as JSON (scope.ts shopsJson), null for every shop. */
export function reservationsOf(db: ReadDb, input: ApiParsedInput<'stock.reservations'>, shops: string | null = null): ReservationView[] {
  const sku = skuByCode(db, input.sku);
  return db.$client.prepare(SQL).all({ skuId: sku.id, state: input.state ?? null, limit: input.limit, shops }) as ReservationView[];
}
