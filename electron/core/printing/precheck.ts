// print.precheck: what stops each selected order from printing (unpaid, closed, held, an incomplete
// address, already printed, …), in the order a person fixes them, and the orders of the same buyer
// and receiver a packer should see before printing two parcels to one door. The batch flow
// (batch.ts) runs the same checks before it allocates anything.
import type { PrintPrecheck, PrintProblem } from '../../shared/contract.ts';
import { abnormalBit } from '../../shared/model.ts';
import type { Db } from '../db/open.ts';
import type { StoredOrder, StoredShop } from '../db/rows.ts';
import { ID_CHUNK } from '../waybills/packages.ts';

/** Problems in words, for the CLI and failure lists (the UI translates the code). */
export const PRINT_PROBLEM_WORDS: Record<PrintProblem, string> = {
  not_found: '没有这个订单',
  unpaid: '订单未付款',
  closed: '订单已关闭',
  shipped: '订单已发货',
  held: '订单已挂起/拦截',
  refund_requested: '买家申请了退款',
  address_incomplete: '收货地址不完整',
  pending_review: '订单还未审核',
  already_printed: '订单已打单（需要再打请用重打，并填写原因）',
};

/** ORDER_SQL's row: the order's columns, its shop's name and two facts about its packages. */
export type OrderRow = Pick<
  StoredOrder,
  | 'id'
  | 'shopId'
  | 'status'
  | 'afterSale'
  | 'stage'
  | 'queue'
  | 'holdReason'
  | 'abnormalFlags'
  | 'buyerNick'
  | 'receiverName'
  | 'receiverPhone'
  | 'receiverProvince'
  | 'receiverCity'
  | 'receiverDistrict'
  | 'receiverAddress'
  | 'paidAt'
  | 'createdAt'
> & {
  shopName: StoredShop['name'];
  /** Any non-cancelled package printed. */
  printed: number;
  /** Any non-cancelled package with a waybill number. */
  hasWaybill: number;
};

const ORDER_SQL = `SELECT o.id, o.shop_id AS shopId, s.name AS shopName, o.status, o.after_sale AS afterSale, o.stage, o.queue,
  o.hold_reason AS holdReason, o.abnormal_flags AS abnormalFlags, o.buyer_nick AS buyerNick,
  o.receiver_name AS receiverName, o.receiver_phone AS receiverPhone, o.receiver_province AS receiverProvince,
  o.receiver_city AS receiverCity, o.receiver_district AS receiverDistrict, o.receiver_address AS receiverAddress,
  o.paid_at AS paidAt, o.created_at AS createdAt,
  EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.state <> 'cancelled' AND p.printed_at IS NOT NULL) AS printed,
  EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.state <> 'cancelled' AND p.waybill_no IS NOT NULL) AS hasWaybill
  FROM orders o JOIN shops s ON s.id = o.shop_id
  WHERE o.id IN (SELECT value FROM json_each(?))`;

export function loadOrders(db: Db, ids: readonly string[]): Map<string, OrderRow> {
  // orders_id_uq serves the lookup; packages_order_seq_uq the EXISTS.
  const stmt = db.$client.prepare<[string], OrderRow>(ORDER_SQL);
  const out = new Map<string, OrderRow>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) for (const r of stmt.all(JSON.stringify(ids.slice(i, i + ID_CHUNK)))) out.set(r.id, r);
  return out;
}

const blank = (s: string | null | undefined) => !s || s.trim() === '';

/** What stops one order from printing, in a fixed order (the first is the one a person fixes first). */
export function problemsOf(o: OrderRow | undefined): PrintProblem[] {
  if (!o) return ['not_found'];
  const p: PrintProblem[] = [];
  if (o.status === 'unpaid') p.push('unpaid');
  if (o.status === 'closed') p.push('closed');
  if (o.status === 'shipped' || o.status === 'completed' || o.stage === 'shipped') p.push('shipped');
  if (o.afterSale === 'requested' || o.afterSale === 'in_progress' || (o.abnormalFlags & abnormalBit('refund_requested')) !== 0) p.push('refund_requested');
  if (o.holdReason !== null) p.push('held');
  const addressGaps = [o.receiverName, o.receiverPhone, o.receiverProvince, o.receiverCity, o.receiverDistrict, o.receiverAddress].some(blank);
  if (addressGaps || (o.abnormalFlags & abnormalBit('incomplete_address')) !== 0) p.push('address_incomplete');
  if (o.stage === 'pending_review' && o.status === 'awaiting_shipment') p.push('pending_review');
  if (o.stage === 'printed' || o.printed) p.push('already_printed');
  return p;
}

/**
 * Orders of the same buyer and receiver in the same shop and queue as each selected order (the
 * merge candidates a packer should see before printing two parcels to one door). One read per
 * (queue, shop) of the selection through orders_queue_shop_paid_idx, grouped here by buyer and
 * receiver — not one query per order, which a 20,000-order batch could not afford.
 */
function mergeCandidates(db: Db, orders: readonly OrderRow[]): Map<string, string[]> {
  type Row = Pick<OrderRow, 'id' | 'buyerNick' | 'receiverName' | 'receiverPhone' | 'receiverProvince' | 'receiverCity' | 'receiverDistrict' | 'receiverAddress'>;
  const stmt = db.$client.prepare<[string, string], Row>(
    `SELECT id, buyer_nick AS buyerNick, receiver_name AS receiverName, receiver_phone AS receiverPhone, receiver_province AS receiverProvince,
       receiver_city AS receiverCity, receiver_district AS receiverDistrict, receiver_address AS receiverAddress
     FROM orders WHERE queue = ? AND shop_id = ? ORDER BY paid_at, id`,
  );
  const key = (r: Row) => JSON.stringify([r.buyerNick, r.receiverName, r.receiverPhone, r.receiverProvince, r.receiverCity, r.receiverDistrict, r.receiverAddress]);
  const groups = new Map<string, OrderRow[]>();
  for (const o of orders) {
    const g = `${o.queue}\u0000${o.shopId}`;
    const list = groups.get(g);
    if (list) list.push(o);
    else groups.set(g, [o]);
  }
  const out = new Map<string, string[]>();
  for (const members of groups.values()) {
    const first = members[0] as OrderRow;
    const byKey = new Map<string, string[]>();
    for (const r of stmt.all(first.queue, first.shopId)) {
      const k = key(r);
      const list = byKey.get(k);
      if (list) list.push(r.id);
      else byKey.set(k, [r.id]);
    }
    for (const o of members) out.set(o.id, (byKey.get(key(o)) ?? []).filter((id) => id !== o.id));
  }
  return out;
}

/** print.precheck: per selected order (in the order given), its problems and merge candidates. */
export function precheckOrders(db: Db, ids: readonly string[]): PrintPrecheck[] {
  const unique = [...new Set(ids)];
  const orders = loadOrders(db, unique);
  const merges = mergeCandidates(db, [...orders.values()]);
  return unique.map((id) => {
    const o = orders.get(id);
    const problems = problemsOf(o);
    return { id, ok: problems.length === 0, problems, mergeCandidates: merges.get(id) ?? [], hasWaybill: !!o?.hasWaybill };
  });
}
